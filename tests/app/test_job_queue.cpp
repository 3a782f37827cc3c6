// JobQueue without persistence: ordering, priorities, lanes, states, cancellation latency,
// progress coalescing, and 1,000 jobs submitted from several threads.
#include "app/jobs/job_queue.hpp"

#include <QElapsedTimer>
#include <QHash>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

using namespace atelier;

namespace {

// A gate a handler can wait on until the test opens it.
class Gate {
public:
    void open() {
        std::lock_guard lock(m_);
        open_ = true;
        cv_.notify_all();
    }
    bool wait(std::stop_token stop, int ms = 5000) {
        std::unique_lock lock(m_);
        return cv_.wait_for(lock, std::chrono::milliseconds(ms),
                            [&] { return open_ || stop.stop_requested(); });
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    bool open_ = false;
};

} // namespace

class JobQueueTest : public QObject {
    Q_OBJECT

private slots:
    void runsByPriorityThenArrival() {
        JobQueue queue(nullptr);
        Gate gate;
        std::mutex m;
        QStringList ran;
        queue.registerHandler(QStringLiteral("gate"), QStringLiteral("cpu"),
                              [&](JobContext& c) { gate.wait(c.stopToken()); });
        queue.registerHandler(QStringLiteral("record"), QStringLiteral("cpu"), [&](JobContext& c) {
            std::lock_guard lock(m);
            ran << c.params().value(QStringLiteral("name")).toString();
        });
        const qint64 g = queue.submit({QStringLiteral("gate"), QStringLiteral("gate")});
        QTRY_COMPARE(queue.job(g).state, JobState::Running);
        auto add = [&](const char* name, JobPriority p) {
            queue.submit({QStringLiteral("record"),
                          QString::fromLatin1(name),
                          p,
                          {{QStringLiteral("name"), QString::fromLatin1(name)}}});
        };
        add("batch1", JobPriority::Batch);
        add("normal1", JobPriority::Normal);
        add("chat1", JobPriority::Interactive);
        add("batch2", JobPriority::Batch);
        add("normal2", JobPriority::Normal);
        add("chat2", JobPriority::Interactive);
        gate.open();
        QVERIFY(queue.waitForIdle(5000));
        QCOMPARE(ran, (QStringList{"chat1", "chat2", "normal1", "normal2", "batch1", "batch2"}));
    }

    void statesResultsAndSignalsOnTheUiThread() {
        JobQueue queue(nullptr);
        queue.registerHandler(QStringLiteral("ok"), QStringLiteral("cpu"), [](JobContext& c) {
            c.reportProgress(0.5, QStringLiteral("half"));
            c.setResult(
                {{QStringLiteral("answer"), c.params().value(QStringLiteral("x")).toInt() * 2}});
        });
        queue.registerHandler(QStringLiteral("bad"), QStringLiteral("cpu"), [](JobContext&) {
            throw std::runtime_error("model.gguf: truncated file");
        });
        QThread* ui = QThread::currentThread();
        bool allOnUi = true;
        QList<JobState> seen;
        QHash<qint64, QJsonObject> results;
        QHash<qint64, JobInfo> finished;
        connect(&queue, &JobQueue::jobAdded, this, [&](const JobInfo& j) {
            allOnUi &= QThread::currentThread() == ui;
            QCOMPARE(j.state, JobState::Queued);
        });
        connect(&queue, &JobQueue::jobUpdated, this, [&](const JobInfo& j) {
            allOnUi &= QThread::currentThread() == ui;
            seen << j.state;
        });
        connect(&queue, &JobQueue::jobFinished, this, [&](const JobInfo& j, const QJsonObject& r) {
            allOnUi &= QThread::currentThread() == ui;
            results.insert(j.id, r);
            finished.insert(j.id, j);
        });
        const qint64 ok = queue.submit({QStringLiteral("ok"),
                                        QStringLiteral("double"),
                                        JobPriority::Normal,
                                        {{QStringLiteral("x"), 21}}});
        const qint64 bad = queue.submit({QStringLiteral("bad"), QStringLiteral("fail")});
        QVERIFY(queue.waitForIdle(5000));
        QTRY_COMPARE(finished.size(), 2);
        QVERIFY(allOnUi);
        QCOMPARE(finished[ok].state, JobState::Done);
        QCOMPARE(finished[ok].progress, 1.0);
        QVERIFY(finished[ok].startedAt.isValid() && finished[ok].finishedAt.isValid());
        QCOMPARE(results[ok].value(QStringLiteral("answer")).toInt(), 42);
        QCOMPARE(finished[bad].state, JobState::Failed);
        QCOMPARE(finished[bad].error, QStringLiteral("model.gguf: truncated file"));
        QVERIFY(seen.contains(JobState::Running));
        QCOMPARE(queue.jobs().size(), 2);
        QCOMPARE(jobStateName(queue.job(bad).state), QStringLiteral("failed"));
        QCOMPARE(queue.job(12345).id, 0);
    }

    void jobsWaitForTheirHandler() {
        JobQueue queue(nullptr);
        const qint64 id = queue.submit({QStringLiteral("later"), QStringLiteral("waits")});
        QTest::qWait(50);
        QCOMPARE(queue.job(id).state, JobState::Queued);
        std::atomic<int> runs{0};
        queue.registerHandler(QStringLiteral("later"), QStringLiteral("cpu"),
                              [&](JobContext&) { ++runs; });
        QVERIFY(queue.waitForIdle(5000));
        QCOMPARE(queue.job(id).state, JobState::Done);
        QCOMPARE(queue.job(id).lane, QStringLiteral("cpu"));
        QCOMPARE(runs.load(), 1);
    }

    void lanesRunSideBySide() {
        JobQueue queue(nullptr);
        Gate otherLaneRan;
        std::atomic<bool> sawOther{false};
        queue.registerHandler(QStringLiteral("llm"), QStringLiteral("llm"), [&](JobContext& c) {
            sawOther = otherLaneRan.wait(c.stopToken(), 3000);
        });
        queue.registerHandler(QStringLiteral("img"), QStringLiteral("diffusion"),
                              [&](JobContext&) { otherLaneRan.open(); });
        queue.submit({QStringLiteral("llm"), QStringLiteral("reply")});
        queue.submit({QStringLiteral("img"), QStringLiteral("image")});
        QVERIFY(queue.waitForIdle(5000));
        QVERIFY(sawOther.load()); // the llm job was still running when the image job ran
    }

    void cancelQueuedAndRunning() {
        JobQueue queue(nullptr);
        std::atomic<int> ran{0};
        queue.registerHandler(QStringLiteral("spin"), QStringLiteral("cpu"), [&](JobContext& c) {
            ++ran;
            while (!c.stopRequested()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        });
        QElapsedTimer clock;
        qint64 latencyMs = -1;
        qint64 cancelledAt = 0;
        const qint64 running = queue.submit({QStringLiteral("spin"), QStringLiteral("a")});
        const qint64 queued = queue.submit({QStringLiteral("spin"), QStringLiteral("b")});
        connect(&queue, &JobQueue::jobFinished, this, [&](const JobInfo& j, const QJsonObject&) {
            if (j.id == running) latencyMs = clock.elapsed() - cancelledAt;
        });
        QTRY_COMPARE(queue.job(running).state, JobState::Running);
        QVERIFY(queue.cancel(queued));
        QCOMPARE(queue.job(queued).state, JobState::Cancelled); // at once
        clock.start();
        cancelledAt = clock.elapsed();
        QVERIFY(queue.cancel(running));
        QTRY_VERIFY(latencyMs >= 0);
        QCOMPARE(queue.job(running).state, JobState::Cancelled);
        qInfo("cancellation latency: %lld ms", latencyMs);
        QVERIFY2(latencyMs < 200, qPrintable(QString::number(latencyMs)));
        QVERIFY(queue.waitForIdle(1000));
        QCOMPARE(ran.load(), 1);         // the queued one never started
        QVERIFY(!queue.cancel(running)); // finished jobs cannot be cancelled
        QVERIFY(!queue.cancel(999));
    }

    void progressIsCoalesced() {
        JobQueue queue(nullptr);
        queue.registerHandler(QStringLiteral("busy"), QStringLiteral("cpu"), [](JobContext& c) {
            QElapsedTimer t;
            t.start();
            int i = 0;
            while (t.elapsed() < 400) {
                c.reportProgress(double(t.elapsed()) / 400.0, QStringLiteral("step %1").arg(++i));
                std::this_thread::sleep_for(std::chrono::microseconds(50));
            }
            c.reportPreview(QImage(4, 4, QImage::Format_RGB32));
        });
        int updates = 0;
        int previews = 0;
        double lastRunningProgress = -1;
        const qint64 id = queue.submit({QStringLiteral("busy"), QStringLiteral("busy")});
        connect(&queue, &JobQueue::jobUpdated, this, [&](const JobInfo& j) {
            if (j.id != id) return;
            ++updates;
            if (j.state == JobState::Running) {
                QVERIFY(j.progress >= lastRunningProgress); // never goes backwards
                lastRunningProgress = j.progress;
            }
        });
        connect(&queue, &JobQueue::jobPreview, this,
                [&](qint64, const QImage& image) { previews += image.width() == 4 ? 1 : 0; });
        QVERIFY(queue.waitForIdle(5000));
        QTRY_COMPARE(previews, 1);
        qInfo("%d jobUpdated signals for ~400 ms of progress", updates);
        // ~30 a second at most, plus the running and finished transitions.
        QVERIFY2(updates <= 20, qPrintable(QString::number(updates)));
        QVERIFY(updates >= 3);
        QVERIFY(lastRunningProgress > 0.5);
        QCOMPARE(queue.job(id).progress, 1.0);
    }

    void thousandJobsFromSeveralThreads() {
        JobQueue queue(nullptr);
        std::mutex m;
        QHash<qint64, int> runs;
        auto handler = [&](JobContext& c) {
            std::lock_guard lock(m);
            ++runs[c.id()];
        };
        queue.registerHandler(QStringLiteral("a"), QStringLiteral("lane-a"), handler);
        queue.registerHandler(QStringLiteral("b"), QStringLiteral("lane-b"), handler);
        QHash<qint64, int> finished;
        connect(&queue, &JobQueue::jobFinished, this,
                [&](const JobInfo& j, const QJsonObject&) { ++finished[j.id]; });
        constexpr int kThreads = 4;
        constexpr int kPerThread = 250;
        std::vector<std::thread> threads;
        std::mutex idsMutex;
        QList<qint64> ids;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < kPerThread; ++i) {
                    const qint64 id =
                        queue.submit({(i + t) % 2 ? QStringLiteral("a") : QStringLiteral("b"),
                                      QStringLiteral("job"), JobPriority((i + t) % 3)});
                    std::lock_guard lock(idsMutex);
                    ids << id;
                }
            });
        for (auto& t : threads) t.join();
        QVERIFY(queue.waitForIdle(30000));
        QTRY_COMPARE(finished.size(), kThreads * kPerThread);
        QCOMPARE(QSet<qint64>(ids.begin(), ids.end()).size(), kThreads * kPerThread);
        QCOMPARE(runs.size(), kThreads * kPerThread);
        for (qint64 id : ids) {
            QCOMPARE(runs.value(id), 1);
            QCOMPARE(finished.value(id), 1);
            QCOMPARE(queue.job(id).state, JobState::Done);
        }
    }
};

QTEST_GUILESS_MAIN(JobQueueTest)
#include "test_job_queue.moc"
