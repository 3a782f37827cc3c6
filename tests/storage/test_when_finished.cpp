// whenFinished delivers results and errors of storage work on the caller's thread, exactly once,
// and never after its context object is gone.
#include "storage/database.hpp"
#include "storage/storage_error.hpp"
#include "storage/storage_thread.hpp"
#include "storage/when_finished.hpp"

#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <stdexcept>

using namespace atelier::storage;

class TestWhenFinished : public QObject {
    Q_OBJECT

private slots:
    void deliversValuesOnTheCallersThreadExactlyOnce() {
        QTemporaryDir dir;
        StorageThread storage(dir.filePath(QStringLiteral("w.sqlite3")));
        QObject context;
        int calls = 0;
        int sum = 0;
        // Many short tasks finish while their callbacks are being attached: the race that
        // QFuture::then(context, ...) loses in Qt 6.4.
        for (int i = 0; i < 500; ++i) {
            whenFinished(storage.run([i](Database&) { return i; }), &context, [&](int v) {
                QCOMPARE(QThread::currentThread(), context.thread());
                ++calls;
                sum += v;
            });
        }
        QTRY_COMPARE(calls, 500);
        QCOMPARE(sum, 499 * 500 / 2);
        QTest::qWait(50);
        QCOMPARE(calls, 500);
    }

    void deliversErrorsOfVoidAndValueWork() {
        QTemporaryDir dir;
        StorageThread storage(dir.filePath(QStringLiteral("w.sqlite3")));
        QObject context;
        QString voidError;
        QString valueError;
        bool doneCalled = false;
        whenFinished(
            storage.run([](Database&) { throw std::runtime_error("void work failed"); }), &context,
            [&] { doneCalled = true; },
            [&](const std::exception& e) { voidError = QString::fromUtf8(e.what()); });
        whenFinished(
            storage.run([](Database&) -> int { throw std::runtime_error("value work failed"); }),
            &context, [&](int) { doneCalled = true; },
            [&](const std::exception& e) { valueError = QString::fromUtf8(e.what()); });
        QTRY_COMPARE(voidError, QStringLiteral("void work failed"));
        QTRY_COMPARE(valueError, QStringLiteral("value work failed"));
        QVERIFY(!doneCalled);
    }

    void nothingArrivesAfterTheContextIsGone() {
        QTemporaryDir dir;
        StorageThread storage(dir.filePath(QStringLiteral("w.sqlite3")));
        bool called = false;
        {
            QObject context;
            whenFinished(storage.run([](Database&) {
                QThread::msleep(100);
                return 1;
            }),
                         &context, [&](int) { called = true; });
        }
        QTest::qWait(300);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestWhenFinished)
#include "test_when_finished.moc"
