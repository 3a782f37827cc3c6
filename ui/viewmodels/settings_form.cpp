#include "settings_form.hpp"

#include "app/services/llm_host.hpp"
#include "app/services/model_library.hpp"
#include "app/services/settings_service.hpp"

#include <QDir>
#include <QFileInfo>
#include <QThread>
#include <algorithm>

namespace atelier::ui {

namespace keys = atelier::settings_keys;

namespace {
constexpr int kMaxContext = 131072;
}

SettingsForm::SettingsForm(SettingsService& settings, LlmHost* host, ModelLibrary* library,
                           QList<ComputeDevice> devices, QObject* parent)
    : QObject(parent), m_settings(settings), m_host(host), m_library(library),
      m_devices(std::move(devices)) {
    connect(&m_settings, &SettingsService::loaded, this, &SettingsForm::changed);
    connect(&m_settings, &SettingsService::changed, this, [this](const QString& key) {
        if (key.startsWith(QLatin1String("llm/")) || key == keys::kModelsFolder) emit changed();
    });
}

QVariantList SettingsForm::devices() const {
    QVariantList out;
    for (const ComputeDevice& d : m_devices)
        out.append(QVariantMap{{QStringLiteral("id"), d.id}, {QStringLiteral("label"), d.label}});
    return out;
}

QString SettingsForm::backend() const {
    return m_settings.value(keys::kLlmBackend, QStringLiteral("cpu")).toString();
}

int SettingsForm::backendIndex() const {
    const QString b = backend();
    for (int i = 0; i < m_devices.size(); ++i)
        if (m_devices.at(i).id == b) return i;
    // "vulkan" without an index: the device the backend picks (memoryFor knows which).
    if (b == QLatin1String("vulkan") && m_devices.size() > 1) return 1;
    return -1;
}

int SettingsForm::gpuLayers() const {
    return m_settings.value(keys::kLlmGpuLayers, -1).toInt();
}

int SettingsForm::threads() const {
    return m_settings.value(keys::kLlmThreads, 0).toInt();
}

int SettingsForm::contextLength() const {
    return m_settings.value(keys::kLlmContextLength, 0).toInt();
}

QString SettingsForm::modelsFolder() const {
    const QString folder = m_settings.value(keys::kModelsFolder).toString();
    return QDir::toNativeSeparators(folder.isEmpty() ? ModelLibrary::defaultFolder() : folder);
}

QString SettingsForm::defaultModelsFolder() const {
    return QDir::toNativeSeparators(ModelLibrary::defaultFolder());
}

int SettingsForm::idealThreads() const {
    return std::max(1, QThread::idealThreadCount());
}

void SettingsForm::setBackend(const QString& backend) {
    if (backend.isEmpty() || backend == this->backend()) return;
    save(keys::kLlmBackend, backend);
    applyDevice();
}

void SettingsForm::setGpuLayers(int layers) {
    layers = std::max(-1, layers);
    if (layers == gpuLayers()) return;
    save(keys::kLlmGpuLayers, layers);
    applyDevice();
}

void SettingsForm::setThreads(int threads) {
    threads = std::clamp(threads, 0, 1024);
    if (threads == this->threads()) return;
    save(keys::kLlmThreads, threads);
    applyDevice();
}

void SettingsForm::setContextLength(int tokens) {
    tokens = std::clamp(tokens, 0, kMaxContext);
    if (tokens == contextLength()) return;
    save(keys::kLlmContextLength, tokens);
    applyDevice();
}

void SettingsForm::setModelsFolder(const QString& folder) {
    const QString clean = folder.isEmpty() ? QString() : QFileInfo(folder).absoluteFilePath();
    if (clean == m_settings.value(keys::kModelsFolder).toString()) return;
    save(keys::kModelsFolder, clean);
    if (m_library) {
        m_library->setFolder(clean);
        m_library->scan();
    }
}

void SettingsForm::setModelsFolderUrl(const QUrl& folder) {
    if (folder.isLocalFile()) setModelsFolder(folder.toLocalFile());
}

void SettingsForm::applyToServices() {
    applyDevice();
    if (m_library) {
        m_library->setFolder(m_settings.value(keys::kModelsFolder).toString());
        m_library->scan();
    }
}

void SettingsForm::save(const QString& key, const QVariant& value) {
    m_settings.setValue(key, value); // emits SettingsService::changed, and so changed()
}

void SettingsForm::applyDevice() {
    if (!m_host) return;
    LlmDeviceSettings device;
    device.backend = backend();
    device.gpuLayers = gpuLayers();
    device.threads = threads();
    device.contextLength = contextLength();
    m_host->setDeviceSettings(device);
}

} // namespace atelier::ui
