#include "storage/model_store.hpp"

#include "storage/query_rows.hpp"
#include "storage/sql_util.hpp"

namespace atelier::storage {

namespace {

const QString kColumns = QStringLiteral("id, path, name, metadata, status, error, added_at");

ModelRecord readModel(const QSqlQuery& q) {
    ModelRecord m;
    m.id = q.value(0).toLongLong();
    m.path = q.value(1).toString();
    m.name = q.value(2).toString();
    m.metadata = sql::toJson(q.value(3));
    m.status = q.value(4).toString();
    m.error = q.value(5).toString();
    m.addedAt = sql::toTime(q.value(6));
    return m;
}

[[noreturn]] void notFound(qint64 id) {
    throw StorageError(StorageErrorKind::NotFound,
                       QStringLiteral("there is no model with id %1").arg(id));
}

} // namespace

ModelRecord ModelStore::upsert(const QString& path, const QString& name,
                               const QJsonObject& metadata) {
    if (path.isEmpty())
        throw StorageError(StorageErrorKind::Invalid, QStringLiteral("a model needs a file path"));
    Database::checkText(u"the model path", path, 4096);
    Database::checkTitle(u"the model name", name);
    const QString meta = sql::fromJson(metadata);
    Database::checkText(u"the model metadata", meta, 4 * 1024 * 1024);
    return db_.transaction([&] {
        sql::run(db_,
                 QStringLiteral("INSERT INTO models (path, name, metadata, added_at) "
                                "VALUES (?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
                                "name = excluded.name, metadata = excluded.metadata"),
                 {path, sql::text(name), meta, sql::fromTime(sql::now())});
        QSqlQuery r = sql::run(
            db_, QStringLiteral("SELECT %1 FROM models WHERE path = ?").arg(kColumns), {path});
        r.next();
        return readModel(r);
    });
}

void ModelStore::setStatus(qint64 id, const QString& status, const QString& error) {
    if (status != QLatin1String("unknown") && status != QLatin1String("ok") &&
        status != QLatin1String("error"))
        throw StorageError(
            StorageErrorKind::Invalid,
            QStringLiteral("unknown model status '%1' (expected unknown, ok or error)")
                .arg(status));
    Database::checkText(u"the model error", error, 64 * 1024);
    db_.transaction([&] {
        const int changed = sql::changedRows(
            db_, QStringLiteral("UPDATE models SET status = ?, error = ? WHERE id = ?"),
            {status, sql::text(error), id});
        if (changed == 0) notFound(id);
    });
}

ModelRecord ModelStore::get(qint64 id) {
    auto m = sql::selectOne(db_, QStringLiteral("SELECT %1 FROM models WHERE id = ?").arg(kColumns),
                            {id}, readModel);
    if (!m) notFound(id);
    return std::move(*m);
}

QList<ModelRecord> ModelStore::list() {
    return sql::selectAll(db_,
                          QStringLiteral("SELECT %1 FROM models ORDER BY name, id").arg(kColumns),
                          {}, readModel);
}

void ModelStore::remove(qint64 id) {
    db_.transaction([&] {
        const int removed =
            sql::changedRows(db_, QStringLiteral("DELETE FROM models WHERE id = ?"), {id});
        if (removed == 0) notFound(id);
    });
}

} // namespace atelier::storage
