#pragma once
// The messages of the conversation shown on the Chat page, in the order the service gives.
// Fed only on the UI thread from ConversationService::messagesLoaded; answers for any other
// conversation than the one shown (a late reply after a switch) are ignored.
#include "app/services/records.hpp"

#include <QAbstractListModel>
#include <QList>
#include <QtQml/qqmlregistration.h>

namespace atelier::ui {

class MessageListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by AppController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(qint64 conversationId READ conversationId NOTIFY conversationIdChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        ParentIdRole,
        RoleNameRole, // "user", "assistant", "system"
        ContentRole,
        StateRole, // complete | streaming | interrupted | failed
        CreatedAtRole,
        ParamsRole,
        StatsRole,
    };
    Q_ENUM(Role)

    explicit MessageListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return static_cast<int>(m_rows.size()); }
    qint64 conversationId() const { return m_conversationId; }
    bool loading() const { return m_loading; }

    // Empties the list and waits for the messages of `conversationId` (0 = none shown).
    void showConversation(qint64 conversationId);
    // Takes the service's answer; ignored unless it is for the conversation shown.
    void setMessages(qint64 conversationId, const QList<atelier::MessageInfo>& messages);
    // Adds the message, or replaces the row with its id (streaming updates, the stored end).
    void upsertMessage(qint64 conversationId, const atelier::MessageInfo& message);
    // A streaming reply's whole text so far.
    void setStreamingText(qint64 conversationId, qint64 messageId, const QString& text);

signals:
    void countChanged();
    void conversationIdChanged();
    void loadingChanged();

private:
    void setLoading(bool loading);
    int rowOf(qint64 messageId) const;

    qint64 m_conversationId = 0;
    bool m_loading = false;
    QList<MessageInfo> m_rows;
};

} // namespace atelier::ui
