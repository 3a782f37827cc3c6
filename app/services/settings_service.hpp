#pragma once
// Settings for the UI: an in-memory cache read without waiting, written in the background.
// Keys used by the UI: "window/width", "window/height", "window/x", "window/y",
// "chat/lastConversation", and the service settings in settings_keys below.
#include <QHash>
#include <QObject>
#include <QSet>
#include <QVariant>

namespace atelier::storage {
class StorageThread;
}

namespace atelier {

// Keys of the settings the composition root applies to the services (see SettingsForm).
namespace settings_keys {
inline const QString kModelsFolder = QStringLiteral("models/folder"); // empty: the default
inline const QString kDefaultModel = QStringLiteral("chat/defaultModel");
inline const QString kLlmBackend = QStringLiteral("llm/backend");     // cpu | vulkan | vulkan:N
inline const QString kLlmGpuLayers = QStringLiteral("llm/gpuLayers"); // -1 = all
inline const QString kLlmThreads = QStringLiteral("llm/threads");     // 0 = physical cores
inline const QString kLlmContextLength = QStringLiteral("llm/contextLength"); // 0 = the model's
} // namespace settings_keys

class SettingsService : public QObject {
    Q_OBJECT
public:
    explicit SettingsService(storage::StorageThread& storage, QObject* parent = nullptr);

    // Reads every setting on the storage thread; emits loaded() when the cache is filled.
    void load();
    bool isLoaded() const { return loaded_; }
    Q_INVOKABLE QVariant value(const QString& key, const QVariant& fallback = {}) const;
    // Updates the cache at once (emitting changed) and writes to the database in the background.
    Q_INVOKABLE void setValue(const QString& key, const QVariant& value);

signals:
    void loaded();
    void changed(const QString& key);
    void failed(const QString& message);

private:
    storage::StorageThread& storage_;
    QHash<QString, QVariant> cache_;
    QSet<QString> setBeforeLoad_;
    bool loaded_ = false;
};

} // namespace atelier
