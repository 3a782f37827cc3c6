// atelier-cli chat --message as a child process: it adds to a conversation of the app's database
// that ConversationService then sees; and the crash test: a child streaming a reply is killed
// with SIGKILL, the partial reply it saved survives and is marked interrupted at the next start.
#include "app/services/conversation_service.hpp"
#include "chat_test_support.hpp"
#include "storage/database.hpp"
#include "tests/support/cli_run.hpp"

#include <QProcess>
#include <QRegularExpression>
#include <csignal>

using namespace atelier;

namespace {

struct Run {
    int exitCode = -1;
    QString out, err;
};

Run cli(const QStringList& args) {
    const auto r = atelier::testing::runCli(args);
    return {r.exitCode, QString::fromUtf8(r.out), QString::fromUtf8(r.err)};
}

qint64 conversationIdIn(const QString& err) {
    static const QRegularExpression re(QStringLiteral("^conversation (\\d+)$"),
                                       QRegularExpression::MultilineOption);
    const auto m = re.match(err);
    return m.hasMatch() ? m.captured(1).toLongLong() : 0;
}

} // namespace

class TestChatCli : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void messageAddsToTheConversationTheAppSees() {
        const QString db = dir_.filePath(QStringLiteral("cli.sqlite3"));
        const QString model = chattest::fixtureModel();
        const Run first = cli({QStringLiteral("chat"), QStringLiteral("-m"), model,
                               QStringLiteral("--message"), QStringLiteral("hello there"),
                               QStringLiteral("--db"), db, QStringLiteral("--temp"),
                               QStringLiteral("0"), QStringLiteral("-n"), QStringLiteral("8")});
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        const qint64 id = conversationIdIn(first.err);
        QVERIFY2(id > 0, qPrintable(first.err));
        QVERIFY(!first.out.trimmed().isEmpty());

        const Run second =
            cli({QStringLiteral("chat"), QStringLiteral("-m"), model, QStringLiteral("--message"),
                 QStringLiteral("and again"), QStringLiteral("--conversation"), QString::number(id),
                 QStringLiteral("--db"), db, QStringLiteral("--seed"), QStringLiteral("7"),
                 QStringLiteral("--top-p"), QStringLiteral("0.9"), QStringLiteral("-n"),
                 QStringLiteral("8")});
        QVERIFY2(second.exitCode == 0, qPrintable(second.err));
        QCOMPARE(conversationIdIn(second.err), id);

        storage::StorageThread storage(db);
        ConversationService conversations(storage);
        QSignalSpy loaded(&conversations, &ConversationService::messagesLoaded);
        conversations.loadMessages(id);
        QVERIFY(loaded.wait(5000));
        const auto messages = loaded[0][1].value<QList<MessageInfo>>();
        QCOMPARE(messages.size(), 4);
        QCOMPARE(messages[0].content, QStringLiteral("hello there"));
        QCOMPARE(messages[1].role, QStringLiteral("assistant"));
        QCOMPARE(messages[1].content.trimmed(), first.out.trimmed());
        QCOMPARE(messages[2].content, QStringLiteral("and again"));
        QCOMPARE(messages[2].parentId, messages[1].id); // the same branch, continued
        QCOMPARE(messages[3].state, QStringLiteral("complete"));
        QCOMPARE(messages[3].params.value(QLatin1String("seed")).toInteger(), 7);
        QCOMPARE(messages[3].params.value(QLatin1String("topP")).toDouble(), 0.9);

        // Usage errors exit with 2.
        QCOMPARE(cli({QStringLiteral("chat"), QStringLiteral("-m"), model,
                      QStringLiteral("--message"), QString(), QStringLiteral("--db"), db})
                     .exitCode,
                 2);
        QCOMPARE(
            cli({QStringLiteral("chat"), QStringLiteral("-m"), model, QStringLiteral("--message"),
                 QStringLiteral("x"), QStringLiteral("--conversation"), QStringLiteral("999"),
                 QStringLiteral("--db"), db})
                .exitCode,
            1);
    }

    void aReplyKilledMidStreamSurvivesAsInterrupted() {
        const QString db = dir_.filePath(QStringLiteral("crash.sqlite3"));
        QProcess child;
        child.start(QStringLiteral(ATELIER_CLI),
                    {QStringLiteral("chat"), QStringLiteral("-m"), chattest::fixtureModel("llama"),
                     QStringLiteral("--message"), QStringLiteral("tell me a long story"),
                     QStringLiteral("--db"), db, QStringLiteral("--temp"), QStringLiteral("0"),
                     QStringLiteral("--ctx"), QStringLiteral("32768"), QStringLiteral("-n"),
                     QStringLiteral("30000")});
        QVERIFY(child.waitForStarted());

        // Watch the database (a reader beside the child's writer) for a saved partial reply.
        // The tiny llama never ends its greedy reply and, at a few thousand tokens per second,
        // 30,000 tokens over a growing context last well past the first save (once a second).
        QString seen;
        QElapsedTimer t;
        t.start();
        while (seen.isEmpty() && t.elapsed() < 30000 && child.state() == QProcess::Running) {
            child.waitForFinished(50); // also notices the child ending early
            if (!QFileInfo::exists(db)) continue;
            try {
                auto reader = storage::Database::open(db, {.create = false, .quickCheck = false});
                QSqlQuery q = reader.prepare(QStringLiteral(
                    "SELECT content FROM messages WHERE role = 'assistant' AND state = "
                    "'streaming' AND content != ''"));
                reader.exec(q);
                if (q.next()) seen = q.value(0).toString();
            } catch (const storage::StorageError&) { // not created yet, or busy: look again
            }
        }
        QVERIFY2(!seen.isEmpty(), "the child never saved a partial reply");
        ::kill(pid_t(child.processId()), SIGKILL);
        QVERIFY(child.waitForFinished(5000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        chattest::Rig rig(db);
        QSignalSpy recovered(rig.chat.get(), &ChatService::interruptedRecovered);
        rig.chat->recoverInterrupted();
        QVERIFY(recovered.wait(5000));
        QCOMPARE(recovered[0][0].toInt(), 1);
        const auto messages = rig.messages(1);
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages[1].state, QStringLiteral("interrupted"));
        QVERIFY(messages[1].content.startsWith(seen)); // at least what was seen survives
        const auto check = chattest::wait(rig.storage->run([](storage::Database& d) {
            return d.scalar(QStringLiteral("PRAGMA integrity_check")).toString();
        }));
        QCOMPARE(check, QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestChatCli)
#include "test_chat_cli.moc"
