#pragma once
// The storage thread: owns a QThread and the one Database that lives on it. Every database call
// of the app goes through run(), so the UI thread never waits on SQLite:
//
//   storage.run([=](Database& db) { return ConversationStore(db).list(); })
//       .then(this, [this](QList<ConversationRecord> rows) { ... })      // on the UI thread
//       .onFailed(this, [this](const StorageError& e) { emit failed(e.message()); });
//
// Work runs in submission order. Exceptions thrown by f travel inside the QFuture.
#include "storage/database.hpp"

#include <QFuture>
#include <QPromise>
#include <QString>
#include <functional>
#include <memory>
#include <type_traits>

class QThread;
class QObject;

namespace atelier::storage {

class StorageThread {
public:
    // Starts the thread and opens `path` on it (never blocks). When the file is damaged it is set
    // aside and a fresh database is started; opened() then carries a notice saying so.
    explicit StorageThread(const QString& path, const OpenOptions& options = {});
    // Finishes the work already submitted, closes the database and joins the thread.
    ~StorageThread();
    StorageThread(const StorageThread&) = delete;
    StorageThread& operator=(const StorageThread&) = delete;

    const QString& path() const { return path_; }
    // Resolves once the database is open: an empty string, or a notice for the person (the
    // damaged file that was set aside). Fails with the StorageError when it cannot be opened;
    // every run() then fails with that same error.
    QFuture<QString> opened() const { return opened_; }

    template <class F> auto run(F&& f) -> QFuture<std::invoke_result_t<F, Database&>>;

private:
    struct Worker;
    void post(std::function<void()> task);
    Database& database(); // on the storage thread; rethrows the open error

    QString path_;
    QThread* thread_ = nullptr;
    QObject* context_ = nullptr; // lives on thread_; tasks are queued to it
    std::unique_ptr<Worker> worker_;
    QFuture<QString> opened_;
};

template <class F> auto StorageThread::run(F&& f) -> QFuture<std::invoke_result_t<F, Database&>> {
    using R = std::invoke_result_t<F, Database&>;
    auto promise = std::make_shared<QPromise<R>>();
    auto fn = std::make_shared<std::decay_t<F>>(std::forward<F>(f));
    QFuture<R> future = promise->future();
    promise->start();
    post([this, promise, fn] {
        try {
            if constexpr (std::is_void_v<R>)
                (*fn)(database());
            else
                promise->addResult((*fn)(database()));
        } catch (...) {
            promise->setException(std::current_exception());
        }
        promise->finish();
    });
    return future;
}

} // namespace atelier::storage
