#pragma once
// The messages of the conversation shown on the Chat page: the branch on screen, each row with
// what the page needs to draw it (text, state, stats, the sampling parameters, the rating, the
// ‹ i/n › sibling position, and whether it was left out of the newest reply's context).
// Fed only on the UI thread, from ChatService::threadLoaded (or, without a chat service, from
// ConversationService::messagesLoaded); answers for any other conversation than the one shown
// (a late reply after a switch) are ignored.
#include "app/services/conversation_tree.hpp"
#include "app/services/records.hpp"

#include <QAbstractListModel>
#include <QHash>
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
        RatingRole,       // -1, 0, 1
        SiblingIndexRole, // 0-based among the message's siblings
        SiblingCountRole, // 1 when it has none
        SiblingIdsRole,   // in creation order, for the ‹ › pager
        OutOfContextRole, // older than what the newest reply saw
        // True on the last row left out of the context: the marker goes below it.
        ContextBoundaryRole,
        StatsTextRole,  // a reply's tokens, first-token time, speed, stop reason
        ParamsTextRole, // the sampling parameters that made a reply
    };
    Q_ENUM(Role)

    explicit MessageListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return static_cast<int>(m_rows.size()); }
    qint64 conversationId() const { return m_conversationId; }
    bool loading() const { return m_loading; }
    // The row of a message, -1 when it is not on screen.
    Q_INVOKABLE int rowOf(qint64 messageId) const;
    // The message as shown (streamed text included); a default one for an unknown id.
    atelier::MessageInfo message(qint64 messageId) const;

    // Empties the list and waits for the messages of `conversationId` (0 = none shown).
    void showConversation(qint64 conversationId);
    // A flat list (no branches known): every message is its parent's only child.
    void setMessages(qint64 conversationId, const QList<atelier::MessageInfo>& messages);
    // The branch on screen. Rows that stay (same ids in the same order) are updated in place,
    // so a view keeps its position; a streaming reply keeps the newer text it has streamed.
    void setThread(qint64 conversationId, const QList<atelier::ChatTurn>& turns);
    // Adds the message below its parent (rows of the branch left behind go), or replaces the
    // row with its id (streaming updates, the stored end).
    void upsertMessage(qint64 conversationId, const atelier::MessageInfo& message);
    // A streaming reply's whole text so far.
    void setStreamingText(qint64 conversationId, qint64 messageId, const QString& text);
    // A rating changed (the service has stored it).
    void setRating(qint64 messageId, int rating);

signals:
    void countChanged();
    void conversationIdChanged();
    void loadingChanged();

private:
    void setLoading(bool loading);
    int lastOutOfContextRow() const;

    qint64 m_conversationId = 0;
    bool m_loading = false;
    QList<ChatTurn> m_rows;
    // Text streamed for replies still "streaming" in the database (saved about once a second,
    // so a reload can bring an older text than the one on screen).
    QHash<qint64, QString> m_streamed;
};

} // namespace atelier::ui
