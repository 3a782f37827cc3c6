#include "app/jobs/job_queue.hpp"

#include "storage/job_store.hpp"
#include "storage/storage_thread.hpp"
#include "storage/when_finished.hpp"

#include <QCoreApplication>
#include <QDebug>
#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QThread>
#include <QTimer>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

namespace atelier {

namespace {

constexpr int kProgressIntervalMs = 33; // at most ~30 progress signals a second
constexpr int kPersistProgressMs = 1000;

storage::JobRecord toRecord(const JobInfo& info, const QJsonObject& params,
                            const QJsonObject& result) {
    storage::JobRecord r;
    r.id = info.id;
    r.kind = info.kind;
    r.title = info.title;
    r.lane = info.lane;
    r.priority = int(info.priority);
    r.state = jobStateName(info.state);
    r.params = params;
    r.progress = info.progress;
    r.message = info.message;
    r.error = info.error;
    r.result = result;
    r.createdAt = info.createdAt;
    r.startedAt = info.startedAt;
    r.finishedAt = info.finishedAt;
    return r;
}

JobInfo fromRecord(const storage::JobRecord& r, qint64 id) {
    JobInfo info;
    info.id = id;
    info.kind = r.kind;
    info.title = r.title;
    info.lane = r.lane;
    info.priority = JobPriority(std::clamp(r.priority, 0, 2));
    info.state = jobStateFromName(r.state);
    info.progress = r.progress;
    info.message = r.message;
    info.error = r.error;
    info.createdAt = r.createdAt;
    info.startedAt = r.startedAt;
    info.finishedAt = r.finishedAt;
    return info;
}

// Session ids of this queue -> row ids in the jobs table. Touched only on the storage thread.
using RowIds = QHash<qint64, qint64>;

} // namespace

struct JobQueue::Private {
    struct Job {
        JobInfo info;
        QJsonObject params;
        QJsonObject result;
        qint64 seq = 0;
        std::stop_source stop;
        qint64 lastPersistMs = 0;
        QImage preview;
        bool previewPending = false;
    };
    using Key = std::tuple<int, qint64, qint64>; // priority, arrival, id

    struct Lane {
        QString name;
        std::set<Key> queue;
        std::condition_variable wake;
        std::thread thread;
    };

    struct Handler {
        QString lane;
        JobHandler fn;
    };

    JobQueue* q;
    storage::StorageThread* store;
    std::shared_ptr<RowIds> rowIds = std::make_shared<RowIds>();
    std::shared_ptr<std::atomic<qint64>> nextId = std::make_shared<std::atomic<qint64>>(1);

    mutable std::mutex mutex;
    std::map<qint64, std::shared_ptr<Job>> jobs;
    QHash<QString, Handler> handlers;
    std::map<QString, std::unique_ptr<Lane>> lanes;
    QHash<QString, QList<qint64>> waiting; // queued jobs whose kind has no handler yet
    qint64 nextSeq = 0;
    bool stopping = false;
    QSet<qint64> dirty; // progress changed since the last signal
    bool dirtyPosted = false;
    QElapsedTimer clock;

    QTimer* flushTimer = nullptr; // UI thread

    Private(JobQueue* queue, storage::StorageThread* s) : q(queue), store(s) { clock.start(); }

    // --- called with `mutex` held -------------------------------------------------------------

    void persist(const Job& job, bool insert) {
        if (!store) return;
        storage::JobRecord record = toRecord(job.info, job.params, job.result);
        auto ids = rowIds;
        // Errors are logged on the storage thread itself: no continuation to attach.
        store->run([ids, record, insert](storage::Database& db) mutable {
            try {
                storage::JobStore jobs(db);
                const qint64 sessionId = record.id;
                if (insert) {
                    record.id = 0;
                    ids->insert(sessionId, jobs.insert(record));
                    return;
                }
                const auto it = ids->constFind(sessionId);
                if (it == ids->constEnd()) return;
                record.id = *it;
                jobs.update(record);
            } catch (const storage::StorageError& e) {
                qWarning("atelier: could not record a job: %s", e.what());
            }
        });
    }

    void post(std::function<void()> fn) {
        QMetaObject::invokeMethod(q, std::move(fn), Qt::QueuedConnection);
    }

    void postUpdated(const Job& job) {
        JobInfo info = job.info;
        JobQueue* self = q;
        post([self, info] { emit self->jobUpdated(info); });
    }

    void postFinished(const Job& job) {
        JobInfo info = job.info;
        QJsonObject result = job.result;
        JobQueue* self = q;
        post([self, info, result] {
            emit self->jobUpdated(info);
            emit self->jobFinished(info, result);
        });
    }

    void enqueue(Job& job) {
        auto h = handlers.constFind(job.info.kind);
        if (h == handlers.constEnd()) {
            waiting[job.info.kind].append(job.info.id);
            return;
        }
        job.info.lane = h->lane;
        Lane& lane = *lanes.at(h->lane);
        lane.queue.insert({int(job.info.priority), job.seq, job.info.id});
        lane.wake.notify_one();
    }

    void finish(Job& job, JobState state, const QString& error) {
        job.info.state = state;
        job.info.error = error;
        job.info.finishedAt = QDateTime::currentDateTimeUtc();
        if (state == JobState::Done) job.info.progress = 1.0;
        dirty.remove(job.info.id);
        persist(job, false);
        postFinished(job);
    }

    // --- worker side ---------------------------------------------------------------------------

    class Context;
    void work(Lane& lane);

    void markDirty(Job& job) {
        dirty.insert(job.info.id);
        if (dirtyPosted) return;
        dirtyPosted = true;
        post([this] { onDirty(); });
    }

    // --- UI thread -----------------------------------------------------------------------------

    void onDirty() {
        if (flushTimer->isActive()) return; // the timer's flush will pick it up
        flush();
    }

    void flush() {
        QList<JobInfo> updates;
        {
            std::lock_guard lock(mutex);
            dirtyPosted = false;
            const qint64 now = clock.elapsed();
            for (qint64 id : std::as_const(dirty)) {
                auto it = jobs.find(id);
                if (it == jobs.end()) continue;
                Job& job = *it->second;
                updates.append(job.info);
                if (now - job.lastPersistMs >= kPersistProgressMs) {
                    job.lastPersistMs = now;
                    persist(job, false);
                }
            }
            dirty.clear();
        }
        for (const JobInfo& info : std::as_const(updates)) emit q->jobUpdated(info);
        if (!updates.isEmpty()) flushTimer->start(kProgressIntervalMs);
    }
};

// What a handler sees; lives on the lane's thread for one run.
class JobQueue::Private::Context final : public JobContext {
public:
    Context(JobQueue::Private& d, std::shared_ptr<Job> job)
        : d_(d), job_(std::move(job)), token_(job_->stop.get_token()), params_(job_->params) {}

    qint64 id() const override { return job_->info.id; }
    const QJsonObject& params() const override { return params_; }
    std::stop_token stopToken() const override { return token_; }

    void reportProgress(double fraction, const QString& message) override {
        std::lock_guard lock(d_.mutex);
        job_->info.progress = fraction > 1.0 ? 1.0 : fraction;
        if (!message.isNull()) job_->info.message = message;
        d_.markDirty(*job_);
    }

    void reportPreview(const QImage& preview) override {
        std::lock_guard lock(d_.mutex);
        job_->preview = preview;
        if (job_->previewPending) return; // the pending signal will carry the newest one
        job_->previewPending = true;
        auto job = job_;
        JobQueue::Private* d = &d_;
        d_.post([d, job] {
            QImage image;
            {
                std::lock_guard lock(d->mutex);
                image = std::exchange(job->preview, QImage());
                job->previewPending = false;
            }
            emit d->q->jobPreview(job->info.id, image);
        });
    }

    void setResult(const QJsonObject& result) override {
        std::lock_guard lock(d_.mutex);
        job_->result = result;
    }

private:
    JobQueue::Private& d_;
    std::shared_ptr<Job> job_;
    std::stop_token token_;
    const QJsonObject params_; // the immutable snapshot the handler reads without a lock
};

void JobQueue::Private::work(Lane& lane) {
    for (;;) {
        std::shared_ptr<Job> job;
        JobHandler fn;
        {
            std::unique_lock lock(mutex);
            lane.wake.wait(lock, [&] { return stopping || !lane.queue.empty(); });
            if (stopping) return;
            const Key key = *lane.queue.begin();
            lane.queue.erase(lane.queue.begin());
            job = jobs.at(std::get<2>(key));
            fn = handlers.value(job->info.kind).fn;
            job->info.state = JobState::Running;
            job->info.startedAt = QDateTime::currentDateTimeUtc();
            job->lastPersistMs = clock.elapsed();
            persist(*job, false);
            postUpdated(*job);
        }

        Context context(*this, job);
        JobState outcome = JobState::Done;
        QString error;
        try {
            fn(context);
        } catch (const std::exception& e) {
            outcome = JobState::Failed;
            error = QString::fromUtf8(e.what());
        } catch (...) {
            outcome = JobState::Failed;
            error = QStringLiteral("the job failed with an unknown error");
        }

        std::lock_guard lock(mutex);
        if (job->stop.stop_requested()) {
            // A stop the job obeyed: cancelled, or interrupted when the app is shutting down.
            outcome = stopping ? JobState::Interrupted : JobState::Cancelled;
            error.clear();
        }
        finish(*job, outcome, error);
    }
}

JobQueue::JobQueue(storage::StorageThread* store, QObject* parent)
    : QObject(parent), d(std::make_unique<Private>(this, store)) {
    registerRecordMetaTypes();
    d->flushTimer = new QTimer(this);
    d->flushTimer->setSingleShot(true);
    connect(d->flushTimer, &QTimer::timeout, this, [this] { d->flush(); });
}

JobQueue::~JobQueue() {
    {
        std::lock_guard lock(d->mutex);
        d->stopping = true;
        for (auto& [id, job] : d->jobs)
            if (job->info.state == JobState::Running) job->stop.request_stop();
        for (auto& [name, lane] : d->lanes) lane->wake.notify_all();
    }
    for (auto& [name, lane] : d->lanes)
        if (lane->thread.joinable()) lane->thread.join();
}

void JobQueue::registerHandler(const QString& kind, const QString& lane, JobHandler handler) {
    std::lock_guard lock(d->mutex);
    d->handlers.insert(kind, {lane, std::move(handler)});
    auto& slot = d->lanes[lane];
    if (!slot) {
        slot = std::make_unique<Private::Lane>();
        slot->name = lane;
        Private::Lane* l = slot.get();
        Private* p = d.get();
        slot->thread = std::thread([p, l] { p->work(*l); });
    }
    // Jobs that waited for this kind join the lane now.
    for (qint64 id : d->waiting.take(kind)) {
        auto& job = *d->jobs.at(id);
        if (job.info.state == JobState::Queued) d->enqueue(job);
    }
}

qint64 JobQueue::submit(const JobRequest& request) {
    auto job = std::make_shared<Private::Job>();
    job->info.id = d->nextId->fetch_add(1);
    job->info.kind = request.kind;
    job->info.title = request.title;
    job->info.priority = request.priority;
    job->info.state = JobState::Queued;
    job->info.createdAt = QDateTime::currentDateTimeUtc();
    job->params = request.params;

    std::lock_guard lock(d->mutex);
    job->seq = d->nextSeq++;
    if (auto h = d->handlers.constFind(request.kind); h != d->handlers.constEnd())
        job->info.lane = h->lane;
    d->jobs.emplace(job->info.id, job);
    d->persist(*job, true);
    JobInfo info = job->info;
    d->post([self = this, info] { emit self->jobAdded(info); });
    d->enqueue(*job);
    return job->info.id;
}

bool JobQueue::cancel(qint64 id) {
    std::lock_guard lock(d->mutex);
    auto it = d->jobs.find(id);
    if (it == d->jobs.end()) return false;
    Private::Job& job = *it->second;
    if (job.info.state == JobState::Running) {
        job.stop.request_stop();
        return true;
    }
    if (job.info.state != JobState::Queued) return false;
    if (auto lane = d->lanes.find(job.info.lane);
        lane != d->lanes.end() && d->handlers.contains(job.info.kind))
        lane->second->queue.erase({int(job.info.priority), job.seq, job.info.id});
    d->waiting[job.info.kind].removeOne(job.info.id);
    d->finish(job, JobState::Cancelled, {});
    return true;
}

QList<JobInfo> JobQueue::jobs() const {
    std::lock_guard lock(d->mutex);
    QList<JobInfo> out;
    out.reserve(qsizetype(d->jobs.size()));
    for (const auto& [id, job] : d->jobs) out.append(job->info);
    return out;
}

JobInfo JobQueue::job(qint64 id) const {
    std::lock_guard lock(d->mutex);
    auto it = d->jobs.find(id);
    return it == d->jobs.end() ? JobInfo{} : it->second->info;
}

QFuture<void> JobQueue::restore() {
    if (!d->store) return QtFuture::makeReadyFuture();
    using Restored = QList<QPair<qint64, storage::JobRecord>>;
    auto ids = d->rowIds;
    auto counter = d->nextId;
    // Finishes after the restored rows are in the queue (on this object's thread).
    auto applied = std::make_shared<QPromise<void>>();
    applied->start();
    QFuture<void> result = applied->future();
    auto rowsLoaded = d->store->run([ids, counter](storage::Database& db) {
            storage::JobStore store(db);
            store.markRunningInterrupted();
            // Finished jobs are history; keep a month of it.
            store.prune(QDateTime::currentDateTimeUtc().addDays(-30));
            Restored out;
            for (const storage::JobRecord& r : store.list()) {
                const qint64 id = counter->fetch_add(1);
                ids->insert(id, r.id);
                out.append({id, r});
            }
            return out;
    });
    storage::whenFinished(
        rowsLoaded, this,
        [this, applied](const Restored& rows) {
            QList<JobInfo> added;
            {
                std::lock_guard lock(d->mutex);
                for (const auto& [id, record] : rows) {
                    auto job = std::make_shared<Private::Job>();
                    job->info = fromRecord(record, id);
                    job->params = record.params;
                    job->result = record.result;
                    job->seq = d->nextSeq++;
                    d->jobs.emplace(id, job);
                    if (job->info.state == JobState::Queued) d->enqueue(*job);
                    added.append(job->info);
                }
            }
            for (const JobInfo& info : std::as_const(added)) emit jobAdded(info);
            applied->finish();
        },
        [applied](const std::exception& e) {
            applied->setException(std::make_exception_ptr(std::runtime_error(e.what())));
            applied->finish();
        });
    return result;
}

bool JobQueue::waitForIdle(int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    auto busy = [this] {
        std::lock_guard lock(d->mutex);
        for (const auto& [id, job] : d->jobs) {
            if (job->info.state == JobState::Running) return true;
            if (job->info.state == JobState::Queued && d->handlers.contains(job->info.kind))
                return true;
        }
        return false;
    };
    while (busy()) {
        if (timer.elapsed() > timeoutMs) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        QThread::msleep(1);
    }
    QCoreApplication::processEvents(); // deliver the last signals
    return true;
}

} // namespace atelier
