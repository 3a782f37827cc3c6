// JobQueue with a database: every job is recorded; after a restart queued jobs come back queued
// (and run), a job that was running comes back interrupted, finished ones are listed.
#include "app/jobs/job_queue.hpp"
#include "storage/job_store.hpp"
#include "storage/storage_thread.hpp"

#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <thread>

using namespace atelier;
using storage::Database;
using storage::JobStore;
using storage::StorageThread;

namespace {

QList<storage::JobRecord> rows(const QString& path) {
    Database db = Database::open(path);
    return JobStore(db).list();
}

JobInfo byTitle(const QList<JobInfo>& jobs, const QString& title) {
    for (const JobInfo& j : jobs)
        if (j.title == title) return j;
    return {};
}

void spinUntilStopped(JobContext& c) {
    c.reportProgress(0.25, QStringLiteral("working"));
    while (!c.stopRequested()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

} // namespace

class JobPersistenceTest : public QObject {
    Q_OBJECT

private slots:
    void queuedAndRunningJobsSurviveARestart() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("jobs.sqlite3"));
        {
            StorageThread storage(path);
            JobQueue queue(&storage);
            auto restored = queue.restore(); // an empty database: nothing to bring back
            QTRY_VERIFY(restored.isFinished());
            QCOMPARE(queue.jobs().size(), 0);
            queue.registerHandler(QStringLiteral("spin"), QStringLiteral("cpu"), spinUntilStopped);
            queue.registerHandler(QStringLiteral("quick"), QStringLiteral("cpu"),
                                  [](JobContext& c) {
                                      c.setResult({{QStringLiteral("ok"), true}});
                                  });
            const qint64 done = queue.submit({QStringLiteral("quick"), QStringLiteral("done")});
            QVERIFY(queue.waitForIdle(5000));
            QCOMPARE(queue.job(done).state, JobState::Done);
            const qint64 running =
                queue.submit({QStringLiteral("spin"), QStringLiteral("running")});
            QTRY_COMPARE(queue.job(running).state, JobState::Running);
            queue.submit({QStringLiteral("quick"),
                          QStringLiteral("queued batch"),
                          JobPriority::Batch,
                          {{QStringLiteral("n"), 7}}});
            queue.submit(
                {QStringLiteral("quick"), QStringLiteral("queued chat"), JobPriority::Interactive});
            // The app quits here: the queue and then the storage thread go away.
        }
        const auto stored = rows(path);
        QCOMPARE(stored.size(), 4);

        // Next start.
        StorageThread storage(path);
        JobQueue queue(&storage);
        QList<JobInfo> added;
        connect(&queue, &JobQueue::jobAdded, this, [&](const JobInfo& j) { added << j; });
        auto restored = queue.restore();
        QTRY_VERIFY(restored.isFinished());
        QCOMPARE(added.size(), 4);
        const QList<JobInfo> jobs = queue.jobs();
        QCOMPARE(byTitle(jobs, QStringLiteral("done")).state, JobState::Done);
        QCOMPARE(byTitle(jobs, QStringLiteral("running")).state, JobState::Interrupted);
        QVERIFY(byTitle(jobs, QStringLiteral("running")).finishedAt.isValid());
        QCOMPARE(byTitle(jobs, QStringLiteral("queued batch")).state, JobState::Queued);
        QCOMPARE(byTitle(jobs, QStringLiteral("queued chat")).state, JobState::Queued);
        QCOMPARE(byTitle(jobs, QStringLiteral("queued chat")).priority, JobPriority::Interactive);

        // With a handler they run now, the interactive one first, with their saved params.
        QStringList order;
        int n = 0;
        queue.registerHandler(QStringLiteral("quick"), QStringLiteral("cpu"), [&](JobContext& c) {
            order << c.params().value(QStringLiteral("n")).toVariant().toString();
            n += c.params().value(QStringLiteral("n")).toInt();
        });
        QVERIFY(queue.waitForIdle(5000));
        QCOMPARE(n, 7);
        QCOMPARE(order, (QStringList{QString(), QStringLiteral("7")}));
        QCOMPARE(byTitle(queue.jobs(), QStringLiteral("queued batch")).state, JobState::Done);
    }

    void aCrashWhileRunningReadsAsInterrupted() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("crash.sqlite3"));
        {
            // What a killed app leaves behind: a row still marked running.
            Database db = Database::open(path);
            storage::JobRecord r{.kind = QStringLiteral("chat.reply"),
                                 .title = QStringLiteral("reply"),
                                 .lane = QStringLiteral("llm"),
                                 .state = QStringLiteral("running")};
            r.startedAt = QDateTime::currentDateTimeUtc();
            JobStore(db).insert(r);
        }
        StorageThread storage(path);
        JobQueue queue(&storage);
        auto restored = queue.restore();
        QTRY_VERIFY(restored.isFinished());
        QCOMPARE(queue.jobs().size(), 1);
        QCOMPARE(queue.jobs().first().state, JobState::Interrupted);
        QCOMPARE(rows(path).first().state, QStringLiteral("interrupted"));
    }

    void everyTransitionIsRecorded() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("record.sqlite3"));
        {
            StorageThread storage(path);
            JobQueue queue(&storage);
            queue.registerHandler(QStringLiteral("ok"), QStringLiteral("cpu"), [](JobContext& c) {
                c.setResult({{QStringLiteral("tokens"), 12}});
            });
            queue.registerHandler(QStringLiteral("bad"), QStringLiteral("cpu"), [](JobContext&) {
                throw std::runtime_error("out of memory while loading");
            });
            queue.registerHandler(QStringLiteral("spin"), QStringLiteral("cpu"), spinUntilStopped);
            queue.submit({QStringLiteral("ok"), QStringLiteral("ok")});
            queue.submit({QStringLiteral("bad"), QStringLiteral("bad")});
            const qint64 spin = queue.submit({QStringLiteral("spin"), QStringLiteral("spin")});
            QTRY_COMPARE(queue.job(spin).state, JobState::Running);
            queue.cancel(spin);
            QVERIFY(queue.waitForIdle(5000));
        }
        const auto stored = rows(path);
        QCOMPARE(stored.size(), 3);
        QCOMPARE(stored[0].state, QStringLiteral("done"));
        QCOMPARE(stored[0].result.value(QStringLiteral("tokens")).toInt(), 12);
        QCOMPARE(stored[0].progress, 1.0);
        QCOMPARE(stored[1].state, QStringLiteral("failed"));
        QCOMPARE(stored[1].error, QStringLiteral("out of memory while loading"));
        QCOMPARE(stored[2].state, QStringLiteral("cancelled"));
        for (const auto& r : stored) {
            QVERIFY(r.startedAt.isValid());
            QVERIFY(r.finishedAt.isValid());
            QCOMPARE(r.lane, QStringLiteral("cpu"));
        }
    }

    void thousandJobsFromSeveralThreadsAreAllRecorded() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("many.sqlite3"));
        constexpr int kThreads = 4;
        constexpr int kPerThread = 250;
        std::atomic<int> runs{0};
        {
            StorageThread storage(path);
            JobQueue queue(&storage);
            queue.registerHandler(QStringLiteral("n"), QStringLiteral("cpu"),
                                  [&](JobContext&) { ++runs; });
            std::vector<std::thread> threads;
            for (int t = 0; t < kThreads; ++t)
                threads.emplace_back([&] {
                    for (int i = 0; i < kPerThread; ++i)
                        queue.submit({QStringLiteral("n"), QStringLiteral("job %1").arg(i),
                                      JobPriority(i % 3)});
                });
            for (auto& t : threads) t.join();
            QVERIFY(queue.waitForIdle(30000));
        }
        QCOMPARE(runs.load(), kThreads * kPerThread);
        const auto stored = rows(path);
        QCOMPARE(stored.size(), kThreads * kPerThread);
        for (const auto& r : stored) QCOMPARE(r.state, QStringLiteral("done"));
    }
};

QTEST_GUILESS_MAIN(JobPersistenceTest)
#include "test_job_persistence.moc"
