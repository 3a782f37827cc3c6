#pragma once
// The app-level view-model: which page is shown, which conversation is open, the sidebar's
// filter, and the actions on conversations. It owns the list models and the generation
// parameters the pages bind to, and feeds them from the services' signals, which arrive on the
// UI thread. It knows the services, never storage or an engine.
#include "app/services/conversation_tree.hpp"
#include "app/services/records.hpp"
#include "conversation_list_model.hpp"
#include "generation_params_model.hpp"
#include "job_list_model.hpp"
#include "message_list_model.hpp"
#include "model_list_model.hpp"

#include <QObject>
#include <QString>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

namespace atelier {
class ConversationService;
class SettingsService;
class JobQueue;
class ChatService;
struct ChatSetup;
} // namespace atelier

namespace atelier::ui {

class AppController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Created by the application's main()")

    Q_PROPERTY(atelier::ui::ConversationListModel* conversations READ conversations CONSTANT)
    Q_PROPERTY(atelier::ui::MessageListModel* messages READ messages CONSTANT)
    Q_PROPERTY(atelier::ui::JobListModel* jobs READ jobs CONSTANT)
    Q_PROPERTY(atelier::ui::GenerationParamsModel* generation READ generation CONSTANT)
    Q_PROPERTY(atelier::ui::ModelListModel* models READ models CONSTANT)

    Q_PROPERTY(Page currentPage READ currentPage WRITE setCurrentPage NOTIFY currentPageChanged)
    Q_PROPERTY(
        qint64 currentConversationId READ currentConversationId NOTIFY currentConversationChanged)
    Q_PROPERTY(QString currentConversationTitle READ currentConversationTitle NOTIFY
                   currentConversationChanged)
    Q_PROPERTY(QString titleFilter READ titleFilter WRITE setTitleFilter NOTIFY titleFilterChanged)
    Q_PROPERTY(bool started READ started NOTIFY startedChanged)

    // Chat needs an LLM engine; until one is loaded the page says so and cannot send.
    Q_PROPERTY(bool canSend READ canSend NOTIFY chatAvailabilityChanged)
    Q_PROPERTY(
        QString chatUnavailableReason READ chatUnavailableReason NOTIFY chatAvailabilityChanged)
    // A reply is streaming (or queued) in the open conversation; Stop ends it.
    Q_PROPERTY(bool replying READ replying NOTIFY replyingChanged)
    // The message to scroll to and tint (a search hit); 0 = none. Stays until another
    // conversation is opened, a message is sent, or clearHighlight().
    Q_PROPERTY(
        qint64 highlightedMessageId READ highlightedMessageId NOTIFY highlightedMessageChanged)
    // What the newest reply of the open conversation used of the model's context.
    // The open conversation's own model (empty: the default model) and system prompt.
    Q_PROPERTY(QString conversationModel READ conversationModel NOTIFY conversationSetupChanged)
    Q_PROPERTY(QString systemPrompt READ systemPrompt NOTIFY conversationSetupChanged)
    Q_PROPERTY(QString defaultModelPath READ defaultModel NOTIFY chatAvailabilityChanged)
    Q_PROPERTY(qint64 contextUsed READ contextUsed NOTIFY contextUsageChanged)
    Q_PROPERTY(qint64 contextLength READ contextLength NOTIFY contextUsageChanged)
    Q_PROPERTY(int droppedMessages READ droppedMessages NOTIFY contextUsageChanged)

    // The last error or notice for the person (empty when none); shown in a banner.
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY errorMessageChanged)

    Q_PROPERTY(QString dataFolder READ dataFolder CONSTANT)
    Q_PROPERTY(QUrl dataFolderUrl READ dataFolderUrl CONSTANT)
    Q_PROPERTY(QString databasePath READ databasePath CONSTANT)
    Q_PROPERTY(QString version READ version CONSTANT)
    Q_PROPERTY(QString qtVersion READ qtVersion CONSTANT)

public:
    enum Page { Chat, Images, Models, Jobs, Settings };
    Q_ENUM(Page)

    struct Paths {
        QString dataFolder;
        QString databasePath;
    };

    // Setting keys this controller reads and writes.
    static inline const QString kLastConversationKey = QStringLiteral("chat/lastConversation");

    // `jobs` may be null (no queue: the Jobs page stays empty and cannot cancel).
    AppController(ConversationService& conversations, SettingsService& settings, JobQueue* jobs,
                  Paths paths, QObject* parent = nullptr);
    ~AppController() override;

    // Lists the conversations and reopens the last one (settings must be loaded by then).
    Q_INVOKABLE void start();

    ConversationListModel* conversations() const { return m_conversations; }
    MessageListModel* messages() const { return m_messages; }
    JobListModel* jobs() const { return m_jobs; }
    GenerationParamsModel* generation() const { return m_generation; }
    ModelListModel* models() const { return m_models; }

    Page currentPage() const { return m_page; }
    void setCurrentPage(Page page);
    qint64 currentConversationId() const { return m_currentId; }
    QString currentConversationTitle() const { return m_currentTitle; }
    QString titleFilter() const { return m_titleFilter; }
    void setTitleFilter(const QString& filter);
    bool started() const { return m_started; }

    // Chat goes through this service (none: the page says chat is unavailable).
    void setChat(ChatService* chat);
    // The model used by conversations that chose none (ModelLibrary's pick; empty = none).
    void setDefaultModel(const QString& path);
    QString defaultModel() const { return m_defaultModel; }

    // The open conversation's own model when it chose one, else the default model.
    bool canSend() const;
    QString chatUnavailableReason() const;
    bool replying() const { return m_replyingIn != 0 && m_replyingIn == m_currentId; }
    qint64 highlightedMessageId() const { return m_highlightedId; }
    qint64 contextUsed() const { return m_context.usedTokens; }
    qint64 contextLength() const { return m_context.contextLength; }
    int droppedMessages() const { return m_context.droppedMessages; }
    // The model file the open conversation chose (empty: it uses the default model).
    QString conversationModel() const { return m_conversationModel; }
    QString systemPrompt() const { return m_systemPrompt; }
    // Saved with the open conversation; they apply to its next reply (empty path: default).
    Q_INVOKABLE void setConversationModel(const QString& path);
    Q_INVOKABLE void setSystemPrompt(const QString& text);

    QString errorMessage() const { return m_errorMessage; }
    QString dataFolder() const { return m_paths.dataFolder; }
    QUrl dataFolderUrl() const;
    QString databasePath() const { return m_paths.databasePath; }
    QString version() const;
    QString qtVersion() const;

    Q_INVOKABLE void newConversation();
    Q_INVOKABLE void selectConversation(qint64 id);
    // Opens a conversation on the Chat page with one message scrolled to and highlighted (the
    // branch through it is shown when it lies on another one).
    Q_INVOKABLE void openConversationAt(qint64 conversationId, qint64 messageId);
    Q_INVOKABLE void clearHighlight();
    Q_INVOKABLE void renameConversation(qint64 id, const QString& title);
    Q_INVOKABLE void deleteConversation(qint64 id);
    // Sends to the open conversation (a new one is created first when none is open).
    Q_INVOKABLE void send(const QString& text);
    // Stops the open conversation's reply; the partial text is kept.
    Q_INVOKABLE void stopReply();
    // Per message (ids of the open conversation's rows).
    Q_INVOKABLE void regenerate(qint64 replyId);
    Q_INVOKABLE void editAndResend(qint64 userMessageId, const QString& text);
    Q_INVOKABLE void deleteMessage(qint64 messageId);
    // -1 thumbs down, 0 none, 1 thumbs up.
    Q_INVOKABLE void rate(qint64 messageId, int rating);
    // Shows the branch through this message (a sibling picked with the ‹ › pager).
    Q_INVOKABLE void selectMessage(qint64 messageId);
    Q_INVOKABLE void reportError(const QString& message);
    Q_INVOKABLE void dismissError();

signals:
    void currentPageChanged();
    void currentConversationChanged();
    void titleFilterChanged();
    void startedChanged();
    void chatAvailabilityChanged();
    void replyingChanged();
    void conversationSetupChanged();
    void highlightedMessageChanged();
    void contextUsageChanged();
    void errorMessageChanged();

private:
    void onConversationsLoaded(const QList<atelier::ConversationInfo>& list);
    void onConversationCreated(qint64 id);
    void onConversationRenamed(qint64 id, const QString& title);
    void onConversationRemoved(qint64 id);
    void show(qint64 id, const QString& title);
    void refresh();
    void setReplyingIn(qint64 conversationId);
    void setHighlight(qint64 messageId);
    void setContextUsage(const atelier::ContextUsage& usage);
    void onThreadLoaded(qint64 conversationId, const QList<atelier::ChatTurn>& turns);
    void onSetupLoaded(qint64 conversationId, const atelier::ChatSetup& setup);
    // Reloads the open conversation's messages (the branch when chat is available).
    void reloadMessages();

    ConversationService& m_service;
    SettingsService& m_settings;
    Paths m_paths;

    ConversationListModel* m_conversations;
    MessageListModel* m_messages;
    JobListModel* m_jobs;
    GenerationParamsModel* m_generation;
    ModelListModel* m_models;

    Page m_page = Chat;
    qint64 m_currentId = 0;
    QString m_currentTitle;
    QString m_titleFilter;
    QString m_errorMessage;
    bool m_started = false;
    ChatService* m_chat = nullptr;
    QString m_defaultModel;
    qint64 m_replyingIn = 0;     // the conversation whose reply streams now (0: none)
    QString m_conversationModel; // the open conversation's own model (empty: default)
    QString m_systemPrompt;      // the open conversation's system prompt
    ContextUsage m_context;
    qint64 m_highlightedId = 0;
    bool m_highlightMayNeedBranch = false; // not on screen yet: select its branch once loaded
    QString m_pendingMessage;          // send() with no conversation open: sent once it is created
    bool m_restorePending = false;     // start(): reopen the last conversation on the first list
    bool m_selectFirstPending = false; // the open conversation was deleted
};

} // namespace atelier::ui
