#include "storage/message_store.hpp"

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

void checkRole(const QString& role) {
    static const QStringList roles = {QStringLiteral("system"), QStringLiteral("user"),
                                      QStringLiteral("assistant"), QStringLiteral("tool")};
    if (!roles.contains(role))
        throw StorageError(StorageErrorKind::Invalid,
                           QStringLiteral("unknown message role '%1' (expected one of %2)")
                               .arg(role, roles.join(QStringLiteral(", "))));
}

void checkState(const QString& state) {
    static const QStringList states = {QStringLiteral("complete"), QStringLiteral("streaming"),
                                       QStringLiteral("interrupted"), QStringLiteral("failed")};
    if (!states.contains(state))
        throw StorageError(StorageErrorKind::Invalid,
                           QStringLiteral("unknown message state '%1' (expected one of %2)")
                               .arg(state, states.join(QStringLiteral(", "))));
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
        QSqlQuery c = db_.prepare(QStringLiteral("SELECT 1 FROM conversations WHERE id = ?"));
        c.addBindValue(m.conversationId);
        db_.exec(c);
        if (!c.next())
            throw StorageError(
                StorageErrorKind::NotFound,
                QStringLiteral("there is no conversation with id %1").arg(m.conversationId));
        if (m.parentId != 0) {
            QSqlQuery p =
                db_.prepare(QStringLiteral("SELECT conversation_id FROM messages WHERE id = ?"));
            p.addBindValue(m.parentId);
            db_.exec(p);
            if (!p.next())
                throw StorageError(
                    StorageErrorKind::NotFound,
                    QStringLiteral("there is no parent message with id %1").arg(m.parentId));
            if (p.value(0).toLongLong() != m.conversationId)
                throw StorageError(
                    StorageErrorKind::Invalid,
                    QStringLiteral("message %1 belongs to another conversation").arg(m.parentId));
        }
        QSqlQuery q = db_.prepare(QStringLiteral(
            "INSERT INTO messages (conversation_id, parent_id, role, content, "
            "created_at, state, params, stats, rating) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        q.addBindValue(m.conversationId);
        q.addBindValue(m.parentId ? QVariant(m.parentId)
                                  : QVariant(QMetaType(QMetaType::LongLong)));
        q.addBindValue(m.role);
        q.addBindValue(sql::text(m.content));
        q.addBindValue(sql::fromTime(m.createdAt));
        q.addBindValue(m.state);
        q.addBindValue(sql::fromJson(m.params));
        q.addBindValue(sql::fromJson(m.stats));
        q.addBindValue(std::clamp(m.rating, -1, 1));
        db_.exec(q);
        m.id = q.lastInsertId().toLongLong();
        return m;
    });
}

void MessageStore::updateContent(qint64 id, const QString& content) {
    Database::checkText(u"the message", content);
    db_.transaction([&] {
        QSqlQuery q = db_.prepare(QStringLiteral("UPDATE messages SET content = ? WHERE id = ?"));
        q.addBindValue(sql::text(content));
        q.addBindValue(id);
        db_.exec(q);
        if (q.numRowsAffected() == 0) notFound(id);
    });
}

void MessageStore::updateState(qint64 id, const QString& state) {
    checkState(state);
    db_.transaction([&] {
        QSqlQuery q = db_.prepare(QStringLiteral("UPDATE messages SET state = ? WHERE id = ?"));
        q.addBindValue(state);
        q.addBindValue(id);
        db_.exec(q);
        if (q.numRowsAffected() == 0) notFound(id);
    });
}

void MessageStore::updateStats(qint64 id, const QJsonObject& stats) {
    db_.transaction([&] {
        QSqlQuery q = db_.prepare(QStringLiteral("UPDATE messages SET stats = ? WHERE id = ?"));
        q.addBindValue(sql::fromJson(stats));
        q.addBindValue(id);
        db_.exec(q);
        if (q.numRowsAffected() == 0) notFound(id);
    });
}

void MessageStore::updateReply(qint64 id, const QString& content, const QString& state,
                               const QJsonObject& stats) {
    Database::checkText(u"the message", content);
    checkState(state);
    db_.transaction([&] {
        QSqlQuery q = db_.prepare(
            QStringLiteral("UPDATE messages SET content = ?, state = ?, stats = ? WHERE id = ?"));
        q.addBindValue(sql::text(content));
        q.addBindValue(state);
        q.addBindValue(sql::fromJson(stats));
        q.addBindValue(id);
        db_.exec(q);
        if (q.numRowsAffected() == 0) notFound(id);
    });
}

void MessageStore::setRating(qint64 id, int rating) {
    if (rating < -1 || rating > 1)
        throw StorageError(StorageErrorKind::Invalid,
                           QStringLiteral("a rating is -1, 0 or 1, not %1").arg(rating));
    db_.transaction([&] {
        QSqlQuery q = db_.prepare(QStringLiteral("UPDATE messages SET rating = ? WHERE id = ?"));
        q.addBindValue(rating);
        q.addBindValue(id);
        db_.exec(q);
        if (q.numRowsAffected() == 0) notFound(id);
    });
}

int MessageStore::markStreamingInterrupted() {
    return db_.transaction([&] {
        QSqlQuery q = db_.prepare(
            QStringLiteral("UPDATE messages SET state = 'interrupted' WHERE state = 'streaming'"));
        db_.exec(q);
        return q.numRowsAffected();
    });
}

void MessageStore::remove(qint64 id) {
    db_.transaction([&] {
        QSqlQuery q = db_.prepare(QStringLiteral("DELETE FROM messages WHERE id = ?"));
        q.addBindValue(id);
        db_.exec(q);
        if (q.numRowsAffected() == 0) notFound(id);
    });
}

MessageRecord MessageStore::get(qint64 id) {
    QSqlQuery q = db_.prepare(QStringLiteral("SELECT %1 FROM messages WHERE id = ?").arg(kColumns));
    q.addBindValue(id);
    db_.exec(q);
    if (!q.next()) notFound(id);
    return readMessage(q);
}

QList<MessageRecord> MessageStore::listFor(qint64 conversationId) {
    QSqlQuery q =
        db_.prepare(QStringLiteral("SELECT %1 FROM messages WHERE conversation_id = ? ORDER BY id")
                        .arg(kColumns));
    q.addBindValue(conversationId);
    db_.exec(q);
    QList<MessageRecord> out;
    while (q.next()) out.append(readMessage(q));
    return out;
}

QList<MessageRecord> MessageStore::children(qint64 parentId) {
    QSqlQuery q = db_.prepare(
        QStringLiteral("SELECT %1 FROM messages WHERE parent_id = ? ORDER BY id").arg(kColumns));
    q.addBindValue(parentId);
    db_.exec(q);
    QList<MessageRecord> out;
    while (q.next()) out.append(readMessage(q));
    return out;
}

qint64 MessageStore::countFor(qint64 conversationId) {
    QSqlQuery q =
        db_.prepare(QStringLiteral("SELECT count(*) FROM messages WHERE conversation_id = ?"));
    q.addBindValue(conversationId);
    db_.exec(q);
    return q.next() ? q.value(0).toLongLong() : 0;
}

QList<MessageHit> MessageStore::search(const QString& text, int limit) {
    const QString match = ftsQuery(text);
    QList<MessageHit> out;
    if (match.isEmpty()) return out;
    QSqlQuery q = db_.prepare(QStringLiteral(
        "SELECT m.id, m.conversation_id, snippet(messages_fts, 0, '[', ']', '…', 12) "
        "FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid "
        "WHERE messages_fts MATCH ? ORDER BY rank LIMIT ?"));
    q.addBindValue(match);
    q.addBindValue(limit);
    db_.exec(q);
    while (q.next())
        out.append({q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString()});
    return out;
}

} // namespace atelier::storage
