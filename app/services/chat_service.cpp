#include "app/services/chat_service.hpp"

#include "app/jobs/job_queue.hpp"
#include "app/services/chat_reply_job.hpp"
#include "app/services/conversation_io.hpp"
#include "app/services/llm_host.hpp"
#include "storage/conversation_store.hpp"
#include "storage/message_store.hpp"
#include "storage/storage_thread.hpp"
#include "storage/when_finished.hpp"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSaveFile>

namespace atelier {

using storage::ConversationStore;
using storage::Database;
using storage::MessageStore;

namespace {

enum class Mode { Send, Regenerate, Edit };

struct Prepared {
    qint64 conversationId = 0;
    MessageInfo user; // id 0 when no new user message was stored (regenerate)
    MessageInfo reply;
    QString modelPath;
    QString systemPrompt;
    GenerationParams params;
};

// On the storage thread: stores what comes before a reply, in one transaction.
Prepared prepare(Database& db, Mode mode, qint64 anchor, const QString& text,
                 const QString& defaultModel) {
    return db.transaction([&] {
        ConversationStore conversations(db);
        MessageStore messages(db);
        Prepared p;
        qint64 userParent = 0;
        qint64 replyParent = 0;
        if (mode == Mode::Send) {
            p.conversationId = anchor;
            const auto c = conversations.get(anchor);
            const auto branch = tree::visibleBranch(messages.listFor(anchor), c.activeMessageId);
            userParent = branch.isEmpty() ? 0 : branch.last().message.id;
        } else {
            const MessageInfo m = messages.get(anchor);
            p.conversationId = m.conversationId;
            if (mode == Mode::Regenerate) {
                if (m.role != QLatin1String("assistant"))
                    throw std::runtime_error("only a reply can be regenerated");
                replyParent = m.parentId;
            } else {
                if (m.role != QLatin1String("user"))
                    throw std::runtime_error("only a message of yours can be edited and resent");
                userParent = m.parentId;
            }
        }
        const auto c = conversations.get(p.conversationId);
        p.modelPath = c.modelPath.isEmpty() ? defaultModel : c.modelPath;
        if (p.modelPath.isEmpty())
            throw std::runtime_error(
                "No model is chosen: add a GGUF model on the Models page and pick it.");
        p.systemPrompt = c.systemPrompt;
        p.params = GenerationParams::fromJson(conversations.params(p.conversationId));
        if (mode != Mode::Regenerate) {
            if (text.trimmed().isEmpty()) throw std::runtime_error("the message is empty");
            p.user = messages.append({.conversationId = p.conversationId,
                                      .parentId = userParent,
                                      .role = QStringLiteral("user"),
                                      .content = text});
            replyParent = p.user.id;
        }
        QJsonObject params = p.params.toJson();
        params[QStringLiteral("model")] = QFileInfo(p.modelPath).fileName();
        if (!p.systemPrompt.isEmpty()) params[QStringLiteral("systemPrompt")] = p.systemPrompt;
        p.reply = messages.append({.conversationId = p.conversationId,
                                   .parentId = replyParent,
                                   .role = QStringLiteral("assistant"),
                                   .content = QString(),
                                   .state = QStringLiteral("streaming"),
                                   .params = params});
        conversations.setActiveMessage(p.conversationId, p.reply.id);
        return p;
    });
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        throw std::runtime_error(QStringLiteral("%1 could not be written: %2")
                                     .arg(path, file.errorString())
                                     .toStdString());
}

} // namespace

ChatService::ChatService(storage::StorageThread& storage, JobQueue& jobs, LlmHost& host,
                         QObject* parent)
    : QObject(parent), storage_(storage), jobs_(jobs), host_(host),
      gate_(std::make_shared<UiGate>(this)) {
    registerRecordMetaTypes();
    qRegisterMetaType<ChatTurn>();
    qRegisterMetaType<QList<ChatTurn>>();
    qRegisterMetaType<ContextUsage>();
    qRegisterMetaType<ChatSetup>();
    qRegisterMetaType<storage::MessageHit>();
    qRegisterMetaType<QList<storage::MessageHit>>();
    registerHandler();
    // The conversation's reply ends with its job, however it ends.
    connect(&jobs_, &JobQueue::jobFinished, this, [this](const JobInfo& job, const QJsonObject&) {
        for (auto it = running_.begin(); it != running_.end(); ++it)
            if (it->jobId == job.id) {
                const qint64 conversation = it.key(), reply = it->replyId;
                running_.erase(it);
                onReplyEnded(conversation, reply, job);
                return;
            }
    });
}

ChatService::~ChatService() {
    gate_->close();
    for (const Running& r : std::as_const(running_)) jobs_.cancel(r.jobId);
}

// Runs work(db) on the storage thread, then done(result) on the UI thread; an error becomes
// failed(message). Both arrive through the event loop (QFutureWatcher), never inside the
// calling method.
template <class Work, class Done> void ChatService::ask(Work&& work, Done&& done) {
    storage::whenFinished(
        storage_.run(std::forward<Work>(work)), this, std::forward<Done>(done),
        [this](const std::exception& e) { emit failed(QString::fromUtf8(e.what())); });
}

void ChatService::registerHandler() {
    ReplyJobDeps deps{&storage_, &host_, gate_, this};
    jobs_.registerHandler(QLatin1String(kChatReplyJob), QLatin1String(kLlmLane),
                          [deps](JobContext& job) { runReplyJob(deps, job); });
}

bool ChatService::isGenerating(qint64 conversationId) const {
    return running_.contains(conversationId);
}

void ChatService::recoverInterrupted() {
    ask([](Database& db) { return MessageStore(db).markStreamingInterrupted(); },
        [this](int count) { emit interruptedRecovered(count); });
}

void ChatService::loadSetup(qint64 id) {
    ask(
        [id](Database& db) {
            ConversationStore store(db);
            const auto c = store.get(id);
            return ChatSetup{c.modelPath, c.systemPrompt,
                             GenerationParams::fromJson(store.params(id))};
        },
        [this, id](const ChatSetup& setup) { emit setupLoaded(id, setup); });
}

void ChatService::setModel(qint64 id, const QString& path) {
    ask([id, path](Database& db) { ConversationStore(db).setModelPath(id, path); },
        [this, id] { emit setupSaved(id); });
}

void ChatService::setSystemPrompt(qint64 id, const QString& prompt) {
    ask([id, prompt](Database& db) { ConversationStore(db).setSystemPrompt(id, prompt); },
        [this, id] { emit setupSaved(id); });
}

void ChatService::setParams(qint64 id, const GenerationParams& params) {
    const QJsonObject json = params.clamped().toJson();
    ask([id, json](Database& db) { ConversationStore(db).setParams(id, json); },
        [this, id] { emit setupSaved(id); });
}

void ChatService::loadThread(qint64 id) {
    ask(
        [id](Database& db) {
            const auto c = ConversationStore(db).get(id);
            return tree::visibleBranch(MessageStore(db).listFor(id), c.activeMessageId);
        },
        [this, id](const QList<ChatTurn>& turns) {
            emit threadLoaded(id, turns);
            emit contextUsageChanged(id, tree::contextUsage(turns));
        });
}

void ChatService::selectMessage(qint64 messageId) {
    ask(
        [messageId](Database& db) {
            const MessageInfo m = MessageStore(db).get(messageId);
            ConversationStore(db).setActiveMessage(m.conversationId, messageId);
            return m.conversationId;
        },
        [this](qint64 conversationId) { loadThread(conversationId); });
}

void ChatService::send(qint64 conversationId, const QString& text) {
    startReply(int(Mode::Send), conversationId, text);
}

void ChatService::regenerate(qint64 assistantMessageId) {
    startReply(int(Mode::Regenerate), assistantMessageId, {});
}

void ChatService::editAndResend(qint64 userMessageId, const QString& text) {
    startReply(int(Mode::Edit), userMessageId, text);
}

void ChatService::startReply(int mode, qint64 anchor, const QString& text) {
    const QString fallbackModel = defaultModel_;
    ask([mode, anchor, text, fallbackModel](
            Database& db) { return prepare(db, Mode(mode), anchor, text, fallbackModel); },
        [this](const Prepared& p) {
            if (p.user.id != 0) emit messageAdded(p.conversationId, p.user);
            QJsonObject params{{QStringLiteral("conversationId"), p.conversationId},
                               {QStringLiteral("replyId"), p.reply.id},
                               {QStringLiteral("parentId"), p.reply.parentId},
                               {QStringLiteral("model"), p.modelPath},
                               {QStringLiteral("systemPrompt"), p.systemPrompt},
                               {QStringLiteral("params"), p.params.toJson()}};
            const qint64 jobId =
                jobs_.submit({QLatin1String(kChatReplyJob),
                              tr("Reply with %1").arg(QFileInfo(p.modelPath).fileName()),
                              JobPriority::Interactive, params});
            running_.insert(p.conversationId, {jobId, p.reply.id});
            emit replyStarted(p.conversationId, p.reply, jobId);
            loadThread(p.conversationId);
        });
}

void ChatService::onReplyEnded(qint64 conversationId, qint64 replyId, const JobInfo& job) {
    const bool cancelled = job.state == JobState::Cancelled;
    const QString error = job.error;
    ask(
        [replyId, cancelled, error](Database& db) {
            MessageStore messages(db);
            MessageInfo r = messages.get(replyId);
            if (r.state == QLatin1String("streaming")) {
                // The job ended before it ran (cancelled while queued, or refused).
                r.state = cancelled ? QStringLiteral("complete") : QStringLiteral("failed");
                r.stats =
                    cancelled
                        ? QJsonObject{{QStringLiteral("stopReason"), QStringLiteral("cancelled")}}
                        : QJsonObject{{QStringLiteral("error"), error}};
                messages.updateReply(replyId, r.content, r.state, r.stats);
            }
            return r;
        },
        [this, conversationId](const MessageInfo& reply) {
            emit replyFinished(conversationId, reply);
            loadThread(conversationId);
        });
}

void ChatService::stop(qint64 conversationId) {
    const auto it = running_.constFind(conversationId);
    if (it != running_.constEnd()) jobs_.cancel(it->jobId);
}

void ChatService::deleteMessage(qint64 messageId) {
    ask(
        [messageId](Database& db) {
            MessageStore messages(db);
            const qint64 conversation = messages.get(messageId).conversationId;
            messages.remove(messageId);
            return conversation;
        },
        [this, messageId](qint64 conversationId) {
            emit messageDeleted(conversationId, messageId);
            loadThread(conversationId);
        });
}

void ChatService::rate(qint64 messageId, int rating) {
    ask([messageId, rating](Database& db) { MessageStore(db).setRating(messageId, rating); },
        [this, messageId, rating] { emit messageRated(messageId, rating); });
}

void ChatService::search(const QString& text) {
    ask([text](Database& db) { return MessageStore(db).search(text); },
        [this, text](const QList<storage::MessageHit>& hits) { emit searchResults(text, hits); });
}

void ChatService::exportConversation(qint64 id, const QString& format, const QString& path) {
    const bool markdown = format.compare(QLatin1String("markdown"), Qt::CaseInsensitive) == 0 ||
                          format.compare(QLatin1String("md"), Qt::CaseInsensitive) == 0;
    if (!markdown && format.compare(QLatin1String("json"), Qt::CaseInsensitive) != 0) {
        emit failed(tr("Unknown export format \"%1\" (markdown or json).").arg(format));
        return;
    }
    ask(
        [id, markdown, path](Database& db) {
            writeFile(path, markdown ? io::exportMarkdown(db, id) : io::exportJson(db, id));
        },
        [this, id, path] { emit exported(id, path); });
}

void ChatService::importConversation(const QString& path) {
    ask(
        [path](Database& db) {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                throw std::runtime_error(QStringLiteral("%1 cannot be read: %2")
                                             .arg(path, file.errorString())
                                             .toStdString());
            return io::importJson(db, file.readAll());
        },
        [this](qint64 id) { emit imported(id); });
}

void ChatService::exportPreferences(const QString& path) {
    ask(
        [path](Database& db) {
            const io::PreferenceData data = io::exportPreferences(db);
            writeFile(path, data.jsonl);
            return data.pairs;
        },
        [this, path](int pairs) { emit preferencesExported(path, pairs); });
}

} // namespace atelier
