#pragma once
// Settings: key -> JSON value (any JSON: number, string, bool, object, array).
#include "storage/database.hpp"

#include <QJsonValue>
#include <QMap>

namespace atelier::storage {

class SettingsStore {
public:
    explicit SettingsStore(Database& db) : db_(db) {}

    QMap<QString, QJsonValue> all();
    QJsonValue value(const QString& key, const QJsonValue& fallback = {});
    void setValue(const QString& key, const QJsonValue& value); // Undefined removes the key
    void remove(const QString& key);

private:
    Database& db_;
};

} // namespace atelier::storage
