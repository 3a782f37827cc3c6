#include "storage/storage_thread.hpp"

#include <QFile>
#include <QObject>
#include <QThread>
#include <optional>

namespace atelier::storage {

// State touched only on the storage thread (after construction).
struct StorageThread::Worker {
    std::optional<Database> db;
    std::exception_ptr openError;
};

StorageThread::StorageThread(const QString& path, const OpenOptions& options)
    : path_(path), worker_(std::make_unique<Worker>()) {
    thread_ = new QThread;
    thread_->setObjectName(QStringLiteral("atelier-storage"));
    context_ = new QObject;
    context_->moveToThread(thread_);
    thread_->start();

    auto promise = std::make_shared<QPromise<QString>>();
    opened_ = promise->future();
    promise->start();
    post([this, promise, options] {
        try {
            QString notice;
            try {
                worker_->db.emplace(Database::open(path_, options));
            } catch (const StorageError& e) {
                // A damaged file that was moved aside: say so, and start a fresh database.
                if (e.kind() != StorageErrorKind::Corrupt || QFile::exists(path_)) throw;
                notice = e.message();
                worker_->db.emplace(Database::open(path_, options));
            }
            promise->addResult(notice);
        } catch (...) {
            worker_->openError = std::current_exception();
            promise->setException(worker_->openError);
        }
        promise->finish();
    });
}

StorageThread::~StorageThread() {
    // Runs after everything already posted; the connection is closed on its own thread.
    QMetaObject::invokeMethod(
        context_, [this] { worker_->db.reset(); }, Qt::BlockingQueuedConnection);
    thread_->quit();
    thread_->wait();
    delete context_;
    delete thread_;
}

void StorageThread::post(std::function<void()> task) {
    QMetaObject::invokeMethod(context_, std::move(task), Qt::QueuedConnection);
}

Database& StorageThread::database() {
    if (worker_->openError) std::rethrow_exception(worker_->openError);
    return *worker_->db;
}

} // namespace atelier::storage
