#pragma once
// The LLM host: owns the loaded chat model and the per-conversation sessions (KV caches) on the
// "llm" compute lane of the job queue.
//
// - One chat model is loaded at a time (on the device the settings name); loading another
//   unloads the previous one and drops its sessions.
// - The device comes from LlmDeviceSettings: "cpu", "vulkan" or "vulkan:N", a GPU-layer count,
//   CPU threads and the context length of new sessions. When a Vulkan load fails (no Vulkan in
//   this build, no device, not enough memory...) the model is loaded on the CPU instead and
//   fallbackToCpu(reason) says why — never silently.
// - Each conversation keeps its own LlmSession, so a follow-up turn only processes its new
//   tokens (prefix reuse); a session whose cache holds another branch simply reuses the common
//   prefix. The few most recently used sessions are kept (each holds a KV cache).
//
// Threads: the LlmHost object lives on the UI thread and emits its signals there. acquire() and
// session() are for job handlers on the "llm" lane (they block while loading); every other
// method is thread-safe and quick. Submit "llm.load" jobs (params {"path": FILE}) to load a
// model ahead of the first message, with progress shown by the job queue (and loadProgress),
// and "llm.unload" jobs to free it (the lane runs it after the reply in progress).
#include "app/jobs/job_context.hpp"

#include <QObject>
#include <QString>
#include <memory>

namespace atelier::llm {
class LlmModel;
class LlmSession;
} // namespace atelier::llm

namespace atelier {

class JobQueue;

struct LlmDeviceSettings {
    QString backend = QStringLiteral("cpu"); // "cpu", "vulkan", "vulkan:N"
    int gpuLayers = -1;                      // with vulkan: layers on the device; -1 = all
    int threads = 0;                         // CPU threads; 0 = physical cores
    int contextLength = 0;                   // tokens per session; 0 = the model's, at most 4096
    bool operator==(const LlmDeviceSettings&) const = default;
};

// The job kind and lane the host registers.
inline constexpr const char* kLlmLane = "llm";
inline constexpr const char* kLlmLoadJob = "llm.load";
inline constexpr const char* kLlmUnloadJob = "llm.unload"; // no params: frees the loaded model

class LlmHost : public QObject {
    Q_OBJECT
public:
    explicit LlmHost(QObject* parent = nullptr);
    ~LlmHost() override;

    // Registers the "llm.load" and "llm.unload" job handlers on the "llm" lane.
    void registerJobs(JobQueue& jobs);

    // Thread-safe. New settings apply at the next load (a loaded model stays as it is until a
    // different device is asked for; then the next acquire() reloads it).
    void setDeviceSettings(const LlmDeviceSettings& settings);
    LlmDeviceSettings deviceSettings() const;

    // Thread-safe snapshots for the UI.
    QString loadedModelPath() const;
    QString backendDescription() const; // "cpu (avx2, 2 threads)" ... or empty
    QString fallbackReason() const;     // why the CPU was used instead of the device, or empty

    // --- on the "llm" lane only -------------------------------------------------------------
    // The model at `path`, loading it (with progress through `job`) when it is not the one
    // loaded. Throws atelier::Error / OperationCancelled like LlmEngine::load.
    std::shared_ptr<const llm::LlmModel> acquire(const QString& path, JobContext& job);
    // The session of a conversation on the loaded model (created on first use).
    llm::LlmSession& session(qint64 conversationId);
    // Drops the model and every session (the next acquire() loads again).
    void unload();

signals:
    void loadStarted(const QString& path);
    // How far a load is (0..1) and its stage, at most ~20 times a second.
    void loadProgress(const QString& path, double fraction, const QString& stage);
    void modelLoaded(const QString& path, const QString& backendDescription);
    void modelUnloaded(const QString& path);
    void loadFailed(const QString& path, const QString& error);
    // The settings asked for a device but the model runs on the CPU; reason says why.
    void fallbackToCpu(const QString& reason);

private:
    struct Core;
    std::shared_ptr<Core> core_;
};

} // namespace atelier
