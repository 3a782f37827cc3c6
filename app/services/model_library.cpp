#include "app/services/model_library.hpp"

#include "app/jobs/job_queue.hpp"
#include "storage/model_store.hpp"
#include "storage/storage_thread.hpp"
#include "storage/when_finished.hpp"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <unistd.h>

namespace atelier {

namespace {

ModelEntry entryFrom(const storage::ModelRecord& r) {
    ModelEntry e;
    e.id = r.id;
    e.path = r.path;
    e.metadata = ModelMetadata::fromJson(r.metadata);
    e.ok = r.status == QLatin1String("ok");
    if (!e.ok && e.metadata.error.isEmpty()) e.metadata.error = r.error;
    return e;
}

QList<ModelEntry> listModels(storage::Database& db) {
    QList<ModelEntry> out;
    for (const auto& r : storage::ModelStore(db).list()) out.append(entryFrom(r));
    return out;
}

// Reads the header when the file is new or changed, and records it. On the storage thread.
ModelEntry record(storage::Database& db, const QString& path, const ModelMetadata& m) {
    storage::ModelStore store(db);
    const auto r = store.upsert(path, m.name, m.toJson());
    store.setStatus(r.id, m.error.isEmpty() ? QStringLiteral("ok") : QStringLiteral("error"),
                    m.error);
    return entryFrom(store.get(r.id));
}

// Brings `source` into `folder`: a hard link on the same file system, otherwise a copy.
QString bringIn(const QString& source, const QString& folder, JobContext& job) {
    const QFileInfo from(source);
    if (!from.isFile()) throw std::runtime_error(source.toStdString() + ": no such file");
    if (!QDir().mkpath(folder))
        throw std::runtime_error(folder.toStdString() + ": the models folder cannot be created");
    if (from.absolutePath() == QFileInfo(folder).absoluteFilePath())
        return from.absoluteFilePath(); // already there
    const QString target = QDir(folder).filePath(from.fileName());
    if (QFileInfo(target).exists()) {
        if (QFileInfo(target).size() == from.size()) return target; // added before
        throw std::runtime_error(QStringLiteral("%1 already holds a different %2")
                                     .arg(folder, from.fileName())
                                     .toStdString());
    }
    if (::link(QFile::encodeName(from.absoluteFilePath()).constData(),
               QFile::encodeName(target).constData()) == 0)
        return target;

    const QString part = target + QStringLiteral(".part");
    QFile in(from.absoluteFilePath()), out(part);
    if (!in.open(QIODevice::ReadOnly))
        throw std::runtime_error(source.toStdString() + ": cannot be read");
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        throw std::runtime_error(part.toStdString() + ": cannot be written");
    const qint64 total = in.size();
    qint64 done = 0;
    QByteArray buffer(4 << 20, Qt::Uninitialized);
    while (done < total) {
        if (job.stopRequested()) {
            out.remove();
            throw std::runtime_error("the copy was cancelled");
        }
        const qint64 n = in.read(buffer.data(), buffer.size());
        if (n <= 0 || out.write(buffer.constData(), n) != n) {
            out.remove();
            throw std::runtime_error(QStringLiteral("copying %1 into %2 failed (%3)")
                                         .arg(from.fileName(), folder, out.errorString())
                                         .toStdString());
        }
        done += n;
        job.reportProgress(double(done) / double(total),
                           QStringLiteral("Copying %1").arg(from.fileName()));
    }
    out.close();
    if (!QFile::rename(part, target)) {
        QFile::remove(part);
        throw std::runtime_error(target.toStdString() + ": the copy could not be put in place");
    }
    return target;
}

} // namespace

ModelLibrary::ModelLibrary(storage::StorageThread& storage, JobQueue& jobs, QObject* parent)
    : QObject(parent), storage_(storage), jobs_(jobs), gate_(std::make_shared<UiGate>(this)),
      folder_(defaultFolder()) {
    qRegisterMetaType<ModelEntry>();
    qRegisterMetaType<QList<ModelEntry>>();
    registerHandlers();
    connect(&jobs_, &JobQueue::jobFinished, this, [this](const JobInfo& job, const QJsonObject&) {
        if (!pendingJobs_.removeOne(job.id)) return;
        if (job.state == JobState::Failed) emit failed(job.error);
        refresh();
    });
}

ModelLibrary::~ModelLibrary() {
    gate_->close();
}

QString ModelLibrary::defaultFolder() {
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/Atelier/models");
}

void ModelLibrary::setFolder(const QString& folder) {
    folder_ = folder.isEmpty() ? defaultFolder() : QFileInfo(folder).absoluteFilePath();
}

QString ModelLibrary::defaultModelPath(const QString& chosen) const {
    for (const ModelEntry& m : models_)
        if (m.ok && !chosen.isEmpty() && m.path == chosen) return m.path;
    for (const ModelEntry& m : models_)
        if (m.ok && QFileInfo(m.path).fileName() == QLatin1String(kDefaultModelFile)) return m.path;
    for (const ModelEntry& m : models_)
        if (m.ok) return m.path;
    return {};
}

void ModelLibrary::registerHandlers() {
    storage::StorageThread* storage = &storage_;
    UiGatePtr gate = gate_;
    ModelLibrary* self = this;
    jobs_.registerHandler(
        QLatin1String(kModelsScanJob), QLatin1String(kFilesLane), [storage](JobContext& job) {
            const QString folder = job.params().value(QLatin1String("folder")).toString();
            QDir().mkpath(folder);
            // Files of the folder and files added before, wherever they are.
            QStringList paths;
            QDirIterator it(folder, {QStringLiteral("*.gguf")}, QDir::Files);
            while (it.hasNext()) paths.append(QFileInfo(it.next()).absoluteFilePath());
            const auto known = storage->run(listModels).result();
            for (const ModelEntry& m : known)
                if (!paths.contains(m.path)) paths.append(m.path);
            int i = 0;
            for (const QString& path : std::as_const(paths)) {
                if (job.stopRequested()) return;
                job.reportProgress(double(i++) / double(paths.size()), QFileInfo(path).fileName());
                const QFileInfo info(path);
                const auto cached =
                    std::find_if(known.begin(), known.end(),
                                 [&](const ModelEntry& m) { return m.path == path; });
                if (!info.exists()) { // gone: forget it
                    const qint64 id = cached->id;
                    storage
                        ->run([id](storage::Database& db) { storage::ModelStore(db).remove(id); })
                        .waitForFinished();
                    continue;
                }
                if (cached != known.end() && cached->metadata.fileSize == info.size() &&
                    cached->metadata.modifiedMs == info.lastModified().toMSecsSinceEpoch())
                    continue; // unchanged: the cached header stands
                const ModelMetadata meta = readModelMetadata(path);
                storage->run([path, meta](storage::Database& db) { return record(db, path, meta); })
                    .waitForFinished();
            }
            job.setResult({{QStringLiteral("count"), int(paths.size())}});
        });
    jobs_.registerHandler(
        QLatin1String(kModelsAddJob), QLatin1String(kFilesLane),
        [storage, gate, self](JobContext& job) {
            const QString source = job.params().value(QLatin1String("path")).toString();
            const QString folder = job.params().value(QLatin1String("folder")).toString();
            const QString path = bringIn(source, folder, job);
            const ModelMetadata meta = readModelMetadata(path);
            const ModelEntry entry =
                storage->run([path, meta](storage::Database& db) { return record(db, path, meta); })
                    .result();
            gate->post([self, entry] { emit self->modelAdded(entry); });
            job.setResult({{QStringLiteral("path"), path},
                           {QStringLiteral("ok"), entry.ok},
                           {QStringLiteral("error"), entry.metadata.error}});
        });
}

void ModelLibrary::refresh() {
    storage::whenFinished(
        storage_.run(listModels), this,
        [this](const QList<ModelEntry>& list) {
            models_ = list;
            emit modelsChanged(models_);
        },
        [this](const std::exception& e) { emit failed(QString::fromUtf8(e.what())); });
}

void ModelLibrary::scan() {
    pendingJobs_.append(jobs_.submit({QLatin1String(kModelsScanJob),
                                      tr("Scanning the models folder"),
                                      JobPriority::Normal,
                                      {{QStringLiteral("folder"), folder_}}}));
}

void ModelLibrary::addModel(const QString& path) {
    pendingJobs_.append(jobs_.submit({QLatin1String(kModelsAddJob),
                                      tr("Adding %1").arg(QFileInfo(path).fileName()),
                                      JobPriority::Normal,
                                      {{QStringLiteral("path"), QFileInfo(path).absoluteFilePath()},
                                       {QStringLiteral("folder"), folder_}}}));
}

void ModelLibrary::removeModel(qint64 id, bool deleteFile) {
    const QString folder = folder_;
    storage::whenFinished(
        storage_.run([id, deleteFile, folder](storage::Database& db) {
            storage::ModelStore store(db);
            const auto r = store.get(id);
            store.remove(id);
            // Only files inside the models folder are ours to delete.
            if (deleteFile &&
                QFileInfo(r.path).absolutePath() == QFileInfo(folder).absoluteFilePath())
                QFile::remove(r.path);
        }),
        this,
        [this, id] {
            emit modelRemoved(id);
            refresh();
        },
        [this](const std::exception& e) { emit failed(QString::fromUtf8(e.what())); });
}

} // namespace atelier
