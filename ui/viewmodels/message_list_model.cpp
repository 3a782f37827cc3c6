#include "message_list_model.hpp"

#include "reply_facts.hpp"

#include <QVariantList>

namespace atelier::ui {

namespace {

const QString kStreaming = QStringLiteral("streaming");

ChatTurn onlyChild(const MessageInfo& m) {
    ChatTurn t;
    t.message = m;
    t.siblingIds = {m.id};
    return t;
}

} // namespace

MessageListModel::MessageListModel(QObject* parent) : QAbstractListModel(parent) {}

int MessageListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : count();
}

QVariant MessageListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ChatTurn& t = m_rows.at(index.row());
    const MessageInfo& m = t.message;
    switch (role) {
    case Qt::DisplayRole:
    case ContentRole:
        return m.content;
    case IdRole:
        return m.id;
    case ParentIdRole:
        return m.parentId;
    case RoleNameRole:
        return m.role;
    case StateRole:
        return m.state;
    case CreatedAtRole:
        return m.createdAt;
    case ParamsRole:
        return m.params.toVariantMap();
    case StatsRole:
        return m.stats.toVariantMap();
    case RatingRole:
        return m.rating;
    case SiblingIndexRole:
        return t.siblingIndex;
    case SiblingCountRole:
        return t.siblingCount;
    case SiblingIdsRole: {
        QVariantList ids;
        for (qint64 id : t.siblingIds) ids.append(id);
        return ids;
    }
    case OutOfContextRole:
        return t.outOfContext;
    case ContextBoundaryRole:
        return index.row() == lastOutOfContextRow();
    case StatsTextRole:
        return m.role == QLatin1String("assistant") ? replyStatsLine(m.stats) : QString();
    case ParamsTextRole:
        return m.role == QLatin1String("assistant") ? replyParamsLine(m.params, m.stats)
                                                    : QString();
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const {
    return {{IdRole, "messageId"},
            {ParentIdRole, "parentId"},
            {RoleNameRole, "role"},
            {ContentRole, "content"},
            {StateRole, "state"},
            {CreatedAtRole, "createdAt"},
            {ParamsRole, "params"},
            {StatsRole, "stats"},
            {RatingRole, "rating"},
            {SiblingIndexRole, "siblingIndex"},
            {SiblingCountRole, "siblingCount"},
            {SiblingIdsRole, "siblingIds"},
            {OutOfContextRole, "outOfContext"},
            {ContextBoundaryRole, "contextBoundary"},
            {StatsTextRole, "statsText"},
            {ParamsTextRole, "paramsText"}};
}

void MessageListModel::showConversation(qint64 conversationId) {
    const int before = count();
    if (!m_rows.isEmpty()) {
        beginResetModel();
        m_rows.clear();
        endResetModel();
    }
    m_streamed.clear();
    if (m_conversationId != conversationId) {
        m_conversationId = conversationId;
        emit conversationIdChanged();
    }
    setLoading(conversationId != 0);
    if (count() != before) emit countChanged();
}

void MessageListModel::setMessages(qint64 conversationId, const QList<MessageInfo>& messages) {
    QList<ChatTurn> turns;
    turns.reserve(messages.size());
    for (const MessageInfo& m : messages) turns.append(onlyChild(m));
    setThread(conversationId, turns);
}

void MessageListModel::setThread(qint64 conversationId, const QList<ChatTurn>& turns) {
    if (conversationId != m_conversationId || conversationId == 0) return;
    QList<ChatTurn> next = turns;
    for (ChatTurn& t : next) {
        const auto streamed = m_streamed.constFind(t.message.id);
        if (streamed == m_streamed.constEnd()) continue;
        if (t.message.state == kStreaming && streamed->size() > t.message.content.size())
            t.message.content = *streamed;
        else if (t.message.state != kStreaming)
            m_streamed.remove(t.message.id); // finished: the stored text is the truth
    }

    const int before = count();
    // The rows on screen stay when the new branch starts with them: update them, append the rest.
    bool samePrefix = next.size() >= m_rows.size();
    for (qsizetype i = 0; samePrefix && i < m_rows.size(); ++i)
        samePrefix = m_rows[i].message.id == next[i].message.id;
    if (samePrefix) {
        const int kept = count();
        for (int i = 0; i < kept; ++i) m_rows[i] = next[i];
        if (kept > 0) emit dataChanged(index(0), index(kept - 1));
        if (next.size() > kept) {
            beginInsertRows({}, kept, int(next.size()) - 1);
            for (qsizetype i = kept; i < next.size(); ++i) m_rows.append(next[i]);
            endInsertRows();
        }
    } else {
        beginResetModel();
        m_rows = next;
        endResetModel();
    }
    setLoading(false);
    if (count() != before) emit countChanged();
}

void MessageListModel::upsertMessage(qint64 conversationId, const MessageInfo& message) {
    if (conversationId != m_conversationId || conversationId == 0) return;
    if (message.state != kStreaming) m_streamed.remove(message.id);
    if (const int row = rowOf(message.id); row >= 0) {
        MessageInfo m = message;
        if (m.state == kStreaming && m.content.size() < m_rows[row].message.content.size())
            m.content = m_rows[row].message.content;
        m_rows[row].message = m;
        emit dataChanged(index(row), index(row));
        return;
    }
    // A new message continues the branch from its parent: rows below the parent belong to
    // the branch being left (a regenerated reply, an edited question) until the reload.
    const int parentRow = message.parentId == 0 ? -1 : rowOf(message.parentId);
    const int keep = parentRow >= 0 ? parentRow + 1 : (message.parentId == 0 ? 0 : count());
    if (keep < count()) {
        beginRemoveRows({}, keep, count() - 1);
        m_rows.resize(keep);
        endRemoveRows();
    }
    beginInsertRows({}, count(), count());
    m_rows.append(onlyChild(message));
    endInsertRows();
    emit countChanged();
}

void MessageListModel::setStreamingText(qint64 conversationId, qint64 messageId,
                                        const QString& text) {
    if (conversationId != m_conversationId || conversationId == 0) return;
    m_streamed.insert(messageId, text);
    const int row = rowOf(messageId);
    if (row < 0) return;
    m_rows[row].message.content = text;
    emit dataChanged(index(row), index(row), {ContentRole, Qt::DisplayRole});
}

void MessageListModel::setRating(qint64 messageId, int rating) {
    const int row = rowOf(messageId);
    if (row < 0 || m_rows[row].message.rating == rating) return;
    m_rows[row].message.rating = rating;
    emit dataChanged(index(row), index(row), {RatingRole});
}

int MessageListModel::rowOf(qint64 messageId) const {
    for (int i = 0; i < count(); ++i)
        if (m_rows.at(i).message.id == messageId) return i;
    return -1;
}

MessageInfo MessageListModel::message(qint64 messageId) const {
    const int row = rowOf(messageId);
    return row < 0 ? MessageInfo{} : m_rows.at(row).message;
}

int MessageListModel::lastOutOfContextRow() const {
    for (int i = count() - 1; i >= 0; --i)
        if (m_rows.at(i).outOfContext) return i;
    return -1;
}

void MessageListModel::setLoading(bool loading) {
    if (m_loading == loading) return;
    m_loading = loading;
    emit loadingChanged();
}

} // namespace atelier::ui
