#pragma once
// What a job handler sees while it runs on its lane's worker thread: its immutable parameters, a
// stop token to poll, and ways to report progress and a result. Handlers fail by throwing.
// A handler never touches UI objects; everything it reports reaches the UI as queued signals.
#include <QImage>
#include <QJsonObject>
#include <QString>
#include <functional>
#include <stop_token>

namespace atelier {

class JobContext {
public:
    virtual ~JobContext() = default;

    virtual qint64 id() const = 0;
    virtual const QJsonObject& params() const = 0;
    virtual std::stop_token stopToken() const = 0;
    bool stopRequested() const { return stopToken().stop_requested(); }

    // fraction 0..1 (< 0 = unknown). Cheap: the queue coalesces what reaches the UI (~30/s).
    virtual void reportProgress(double fraction, const QString& message = {}) = 0;
    virtual void reportPreview(const QImage& preview) = 0;
    virtual void setResult(const QJsonObject& result) = 0;
};

using JobHandler = std::function<void(JobContext&)>;

} // namespace atelier
