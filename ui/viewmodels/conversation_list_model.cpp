#include "conversation_list_model.hpp"

#include <QSet>

namespace atelier::ui {

ConversationListModel::ConversationListModel(QObject* parent) : QAbstractListModel(parent) {}

int ConversationListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : count();
}

QVariant ConversationListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ConversationInfo& c = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        return c.title;
    case IdRole:
        return c.id;
    case CreatedAtRole:
        return c.createdAt;
    case UpdatedAtRole:
        return c.updatedAt;
    default:
        return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const {
    return {{IdRole, "conversationId"},
            {TitleRole, "title"},
            {CreatedAtRole, "createdAt"},
            {UpdatedAtRole, "updatedAt"}};
}

int ConversationListModel::indexOf(qint64 id) const {
    for (int i = 0; i < count(); ++i)
        if (m_rows.at(i).id == id) return i;
    return -1;
}

qint64 ConversationListModel::idAt(int row) const {
    return row >= 0 && row < count() ? m_rows.at(row).id : 0;
}

const ConversationInfo* ConversationListModel::find(qint64 id) const {
    const int row = indexOf(id);
    return row < 0 ? nullptr : &m_rows.at(row);
}

void ConversationListModel::setConversations(const QList<ConversationInfo>& conversations) {
    const int before = count();
    QSet<qint64> wanted;
    for (const auto& c : conversations) wanted.insert(c.id);

    // 1. Drop rows that are gone (bottom up so indices stay valid).
    for (int i = count() - 1; i >= 0; --i) {
        if (wanted.contains(m_rows.at(i).id)) continue;
        beginRemoveRows({}, i, i);
        m_rows.removeAt(i);
        endRemoveRows();
    }
    // 2. Walk the target order: keep, move up, or insert; then refresh changed fields.
    for (int i = 0; i < conversations.size(); ++i) {
        const ConversationInfo& target = conversations.at(i);
        const int at = indexOf(target.id);
        if (at < 0) {
            beginInsertRows({}, i, i);
            m_rows.insert(i, target);
            endInsertRows();
            continue;
        }
        if (at != i) {
            // Rows before i are already in place, so the row only ever moves up.
            beginMoveRows({}, at, at, {}, i);
            m_rows.move(at, i);
            endMoveRows();
        }
        ConversationInfo& row = m_rows[i];
        if (row.title != target.title || row.createdAt != target.createdAt ||
            row.updatedAt != target.updatedAt) {
            row = target;
            emit dataChanged(index(i), index(i));
        }
    }
    if (count() != before) emit countChanged();
}

} // namespace atelier::ui
