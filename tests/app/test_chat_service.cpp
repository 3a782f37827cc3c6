// ChatService end to end on the tiny qwen2 fixture: a message is stored before generation, the
// reply streams and is stored with its statistics, temperature 0 repeats itself, stop is quick
// and keeps the partial reply, regenerate and edit make siblings that can be paged through,
// a follow-up turn reuses the KV cache, and replies left streaming become interrupted.
#include "chat_test_support.hpp"

#include <QElapsedTimer>

using namespace atelier;
using chattest::Rig;

namespace {
GenerationParams greedy(int maxNewTokens = 16) {
    GenerationParams p;
    p.temperature = 0.0;
    p.maxNewTokens = maxNewTokens;
    p.repeatPenalty = 1.0;
    return p;
}
} // namespace

class TestChatService : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    int n_ = 0;
    QString dbPath() { return dir_.filePath(QStringLiteral("chat%1.sqlite3").arg(++n_)); }

private slots:
    void sendStoresTheMessageFirstThenStreamsTheReply() {
        Rig rig(dbPath());
        const qint64 id = rig.newConversation(greedy(24));
        QSignalSpy added(rig.chat.get(), &ChatService::messageAdded);
        QSignalSpy started(rig.chat.get(), &ChatService::replyStarted);
        QSignalSpy progress(rig.chat.get(), &ChatService::replyProgress);
        rig.chat->send(id, QStringLiteral("hello world"));
        QVERIFY(started.wait(10000));
        QCOMPARE(added.size(), 1);
        QCOMPARE(added[0][1].value<MessageInfo>().content, QStringLiteral("hello world"));
        const MessageInfo placeholder = started[0][1].value<MessageInfo>();
        QCOMPARE(placeholder.state, QStringLiteral("streaming"));
        QCOMPARE(placeholder.parentId, added[0][1].value<MessageInfo>().id);

        const MessageInfo reply = rig.nextReply();
        QCOMPARE(reply.id, placeholder.id);
        QCOMPARE(reply.state, QStringLiteral("complete"));
        QVERIFY(!reply.content.isEmpty());
        QVERIFY(progress.size() >= 1);
        QCOMPARE(progress.last()[2].toString(), reply.content); // the last streamed text
        QVERIFY(reply.stats.value(QLatin1String("generatedTokens")).toInt() > 0);
        QVERIFY(reply.stats.contains(QLatin1String("ttftSeconds")));
        QVERIFY(reply.stats.contains(QLatin1String("tokensPerSecond")));
        QCOMPARE(reply.params.value(QLatin1String("temperature")).toDouble(), 0.0);

        const auto stored = rig.messages(id);
        QCOMPARE(stored.size(), 2);
        QCOMPARE(stored[0].role, QStringLiteral("user"));
        QCOMPARE(stored[1].content, reply.content);
        QCOMPARE(stored[1].state, QStringLiteral("complete"));
    }

    void temperatureZeroGivesTheSameReplyTwice() {
        Rig rig(dbPath());
        const qint64 a = rig.newConversation(greedy(20));
        const qint64 b = rig.newConversation(greedy(20));
        rig.chat->send(a, QStringLiteral("once upon a time"));
        const MessageInfo first = rig.nextReply();
        rig.chat->send(b, QStringLiteral("once upon a time"));
        const MessageInfo second = rig.nextReply();
        QVERIFY(!first.content.isEmpty());
        QCOMPARE(second.content, first.content);

        // A high temperature with random seeds wanders off.
        GenerationParams hot;
        hot.temperature = 2.0;
        hot.topK = 0;
        hot.topP = 1.0;
        hot.minP = 0.0;
        hot.maxNewTokens = 20;
        QSet<QString> replies;
        for (int i = 0; i < 3; ++i) {
            rig.chat->send(rig.newConversation(hot), QStringLiteral("once upon a time"));
            replies.insert(rig.nextReply().content);
        }
        QVERIFY2(replies.size() >= 2, "three hot replies were all the same");
    }

    void stopIsQuickAndKeepsThePartialReply() {
        Rig rig(dbPath(), 4096);
        GenerationParams long_ = greedy(4000);
        const qint64 id = rig.newConversation(long_);
        QSignalSpy progress(rig.chat.get(), &ChatService::replyProgress);
        QSignalSpy finished(rig.chat.get(), &ChatService::replyFinished);
        rig.chat->send(id, QStringLiteral("tell me a long story"));
        QVERIFY(progress.wait(30000));
        QVERIFY(rig.chat->isGenerating(id));
        QElapsedTimer t;
        t.start();
        rig.chat->stop(id);
        QVERIFY(finished.wait(5000));
        const qint64 latency = t.elapsed();
        qInfo("stop -> replyFinished: %lld ms", (long long)latency);
        QVERIFY2(latency < 500, qPrintable(QStringLiteral("stop took %1 ms").arg(latency)));
        const MessageInfo reply = finished[0][1].value<MessageInfo>();
        QCOMPARE(reply.state, QStringLiteral("complete"));
        QCOMPARE(reply.stats.value(QLatin1String("stopReason")).toString(),
                 QStringLiteral("cancelled"));
        QVERIFY(!reply.content.isEmpty());
        QVERIFY(reply.stats.value(QLatin1String("generatedTokens")).toInt() < 4000);
        QVERIFY(!rig.chat->isGenerating(id));
    }

    void regenerateAndEditMakeSiblingsToPageThrough() {
        Rig rig(dbPath());
        GenerationParams p;
        p.temperature = 1.5;
        p.maxNewTokens = 8;
        const qint64 id = rig.newConversation(p);
        rig.chat->send(id, QStringLiteral("hello"));
        const MessageInfo first = rig.nextReply();
        rig.chat->regenerate(first.id);
        const MessageInfo second = rig.nextReply();
        QCOMPARE(second.parentId, first.parentId);

        QList<ChatTurn> turns = rig.thread(id);
        QCOMPARE(turns.size(), 2);
        QCOMPARE(turns[1].message.id, second.id); // the newest is shown: ‹ 2/2 ›
        QCOMPARE(turns[1].siblingCount, 2);
        QCOMPARE(turns[1].siblingIndex, 1);
        QCOMPARE(turns[1].siblingIds, (QList<qint64>{first.id, second.id}));

        rig.chat->selectMessage(first.id); // ‹ back to 1/2
        QTRY_COMPARE(rig.thread(id).value(1).message.id, first.id);
        turns = rig.thread(id);
        QCOMPARE(turns[1].siblingIndex, 0);

        // Edit the user message: a second root, with its own reply.
        rig.chat->editAndResend(turns[0].message.id, QStringLiteral("hello again"));
        const MessageInfo third = rig.nextReply();
        turns = rig.thread(id);
        QCOMPARE(turns.size(), 2);
        QCOMPARE(turns[0].message.content, QStringLiteral("hello again"));
        QCOMPARE(turns[0].siblingCount, 2);
        QCOMPARE(turns[0].siblingIndex, 1);
        QCOMPARE(turns[1].message.id, third.id);
        QCOMPARE(turns[1].siblingCount, 1);

        // Going back to the first version of the question shows its newest reply.
        rig.chat->selectMessage(turns[0].siblingIds.first());
        QTRY_COMPARE(rig.thread(id).value(0).message.content, QStringLiteral("hello"));
        turns = rig.thread(id);
        QCOMPARE(turns[1].message.id, second.id);

        // A follow-up goes under the branch on screen; rating and deleting work.
        QSignalSpy rated(rig.chat.get(), &ChatService::messageRated);
        QSignalSpy deleted(rig.chat.get(), &ChatService::messageDeleted);
        rig.chat->rate(second.id, 1);
        rig.chat->deleteMessage(third.id);
        QTRY_COMPARE(rated.size(), 1);
        QTRY_COMPARE(deleted.size(), 1);
        const auto all = rig.messages(id);
        QCOMPARE(all.size(), 4);
        for (const auto& m : all)
            if (m.id == second.id) QCOMPARE(m.rating, 1);
    }

    void aFollowUpTurnProcessesOnlyItsNewTokens() {
        Rig rig(dbPath());
        const qint64 id = rig.newConversation(greedy(12));
        rig.chat->send(id, QStringLiteral("the cat sat on the mat"));
        const MessageInfo one = rig.nextReply();
        rig.chat->send(id, QStringLiteral("and then the dog"));
        const MessageInfo two = rig.nextReply();
        const qint64 prompt1 = one.stats.value(QLatin1String("promptTokens")).toInteger();
        const qint64 prompt2 = two.stats.value(QLatin1String("promptTokens")).toInteger();
        const qint64 cached2 = two.stats.value(QLatin1String("cachedTokens")).toInteger();
        const qint64 processed2 = two.stats.value(QLatin1String("processedTokens")).toInteger();
        qInfo("turn 2: prompt %lld tokens, %lld cached, %lld processed", (long long)prompt2,
              (long long)cached2, (long long)processed2);
        QCOMPARE(one.stats.value(QLatin1String("cachedTokens")).toInteger(), 0);
        // Nothing of the first turn's prompt is processed again: only the reply (as the
        // template writes it) and the new message.
        QVERIFY(cached2 >= prompt1);
        QCOMPARE(processed2, prompt2 - cached2);
        QVERIFY(processed2 <= prompt2 - prompt1);

        // The context meter reads the newest reply.
        QSignalSpy usage(rig.chat.get(), &ChatService::contextUsageChanged);
        rig.chat->loadThread(id);
        QVERIFY(usage.wait(5000));
        const ContextUsage u = usage.last()[1].value<ContextUsage>();
        QCOMPARE(u.usedTokens,
                 prompt2 + two.stats.value(QLatin1String("generatedTokens")).toInteger());
        QCOMPARE(u.contextLength, 256);
    }

    void olderTurnsDroppedToFitAreMarked() {
        Rig rig(dbPath(), 96);
        const qint64 id = rig.newConversation(greedy(16));
        for (int i = 0; i < 4; ++i) {
            rig.chat->send(
                id, QStringLiteral("the cat sat on the mat and looked at the dog %1").arg(i));
            QCOMPARE(rig.nextReply().state, QStringLiteral("complete"));
        }
        const auto turns = rig.thread(id);
        QCOMPARE(turns.size(), 8);
        const int dropped =
            turns.last().message.stats.value(QLatin1String("droppedMessages")).toInt();
        QVERIFY(dropped >= 2);
        QVERIFY(turns.first().outOfContext);
        QVERIFY(!turns[turns.size() - 2].outOfContext);
    }

    void repliesLeftStreamingBecomeInterrupted() {
        const QString path = dbPath();
        qint64 replyId = 0;
        {
            Rig rig(path);
            const qint64 id = rig.newConversation();
            replyId = chattest::wait(rig.storage->run([id](storage::Database& db) {
                storage::MessageStore m(db);
                const auto user = m.append({.conversationId = id,
                                            .role = QStringLiteral("user"),
                                            .content = QStringLiteral("hi")});
                return m
                    .append({.conversationId = id,
                             .parentId = user.id,
                             .role = QStringLiteral("assistant"),
                             .content = QStringLiteral("half a rep"),
                             .state = QStringLiteral("streaming")})
                    .id;
            }));
        }
        Rig rig(path);
        QSignalSpy recovered(rig.chat.get(), &ChatService::interruptedRecovered);
        rig.chat->recoverInterrupted();
        QVERIFY(recovered.wait(5000));
        QCOMPARE(recovered[0][0].toInt(), 1);
        const auto m = chattest::wait(rig.storage->run(
            [replyId](storage::Database& db) { return storage::MessageStore(db).get(replyId); }));
        QCOMPARE(m.state, QStringLiteral("interrupted"));
        QCOMPARE(m.content, QStringLiteral("half a rep"));
    }

    void aDeviceThatCannotBeUsedFallsBackToTheCpuAndSaysWhy() {
        Rig rig(dbPath());
        rig.host->setDeviceSettings({.backend = QStringLiteral("vulkan:99"), .threads = 2});
        // No model chosen for the conversation: the default model is used.
        rig.chat->setDefaultModel(chattest::fixtureModel());
        const qint64 id = chattest::wait(rig.storage->run([](storage::Database& db) {
            return storage::ConversationStore(db).create(QStringLiteral("default model")).id;
        }));
        QSignalSpy fallback(rig.host.get(), &LlmHost::fallbackToCpu);
        QSignalSpy loaded(rig.host.get(), &LlmHost::modelLoaded);
        rig.chat->send(id, QStringLiteral("hello"));
        const MessageInfo reply = rig.nextReply();
        QCOMPARE(reply.state, QStringLiteral("complete"));
        QCOMPARE(fallback.size(), 1);
        const QString reason = fallback[0][0].toString();
        qInfo("fallback: %s", qPrintable(reason));
        QVERIFY(reason.contains(QLatin1String("vulkan:99")));
        QVERIFY(reason.contains(QLatin1String("CPU")));
        QCOMPARE(rig.host->fallbackReason(), reason);
        QCOMPARE(loaded.size(), 1);
        QVERIFY(loaded[0][1].toString().startsWith(QLatin1String("cpu")));
        QVERIFY(reply.stats.value(QLatin1String("backend"))
                    .toString()
                    .startsWith(QLatin1String("cpu")));
        QCOMPARE(reply.params.value(QLatin1String("model")).toString(),
                 QStringLiteral("tiny-qwen2.gguf"));
    }

    void noModelIsAClearError() {
        Rig rig(dbPath());
        const qint64 id = chattest::wait(rig.storage->run([](storage::Database& db) {
            return storage::ConversationStore(db).create(QStringLiteral("no model")).id;
        }));
        QSignalSpy failed(rig.chat.get(), &ChatService::failed);
        rig.chat->send(id, QStringLiteral("hello"));
        QVERIFY(failed.wait(5000));
        QVERIFY(failed[0][0].toString().contains(QLatin1String("Models page")));
        QCOMPARE(rig.messages(id).size(), 0); // nothing half-stored
    }

    void aBrokenModelFailsTheReplyWithItsReason() {
        Rig rig(dbPath());
        const QString bad = dir_.filePath(QStringLiteral("broken.gguf"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("GGUF not really");
        f.close();
        const qint64 id = rig.newConversation();
        chattest::wait(rig.storage->run([id, bad](storage::Database& db) {
            storage::ConversationStore(db).setModelPath(id, bad);
        }));
        rig.chat->send(id, QStringLiteral("hello"));
        const MessageInfo reply = rig.nextReply();
        QCOMPARE(reply.state, QStringLiteral("failed"));
        QVERIFY(reply.stats.value(QLatin1String("error"))
                    .toString()
                    .contains(QLatin1String("broken.gguf")));
    }
};

QTEST_GUILESS_MAIN(TestChatService)
#include "test_chat_service.moc"
