#include "search_results_model.hpp"

#include "app/services/chat_service.hpp"
#include "conversation_list_model.hpp"

namespace atelier::ui {

namespace {
constexpr int kDebounceMs = 200;
}

SearchResultsModel::SearchResultsModel(ChatService* chat,
                                       const ConversationListModel* conversations, QObject* parent)
    : QAbstractListModel(parent), m_chat(chat), m_conversations(conversations) {
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &SearchResultsModel::runQuery);
    if (m_chat) connect(m_chat, &ChatService::searchResults, this, &SearchResultsModel::onResults);
}

int SearchResultsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : count();
}

QVariant SearchResultsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows.at(index.row());
    switch (role) {
    case ConversationIdRole:
        return r.conversationId;
    case MessageIdRole:
        return r.messageId;
    case Qt::DisplayRole:
    case TitleRole:
        return r.title;
    case SnippetRole:
        return r.snippet;
    case KindRole:
        return r.messageId == 0 ? QStringLiteral("title") : QStringLiteral("message");
    default:
        return {};
    }
}

QHash<int, QByteArray> SearchResultsModel::roleNames() const {
    return {{ConversationIdRole, "conversationId"},
            {MessageIdRole, "messageId"},
            {TitleRole, "title"},
            {SnippetRole, "snippet"},
            {KindRole, "kind"}};
}

void SearchResultsModel::setQuery(const QString& query) {
    if (m_query == query) return;
    m_query = query;
    emit queryChanged();
    if (!active()) {
        m_debounce.stop();
        m_sent.clear();
        setSearching(false);
        setRows({});
        return;
    }
    setSearching(true);
    m_debounce.start();
}

QString SearchResultsModel::markupSnippet(const QString& snippet) {
    QString out = snippet.toHtmlEscaped();
    out.replace(QLatin1Char('['), QLatin1String("<b>"));
    out.replace(QLatin1Char(']'), QLatin1String("</b>"));
    out.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return out;
}

void SearchResultsModel::runQuery() {
    m_sent = m_query.trimmed();
    if (m_chat) {
        m_chat->search(m_sent);
    } else {
        onResults(m_sent, {}); // no chat service: titles only
    }
}

void SearchResultsModel::onResults(const QString& text, const QList<storage::MessageHit>& hits) {
    if (text != m_sent || !active()) return; // an older query's answer
    QList<Row> rows;
    if (m_conversations) {
        for (int i = 0; i < m_conversations->rowCount(); ++i) {
            const QModelIndex at = m_conversations->index(i);
            const QString title = at.data(ConversationListModel::TitleRole).toString();
            if (title.contains(text, Qt::CaseInsensitive))
                rows.append({at.data(ConversationListModel::IdRole).toLongLong(), 0, title, {}});
        }
    }
    for (const storage::MessageHit& hit : hits)
        rows.append({hit.conversationId, hit.messageId, titleOf(hit.conversationId),
                     markupSnippet(hit.snippet)});
    setRows(std::move(rows));
    setSearching(false);
}

void SearchResultsModel::setRows(QList<Row> rows) {
    const int before = count();
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    if (count() != before) emit countChanged();
}

void SearchResultsModel::setSearching(bool searching) {
    if (m_searching == searching) return;
    m_searching = searching;
    emit searchingChanged();
}

QString SearchResultsModel::titleOf(qint64 conversationId) const {
    const ConversationInfo* info =
        m_conversations ? m_conversations->find(conversationId) : nullptr;
    return info ? info->title : tr("Conversation %1").arg(conversationId);
}

} // namespace atelier::ui
