#include "app/services/llm_host.hpp"

#include "app/jobs/job_queue.hpp"
#include "app/services/ui_gate.hpp"
#include "inference/llm/llm_engine.hpp"
#include "inference/llm/session.hpp"
#include "inference/util/error.hpp"

#include <QElapsedTimer>
#include <QFileInfo>
#include <list>
#include <mutex>

namespace atelier {

namespace {
constexpr std::size_t kMaxSessions = 3; // each holds a KV cache; the oldest is dropped
}

struct LlmHost::Core {
    UiGatePtr gate;
    LlmHost* host = nullptr; // for emitting through the gate only

    mutable std::mutex mutex; // guards the snapshot fields below
    LlmDeviceSettings settings;
    QString loadedPath;
    QString description;
    QString fallback;

    // Lane thread only.
    std::shared_ptr<const llm::LlmModel> model;
    LlmDeviceSettings loadedWith;
    std::list<std::pair<qint64, std::unique_ptr<llm::LlmSession>>> sessions; // most recent first

    template <class Signal, class... A> void emitLater(Signal signal, A... args) {
        LlmHost* h = host;
        gate->post([h, signal, args...] { (h->*signal)(args...); });
    }

    void dropModel() {
        sessions.clear();
        model.reset();
        QString path;
        {
            std::lock_guard lock(mutex);
            path = std::exchange(loadedPath, QString());
            description.clear();
            fallback.clear();
        }
        if (!path.isEmpty()) emitLater(&LlmHost::modelUnloaded, path);
    }

    std::shared_ptr<const llm::LlmModel> acquire(const QString& path, JobContext& job);
    llm::LlmSession& session(qint64 conversationId);
};

LlmHost::LlmHost(QObject* parent) : QObject(parent), core_(std::make_shared<Core>()) {
    core_->gate = std::make_shared<UiGate>(this);
    core_->host = this;
}

LlmHost::~LlmHost() {
    core_->gate->close();
}

void LlmHost::registerJobs(JobQueue& jobs) {
    jobs.registerHandler(
        QLatin1String(kLlmLoadJob), QLatin1String(kLlmLane), [core = core_](JobContext& job) {
            const QString path = job.params().value(QLatin1String("path")).toString();
            core->acquire(path, job);
            QJsonObject result{{QStringLiteral("path"), path}};
            std::lock_guard lock(core->mutex);
            result[QStringLiteral("backend")] = core->description;
            if (!core->fallback.isEmpty()) result[QStringLiteral("fallback")] = core->fallback;
            job.setResult(result);
        });
    jobs.registerHandler(QLatin1String(kLlmUnloadJob), QLatin1String(kLlmLane),
                         [core = core_](JobContext&) { core->dropModel(); });
}

void LlmHost::setDeviceSettings(const LlmDeviceSettings& settings) {
    std::lock_guard lock(core_->mutex);
    core_->settings = settings;
}

LlmDeviceSettings LlmHost::deviceSettings() const {
    std::lock_guard lock(core_->mutex);
    return core_->settings;
}

QString LlmHost::loadedModelPath() const {
    std::lock_guard lock(core_->mutex);
    return core_->loadedPath;
}

QString LlmHost::backendDescription() const {
    std::lock_guard lock(core_->mutex);
    return core_->description;
}

QString LlmHost::fallbackReason() const {
    std::lock_guard lock(core_->mutex);
    return core_->fallback;
}

std::shared_ptr<const llm::LlmModel> LlmHost::acquire(const QString& path, JobContext& job) {
    return core_->acquire(path, job);
}

llm::LlmSession& LlmHost::session(qint64 conversationId) {
    return core_->session(conversationId);
}

std::shared_ptr<const llm::LlmModel> LlmHost::Core::acquire(const QString& path, JobContext& job) {
    Core& c = *this;
    LlmDeviceSettings wanted;
    QString current;
    {
        std::lock_guard lock(mutex);
        wanted = settings;
        current = loadedPath;
    }
    const QString canonical = QFileInfo(path).absoluteFilePath();
    if (c.model && canonical == current && wanted.backend == c.loadedWith.backend &&
        wanted.gpuLayers == c.loadedWith.gpuLayers && wanted.threads == c.loadedWith.threads) {
        if (wanted.contextLength != c.loadedWith.contextLength) {
            c.sessions.clear(); // new sessions get the new context length
            c.loadedWith.contextLength = wanted.contextLength;
        }
        return c.model;
    }
    if (path.isEmpty())
        throw Error(ErrorKind::Invalid, "no model is chosen: add a GGUF model on the Models page");

    c.dropModel(); // one chat model at a time: free its memory before loading the next
    c.emitLater(&LlmHost::loadStarted, canonical);
    const QString name = QFileInfo(path).fileName();
    job.reportProgress(0.0, QObject::tr("Loading %1").arg(name));
    QElapsedTimer sinceSignal; // invalid until the first signal: that one goes out at once
    auto progress = [&job, &c, &sinceSignal, name, canonical](double fraction,
                                                              std::string_view stage) {
        const QString what = QString::fromUtf8(stage.data(), qsizetype(stage.size()));
        job.reportProgress(fraction, QStringLiteral("Loading %1: %2").arg(name, what));
        if (!sinceSignal.isValid() || sinceSignal.elapsed() >= 50 || fraction >= 1.0) {
            // ~20 a second at most: enough for a progress bar
            sinceSignal.start();
            c.emitLater(&LlmHost::loadProgress, canonical, fraction, what);
        }
    };

    llm::LoadParams params;
    params.backend = wanted.backend.toStdString();
    params.gpuLayers = wanted.gpuLayers;
    params.threads = wanted.threads;
    QString fallback;
    std::shared_ptr<const llm::LlmModel> model;
    try {
        try {
            model =
                llm::LlmEngine::load({canonical.toStdString()}, params, progress, job.stopToken());
        } catch (const llm::OperationCancelled&) {
            throw;
        } catch (const std::exception& e) {
            if (params.backend == "cpu") throw;
            // The device could not take the model: run on the CPU and say why.
            fallback = QStringLiteral("%1 could not be used (%2); running on the CPU instead")
                           .arg(wanted.backend, QString::fromUtf8(e.what()));
            params.backend = "cpu";
            params.gpuLayers = 0;
            job.reportProgress(0.0, fallback);
            model =
                llm::LlmEngine::load({canonical.toStdString()}, params, progress, job.stopToken());
        }
    } catch (const llm::OperationCancelled&) {
        throw;
    } catch (const std::exception& e) {
        c.emitLater(&LlmHost::loadFailed, canonical, QString::fromUtf8(e.what()));
        throw;
    }

    c.model = model;
    c.loadedWith = wanted;
    const QString description = QString::fromStdString(model->backendDescription());
    {
        std::lock_guard lock(c.mutex);
        c.loadedPath = canonical;
        c.description = description;
        c.fallback = fallback;
    }
    if (!fallback.isEmpty()) c.emitLater(&LlmHost::fallbackToCpu, fallback);
    c.emitLater(&LlmHost::modelLoaded, canonical, description);
    job.reportProgress(1.0, QStringLiteral("%1 on %2").arg(name, description));
    return model;
}

llm::LlmSession& LlmHost::Core::session(qint64 conversationId) {
    Core& c = *this;
    if (!c.model) throw Error(ErrorKind::Invalid, "no model is loaded");
    for (auto it = c.sessions.begin(); it != c.sessions.end(); ++it) {
        if (it->first != conversationId) continue;
        c.sessions.splice(c.sessions.begin(), c.sessions, it); // most recent first
        return *c.sessions.front().second;
    }
    while (c.sessions.size() >= kMaxSessions) c.sessions.pop_back();
    c.sessions.emplace_front(
        conversationId,
        std::make_unique<llm::LlmSession>(
            c.model, llm::SessionParams{.contextLength = c.loadedWith.contextLength}));
    return *c.sessions.front().second;
}

void LlmHost::unload() {
    core_->dropModel();
}

} // namespace atelier
