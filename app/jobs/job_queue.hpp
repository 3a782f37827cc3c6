#pragma once
// The asynchronous channel between the UI and the engines.
//
// Jobs are typed by kind; each kind has a handler and a lane (registerHandler). Every lane has one
// worker thread; within a lane the highest priority runs first, then first come first served.
// States: queued -> running -> done | failed | cancelled; a job that was running when the app
// stopped comes back as interrupted, one still queued comes back queued (restore()).
// The JobQueue object lives on the UI thread and its signals are emitted there; submit() and
// cancel() may be called from any thread. With a StorageThread every change is recorded in the
// jobs table (written on the storage thread); without one nothing is persisted.
#include "app/jobs/job_context.hpp"
#include "app/services/records.hpp"

#include <QFuture>
#include <QList>
#include <QObject>
#include <memory>

namespace atelier::storage {
class StorageThread;
}

namespace atelier {

struct JobRequest {
    QString kind;
    QString title;
    JobPriority priority = JobPriority::Normal;
    QJsonObject params; // copied: the job sees this snapshot, never later edits
};

class JobQueue : public QObject {
    Q_OBJECT
public:
    explicit JobQueue(storage::StorageThread* store, QObject* parent = nullptr);
    // Requests stop for running jobs and joins the lane threads; queued jobs stay queued in the
    // database (they come back with restore()).
    ~JobQueue() override;

    // A kind not registered yet: its jobs wait in the queue until it is.
    void registerHandler(const QString& kind, const QString& lane, JobHandler handler);

    // Thread-safe. Returns the job's id at once; jobAdded follows on the UI thread.
    qint64 submit(const JobRequest& request);
    // Thread-safe. Queued -> cancelled at once; running -> stop requested (the handler sees its
    // stop token and the job ends cancelled). False for unknown or finished jobs.
    bool cancel(qint64 id);

    // Every job this queue knows (submitted or restored), oldest first.
    QList<JobInfo> jobs() const;
    JobInfo job(qint64 id) const; // id 0 when unknown

    // Reloads persisted jobs (queued stay queued and run when their kind has a handler; running
    // become interrupted; finished ones are listed). The future finishes when they are in jobs().
    // Ids are this session's; the database keeps its own row ids.
    QFuture<void> restore();

    // Waits (processing events) until no job is queued or running, or timeoutMs passes; for tests
    // and the CLI. Returns true when idle.
    bool waitForIdle(int timeoutMs);

signals:
    void jobAdded(const atelier::JobInfo& job);
    void jobUpdated(const atelier::JobInfo& job);
    void jobPreview(qint64 id, const QImage& preview);
    void jobFinished(const atelier::JobInfo& job, const QJsonObject& result);

private:
    struct Private;
    std::unique_ptr<Private> d;
    friend struct Private;
};

} // namespace atelier
