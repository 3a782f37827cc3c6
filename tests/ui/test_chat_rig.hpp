#pragma once
// The chat page's whole back end for UI tests: the real storage, services, LLM host, job queue,
// chat service and AppController over a temporary database and the tiny qwen2 fixture model.
// Declared in the composition root's order, so they are destroyed in reverse.
#include "app/jobs/job_queue.hpp"
#include "app/services/chat_service.hpp"
#include "app/services/llm_host.hpp"
#include "storage/conversation_store.hpp"
#include "storage/message_store.hpp"
#include "ui/viewmodels/app_controller.hpp"
#include "ui/viewmodels/message_list_model.hpp"
#include "ui_test_backend.hpp"

namespace atelier::uitest {

inline QString tinyModelPath() {
    return QStringLiteral(ATELIER_SOURCE_DIR "/tests/inference/llm/fixtures/tiny-qwen2.gguf");
}

// A generous bound for one short reply on a loaded 2-core machine.
inline constexpr int kReplyTimeoutMs = 90000;

class ChatRig {
public:
    // contextLength 0: the model's own.
    explicit ChatRig(int contextLength = 0) {
        host.setDeviceSettings({.threads = 2, .contextLength = contextLength});
        host.registerJobs(jobs);
        QObject::connect(&chat, &ChatService::failed,
                         [](const QString& m) { qWarning("ChatService: %s", qPrintable(m)); });
        app.setChat(&chat);
        app.setDefaultModel(tinyModelPath());
    }
    ~ChatRig() { jobs.waitForIdle(kReplyTimeoutMs); }

    // A conversation with short, repeatable replies (greedy, a few tokens).
    // Stored directly (not through the service, whose answer would make the controller open
    // it before its parameters are set).
    qint64 createConversation(const QString& title, int maxNewTokens = 12) {
        GenerationParams params;
        params.temperature = 0;
        params.maxNewTokens = maxNewTokens;
        auto created = b.storage->run([title, json = params.toJson()](storage::Database& db) {
            storage::ConversationStore store(db);
            const qint64 id = store.create(title).id;
            store.setParams(id, json);
            return id;
        });
        created.waitForFinished();
        b.conversations->refresh();
        return created.result();
    }

    // Opens the conversation and waits until its messages are shown.
    bool open(qint64 id) {
        app.selectConversation(id);
        return QTest::qWaitFor(
            [&] { return app.currentConversationId() == id && !app.messages()->loading(); }, 10000);
    }

    // Waits until no reply is running and the list shows `rows` rows, none streaming.
    bool settled(int rows) {
        return QTest::qWaitFor(
            [&] {
                const ui::MessageListModel& m = *app.messages();
                if (chat.isGenerating(app.currentConversationId()) || m.count() != rows)
                    return false;
                for (int r = 0; r < m.count(); ++r)
                    if (m.data(m.index(r), ui::MessageListModel::StateRole).toString() ==
                        QLatin1String("streaming"))
                        return false;
                return true;
            },
            kReplyTimeoutMs);
    }

    QVariant at(int row, ui::MessageListModel::Role role) const {
        return app.messages()->data(app.messages()->index(row), role);
    }
    qint64 idAt(int row) const { return at(row, ui::MessageListModel::IdRole).toLongLong(); }

    QList<MessageInfo> stored(qint64 conversationId) {
        auto f = b.storage->run([conversationId](storage::Database& db) {
            return storage::MessageStore(db).listFor(conversationId);
        });
        f.waitForFinished();
        return f.result();
    }

    Backend b;
    LlmHost host;
    JobQueue jobs{b.storage.get()};
    ChatService chat{*b.storage, jobs, host};
    ui::AppController app{*b.conversations, *b.settings, &jobs, {"/data", "/data/db"}};
};

} // namespace atelier::uitest
