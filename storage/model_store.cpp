#include "storage/model_store.hpp"

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
        QSqlQuery q = db_.prepare(QStringLiteral(
            "INSERT INTO models (path, name, metadata, added_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (path) DO UPDATE SET name = excluded.name, metadata = excluded.metadata"));
        q.addBindValue(path);
        q.addBindValue(sql::text(name));
        q.addBindValue(meta);
        q.addBindValue(sql::fromTime(sql::now()));
        db_.exec(q);
        QSqlQuery r =
            db_.prepare(QStringLiteral("SELECT %1 FROM models WHERE path = ?").arg(kColumns));
        r.addBindValue(path);
        db_.exec(r);
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
        QSqlQuery q =
            db_.prepare(QStringLiteral("UPDATE models SET status = ?, error = ? WHERE id = ?"));
        q.addBindValue(status);
        q.addBindValue(sql::text(error));
        q.addBindValue(id);
        db_.exec(q);
        if (q.numRowsAffected() == 0) notFound(id);
    });
}

ModelRecord ModelStore::get(qint64 id) {
    QSqlQuery q = db_.prepare(QStringLiteral("SELECT %1 FROM models WHERE id = ?").arg(kColumns));
    q.addBindValue(id);
    db_.exec(q);
    if (!q.next()) notFound(id);
    return readModel(q);
}

QList<ModelRecord> ModelStore::list() {
    QSqlQuery q =
        db_.prepare(QStringLiteral("SELECT %1 FROM models ORDER BY name, id").arg(kColumns));
    db_.exec(q);
    QList<ModelRecord> out;
    while (q.next()) out.append(readModel(q));
    return out;
}

void ModelStore::remove(qint64 id) {
    db_.transaction([&] {
        QSqlQuery q = db_.prepare(QStringLiteral("DELETE FROM models WHERE id = ?"));
        q.addBindValue(id);
        db_.exec(q);
        if (q.numRowsAffected() == 0) notFound(id);
    });
}

} // namespace atelier::storage
