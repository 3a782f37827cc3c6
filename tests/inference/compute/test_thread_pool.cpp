// The CPU backend's thread pool: every task runs exactly once, thread indexes stay in range,
// and thousands of back-to-back small loops (a decode step's pattern) neither lose work nor
// deadlock.
#include "inference/compute/cpu/thread_pool.hpp"

#include <QTest>
#include <atomic>
#include <vector>

using atelier::compute::cpu::ThreadPool;

class TestThreadPool : public QObject {
    Q_OBJECT
private slots:
    void physicalCoresIsPositive() { QVERIFY(atelier::compute::cpu::physicalCoreCount() >= 1); }

    void everyTaskOnce_data() {
        QTest::addColumn<int>("threads");
        QTest::newRow("1") << 1;
        QTest::newRow("2") << 2;
        QTest::newRow("5") << 5; // more threads than this machine has cores
    }
    void everyTaskOnce() {
        QFETCH(int, threads);
        ThreadPool pool(threads);
        QCOMPARE(pool.size(), threads);
        std::vector<std::atomic<int>> hits(1000);
        std::atomic<bool> badThread{false};
        pool.parallelFor(1000, [&](std::int64_t task, int thread) {
            hits[std::size_t(task)].fetch_add(1);
            if (thread < 0 || thread >= threads) badThread = true;
        });
        for (auto& h : hits) QCOMPARE(h.load(), 1);
        QVERIFY(!badThread);
    }

    void manySmallLoops() {
        ThreadPool pool(3);
        std::atomic<std::int64_t> sum{0};
        for (int loop = 0; loop < 2000; ++loop)
            pool.parallelFor(loop % 7, [&](std::int64_t task, int) { sum.fetch_add(task + 1); });
        std::int64_t want = 0;
        for (int loop = 0; loop < 2000; ++loop) want += std::int64_t(loop % 7) * (loop % 7 + 1) / 2;
        QCOMPARE(sum.load(), want);
    }
};

QTEST_APPLESS_MAIN(TestThreadPool)
#include "test_thread_pool.moc"
