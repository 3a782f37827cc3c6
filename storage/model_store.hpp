#pragma once
// The model library: files the person added, with what we learned from them.
#include "storage/database.hpp"
#include "storage/records.hpp"

#include <QList>

namespace atelier::storage {

class ModelStore {
public:
    explicit ModelStore(Database& db) : db_(db) {}

    // Adds the path, or updates name and metadata when it is already known.
    ModelRecord upsert(const QString& path, const QString& name, const QJsonObject& metadata);
    void setStatus(qint64 id, const QString& status, const QString& error = {});
    ModelRecord get(qint64 id);
    QList<ModelRecord> list(); // by name
    void remove(qint64 id);

private:
    Database& db_;
};

} // namespace atelier::storage
