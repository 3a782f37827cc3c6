#pragma once
// Conversations in and out of files, for the sidebar's menus: export one as Markdown or JSON,
// import a JSON export as a new conversation, and write the preference pairs (JSONL) of rated
// regenerations. Takes the URLs the file dialogs give; says what happened in `status`.
#include <QObject>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

namespace atelier {
class ChatService;
class ConversationService;
} // namespace atelier

namespace atelier::ui {

class ConversationTransfer : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Created by the application's main()")
    Q_PROPERTY(bool available READ available CONSTANT) // a chat service is there
    Q_PROPERTY(QString status READ status NOTIFY statusChanged)

public:
    ConversationTransfer(ChatService* chat, ConversationService& conversations,
                         QObject* parent = nullptr);

    bool available() const { return m_chat != nullptr; }
    QString status() const { return m_status; }

    // format: "markdown" or "json".
    Q_INVOKABLE void exportConversation(qint64 conversationId, const QString& format,
                                        const QUrl& file);
    Q_INVOKABLE void importConversation(const QUrl& file);
    Q_INVOKABLE void exportPreferences(const QUrl& file);
    // "Recipes.md" for a title (characters that files cannot hold replaced).
    Q_INVOKABLE static QString suggestedFileName(const QString& title, const QString& format);

signals:
    void statusChanged();
    // The imported conversation is stored and the conversation list refreshed.
    void imported(qint64 conversationId);

private:
    void setStatus(const QString& text);

    ChatService* m_chat; // may be null; outlives this object
    ConversationService& m_conversations;
    QString m_status;
};

} // namespace atelier::ui
