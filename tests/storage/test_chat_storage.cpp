// Schema 3 (003_chat.sql) and the store methods the chat uses: a conversation's model, system
// prompt and shown branch; a streaming reply's one-write update; ratings; replies left
// streaming marked interrupted; limits and unknown ids.
#include "storage/conversation_store.hpp"
#include "storage/message_store.hpp"

#include <QTemporaryDir>
#include <QTest>

using namespace atelier::storage;

class TestChatStorage : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void chatColumnsAndReplies() {
        Database db = Database::open(dir_.filePath(QStringLiteral("chat.sqlite3")));
        QVERIFY(db.schemaVersion() >= 3);
        ConversationStore conversations(db);
        MessageStore messages(db);
        const qint64 c = conversations.create(QStringLiteral("chat")).id;
        QCOMPARE(conversations.get(c).modelPath, QString());
        conversations.setModelPath(c, QStringLiteral("/models/a.gguf"));
        conversations.setSystemPrompt(c, QStringLiteral("be kind"));
        const auto user = messages.append(
            {.conversationId = c, .role = QStringLiteral("user"), .content = QStringLiteral("hi")});
        auto reply = messages.append({.conversationId = c,
                                      .parentId = user.id,
                                      .role = QStringLiteral("assistant"),
                                      .state = QStringLiteral("streaming")});
        conversations.setActiveMessage(c, reply.id);
        const auto got = conversations.get(c);
        QCOMPARE(got.modelPath, QStringLiteral("/models/a.gguf"));
        QCOMPARE(got.systemPrompt, QStringLiteral("be kind"));
        QCOMPARE(got.activeMessageId, reply.id);

        messages.updateReply(reply.id, QStringLiteral("hel"), QStringLiteral("streaming"), {});
        QCOMPARE(messages.markStreamingInterrupted(), 1);
        QCOMPARE(messages.get(reply.id).state, QStringLiteral("interrupted"));
        QCOMPARE(messages.get(reply.id).content, QStringLiteral("hel"));
        QCOMPARE(messages.markStreamingInterrupted(), 0);
        messages.updateReply(reply.id, QStringLiteral("hello"), QStringLiteral("complete"),
                             {{QStringLiteral("generatedTokens"), 2}});
        reply = messages.get(reply.id);
        QCOMPARE(reply.state, QStringLiteral("complete"));
        QCOMPARE(reply.stats.value(QLatin1String("generatedTokens")).toInt(), 2);
        QCOMPARE(messages.search(QStringLiteral("hello")).size(), 1); // FTS follows the update

        messages.setRating(reply.id, -1);
        QCOMPARE(messages.get(reply.id).rating, -1);
        QVERIFY_THROWS_EXCEPTION(StorageError, messages.setRating(reply.id, 2));
        QVERIFY_THROWS_EXCEPTION(StorageError, messages.setRating(99999, 1));
        QVERIFY_THROWS_EXCEPTION(StorageError,
                                 messages.updateReply(reply.id, {}, QStringLiteral("bogus"), {}));
        QVERIFY_THROWS_EXCEPTION(StorageError, conversations.setActiveMessage(c, 99999));
        QVERIFY_THROWS_EXCEPTION(StorageError, conversations.setModelPath(99999, {}));

        // Deleting the shown message clears it (ON DELETE SET NULL): the newest branch shows.
        messages.remove(reply.id);
        QCOMPARE(conversations.get(c).activeMessageId, 0);
        conversations.setActiveMessage(c, user.id);
        conversations.setActiveMessage(c, 0);
        QCOMPARE(conversations.get(c).activeMessageId, 0);
    }
};

QTEST_GUILESS_MAIN(TestChatStorage)
#include "test_chat_storage.moc"
