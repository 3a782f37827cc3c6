#include "conversation_transfer.hpp"

#include "app/services/chat_service.hpp"
#include "app/services/conversation_service.hpp"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace atelier::ui {

namespace {

QString pathOf(const QUrl& url) {
    return url.isLocalFile() ? url.toLocalFile() : url.toString(QUrl::PreferLocalFile);
}

} // namespace

ConversationTransfer::ConversationTransfer(ChatService* chat, ConversationService& conversations,
                                           QObject* parent)
    : QObject(parent), m_chat(chat), m_conversations(conversations) {
    if (!m_chat) return;
    connect(m_chat, &ChatService::exported, this, [this](qint64, const QString& path) {
        setStatus(tr("Exported to %1").arg(QDir::toNativeSeparators(path)));
    });
    connect(m_chat, &ChatService::imported, this, [this](qint64 id) {
        setStatus(tr("Conversation imported"));
        m_conversations.refresh(); // the sidebar lists it; then it is opened
        emit imported(id);
    });
    connect(
        m_chat, &ChatService::preferencesExported, this, [this](const QString& path, int pairs) {
            const QString where = QDir::toNativeSeparators(path);
            setStatus(pairs == 1 ? tr("1 preference pair written to %1").arg(where)
                                 : tr("%1 preference pairs written to %2").arg(pairs).arg(where));
        });
}

void ConversationTransfer::exportConversation(qint64 conversationId, const QString& format,
                                              const QUrl& file) {
    const QString path = pathOf(file);
    if (!m_chat || conversationId == 0 || path.isEmpty()) return;
    m_chat->exportConversation(conversationId, format, path);
}

void ConversationTransfer::importConversation(const QUrl& file) {
    const QString path = pathOf(file);
    if (!m_chat || path.isEmpty()) return;
    m_chat->importConversation(path);
}

void ConversationTransfer::exportPreferences(const QUrl& file) {
    const QString path = pathOf(file);
    if (!m_chat || path.isEmpty()) return;
    m_chat->exportPreferences(path);
}

QString ConversationTransfer::suggestedFileName(const QString& title, const QString& format) {
    static const QRegularExpression unsafe(QStringLiteral("[\\\\/:*?\"<>|\\x00-\\x1f]+"));
    QString base = title.trimmed();
    base.replace(unsafe, QStringLiteral(" "));
    base = base.simplified().left(80);
    if (base.isEmpty()) base = QStringLiteral("conversation");
    const bool markdown = format.compare(QLatin1String("markdown"), Qt::CaseInsensitive) == 0;
    return base + (markdown ? QStringLiteral(".md") : QStringLiteral(".json"));
}

void ConversationTransfer::setStatus(const QString& text) {
    m_status = text;
    emit statusChanged(); // also when equal: the same export twice is news again
}

} // namespace atelier::ui
