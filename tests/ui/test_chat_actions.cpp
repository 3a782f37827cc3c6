// The chat page's actions through the controller, over the real chat service and the tiny
// fixture model: regenerate and the ‹ i/n › pager, edit-and-resend as a branch, delete, ratings,
// presets, the context meter and its marker, the reply's facts, opening a search hit, and
// which model decides whether a message can be sent.
#include "test_chat_rig.hpp"
#include "ui/viewmodels/generation_params_model.hpp"

#include <QFile>

using atelier::ChatService;
using atelier::ConversationService;
using atelier::MessageInfo;
using atelier::ui::MessageListModel;
using atelier::uitest::ChatRig;
using atelier::uitest::kReplyTimeoutMs;
using atelier::uitest::waitFor;
using Role = atelier::ui::MessageListModel::Role;

class TestChatActions : public QObject {
    Q_OBJECT

private slots:
    void regenerateKeepsTheEarlierReplyAsAVersion() {
        ChatRig rig;
        const qint64 id = rig.createConversation(QStringLiteral("regen"));
        QVERIFY(rig.open(id));
        rig.app.send(QStringLiteral("hello"));
        QVERIFY(rig.settled(2));
        const qint64 first = rig.idAt(1);
        QCOMPARE(rig.at(1, Role::SiblingCountRole).toInt(), 1);

        rig.app.regenerate(first);
        QVERIFY(QTest::qWaitFor([&] { return rig.idAt(1) != first; }, kReplyTimeoutMs));
        QVERIFY(rig.settled(2));
        const qint64 second = rig.idAt(1);
        QCOMPARE(rig.at(1, Role::SiblingCountRole).toInt(), 2); // ‹ 2/2 ›
        QCOMPARE(rig.at(1, Role::SiblingIndexRole).toInt(), 1);
        const QVariantList ids = rig.at(1, Role::SiblingIdsRole).toList();
        QCOMPARE(ids.size(), 2);
        QCOMPARE(ids.at(0).toLongLong(), first);
        QCOMPARE(ids.at(1).toLongLong(), second);
        QCOMPARE(rig.stored(id).size(), 3);

        // ‹ back to 1/2, then › to 2/2 again.
        rig.app.selectMessage(first);
        QVERIFY(QTest::qWaitFor([&] { return rig.idAt(1) == first; }, 10000));
        QCOMPARE(rig.at(1, Role::SiblingIndexRole).toInt(), 0);
        QCOMPARE(rig.at(1, Role::SiblingCountRole).toInt(), 2);
        rig.app.selectMessage(second);
        QVERIFY(QTest::qWaitFor([&] { return rig.idAt(1) == second; }, 10000));
        QCOMPARE(rig.at(1, Role::SiblingIndexRole).toInt(), 1);
    }

    void editAndResendStartsABranch() {
        ChatRig rig;
        const qint64 id = rig.createConversation(QStringLiteral("edit"));
        QVERIFY(rig.open(id));
        rig.app.send(QStringLiteral("first question"));
        QVERIFY(rig.settled(2));
        const qint64 question = rig.idAt(0), answer = rig.idAt(1);

        rig.app.editAndResend(question, QStringLiteral("second question"));
        QVERIFY(QTest::qWaitFor([&] { return rig.idAt(0) != question; }, kReplyTimeoutMs));
        QVERIFY(rig.settled(2));
        QCOMPARE(rig.at(0, Role::ContentRole).toString(), QStringLiteral("second question"));
        QCOMPARE(rig.at(0, Role::SiblingCountRole).toInt(), 2);
        QCOMPARE(rig.at(0, Role::SiblingIndexRole).toInt(), 1);
        QVERIFY(rig.idAt(1) != answer);
        QCOMPARE(rig.at(1, Role::ParentIdRole).toLongLong(), rig.idAt(0));

        // The first branch is still there, with its own reply.
        rig.app.selectMessage(question);
        QVERIFY(QTest::qWaitFor([&] { return rig.idAt(0) == question; }, 10000));
        QVERIFY(rig.settled(2));
        QCOMPARE(rig.idAt(1), answer);
        QCOMPARE(rig.at(0, Role::ContentRole).toString(), QStringLiteral("first question"));
        QCOMPARE(rig.stored(id).size(), 4);
    }

    void deleteRemovesTheMessageAndWhatFollows() {
        ChatRig rig;
        const qint64 id = rig.createConversation(QStringLiteral("delete"));
        QVERIFY(rig.open(id));
        rig.app.send(QStringLiteral("one"));
        QVERIFY(rig.settled(2));
        rig.app.send(QStringLiteral("two"));
        QVERIFY(rig.settled(4));

        rig.app.deleteMessage(rig.idAt(3)); // the last reply only
        QVERIFY(rig.settled(3));
        QCOMPARE(rig.stored(id).size(), 3);
        rig.app.deleteMessage(rig.idAt(0)); // the first question, and all below it
        QVERIFY(rig.settled(0));
        QCOMPARE(rig.stored(id).size(), 0);
    }

    void ratingTogglesAndIsStored() {
        ChatRig rig;
        const qint64 id = rig.createConversation(QStringLiteral("rate"));
        QVERIFY(rig.open(id));
        rig.app.send(QStringLiteral("rate me"));
        QVERIFY(rig.settled(2));
        const qint64 reply = rig.idAt(1);

        QSignalSpy rated(&rig.chat, &ChatService::messageRated);
        rig.app.rate(reply, 1);
        QVERIFY(waitFor(rated));
        QCOMPARE(rig.at(1, Role::RatingRole).toInt(), 1);
        QCOMPARE(rig.stored(id).at(1).rating, 1);
        rig.app.rate(reply, -1);
        QVERIFY(waitFor(rated, 2));
        QCOMPARE(rig.at(1, Role::RatingRole).toInt(), -1);
        rig.app.rate(reply, 0); // toggled off
        QVERIFY(waitFor(rated, 3));
        QCOMPARE(rig.at(1, Role::RatingRole).toInt(), 0);
        QCOMPARE(rig.stored(id).at(1).rating, 0);
    }

    // Under each reply: its numbers and the sampling parameters that made it.
    void replyShowsItsFactsAndTheContextMeterFills() {
        ChatRig rig;
        const qint64 id = rig.createConversation(QStringLiteral("facts"));
        QVERIFY(rig.open(id));
        QCOMPARE(rig.app.contextLength(), 0);
        rig.app.send(QStringLiteral("facts please"));
        QVERIFY(rig.settled(2));
        const QString stats = rig.at(1, Role::StatsTextRole).toString();
        QVERIFY2(stats.contains(QLatin1String("tokens")), qPrintable(stats));
        QVERIFY2(stats.contains(QLatin1String("first token")), qPrintable(stats));
        QVERIFY2(stats.contains(QLatin1String("tok/s")), qPrintable(stats));
        const QString params = rig.at(1, Role::ParamsTextRole).toString();
        QVERIFY2(params.startsWith(QStringLiteral("temp 0  ·  top-p 0.9  ·  top-k 40")),
                 qPrintable(params));
        QVERIFY2(params.contains(QLatin1String("repeat 1.1")), qPrintable(params));
        QVERIFY2(params.contains(QLatin1String("(random)")), qPrintable(params));
        QVERIFY(rig.at(0, Role::StatsTextRole).toString().isEmpty()); // not on questions

        QVERIFY(QTest::qWaitFor([&] { return rig.app.contextLength() > 0; }, 10000));
        QVERIFY(rig.app.contextUsed() > 0);
        QVERIFY(rig.app.contextUsed() <= rig.app.contextLength());
        QCOMPARE(rig.app.droppedMessages(), 0);
    }

    // A context too small for the whole conversation: older turns are dropped, and the list
    // marks where the part the newest reply saw begins.
    void droppedTurnsAreMarked() {
        ChatRig rig(96);
        const qint64 id = rig.createConversation(QStringLiteral("small context"), 8);
        QVERIFY(rig.open(id));
        const QString longText = QStringLiteral(
            "Please remember these words carefully: apple river mountain candle window "
            "garden thunder silver morning");
        for (int turn = 0; turn < 3; ++turn) {
            rig.app.send(longText);
            QVERIFY(rig.settled(2 * (turn + 1)));
        }
        QVERIFY(QTest::qWaitFor([&] { return rig.app.droppedMessages() > 0; }, 10000));
        const int dropped = rig.app.droppedMessages();
        QVERIFY(rig.at(0, Role::OutOfContextRole).toBool());
        QVERIFY(rig.at(dropped - 1, Role::ContextBoundaryRole).toBool());
        QVERIFY(!rig.at(dropped, Role::OutOfContextRole).toBool());
        int boundaries = 0;
        for (int r = 0; r < rig.app.messages()->count(); ++r)
            boundaries += rig.at(r, Role::ContextBoundaryRole).toBool();
        QCOMPARE(boundaries, 1);
    }

    void presetsSetTheSlidersAndAreStored() {
        ChatRig rig;
        const qint64 id = rig.createConversation(QStringLiteral("presets"));
        QVERIFY(rig.open(id));
        atelier::ui::GenerationParamsModel& g = *rig.app.generation();
        QVERIFY(QTest::qWaitFor([&] { return g.loaded(); }, 10000));
        QCOMPARE(g.presetNames(), QStringList({"Precise", "Balanced", "Creative"}));

        QSignalSpy saved(rig.b.conversations.get(), &ConversationService::paramsSaved);
        QVERIFY(g.applyPreset(QStringLiteral("Creative")));
        QCOMPARE(g.temperature(), 1.1);
        QCOMPARE(g.topP(), 0.98);
        QCOMPARE(g.topK(), 100);
        QCOMPARE(g.minP(), 0.02);
        QCOMPARE(g.repeatPenalty(), 1.05);
        QCOMPARE(g.maxNewTokens(), 12); // not part of a preset
        QCOMPARE(g.activePreset(), QStringLiteral("Creative"));
        g.flush();
        QVERIFY(waitFor(saved));
        auto stored = rig.b.storage->run([id](atelier::storage::Database& db) {
            return atelier::storage::ConversationStore(db).params(id);
        });
        stored.waitForFinished();
        const auto p = atelier::GenerationParams::fromJson(stored.result());
        QCOMPARE(p.temperature, 1.1);
        QCOMPARE(p.topK, 100);
        QCOMPARE(p.repeatPenalty, 1.05);

        QVERIFY(g.applyPreset(QStringLiteral("precise")));
        QCOMPARE(g.temperature(), 0.2);
        QCOMPARE(g.topP(), 0.9);
        QCOMPARE(g.activePreset(), QStringLiteral("Precise"));
        QVERIFY(g.applyPreset(QStringLiteral("Balanced")));
        QCOMPARE(g.temperature(), 0.7);
        QCOMPARE(g.topP(), 0.95);
        QCOMPARE(g.activePreset(), QStringLiteral("Balanced"));
        g.setTemperature(0.75);
        QCOMPARE(g.activePreset(), QString());
        QVERIFY(!g.applyPreset(QStringLiteral("Wild")));
        QCOMPARE(g.temperature(), 0.75);
    }

    // A search hit on an older version of a reply: the conversation opens on that branch with
    // the message highlighted.
    void openConversationAtShowsAndHighlightsTheMessage() {
        ChatRig rig;
        const qint64 id = rig.createConversation(QStringLiteral("target"));
        const qint64 other = rig.createConversation(QStringLiteral("other"));
        QVERIFY(rig.open(id));
        rig.app.send(QStringLiteral("question"));
        QVERIFY(rig.settled(2));
        const qint64 older = rig.idAt(1);
        rig.app.regenerate(older);
        QVERIFY(QTest::qWaitFor([&] { return rig.idAt(1) != older; }, kReplyTimeoutMs));
        QVERIFY(rig.settled(2));

        QVERIFY(rig.open(other));
        QCOMPARE(rig.app.highlightedMessageId(), 0);
        rig.app.setCurrentPage(atelier::ui::AppController::Models);
        rig.app.openConversationAt(id, older);
        QCOMPARE(rig.app.currentPage(), atelier::ui::AppController::Chat);
        QCOMPARE(rig.app.highlightedMessageId(), older);
        QVERIFY(QTest::qWaitFor(
            [&] {
                return rig.app.currentConversationId() == id &&
                       rig.app.messages()->rowOf(older) == 1;
            },
            10000));
        QCOMPARE(rig.at(1, Role::SiblingIndexRole).toInt(), 0);

        // Opening another conversation ends the highlight.
        rig.app.selectConversation(other);
        QCOMPARE(rig.app.highlightedMessageId(), 0);
    }

    // A conversation that chose its own model can send without a default one; a chosen file
    // that is gone cannot, and says which.
    void canSendFollowsTheConversationsModel() {
        ChatRig rig;
        rig.app.setDefaultModel({});
        const qint64 id = rig.createConversation(QStringLiteral("own model"));
        QVERIFY(rig.open(id));
        QVERIFY(!rig.app.canSend());

        QSignalSpy availability(&rig.app, &atelier::ui::AppController::chatAvailabilityChanged);
        rig.chat.setModel(id, atelier::uitest::tinyModelPath());
        QVERIFY(QTest::qWaitFor([&] { return rig.app.canSend(); }, 10000));
        QVERIFY(rig.app.chatUnavailableReason().isEmpty());

        rig.chat.setModel(id, QStringLiteral("/nonexistent/gone.gguf"));
        QVERIFY(QTest::qWaitFor([&] { return !rig.app.canSend(); }, 10000));
        QVERIFY2(rig.app.chatUnavailableReason().contains(QLatin1String("gone.gguf")),
                 qPrintable(rig.app.chatUnavailableReason()));
        // Even with a default model: the conversation's own choice decides.
        rig.app.setDefaultModel(atelier::uitest::tinyModelPath());
        QVERIFY(!rig.app.canSend());
    }

    // The panel's model picker and system prompt go through the controller and are stored with
    // the conversation (ChatService puts the system prompt into the next reply's prompt).
    void modelAndSystemPromptAreSavedWithTheConversation() {
        ChatRig rig;
        rig.app.setDefaultModel({});
        const qint64 id = rig.createConversation(QStringLiteral("setup"));
        QVERIFY(rig.open(id));
        QSignalSpy changed(&rig.app, &atelier::ui::AppController::conversationSetupChanged);
        rig.app.setConversationModel(atelier::uitest::tinyModelPath());
        QVERIFY(QTest::qWaitFor(
            [&] { return rig.app.conversationModel() == atelier::uitest::tinyModelPath(); },
            10000));
        QVERIFY(rig.app.canSend());
        rig.app.setSystemPrompt(QStringLiteral("You answer in one word."));
        QVERIFY(QTest::qWaitFor(
            [&] { return rig.app.systemPrompt() == QStringLiteral("You answer in one word."); },
            10000));
        QVERIFY(changed.count() >= 2);

        // Another conversation shows its own (empty) setup; coming back shows this one again.
        const qint64 other = rig.createConversation(QStringLiteral("other"));
        QVERIFY(rig.open(other));
        QVERIFY(rig.app.systemPrompt().isEmpty());
        QVERIFY(rig.open(id));
        QVERIFY(QTest::qWaitFor(
            [&] { return rig.app.systemPrompt() == QStringLiteral("You answer in one word."); },
            10000));
    }
};

QTEST_GUILESS_MAIN(TestChatActions)
#include "test_chat_actions.moc"
