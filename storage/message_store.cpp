#include "storage/message_store.hpp"

#include "storage/query_rows.hpp"
#include "storage/sql_util.hpp"

#include <QRegularExpression>
#include <algorithm>

namespace atelier::storage {

namespace {

const QString kColumns = QStringLiteral(
    "id, conversation_id, parent_id, role, content, created_at, state, params, stats, rating");

MessageRecord readMessage(const QSqlQuery& q) {
    MessageRecord m;
    m.id = q.value(0).toLongLong();
    m.conversationId = q.value(1).toLongLong();
    m.parentId = q.value(2).isNull() ? 0 : q.value(2).toLongLong();
    m.role = q.value(3).toString();
    m.content = q.value(4).toString();
    m.createdAt = sql::toTime(q.value(5));
    m.state = q.value(6).toString();
    m.params = sql::toJson(q.value(7));
    m.stats = sql::toJson(q.value(8));
    m.rating = q.value(9).toInt();
    return m;
}

[[noreturn]] void notFound(qint64 id) {
    throw StorageError(StorageErrorKind::NotFound,
                       QStringLiteral("there is no message with id %1").arg(id));
}

// Invalid unless value is one of allowed; `what` names the field ("role", "state").
void checkOneOf(const char* what, const QString& value, const QStringList& allowed) {
    if (!allowed.contains(value))
        throw StorageError(
            StorageErrorKind::Invalid,
            QStringLiteral("unknown message %1 '%2' (expected one of %3)")
                .arg(QLatin1String(what), value, allowed.join(QStringLiteral(", "))));
}

void checkRole(const QString& role) {
    static const QStringList roles = {QStringLiteral("system"), QStringLiteral("user"),
                                      QStringLiteral("assistant"), QStringLiteral("tool")};
    checkOneOf("role", role, roles);
}

void checkState(const QString& state) {
    static const QStringList states = {QStringLiteral("complete"), QStringLiteral("streaming"),
                                       QStringLiteral("interrupted"), QStringLiteral("failed")};
    checkOneOf("state", state, states);
}

// Sets columns of one message in a transaction: `assignments` is "a = ?, b = ?" with `values`
// in that order. NotFound for an unknown id.
void setColumns(Database& db, qint64 id, const QString& assignments, QVariantList values) {
    values.append(id);
    db.transaction([&] {
        const int changed = sql::changedRows(
            db, QStringLiteral("UPDATE messages SET %1 WHERE id = ?").arg(assignments), values);
        if (changed == 0) notFound(id);
    });
}

// Words of the person's query become quoted FTS5 prefix terms, so punctuation and FTS5 syntax
// in what they typed can never make the query invalid.
QString ftsQuery(const QString& text) {
    static const QRegularExpression separators(QStringLiteral("[\\s\\p{P}\\p{S}]+"));
    QStringList terms;
    for (const QString& word : text.split(separators, Qt::SkipEmptyParts))
        terms.append(QLatin1Char('"') +
                     QString(word).replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
                     QStringLiteral("\"*"));
    return terms.join(QLatin1Char(' '));
}

} // namespace

MessageRecord MessageStore::append(MessageRecord m) {
    Database::checkText(u"the message", m.content);
    checkRole(m.role);
    checkState(m.state);
    if (!m.createdAt.isValid()) m.createdAt = sql::now();
    return db_.transaction([&] {
        if (!sql::hasRow(db_, QStringLiteral("SELECT 1 FROM conversations WHERE id = ?"),
                         {m.conversationId}))
            throw StorageError(
                StorageErrorKind::NotFound,
                QStringLiteral("there is no conversation with id %1").arg(m.conversationId));
        if (m.parentId != 0) {
            const auto parentConversation = sql::selectOne(
                db_, QStringLiteral("SELECT conversation_id FROM messages WHERE id = ?"),
                {m.parentId}, [](const QSqlQuery& q) { return q.value(0).toLongLong(); });
            if (!parentConversation)
                throw StorageError(
                    StorageErrorKind::NotFound,
                    QStringLiteral("there is no parent message with id %1").arg(m.parentId));
            if (*parentConversation != m.conversationId)
                throw StorageError(
                    StorageErrorKind::Invalid,
                    QStringLiteral("message %1 belongs to another conversation").arg(m.parentId));
        }
        const QSqlQuery q = sql::run(
            db_,
            QStringLiteral("INSERT INTO messages (conversation_id, parent_id, role, content, "
                           "created_at, state, params, stats, rating) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            {m.conversationId,
             m.parentId ? QVariant(m.parentId) : QVariant(QMetaType(QMetaType::LongLong)), m.role,
             sql::text(m.content), sql::fromTime(m.createdAt), m.state, sql::fromJson(m.params),
             sql::fromJson(m.stats), std::clamp(m.rating, -1, 1)});
        m.id = q.lastInsertId().toLongLong();
        return m;
    });
}

void MessageStore::updateContent(qint64 id, const QString& content) {
    Database::checkText(u"the message", content);
    setColumns(db_, id, QStringLiteral("content = ?"), {sql::text(content)});
}

void MessageStore::updateState(qint64 id, const QString& state) {
    checkState(state);
    setColumns(db_, id, QStringLiteral("state = ?"), {state});
}

void MessageStore::updateStats(qint64 id, const QJsonObject& stats) {
    setColumns(db_, id, QStringLiteral("stats = ?"), {sql::fromJson(stats)});
}

void MessageStore::updateReply(qint64 id, const QString& content, const QString& state,
                               const QJsonObject& stats) {
    Database::checkText(u"the message", content);
    checkState(state);
    setColumns(db_, id, QStringLiteral("content = ?, state = ?, stats = ?"),
               {sql::text(content), state, sql::fromJson(stats)});
}

void MessageStore::setRating(qint64 id, int rating) {
    if (rating < -1 || rating > 1)
        throw StorageError(StorageErrorKind::Invalid,
                           QStringLiteral("a rating is -1, 0 or 1, not %1").arg(rating));
    setColumns(db_, id, QStringLiteral("rating = ?"), {rating});
}

int MessageStore::markStreamingInterrupted() {
    return db_.transaction([&] {
        return sql::changedRows(
            db_,
            QStringLiteral("UPDATE messages SET state = 'interrupted' WHERE state = 'streaming'"),
            {});
    });
}

void MessageStore::remove(qint64 id) {
    db_.transaction([&] {
        const int removed =
            sql::changedRows(db_, QStringLiteral("DELETE FROM messages WHERE id = ?"), {id});
        if (removed == 0) notFound(id);
    });
}

MessageRecord MessageStore::get(qint64 id) {
    auto m =
        sql::selectOne(db_, QStringLiteral("SELECT %1 FROM messages WHERE id = ?").arg(kColumns),
                       {id}, readMessage);
    if (!m) notFound(id);
    return std::move(*m);
}

QList<MessageRecord> MessageStore::listFor(qint64 conversationId) {
    return sql::selectAll(
        db_,
        QStringLiteral("SELECT %1 FROM messages WHERE conversation_id = ? ORDER BY id")
            .arg(kColumns),
        {conversationId}, readMessage);
}

QList<MessageRecord> MessageStore::children(qint64 parentId) {
    return sql::selectAll(
        db_,
        QStringLiteral("SELECT %1 FROM messages WHERE parent_id = ? ORDER BY id").arg(kColumns),
        {parentId}, readMessage);
}

qint64 MessageStore::countFor(qint64 conversationId) {
    const auto count = sql::selectOne(
        db_, QStringLiteral("SELECT count(*) FROM messages WHERE conversation_id = ?"),
        {conversationId}, [](const QSqlQuery& q) { return q.value(0).toLongLong(); });
    return count.value_or(0);
}

QList<MessageHit> MessageStore::search(const QString& text, int limit) {
    const QString match = ftsQuery(text);
    if (match.isEmpty()) return {};
    return sql::selectAll(
        db_,
        QStringLiteral(
            "SELECT m.id, m.conversation_id, snippet(messages_fts, 0, '[', ']', '…', 12) "
            "FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid "
            "WHERE messages_fts MATCH ? ORDER BY rank LIMIT ?"),
        {match, limit}, [](const QSqlQuery& q) {
            return MessageHit{q.value(0).toLongLong(), q.value(1).toLongLong(),
                              q.value(2).toString()};
        });
}

} // namespace atelier::storage
