// StorageThread: work runs on its own thread in order, results and errors come back through
// QFuture continuations on the caller's thread, a damaged file is set aside with a notice.
#include "storage/conversation_store.hpp"
#include "storage/storage_thread.hpp"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace atelier::storage;

class StorageThreadTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

private slots:
    void runsOnItsOwnThreadInOrder() {
        StorageThread storage(dir_.filePath(QStringLiteral("t.sqlite3")));
        QThread* main = QThread::currentThread();
        QList<int> order;
        QList<QFuture<void>> futures;
        for (int i = 0; i < 20; ++i)
            futures.append(storage.run([&order, i, main](Database& db) {
                QVERIFY(QThread::currentThread() != main);
                ConversationStore(db).create(QStringLiteral("c%1").arg(i));
                order.append(i);
            }));
        auto count = storage.run([](Database& db) { return ConversationStore(db).list().size(); });
        count.waitForFinished();
        QCOMPARE(count.result(), 20);
        QCOMPARE(order.size(), 20);
        for (int i = 0; i < 20; ++i) QCOMPARE(order[i], i);
        QCOMPARE(storage.opened().result(), QString());
    }

    void continuationsArriveOnTheCallersThread() {
        StorageThread storage(dir_.filePath(QStringLiteral("c.sqlite3")));
        QObject context;
        QThread* seenOn = nullptr;
        qint64 id = 0;
        bool done = false;
        storage
            .run([](Database& db) { return ConversationStore(db).create(QStringLiteral("x")).id; })
            .then(&context, [&](qint64 newId) {
                seenOn = QThread::currentThread();
                id = newId;
                done = true;
            });
        QTRY_VERIFY(done);
        QCOMPARE(seenOn, QThread::currentThread());
        QVERIFY(id > 0);
    }

    void errorsTravelInTheFuture() {
        StorageThread storage(dir_.filePath(QStringLiteral("e.sqlite3")));
        QObject context;
        QString message;
        StorageErrorKind kind = StorageErrorKind::Internal;
        storage.run([](Database& db) { return ConversationStore(db).get(12345); })
            .then(&context, [](const ConversationRecord&) { QFAIL("no error"); })
            .onFailed(&context, [&](const StorageError& e) {
                message = e.message();
                kind = e.kind();
            });
        QTRY_VERIFY(!message.isEmpty());
        QCOMPARE(kind, StorageErrorKind::NotFound);
        QVERIFY(message.contains(QStringLiteral("12345")));
        // The thread keeps working after an error.
        auto ok = storage.run([](Database& db) { return db.schemaVersion(); });
        QCOMPARE(ok.result(), Database::latestVersion());
    }

    void damagedFileIsSetAsideWithANotice() {
        const QString path = dir_.filePath(QStringLiteral("damaged.sqlite3"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(8192, 'z'));
        }
        StorageThread storage(path);
        const QString notice = storage.opened().result();
        QVERIFY2(notice.contains(QStringLiteral("moved to")), qPrintable(notice));
        auto version = storage.run([](Database& db) { return db.schemaVersion(); });
        QCOMPARE(version.result(), Database::latestVersion());
        QCOMPARE(QDir(dir_.path())
                     .entryList({QStringLiteral("damaged.sqlite3.corrupt-*")}, QDir::Files)
                     .size(),
                 1);
    }

    void openFailureFailsEveryRun() {
        const QString path = dir_.filePath(QStringLiteral("folder.sqlite3"));
        QVERIFY(QDir().mkpath(path)); // a folder where the file should be
        StorageThread storage(path);
        try {
            storage.opened().waitForFinished();
            QFAIL("opened a folder");
        } catch (const StorageError& e) {
            QCOMPARE(e.kind(), StorageErrorKind::Io);
        }
        auto f = storage.run([](Database& db) { return db.schemaVersion(); });
        try {
            f.waitForFinished();
            QFAIL("ran on a database that never opened");
        } catch (const StorageError& e) {
            QVERIFY(e.message().contains(QStringLiteral("folder")));
        }
    }
};

QTEST_GUILESS_MAIN(StorageThreadTest)
#include "test_storage_thread.moc"
