#include "message_list_model.hpp"

namespace atelier::ui {

MessageListModel::MessageListModel(QObject* parent) : QAbstractListModel(parent) {}

int MessageListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : count();
}

QVariant MessageListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MessageInfo& m = m_rows.at(index.row());
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
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const {
    return {{IdRole, "messageId"},    {ParentIdRole, "parentId"}, {RoleNameRole, "role"},
            {ContentRole, "content"}, {StateRole, "state"},       {CreatedAtRole, "createdAt"},
            {ParamsRole, "params"},   {StatsRole, "stats"}};
}

void MessageListModel::showConversation(qint64 conversationId) {
    const int before = count();
    if (!m_rows.isEmpty()) {
        beginResetModel();
        m_rows.clear();
        endResetModel();
    }
    if (m_conversationId != conversationId) {
        m_conversationId = conversationId;
        emit conversationIdChanged();
    }
    setLoading(conversationId != 0);
    if (count() != before) emit countChanged();
}

void MessageListModel::setMessages(qint64 conversationId, const QList<MessageInfo>& messages) {
    if (conversationId != m_conversationId || conversationId == 0) return;
    const int before = count();
    beginResetModel();
    m_rows = messages;
    endResetModel();
    setLoading(false);
    if (count() != before) emit countChanged();
}

void MessageListModel::upsertMessage(qint64 conversationId, const MessageInfo& message) {
    if (conversationId != m_conversationId || conversationId == 0) return;
    if (const int row = rowOf(message.id); row >= 0) {
        m_rows[row] = message;
        emit dataChanged(index(row), index(row));
        return;
    }
    beginInsertRows({}, count(), count());
    m_rows.append(message);
    endInsertRows();
    emit countChanged();
}

void MessageListModel::setStreamingText(qint64 conversationId, qint64 messageId,
                                        const QString& text) {
    if (conversationId != m_conversationId || conversationId == 0) return;
    const int row = rowOf(messageId);
    if (row < 0) return;
    m_rows[row].content = text;
    emit dataChanged(index(row), index(row), {ContentRole, Qt::DisplayRole});
}

int MessageListModel::rowOf(qint64 messageId) const {
    for (int i = 0; i < count(); ++i)
        if (m_rows.at(i).id == messageId) return i;
    return -1;
}

void MessageListModel::setLoading(bool loading) {
    if (m_loading == loading) return;
    m_loading = loading;
    emit loadingChanged();
}

} // namespace atelier::ui
