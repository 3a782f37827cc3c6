#pragma once
// The sidebar's search over all conversations: conversations whose title contains the query,
// then messages that match it (ChatService::search, SQLite FTS5), each with its conversation's
// title and a snippet whose matched words are marked up for a StyledText label. The query is
// sent a moment after the last keystroke; answers to an older query are dropped.
#include "storage/records.hpp"

#include <QAbstractListModel>
#include <QList>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace atelier {
class ChatService;
}

namespace atelier::ui {

class ConversationListModel;

class SearchResultsModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Created by the application's main()")
    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged)
    Q_PROPERTY(bool active READ active NOTIFY queryChanged) // a query is typed
    Q_PROPERTY(bool searching READ searching NOTIFY searchingChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role {
        ConversationIdRole = Qt::UserRole + 1,
        MessageIdRole, // 0 for a title match
        TitleRole,
        SnippetRole, // StyledText: HTML-escaped, the matched words in <b>
        KindRole,    // "title" or "message"
    };
    Q_ENUM(Role)

    // `conversations` is the sidebar's list (for titles); `chat` answers the full-text search.
    SearchResultsModel(ChatService* chat, const ConversationListModel* conversations,
                       QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString query() const { return m_query; }
    void setQuery(const QString& query);
    bool active() const { return !m_query.trimmed().isEmpty(); }
    bool searching() const { return m_searching; }
    int count() const { return static_cast<int>(m_rows.size()); }

    // "[pine] nuts <b>" -> "<b>pine</b> nuts &lt;b&gt;" (the storage marks matches with [ ]).
    static QString markupSnippet(const QString& snippet);

signals:
    void queryChanged();
    void searchingChanged();
    void countChanged();

private:
    struct Row {
        qint64 conversationId = 0;
        qint64 messageId = 0;
        QString title;
        QString snippet;
    };
    void runQuery();
    void onResults(const QString& text, const QList<storage::MessageHit>& hits);
    void setRows(QList<Row> rows);
    void setSearching(bool searching);
    QString titleOf(qint64 conversationId) const;

    ChatService* m_chat; // may be null; outlives this object
    const ConversationListModel* m_conversations;
    QString m_query;
    QString m_sent; // the query whose answer is awaited
    bool m_searching = false;
    QTimer m_debounce;
    QList<Row> m_rows;
};

} // namespace atelier::ui
