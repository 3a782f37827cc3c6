// atelier-cli conversations: run the built program against a database the test fills and check
// list, show, both export formats and the error exits.
#include "storage/conversation_store.hpp"
#include "storage/message_store.hpp"
#include "tests/support/cli_run.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace atelier::storage;

namespace {

struct Result {
    int exitCode = -1;
    QString out;
    QString err;
};

Result runCli(const QStringList& args) {
    const auto r = atelier::testing::runCli(args, {}, 20000);
    return {r.exitCode, QString::fromUtf8(r.out), QString::fromUtf8(r.err)};
}

} // namespace

class CliConversationsTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString db_;
    qint64 id_ = 0;
    qint64 question_ = 0;

private slots:
    void initTestCase() {
        db_ = dir_.filePath(QStringLiteral("cli.sqlite3"));
        Database db = Database::open(db_);
        ConversationStore conversations(db);
        MessageStore messages(db);
        conversations.create(QStringLiteral("Another one"));
        const auto c = conversations.create(QStringLiteral("Café planning ☕"));
        id_ = c.id;
        conversations.setParams(id_, {{QStringLiteral("temperature"), 0.4}});
        question_ =
            messages
                .append({.conversationId = id_,
                         .role = QStringLiteral("user"),
                         .content = QStringLiteral("Where should we meet?\nSomewhere quiet.")})
                .id;
        messages.append({.conversationId = id_,
                         .parentId = question_,
                         .role = QStringLiteral("assistant"),
                         .content = QStringLiteral("Try the café on **Rua Augusta**."),
                         .stats = {{QStringLiteral("tokens"), 9}}});
    }

    void listsConversations() {
        const Result r = runCli(
            {QStringLiteral("conversations"), QStringLiteral("list"), QStringLiteral("--db"), db_});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("Café planning ☕")), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("Another one")));
        QVERIFY(r.out.contains(QStringLiteral("2 messages\tCafé")));
        QCOMPARE(r.out.count(QLatin1Char('\n')), 2);
        const Result filtered = runCli({QStringLiteral("conversations"), QStringLiteral("list"),
                                        QStringLiteral("--filter"), QStringLiteral("CAFÉ"),
                                        QStringLiteral("--db"), db_});
        QCOMPARE(filtered.out.count(QLatin1Char('\n')), 1);
    }

    void showsOneConversation() {
        const Result r = runCli({QStringLiteral("conversations"), QStringLiteral("show"),
                                 QString::number(id_), QStringLiteral("--db"), db_});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("Café planning ☕")));
        QVERIFY(r.out.contains(QStringLiteral("Somewhere quiet.")));
        QVERIFY(r.out.contains(QStringLiteral("Rua Augusta")));
        QVERIFY(r.out.contains(QStringLiteral("\"temperature\":0.4")));
    }

    void exportsMarkdown() {
        const Result r = runCli({QStringLiteral("conversations"), QStringLiteral("export"),
                                 QString::number(id_), QStringLiteral("--format"),
                                 QStringLiteral("markdown"), QStringLiteral("--db"), db_});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QStringLiteral("# Café planning ☕\n"
                                       "\n## User\n\nWhere should we meet?\nSomewhere quiet.\n"
                                       "\n## Assistant\n\nTry the café on **Rua Augusta**.\n"));
        QVERIFY(r.err.isEmpty());
    }

    void exportsJson() {
        const Result r =
            runCli({QStringLiteral("conversations"), QStringLiteral("export"), QString::number(id_),
                    QStringLiteral("--format=json"), QStringLiteral("--db"), db_});
        QCOMPARE(r.exitCode, 0);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonObject o = doc.object();
        QCOMPARE(o.value(QStringLiteral("id")).toInteger(), id_);
        QCOMPARE(o.value(QStringLiteral("title")).toString(), QStringLiteral("Café planning ☕"));
        QVERIFY(QDateTime::fromString(o.value(QStringLiteral("createdAt")).toString(),
                                      Qt::ISODateWithMs)
                    .isValid());
        QCOMPARE(o.value(QStringLiteral("params"))
                     .toObject()
                     .value(QStringLiteral("temperature"))
                     .toDouble(),
                 0.4);
        const QJsonArray messages = o.value(QStringLiteral("messages")).toArray();
        QCOMPARE(messages.size(), 2);
        const QJsonObject first = messages[0].toObject();
        const QJsonObject second = messages[1].toObject();
        QCOMPARE(first.value(QStringLiteral("role")).toString(), QStringLiteral("user"));
        QCOMPARE(first.value(QStringLiteral("content")).toString(),
                 QStringLiteral("Where should we meet?\nSomewhere quiet."));
        QVERIFY(first.value(QStringLiteral("parentId")).isNull());
        QCOMPARE(second.value(QStringLiteral("parentId")).toInteger(), question_);
        QCOMPARE(second.value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
        QCOMPARE(second.value(QStringLiteral("state")).toString(), QStringLiteral("complete"));
        QCOMPARE(second.value(QStringLiteral("stats"))
                     .toObject()
                     .value(QStringLiteral("tokens"))
                     .toInt(),
                 9);
    }

    void errorsGoToStderrWithNonZeroExit() {
        Result r = runCli({QStringLiteral("conversations"), QStringLiteral("export"),
                           QStringLiteral("9999"), QStringLiteral("--format"),
                           QStringLiteral("json"), QStringLiteral("--db"), db_});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains(QStringLiteral("no conversation with id 9999")), qPrintable(r.err));

        r = runCli({QStringLiteral("conversations"), QStringLiteral("show"), QStringLiteral("9999"),
                    QStringLiteral("--db"), db_});
        QCOMPARE(r.exitCode, 1);

        r = runCli({QStringLiteral("conversations"), QStringLiteral("export"), QString::number(id_),
                    QStringLiteral("--format"), QStringLiteral("pdf"), QStringLiteral("--db"),
                    db_});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QStringLiteral("--format")));

        r = runCli({QStringLiteral("conversations"), QStringLiteral("show"), QStringLiteral("abc"),
                    QStringLiteral("--db"), db_});
        QCOMPARE(r.exitCode, 2);

        const QString missing = dir_.filePath(QStringLiteral("missing.sqlite3"));
        r = runCli({QStringLiteral("conversations"), QStringLiteral("list"), QStringLiteral("--db"),
                    missing});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(QStringLiteral("no database")));
        QVERIFY(!QFile::exists(missing)); // reading never creates a database
    }
};

QTEST_GUILESS_MAIN(CliConversationsTest)
#include "test_cli_conversations.moc"
