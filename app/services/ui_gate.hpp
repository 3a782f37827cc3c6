#pragma once
// A way for job-lane threads to reach a QObject on the UI thread safely: post() queues a
// function to run on the target's thread, unless the target has closed the gate (in its
// destructor). Handlers capture the gate by shared_ptr, so a service may be destroyed while a
// job is still finishing; what the job posts afterwards is dropped instead of reaching a
// dead object.
#include <QMetaObject>
#include <QObject>
#include <functional>
#include <memory>
#include <mutex>

namespace atelier {

class UiGate {
public:
    explicit UiGate(QObject* target) : target_(target) {}

    // Thread-safe. fn runs later on the target's thread (queued), never after close().
    void post(std::function<void()> fn) {
        std::lock_guard lock(mutex_);
        if (target_) QMetaObject::invokeMethod(target_, std::move(fn), Qt::QueuedConnection);
    }
    // Called by the target's destructor: nothing more is posted; queued calls die with it.
    void close() {
        std::lock_guard lock(mutex_);
        target_ = nullptr;
    }

private:
    std::mutex mutex_;
    QObject* target_;
};

using UiGatePtr = std::shared_ptr<UiGate>;

} // namespace atelier
