#include "storage/conversation_store.hpp"

#include "storage/query_rows.hpp"
#include "storage/sql_util.hpp"

namespace atelier::storage {

namespace {

ConversationRecord readConversation(const QSqlQuery& q) {
    ConversationRecord c;
    c.id = q.value(0).toLongLong();
    c.title = q.value(1).toString();
    c.createdAt = sql::toTime(q.value(2));
    c.updatedAt = sql::toTime(q.value(3));
    c.modelPath = q.value(4).toString();
    c.systemPrompt = q.value(5).toString();
    c.activeMessageId = q.value(6).isNull() ? 0 : q.value(6).toLongLong();
    return c;
}

const QString kColumns = QStringLiteral(
    "id, title, created_at, updated_at, model_path, system_prompt, active_message_id");

[[noreturn]] void notFound(qint64 id) {
    throw StorageError(StorageErrorKind::NotFound,
                       QStringLiteral("there is no conversation with id %1").arg(id));
}

// One column of one conversation, set in a transaction; NotFound for an unknown id.
void setColumn(Database& db, qint64 id, const char* column, const QVariant& value) {
    db.transaction([&] {
        const int changed =
            sql::changedRows(db,
                             QStringLiteral("UPDATE conversations SET %1 = ? WHERE id = ?")
                                 .arg(QLatin1String(column)),
                             {value, id});
        if (changed == 0) notFound(id);
    });
}

} // namespace

ConversationRecord ConversationStore::create(const QString& title) {
    Database::checkTitle(u"the conversation title", title);
    return db_.transaction([&] {
        ConversationRecord c;
        c.title = title;
        c.createdAt = c.updatedAt = sql::now();
        QSqlQuery q = db_.prepare(QStringLiteral(
            "INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)"));
        q.addBindValue(sql::text(title));
        q.addBindValue(sql::fromTime(c.createdAt));
        q.addBindValue(sql::fromTime(c.updatedAt));
        db_.exec(q);
        c.id = q.lastInsertId().toLongLong();
        return c;
    });
}

void ConversationStore::rename(qint64 id, const QString& title) {
    Database::checkTitle(u"the conversation title", title);
    db_.transaction([&] {
        const int changed = sql::changedRows(
            db_, QStringLiteral("UPDATE conversations SET title = ?, updated_at = ? WHERE id = ?"),
            {sql::text(title), sql::fromTime(sql::now()), id});
        if (changed == 0) notFound(id);
    });
}

void ConversationStore::remove(qint64 id) {
    db_.transaction([&] {
        const int removed =
            sql::changedRows(db_, QStringLiteral("DELETE FROM conversations WHERE id = ?"), {id});
        if (removed == 0) notFound(id);
    });
}

QList<ConversationRecord> ConversationStore::list(const QString& titleFilter) {
    QSqlQuery q = sql::run(
        db_, QStringLiteral("SELECT %1 FROM conversations ORDER BY updated_at DESC, id DESC")
                 .arg(kColumns));
    QList<ConversationRecord> out;
    while (q.next()) {
        // Filtered here rather than in SQL: SQLite's lower() and LIKE fold ASCII only.
        ConversationRecord c = readConversation(q);
        if (titleFilter.isEmpty() || c.title.contains(titleFilter, Qt::CaseInsensitive))
            out.append(std::move(c));
    }
    return out;
}

ConversationRecord ConversationStore::get(qint64 id) {
    auto c = sql::selectOne(
        db_, QStringLiteral("SELECT %1 FROM conversations WHERE id = ?").arg(kColumns), {id},
        readConversation);
    if (!c) notFound(id);
    return std::move(*c);
}

bool ConversationStore::exists(qint64 id) {
    return sql::hasRow(db_, QStringLiteral("SELECT 1 FROM conversations WHERE id = ?"), {id});
}

QJsonObject ConversationStore::params(qint64 id) {
    auto params =
        sql::selectOne(db_, QStringLiteral("SELECT params FROM conversations WHERE id = ?"), {id},
                       [](const QSqlQuery& q) { return sql::toJson(q.value(0)); });
    if (!params) notFound(id);
    return std::move(*params);
}

void ConversationStore::setParams(qint64 id, const QJsonObject& params) {
    setColumn(db_, id, "params", sql::fromJson(params));
}

void ConversationStore::touch(qint64 id) {
    db_.transaction([&] {
        const int changed = sql::changedRows(
            db_,
            QStringLiteral("UPDATE conversations SET updated_at = max(updated_at, ?) WHERE id = ?"),
            {sql::fromTime(sql::now()), id});
        if (changed == 0) notFound(id);
    });
}

void ConversationStore::setModelPath(qint64 id, const QString& path) {
    Database::checkText(u"the model path", path, 4096);
    setColumn(db_, id, "model_path", sql::text(path));
}

void ConversationStore::setSystemPrompt(qint64 id, const QString& prompt) {
    Database::checkText(u"the system prompt", prompt, 1024 * 1024);
    setColumn(db_, id, "system_prompt", sql::text(prompt));
}

void ConversationStore::setActiveMessage(qint64 id, qint64 messageId) {
    db_.transaction([&] {
        if (messageId != 0) {
            const auto owner = sql::selectOne(
                db_, QStringLiteral("SELECT conversation_id FROM messages WHERE id = ?"),
                {messageId}, [](const QSqlQuery& q) { return q.value(0).toLongLong(); });
            if (!owner || *owner != id)
                throw StorageError(StorageErrorKind::NotFound,
                                   QStringLiteral("conversation %1 has no message with id %2")
                                       .arg(id)
                                       .arg(messageId));
        }
        setColumn(db_, id, "active_message_id",
                  messageId ? QVariant(messageId) : QVariant(QMetaType(QMetaType::LongLong)));
    });
}

} // namespace atelier::storage
