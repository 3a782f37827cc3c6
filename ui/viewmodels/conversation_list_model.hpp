#pragma once
// The sidebar's conversation list. Fed only on the UI thread from
// ConversationService::conversationsLoaded; rows are synchronised in place (insert, move,
// remove, change) so that views keep their scroll position and selection across refreshes.
#include "app/services/records.hpp"

#include <QAbstractListModel>
#include <QList>
#include <QtQml/qqmlregistration.h>

namespace atelier::ui {

class ConversationListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by AppController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role { IdRole = Qt::UserRole + 1, TitleRole, CreatedAtRole, UpdatedAtRole };
    Q_ENUM(Role)

    explicit ConversationListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return static_cast<int>(m_rows.size()); }
    Q_INVOKABLE int indexOf(qint64 id) const;
    Q_INVOKABLE qint64 idAt(int row) const;
    const ConversationInfo* find(qint64 id) const;

    // Makes the rows equal to `conversations` (in that order) with the fewest model signals.
    void setConversations(const QList<atelier::ConversationInfo>& conversations);

signals:
    void countChanged();

private:
    QList<ConversationInfo> m_rows;
};

} // namespace atelier::ui
