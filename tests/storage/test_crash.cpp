// A child writing to the database is killed with SIGKILL in the middle of its stream of commits;
// afterwards the file passes PRAGMA integrity_check and every id the child reported is there.
#include "storage/conversation_store.hpp"
#include "storage/message_store.hpp"

#include <QElapsedTimer>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace atelier::storage;

class CrashTest : public QObject {
    Q_OBJECT

private slots:
    void sigkillKeepsEveryCommittedRow_data() {
        QTest::addColumn<int>("killAfter");
        QTest::newRow("early") << 5;
        QTest::newRow("later") << 150;
        QTest::newRow("much later") << 400;
    }

    void sigkillKeepsEveryCommittedRow() {
        QFETCH(int, killAfter);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("crash.sqlite3"));
        qint64 conversation = 0;
        {
            Database db = Database::open(path);
            conversation = ConversationStore(db).create(QStringLiteral("crash")).id;
        }

        QProcess child;
        child.setProgram(QStringLiteral(CRASH_WRITER));
        child.setArguments({path, QString::number(conversation)});
        child.start();
        QVERIFY2(child.waitForStarted(5000), qPrintable(child.errorString()));

        QSet<qint64> reported;
        QByteArray pending;
        QElapsedTimer clock;
        clock.start();
        while (reported.size() < killAfter && clock.elapsed() < 20000) {
            if (!child.waitForReadyRead(1000) && child.state() != QProcess::Running) break;
            pending += child.readAllStandardOutput();
            qsizetype nl;
            while ((nl = pending.indexOf('\n')) >= 0) {
                reported.insert(pending.left(nl).toLongLong());
                pending.remove(0, nl + 1);
            }
        }
        QVERIFY2(child.state() == QProcess::Running, child.readAllStandardError().constData());
        ::kill(pid_t(child.processId()), SIGKILL);
        QVERIFY(child.waitForFinished(5000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        // Ids printed after the last read but before the kill were committed too.
        pending += child.readAllStandardOutput();
        const QList<QByteArray> lines = pending.split('\n');
        for (qsizetype i = 0; i + 1 < lines.size(); ++i) // the last piece may be cut short
            reported.insert(lines[i].toLongLong());
        QVERIFY(reported.size() >= killAfter);

        Database db = Database::open(path); // runs quick_check itself
        QCOMPARE(db.scalar(QStringLiteral("PRAGMA integrity_check")).toString(),
                 QStringLiteral("ok"));
        QSet<qint64> present;
        for (const auto& m : MessageStore(db).listFor(conversation)) {
            present.insert(m.id);
            // A message and its stats were one transaction: never one without the other.
            QVERIFY(m.stats.contains(QStringLiteral("n")));
        }
        for (qint64 id : reported) QVERIFY2(present.contains(id), qPrintable(QString::number(id)));
        QVERIFY(present.size() >= reported.size());
    }
};

QTEST_GUILESS_MAIN(CrashTest)
#include "test_crash.moc"
