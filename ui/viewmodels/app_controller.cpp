#include "app_controller.hpp"

#include "app/services/chat_service.hpp"
#include "app/services/conversation_service.hpp"
#include "app/services/settings_service.hpp"
#include "app/version.hpp"
#include "conversation_list_model.hpp"
#include "generation_params_model.hpp"
#include "job_list_model.hpp"
#include "message_list_model.hpp"

#include <QDir>
#include <QFileInfo>
#include <QtGlobal>
#include <utility>

namespace atelier::ui {

AppController::AppController(ConversationService& conversations, SettingsService& settings,
                             JobQueue* jobs, Paths paths, QObject* parent)
    : QObject(parent), m_service(conversations), m_settings(settings), m_paths(std::move(paths)),
      m_conversations(new ConversationListModel(this)), m_messages(new MessageListModel(this)),
      m_jobs(new JobListModel(this)), m_generation(new GenerationParamsModel(this)),
      m_models(new ModelListModel(this)) {
    m_generation->setService(&m_service);
    if (jobs) m_jobs->attach(*jobs);

    connect(&m_service, &ConversationService::conversationsLoaded, this,
            &AppController::onConversationsLoaded);
    connect(&m_service, &ConversationService::conversationCreated, this,
            &AppController::onConversationCreated);
    connect(&m_service, &ConversationService::conversationRenamed, this,
            &AppController::onConversationRenamed);
    connect(&m_service, &ConversationService::conversationRemoved, this,
            &AppController::onConversationRemoved);
    // Without a chat service the flat list is all there is; with one, the branch comes from it.
    connect(&m_service, &ConversationService::messagesLoaded, this,
            [this](qint64 conv, const QList<MessageInfo>& list) {
                if (!m_chat) m_messages->setMessages(conv, list);
            });
    connect(&m_service, &ConversationService::failed, this, &AppController::reportError);
    connect(&m_settings, &SettingsService::failed, this, &AppController::reportError);
}

AppController::~AppController() = default;

void AppController::start() {
    if (m_started) return;
    m_started = true;
    m_restorePending = true;
    refresh();
    emit startedChanged();
}

void AppController::setCurrentPage(Page page) {
    if (m_page == page) return;
    m_page = page;
    emit currentPageChanged();
}

void AppController::setTitleFilter(const QString& filter) {
    if (m_titleFilter == filter) return;
    m_titleFilter = filter;
    emit titleFilterChanged();
    refresh();
}

bool AppController::canSend() const {
    if (!m_chat) return false;
    if (!m_conversationModel.isEmpty()) return QFileInfo::exists(m_conversationModel);
    return !m_defaultModel.isEmpty();
}

QString AppController::chatUnavailableReason() const {
    if (canSend()) return {};
    if (m_chat && !m_conversationModel.isEmpty())
        return tr("This conversation's model %1 is missing — add it again on the Models page")
            .arg(QFileInfo(m_conversationModel).fileName());
    return tr("No model loaded — add a GGUF model on the Models page");
}

void AppController::setChat(ChatService* chat) {
    if (m_chat == chat) return;
    if (m_chat) disconnect(m_chat, nullptr, this, nullptr);
    m_chat = chat;
    if (m_chat) {
        connect(m_chat, &ChatService::messageAdded, this,
                [this](qint64 conv, const MessageInfo& m) { m_messages->upsertMessage(conv, m); });
        connect(m_chat, &ChatService::replyStarted, this,
                [this](qint64 conv, const MessageInfo& reply, qint64) {
                    setReplyingIn(conv);
                    m_messages->upsertMessage(conv, reply);
                });
        connect(m_chat, &ChatService::replyProgress, this,
                [this](qint64 conv, qint64 replyId, const QString& text, qint64) {
                    m_messages->setStreamingText(conv, replyId, text);
                });
        connect(m_chat, &ChatService::replyFinished, this,
                [this](qint64 conv, const MessageInfo& reply) {
                    // The service reloads the branch next (the stored thread is the truth).
                    m_messages->upsertMessage(conv, reply);
                    if (conv == m_replyingIn) setReplyingIn(0);
                });
        connect(m_chat, &ChatService::threadLoaded, this, &AppController::onThreadLoaded);
        connect(m_chat, &ChatService::contextUsageChanged, this,
                [this](qint64 conv, const ContextUsage& usage) {
                    if (conv == m_currentId) setContextUsage(usage);
                });
        connect(m_chat, &ChatService::setupLoaded, this,
                [this](qint64 conv, const ChatSetup& setup) { onSetupLoaded(conv, setup); });
        connect(m_chat, &ChatService::setupSaved, this, [this](qint64 conv) {
            if (conv == m_currentId) m_chat->loadSetup(conv);
        });
        connect(m_chat, &ChatService::messageRated, m_messages, &MessageListModel::setRating);
        connect(m_chat, &ChatService::failed, this, &AppController::reportError);
    }
    emit chatAvailabilityChanged();
    if (m_currentId != 0) reloadMessages();
}

void AppController::setDefaultModel(const QString& path) {
    if (m_chat) m_chat->setDefaultModel(path);
    if (m_defaultModel == path) return;
    m_defaultModel = path;
    emit chatAvailabilityChanged();
}

void AppController::send(const QString& text) {
    if (!canSend() || text.trimmed().isEmpty()) return;
    clearHighlight();
    if (m_currentId == 0) {
        m_pendingMessage = text;
        newConversation();
        return;
    }
    m_chat->send(m_currentId, text);
}

void AppController::stopReply() {
    if (m_chat && m_currentId != 0) m_chat->stop(m_currentId);
}

void AppController::regenerate(qint64 replyId) {
    if (!canSend() || m_chat->isGenerating(m_currentId) || m_messages->rowOf(replyId) < 0) return;
    m_chat->regenerate(replyId);
}

void AppController::editAndResend(qint64 userMessageId, const QString& text) {
    if (!canSend() || m_chat->isGenerating(m_currentId) || text.trimmed().isEmpty() ||
        m_messages->rowOf(userMessageId) < 0)
        return;
    clearHighlight();
    m_chat->editAndResend(userMessageId, text);
}

void AppController::deleteMessage(qint64 messageId) {
    if (!m_chat || m_messages->rowOf(messageId) < 0) return;
    // A reply being written would go on into a deleted row: stop it first.
    if (m_chat->isGenerating(m_currentId)) m_chat->stop(m_currentId);
    if (messageId == m_highlightedId) clearHighlight();
    m_chat->deleteMessage(messageId);
}

void AppController::rate(qint64 messageId, int rating) {
    if (m_chat && messageId != 0) m_chat->rate(messageId, qBound(-1, rating, 1));
}

void AppController::selectMessage(qint64 messageId) {
    if (m_chat && messageId != 0) m_chat->selectMessage(messageId);
}

void AppController::openConversationAt(qint64 conversationId, qint64 messageId) {
    if (conversationId == 0) return;
    setCurrentPage(Chat);
    setHighlight(messageId);
    m_highlightMayNeedBranch = messageId != 0;
    if (conversationId != m_currentId) {
        const ConversationInfo* info = m_conversations->find(conversationId);
        show(conversationId, info ? info->title : QString());
        return; // onThreadLoaded finishes the job
    }
    if (messageId == 0 || m_messages->loading()) return;
    m_highlightMayNeedBranch = false;
    if (m_messages->rowOf(messageId) < 0 && m_chat) m_chat->selectMessage(messageId);
}

void AppController::clearHighlight() {
    m_highlightMayNeedBranch = false;
    setHighlight(0);
}

void AppController::setHighlight(qint64 messageId) {
    if (m_highlightedId == messageId) return;
    m_highlightedId = messageId;
    emit highlightedMessageChanged();
}

void AppController::setContextUsage(const ContextUsage& usage) {
    if (usage.usedTokens == m_context.usedTokens &&
        usage.contextLength == m_context.contextLength &&
        usage.droppedMessages == m_context.droppedMessages)
        return;
    m_context = usage;
    emit contextUsageChanged();
}

void AppController::onThreadLoaded(qint64 conversationId, const QList<ChatTurn>& turns) {
    if (conversationId != m_currentId) return;
    m_messages->setThread(conversationId, turns);
    if (m_highlightMayNeedBranch && m_highlightedId != 0) {
        m_highlightMayNeedBranch = false;
        // A hit on another branch (an older reply, an edited question): show that branch.
        if (m_messages->rowOf(m_highlightedId) < 0) m_chat->selectMessage(m_highlightedId);
    }
}

void AppController::onSetupLoaded(qint64 conversationId, const ChatSetup& setup) {
    if (conversationId != m_currentId) return;
    const bool modelChanged = setup.modelPath != m_conversationModel;
    if (!modelChanged && setup.systemPrompt == m_systemPrompt) return;
    m_conversationModel = setup.modelPath;
    m_systemPrompt = setup.systemPrompt;
    emit conversationSetupChanged();
    if (modelChanged) emit chatAvailabilityChanged();
}

void AppController::setConversationModel(const QString& path) {
    if (!m_chat || m_currentId == 0 || path == m_conversationModel) return;
    m_chat->setModel(m_currentId, path); // setupSaved -> loadSetup -> the properties follow
}

void AppController::setSystemPrompt(const QString& text) {
    if (!m_chat || m_currentId == 0 || text == m_systemPrompt) return;
    m_chat->setSystemPrompt(m_currentId, text);
}

void AppController::reloadMessages() {
    if (m_currentId == 0) return;
    if (m_chat) {
        m_chat->loadThread(m_currentId);
        m_chat->loadSetup(m_currentId);
    } else {
        m_service.loadMessages(m_currentId);
    }
}

void AppController::setReplyingIn(qint64 conversationId) {
    if (m_replyingIn == conversationId) return;
    m_replyingIn = conversationId;
    emit replyingChanged();
}

QUrl AppController::dataFolderUrl() const {
    return QUrl::fromLocalFile(m_paths.dataFolder);
}

QString AppController::version() const {
    return QString::fromUtf8(atelier::versionString());
}

QString AppController::qtVersion() const {
    return QString::fromUtf8(qVersion());
}

void AppController::newConversation() {
    // A new conversation must be visible in the list, whatever was being searched for.
    setTitleFilter({});
    clearHighlight();
    m_service.create(tr("New conversation"));
}

void AppController::selectConversation(qint64 id) {
    setCurrentPage(Chat);
    if (id == m_currentId) return;
    clearHighlight();
    const ConversationInfo* info = m_conversations->find(id);
    show(id, info ? info->title : QString());
}

void AppController::renameConversation(qint64 id, const QString& title) {
    const QString trimmed = title.trimmed();
    if (id == 0 || trimmed.isEmpty()) return;
    m_service.rename(id, trimmed);
}

void AppController::deleteConversation(qint64 id) {
    if (id != 0) m_service.remove(id);
}

void AppController::reportError(const QString& message) {
    if (m_errorMessage == message) return;
    m_errorMessage = message;
    emit errorMessageChanged();
}

void AppController::dismissError() {
    reportError({});
}

void AppController::refresh() {
    m_service.refresh(m_titleFilter);
}

void AppController::show(qint64 id, const QString& title) {
    m_currentId = id;
    m_currentTitle = title;
    m_messages->showConversation(id);
    m_generation->showConversation(id);
    setContextUsage({});
    if (!m_conversationModel.isEmpty() || !m_systemPrompt.isEmpty()) {
        const bool modelChanged = !m_conversationModel.isEmpty();
        m_conversationModel.clear();
        m_systemPrompt.clear();
        emit conversationSetupChanged();
        if (modelChanged) emit chatAvailabilityChanged();
    }
    if (id != 0) {
        reloadMessages();
        m_settings.setValue(kLastConversationKey, id);
    }
    emit currentConversationChanged();
    emit replyingChanged(); // it is per conversation
}

void AppController::onConversationsLoaded(const QList<ConversationInfo>& list) {
    m_conversations->setConversations(list);

    if (m_restorePending) {
        m_restorePending = false;
        // Reopens without switching pages: the window may have been asked to open elsewhere.
        const qint64 last = m_settings.value(kLastConversationKey, 0).toLongLong();
        const ConversationInfo* info = m_conversations->find(last);
        if (!info && m_conversations->count() > 0) info = &list.first();
        if (info) show(info->id, info->title);
        return;
    }
    if (m_selectFirstPending) {
        m_selectFirstPending = false;
        if (m_currentId == 0 && m_conversations->count() > 0)
            show(m_conversations->idAt(0), list.first().title);
        return;
    }
    // Keep the title shown in the header in step with renames seen through a refresh.
    if (const ConversationInfo* info = m_conversations->find(m_currentId);
        info && info->title != m_currentTitle) {
        m_currentTitle = info->title;
        emit currentConversationChanged();
    }
}

void AppController::onConversationCreated(qint64 id) {
    setCurrentPage(Chat);
    show(id, tr("New conversation")); // the service refreshes the list, which brings the title
    if (!m_pendingMessage.isEmpty() && m_chat)
        m_chat->send(id, std::exchange(m_pendingMessage, {}));
}

void AppController::onConversationRenamed(qint64 id, const QString& title) {
    if (id == m_currentId && title != m_currentTitle) {
        m_currentTitle = title;
        emit currentConversationChanged();
    }
}

void AppController::onConversationRemoved(qint64 id) {
    if (id == m_currentId) {
        clearHighlight();
        show(0, {});
        m_selectFirstPending = true; // on the list the service sends next
    }
}

} // namespace atelier::ui
