#pragma once
// The Settings page's LLM and models fields: device (CPU or a Vulkan device this machine has),
// GPU layers, CPU threads, context length and the models folder. Each change is saved through
// the SettingsService at once and applied to the services: the LlmHost uses it at the next load
// and the model library rescans a new folder. applyToServices() is also what the composition
// root calls once the settings are read, so there is one place that maps settings to services.
#include "app/services/compute_devices.hpp"

#include <QObject>
#include <QStringList>
#include <QUrl>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace atelier {
class SettingsService;
class LlmHost;
class ModelLibrary;
} // namespace atelier

namespace atelier::ui {

class SettingsForm : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Created by the application's main()")

    // [{id: "cpu", label: "CPU"}, {id: "vulkan:0", label: "Vulkan 0: ..."}]
    Q_PROPERTY(QVariantList devices READ devices CONSTANT)
    Q_PROPERTY(QString backend READ backend WRITE setBackend NOTIFY changed)
    Q_PROPERTY(int backendIndex READ backendIndex NOTIFY changed)      // in devices; -1 unknown
    Q_PROPERTY(bool deviceSelected READ deviceSelected NOTIFY changed) // not the CPU
    Q_PROPERTY(int gpuLayers READ gpuLayers WRITE setGpuLayers NOTIFY changed)
    Q_PROPERTY(int threads READ threads WRITE setThreads NOTIFY changed)
    Q_PROPERTY(int contextLength READ contextLength WRITE setContextLength NOTIFY changed)
    Q_PROPERTY(QString modelsFolder READ modelsFolder NOTIFY changed) // the folder in use
    Q_PROPERTY(QString defaultModelsFolder READ defaultModelsFolder CONSTANT)
    Q_PROPERTY(int idealThreads READ idealThreads CONSTANT)

public:
    SettingsForm(SettingsService& settings, LlmHost* host, ModelLibrary* library,
                 QList<ComputeDevice> devices, QObject* parent = nullptr);

    QVariantList devices() const;
    const QList<ComputeDevice>& computeDevices() const { return m_devices; }
    QString backend() const;
    int backendIndex() const;
    bool deviceSelected() const { return backend() != QLatin1String("cpu"); }
    int gpuLayers() const;
    int threads() const;
    int contextLength() const;
    QString modelsFolder() const;
    QString defaultModelsFolder() const;
    int idealThreads() const;

    void setBackend(const QString& backend);
    void setGpuLayers(int layers);
    void setThreads(int threads);
    void setContextLength(int tokens);
    // Empty: the default folder.
    Q_INVOKABLE void setModelsFolder(const QString& folder);
    Q_INVOKABLE void setModelsFolderUrl(const QUrl& folder);
    Q_INVOKABLE void useDefaultModelsFolder() { setModelsFolder({}); }

    // Pushes the current settings to the LlmHost and the model library (which rescans).
    void applyToServices();

signals:
    void changed();

private:
    void save(const QString& key, const QVariant& value);
    void applyDevice();

    SettingsService& m_settings;
    LlmHost* m_host;
    ModelLibrary* m_library;
    QList<ComputeDevice> m_devices;
};

} // namespace atelier::ui
