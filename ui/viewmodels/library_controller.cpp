#include "library_controller.hpp"

#include "app/jobs/job_queue.hpp"
#include "app/services/llm_host.hpp"
#include "app/services/model_library.hpp"
#include "app/services/settings_service.hpp"
#include "model_list_model.hpp"

#include <QDir>
#include <QFileInfo>
#include <QLocale>

namespace atelier::ui {

namespace keys = atelier::settings_keys;

namespace {

bool isGguf(const QString& path) {
    return path.endsWith(QLatin1String(".gguf"), Qt::CaseInsensitive);
}

QString localPath(const QUrl& url) {
    return url.isLocalFile() ? url.toLocalFile() : url.toString(QUrl::PreferLocalFile);
}

} // namespace

LibraryController::LibraryController(ModelLibrary& library, LlmHost& host, JobQueue& jobs,
                                     SettingsService& settings, ModelListModel& models,
                                     QList<ComputeDevice> devices, QObject* parent)
    : QObject(parent), m_library(library), m_host(host), m_jobs(jobs), m_settings(settings),
      m_models(models), m_devices(std::move(devices)) {
    m_secondTick.setInterval(1000);
    connect(&m_secondTick, &QTimer::timeout, this, &LibraryController::loadProgressChanged);

    connect(&m_library, &ModelLibrary::modelsChanged, this, [this] {
        emit folderChanged(); // setFolder() is applied by a scan; its list follows
        refreshFit();
    });
    connect(&m_library, &ModelLibrary::modelAdded, this, [this](const ModelEntry& entry) {
        if (!entry.ok)
            setNotice(tr("%1 was added but cannot be used: %2")
                          .arg(QFileInfo(entry.path).fileName(), entry.metadata.error));
    });
    connect(&m_settings, &SettingsService::loaded, this, &LibraryController::refreshFit);
    connect(&m_settings, &SettingsService::changed, this, [this](const QString& key) {
        if (key == keys::kLlmBackend || key == keys::kLlmContextLength) refreshFit();
    });

    connect(&m_host, &LlmHost::loadStarted, this, [this](const QString& path) {
        m_loadingPath = path;
        m_progress = -1;
        m_stage.clear();
        m_loadClock.start();
        m_secondTick.start();
        emit loadStateChanged();
        emit loadProgressChanged();
    });
    connect(&m_host, &LlmHost::loadProgress, this,
            [this](const QString& path, double fraction, const QString& stage) {
                if (path != m_loadingPath) return;
                m_progress = fraction;
                m_stage = stage;
                emit loadProgressChanged();
            });
    const auto loadEnded = [this] {
        m_loadingPath.clear();
        m_secondTick.stop();
        syncLoadedState();
    };
    connect(&m_host, &LlmHost::modelLoaded, this, loadEnded);
    connect(&m_host, &LlmHost::modelUnloaded, this, loadEnded);
    // The reason of a failed load goes to the window's banner (the composition root shows it).
    connect(&m_host, &LlmHost::loadFailed, this, loadEnded);
    syncLoadedState();
    refreshFit();
}

QString LibraryController::folder() const {
    return QDir::toNativeSeparators(m_library.folder());
}

QUrl LibraryController::folderUrl() const {
    return QUrl::fromLocalFile(m_library.folder());
}

QString LibraryController::loadingName() const {
    return QFileInfo(m_loadingPath).fileName();
}

int LibraryController::loadSeconds() const {
    return loading() ? int(m_loadClock.elapsed() / 1000) : 0;
}

QString LibraryController::loadedName() const {
    return QFileInfo(m_loadedPath).fileName();
}

void LibraryController::addModel(const QUrl& file) {
    const QString path = localPath(file);
    if (path.isEmpty()) return;
    if (!isGguf(path)) {
        setNotice(tr("%1 is not a GGUF model file (only .gguf files can be added)")
                      .arg(QFileInfo(path).fileName()));
        return;
    }
    m_library.addModel(path);
}

int LibraryController::addDropped(const QList<QUrl>& urls) {
    QStringList refused;
    int added = 0;
    for (const QUrl& url : urls) {
        const QString path = localPath(url);
        if (url.isLocalFile() && isGguf(path) && QFileInfo(path).isFile()) {
            m_library.addModel(path);
            ++added;
        } else {
            refused << (url.isLocalFile() ? QFileInfo(path).fileName() : url.toDisplayString());
        }
    }
    if (!refused.isEmpty())
        setNotice(tr("Not added: %1 — only GGUF model files (.gguf) can be dropped here")
                      .arg(refused.join(QStringLiteral(", "))));
    else if (added > 0)
        dismissNotice();
    return added;
}

void LibraryController::removeModel(qint64 id, bool deleteFile) {
    m_library.removeModel(id, deleteFile);
}

void LibraryController::rescan() {
    m_library.scan();
}

bool LibraryController::isInFolder(const QString& path) const {
    return QFileInfo(path).absolutePath() == QFileInfo(m_library.folder()).absoluteFilePath();
}

void LibraryController::loadModel(const QString& path) {
    if (path.isEmpty()) return;
    m_jobs.submit({QLatin1String(kLlmLoadJob),
                   tr("Loading %1").arg(QFileInfo(path).fileName()),
                   JobPriority::Interactive,
                   {{QStringLiteral("path"), path}}});
}

void LibraryController::unloadModel() {
    m_jobs.submit(
        {QLatin1String(kLlmUnloadJob), tr("Unloading the model"), JobPriority::Interactive, {}});
}

void LibraryController::refreshFit() {
    const QString backend = m_settings.value(keys::kLlmBackend, QStringLiteral("cpu")).toString();
    const DeviceMemory memory = memoryFor(backend, m_devices);
    m_models.setFitContext(m_settings.value(keys::kLlmContextLength, 0).toLongLong(), memory);
    QString device = backend == QLatin1String("cpu") ? tr("CPU") : backend;
    for (const ComputeDevice& d : m_devices)
        if (d.id == backend) device = d.label;
    const QString basis =
        memory.bytes < 0
            ? tr("%1: %2 unknown").arg(device, memory.what)
            : tr("%1: %2 %3")
                  .arg(device,
                       QLocale::c().formattedDataSize(memory.bytes, 1, QLocale::DataSizeSIFormat),
                       memory.what);
    if (basis == m_fitBasis) return;
    m_fitBasis = basis;
    emit fitBasisChanged();
}

void LibraryController::dismissNotice() {
    setNotice({});
}

void LibraryController::setNotice(const QString& text) {
    if (m_notice == text) return;
    m_notice = text;
    emit noticeChanged();
}

void LibraryController::syncLoadedState() {
    m_loadedPath = m_host.loadedModelPath();
    m_loadedBackend = m_host.backendDescription();
    m_fallback = m_host.fallbackReason();
    m_models.setLoadedPath(m_loadedPath);
    emit loadStateChanged();
}

void LibraryController::setDefaultModel(const QString& path) {
    if (path == m_defaultModel) return;
    m_defaultModel = path;
    emit defaultModelChanged();
}

void LibraryController::makeDefault(const QString& path) {
    m_settings.setValue(keys::kDefaultModel, path);
    emit defaultModelChosen(path);
}

} // namespace atelier::ui
