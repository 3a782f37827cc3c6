#pragma once
// The model library: the GGUF files in the models folder, with what their headers say, cached
// in the database's models table.
//
// - The folder is <GenericDataLocation>/Atelier/models by default (beside the database; the
//   set-up script packaging/fetch-default-model.sh puts the default model there); setFolder()
//   picks another (the "models/folder" setting, applied by the composition root).
// - scan() lists every .gguf in the folder (and every file added before), reading a header only
//   when the file is new or changed since it was cached; a file that cannot be used stays listed
//   with status "error" and the reason; a file that vanished is dropped from the list.
// - addModel(path) brings a file into the folder: a hard link when the folder is on the same
//   file system (instant, no extra space, and the library keeps working when the original is
//   moved or deleted), otherwise a copy (with progress; written to a .part file then renamed).
// - Every file operation runs as a job on the "files" lane of the JobQueue, so the UI never
//   waits and the Jobs page shows it; the table is read and written on the storage thread.
//
// Lives on the UI thread; results arrive as signals there.
#include "app/services/model_metadata.hpp"
#include "app/services/ui_gate.hpp"

#include <QList>
#include <QObject>

namespace atelier::storage {
class StorageThread;
}

namespace atelier {

class JobQueue;

struct ModelEntry {
    qint64 id = 0;
    QString path;
    ModelMetadata metadata;
    bool ok = false; // usable (status "ok"); else metadata.error says why
};

inline constexpr const char* kFilesLane = "files";
inline constexpr const char* kModelsScanJob = "models.scan";
inline constexpr const char* kModelsAddJob = "models.add";
// The model the set-up script fetches; preferred as the default when nothing was chosen.
inline constexpr const char* kDefaultModelFile = "SmolLM2-135M-Instruct.Q4_1.gguf";

class ModelLibrary : public QObject {
    Q_OBJECT
public:
    ModelLibrary(storage::StorageThread& storage, JobQueue& jobs, QObject* parent = nullptr);
    ~ModelLibrary() override;

    static QString defaultFolder(); // <GenericDataLocation>/Atelier/models
    QString folder() const { return folder_; }
    // Empty = the default folder. Takes effect at the next scan().
    void setFolder(const QString& folder);

    // The last list read (by name), without waiting.
    const QList<ModelEntry>& models() const { return models_; }
    // The model to use when a conversation chose none: `chosen` when it is listed and usable,
    // else the set-up script's default model, else the first usable one; empty when none.
    QString defaultModelPath(const QString& chosen = {}) const;

public slots:
    void refresh();                     // reads the cached list (modelsChanged)
    void scan();                        // a "models.scan" job; modelsChanged when it ends
    void addModel(const QString& path); // a "models.add" job; modelAdded, then modelsChanged
    // Forgets a model; with deleteFile its file in the models folder is deleted too.
    void removeModel(qint64 id, bool deleteFile = false);

signals:
    void modelsChanged(const QList<atelier::ModelEntry>& models);
    void modelAdded(const atelier::ModelEntry& model);
    void modelRemoved(qint64 id);
    void failed(const QString& message);

private:
    void registerHandlers();

    storage::StorageThread& storage_;
    JobQueue& jobs_;
    UiGatePtr gate_;
    QString folder_;
    QList<ModelEntry> models_;
    QList<qint64> pendingJobs_;
};

} // namespace atelier

Q_DECLARE_METATYPE(atelier::ModelEntry)
