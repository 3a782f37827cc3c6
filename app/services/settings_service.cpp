#include "app/services/settings_service.hpp"

#include "storage/settings_store.hpp"
#include "storage/storage_thread.hpp"
#include "storage/when_finished.hpp"

#include <QJsonValue>

namespace atelier {

using storage::Database;
using storage::SettingsStore;

SettingsService::SettingsService(storage::StorageThread& storage, QObject* parent)
    : QObject(parent), storage_(storage) {}

void SettingsService::load() {
    storage::whenFinished(
        storage_.run([](Database& db) { return SettingsStore(db).all(); }), this,
        [this](const QMap<QString, QJsonValue>& all) {
            for (auto it = all.constBegin(); it != all.constEnd(); ++it) {
                // A value set before the load finished is newer than the stored one.
                if (setBeforeLoad_.contains(it.key())) continue;
                cache_.insert(it.key(), it.value().toVariant());
            }
            setBeforeLoad_.clear();
            loaded_ = true;
            emit loaded();
        },
        [this](const std::exception& e) { emit failed(QString::fromUtf8(e.what())); });
}

QVariant SettingsService::value(const QString& key, const QVariant& fallback) const {
    return cache_.value(key, fallback);
}

void SettingsService::setValue(const QString& key, const QVariant& value) {
    const auto it = cache_.constFind(key);
    if (it != cache_.constEnd() && *it == value) return;
    if (value.isValid())
        cache_.insert(key, value);
    else
        cache_.remove(key);
    if (!loaded_) setBeforeLoad_.insert(key);
    emit changed(key);
    const QJsonValue json =
        value.isValid() ? QJsonValue::fromVariant(value) : QJsonValue(QJsonValue::Undefined);
    storage::whenFinished(
        storage_.run([key, json](Database& db) { SettingsStore(db).setValue(key, json); }), this,
        [] {}, [this](const std::exception& e) { emit failed(QString::fromUtf8(e.what())); });
}

} // namespace atelier
