// The chat page's view-model over the real chat services and the tiny fixture model: a message
// sent through the controller streams its reply into the message list and ends up in the database.
#include "app/jobs/job_queue.hpp"
#include "app/services/chat_service.hpp"
#include "app/services/llm_host.hpp"
#include "app/services/model_library.hpp"
#include "storage/conversation_store.hpp"
#include "ui/viewmodels/app_controller.hpp"
#include "ui/viewmodels/message_list_model.hpp"
#include "ui/viewmodels/model_list_model.hpp"
#include "ui_test_backend.hpp"

#include <QFile>

using atelier::ChatService;
using atelier::MessageInfo;
using atelier::ui::AppController;
using atelier::ui::MessageListModel;
using atelier::ui::ModelListModel;
using atelier::uitest::Backend;
using atelier::uitest::waitFor;

namespace {

QString fixtureModel() {
    return QStringLiteral(ATELIER_SOURCE_DIR "/tests/inference/llm/fixtures/tiny-qwen2.gguf");
}

// The assistant row's text and state, as the page would show them now.
QPair<QString, QString> assistantRow(const MessageListModel& model) {
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex i = model.index(row);
        if (model.data(i, MessageListModel::RoleNameRole).toString() == QLatin1String("assistant"))
            return {model.data(i, MessageListModel::ContentRole).toString(),
                    model.data(i, MessageListModel::StateRole).toString()};
    }
    return {};
}

} // namespace

class TestChatStreaming : public QObject {
    Q_OBJECT

private slots:
    void sentMessageStreamsIntoTheListAndIsStored() {
        Backend b;
        QVERIFY(b.loadSettings());
        const qint64 id = b.createConversation(QStringLiteral("chat"));
        QVERIFY(id != 0);
        atelier::GenerationParams params;
        params.temperature = 0;
        params.maxNewTokens = 24;
        b.storage
            ->run([id, json = params.toJson()](atelier::storage::Database& db) {
                atelier::storage::ConversationStore(db).setParams(id, json);
            })
            .waitForFinished();

        atelier::LlmHost host;
        host.setDeviceSettings({.threads = 2});
        atelier::JobQueue jobs(b.storage.get());
        host.registerJobs(jobs);
        {
            ChatService chat(*b.storage, jobs, host);
            QObject::connect(&chat, &ChatService::failed,
                             [](const QString& m) { qWarning("ChatService: %s", qPrintable(m)); });
            AppController app(*b.conversations, *b.settings, &jobs, {"/data", "/data/db"});
            app.setChat(&chat);
            QVERIFY(!app.canSend()); // no model yet
            QVERIFY(!app.chatUnavailableReason().isEmpty());
            app.setDefaultModel(fixtureModel());
            QVERIFY(app.canSend());
            QVERIFY(app.chatUnavailableReason().isEmpty());

            MessageListModel* messages = app.messages();
            QSignalSpy loaded(messages, &MessageListModel::loadingChanged);
            app.start();
            QVERIFY(QTest::qWaitFor([&] { return app.currentConversationId() == id; }, 5000));
            QVERIFY(QTest::qWaitFor([&] { return !messages->loading(); }, 5000));

            // Record what the list shows while the reply streams.
            QStringList streamedTexts;
            bool sawReplying = false;
            const auto look = [&] {
                const auto [text, state] = assistantRow(*messages);
                if (state == QLatin1String("streaming") && !text.isEmpty()) streamedTexts << text;
                sawReplying = sawReplying || app.replying();
            };
            connect(messages, &QAbstractItemModel::dataChanged, this, look);
            connect(messages, &QAbstractItemModel::rowsInserted, this, look);

            QSignalSpy finished(&chat, &ChatService::replyFinished);
            app.send(QStringLiteral("hello there"));
            QVERIFY(waitFor(finished, 1, 60000));
            QVERIFY(sawReplying);
            QVERIFY2(!streamedTexts.isEmpty(), "no streamed text reached the message list");
            QVERIFY(!app.replying());

            const MessageInfo reply = finished.at(0).at(1).value<MessageInfo>();
            QCOMPARE(reply.state, QStringLiteral("complete"));
            QVERIFY(!reply.content.isEmpty());
            QVERIFY(reply.content.startsWith(streamedTexts.first()));
            QVERIFY(reply.stats.value(QLatin1String("generatedTokens")).toInt() > 0);

            // The list ends on the stored thread: the question and the finished reply.
            QVERIFY(QTest::qWaitFor(
                [&] {
                    return messages->count() == 2 &&
                           assistantRow(*messages) == qMakePair(reply.content, reply.state);
                },
                5000));
            const QVariantMap stats =
                messages->data(messages->index(1), MessageListModel::StatsRole).toMap();
            QVERIFY(stats.value(QStringLiteral("generatedTokens")).toInt() > 0);

            // And the database has both.
            auto stored = b.storage->run([id](atelier::storage::Database& db) {
                return atelier::storage::MessageStore(db).listFor(id);
            });
            stored.waitForFinished();
            const QList<MessageInfo> rows = stored.result();
            QCOMPARE(rows.size(), 2);
            QCOMPARE(rows[0].content, QStringLiteral("hello there"));
            QCOMPARE(rows[1].content, reply.content);
            QCOMPARE(rows[1].state, QStringLiteral("complete"));
        }
    }

    // The Models page's list over the real library: a usable model with its header's facts,
    // and a broken file kept with the reason; the usable one becomes the default model.
    void modelsPageListsTheLibraryWithBrokenFiles() {
        Backend b;
        QTemporaryDir folder;
        QVERIFY(QFile::copy(fixtureModel(), folder.filePath(QStringLiteral("tiny.gguf"))));
        QFile broken(folder.filePath(QStringLiteral("broken.gguf")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("not a gguf file at all");
        broken.close();

        atelier::JobQueue jobs(b.storage.get());
        atelier::ModelLibrary library(*b.storage, jobs);
        AppController app(*b.conversations, *b.settings, &jobs, {"/data", "/data/db"});
        connect(&library, &atelier::ModelLibrary::modelsChanged, app.models(),
                &ModelListModel::setModels);
        library.setFolder(folder.path());
        library.scan();
        QVERIFY(QTest::qWaitFor([&] { return app.models()->count() == 2; }, 20000));

        const ModelListModel& m = *app.models();
        int good = -1, bad = -1;
        for (int row = 0; row < 2; ++row)
            (m.data(m.index(row), ModelListModel::UsableRole).toBool() ? good : bad) = row;
        QVERIFY(good >= 0 && bad >= 0);
        QCOMPARE(m.data(m.index(good), ModelListModel::ArchitectureRole).toString(),
                 QStringLiteral("qwen2"));
        QVERIFY(m.data(m.index(good), ModelListModel::ContextLengthRole).toLongLong() > 0);
        QVERIFY(!m.data(m.index(good), ModelListModel::FileSizeTextRole).toString().isEmpty());
        QVERIFY(!m.data(m.index(bad), ModelListModel::ErrorRole).toString().isEmpty());
        QCOMPARE(library.defaultModelPath(),
                 m.data(m.index(good), ModelListModel::PathRole).toString());
    }
};

QTEST_GUILESS_MAIN(TestChatStreaming)
#include "test_chat_streaming.moc"
