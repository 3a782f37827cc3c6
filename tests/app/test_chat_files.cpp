// Conversations in and out of files through ChatService: JSON export and import (the whole tree),
// Markdown of the branch on screen, preference pairs from rated regenerations, and search.
#include "chat_test_support.hpp"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace atelier;

class TestChatFiles : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    static QByteArray read(const QString& path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private slots:
    void exportImportPreferencesAndSearch() {
        chattest::Rig rig(dir_.filePath(QStringLiteral("files.sqlite3")));
        GenerationParams p;
        p.temperature = 1.5;
        p.maxNewTokens = 6;
        const qint64 id = rig.newConversation(p);
        rig.chat->setSystemPrompt(id, QStringLiteral("be brief"));
        rig.chat->send(id, QStringLiteral("zebras and giraffes"));
        const MessageInfo a = rig.nextReply();
        rig.chat->regenerate(a.id);
        const MessageInfo b = rig.nextReply();
        rig.chat->rate(a.id, 1);
        rig.chat->rate(b.id, -1);

        // Preference pairs: the prompt as messages, chosen vs rejected.
        const QString prefs = dir_.filePath(QStringLiteral("prefs.jsonl"));
        QSignalSpy exportedPrefs(rig.chat.get(), &ChatService::preferencesExported);
        rig.chat->exportPreferences(prefs);
        QTRY_VERIFY_WITH_TIMEOUT(!exportedPrefs.isEmpty(), 5000);
        QCOMPARE(exportedPrefs[0][1].toInt(), 1);
        const QList<QByteArray> lines = read(prefs).trimmed().split('\n');
        QCOMPARE(lines.size(), 1);
        const QJsonObject pair = QJsonDocument::fromJson(lines[0]).object();
        const QJsonArray prompt = pair[QLatin1String("prompt")].toArray();
        QCOMPARE(prompt.size(), 2);
        QCOMPARE(prompt[0][QLatin1String("role")].toString(), QStringLiteral("system"));
        QCOMPARE(prompt[1][QLatin1String("content")].toString(),
                 QStringLiteral("zebras and giraffes"));
        QCOMPARE(pair[QLatin1String("chosen")][0][QLatin1String("content")].toString(), a.content);
        QCOMPARE(pair[QLatin1String("rejected")][0][QLatin1String("content")].toString(),
                 b.content);

        // JSON round trip: the same tree, ratings and parameters in a new conversation.
        const QString json = dir_.filePath(QStringLiteral("c.json"));
        QSignalSpy exported(rig.chat.get(), &ChatService::exported);
        rig.chat->exportConversation(id, QStringLiteral("json"), json);
        QTRY_VERIFY_WITH_TIMEOUT(!exported.isEmpty(), 5000);
        QSignalSpy imported(rig.chat.get(), &ChatService::imported);
        rig.chat->importConversation(json);
        QTRY_VERIFY_WITH_TIMEOUT(!imported.isEmpty(), 5000);
        const qint64 copy = imported[0][0].toLongLong();
        QVERIFY(copy != id);
        const auto original = rig.messages(id);
        const auto copied = rig.messages(copy);
        QCOMPARE(copied.size(), original.size());
        for (qsizetype i = 0; i < copied.size(); ++i) {
            QCOMPARE(copied[i].content, original[i].content);
            QCOMPARE(copied[i].rating, original[i].rating);
            QCOMPARE(copied[i].stats, original[i].stats);
        }
        QCOMPARE(copied[2].parentId, copied[0].id); // the regenerated reply is still a sibling
        const auto turns = rig.thread(copy);
        QCOMPARE(turns.size(), 2);
        QCOMPARE(turns[1].siblingCount, 2);

        // Markdown of the branch on screen; bad JSON is refused whole.
        const QString md = dir_.filePath(QStringLiteral("c.md"));
        rig.chat->exportConversation(id, QStringLiteral("markdown"), md);
        QTRY_COMPARE(exported.size(), 2);
        const QString text = QString::fromUtf8(read(md));
        QVERIFY(text.startsWith(QLatin1String("# test")));
        QVERIFY(text.contains(QLatin1String("zebras and giraffes")));
        QVERIFY(text.contains(b.content));
        QFile junk(dir_.filePath(QStringLiteral("junk.json")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("{\"format\": \"something else\"}");
        junk.close();
        QSignalSpy failed(rig.chat.get(), &ChatService::failed);
        rig.chat->importConversation(junk.fileName());
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 5000);
        QVERIFY(failed[0][0].toString().contains(QLatin1String("not an Atelier conversation")));

        // Search finds the message in both conversations.
        QSignalSpy results(rig.chat.get(), &ChatService::searchResults);
        rig.chat->search(QStringLiteral("giraff"));
        QTRY_VERIFY_WITH_TIMEOUT(!results.isEmpty(), 5000);
        const auto hits = results[0][1].value<QList<storage::MessageHit>>();
        QCOMPARE(hits.size(), 2);
        QVERIFY(hits[0].snippet.contains(QLatin1String("[giraffes]")));
    }
};

QTEST_GUILESS_MAIN(TestChatFiles)
#include "test_chat_files.moc"
