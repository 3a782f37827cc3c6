#pragma once
// The Models page's actions and the LLM host's state: the models folder, adding models (file
// dialog or files dropped on the window), removing them, loading and unloading one, the load's
// progress, which model runs on which backend, and a fallback to the CPU with its reason. It
// also keeps the list's fit estimates in step with the device and context-length settings.
#include "app/services/compute_devices.hpp"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

namespace atelier {
class ModelLibrary;
class LlmHost;
class JobQueue;
class SettingsService;
} // namespace atelier

namespace atelier::ui {

class ModelListModel;

class LibraryController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Created by the application's main()")

    Q_PROPERTY(QString folder READ folder NOTIFY folderChanged)
    Q_PROPERTY(QUrl folderUrl READ folderUrl NOTIFY folderChanged)
    // What the fit estimates are measured against: "CPU: 6.1 GB free memory".
    Q_PROPERTY(QString fitBasis READ fitBasis NOTIFY fitBasisChanged)

    Q_PROPERTY(bool loading READ loading NOTIFY loadStateChanged)
    Q_PROPERTY(QString loadingName READ loadingName NOTIFY loadStateChanged)
    Q_PROPERTY(double loadProgress READ loadProgress NOTIFY loadProgressChanged) // <0: unknown
    Q_PROPERTY(QString loadStage READ loadStage NOTIFY loadProgressChanged)
    Q_PROPERTY(int loadSeconds READ loadSeconds NOTIFY loadProgressChanged)
    Q_PROPERTY(QString loadedPath READ loadedPath NOTIFY loadStateChanged)
    Q_PROPERTY(QString loadedName READ loadedName NOTIFY loadStateChanged)
    Q_PROPERTY(QString loadedBackend READ loadedBackend NOTIFY loadStateChanged)
    // Why the model runs on the CPU although the settings ask for a device; empty otherwise.
    Q_PROPERTY(QString fallbackReason READ fallbackReason NOTIFY loadStateChanged)
    // The last thing to tell about an action of this page (a dropped file that is no model...).
    Q_PROPERTY(QString notice READ notice NOTIFY noticeChanged)
    // The model conversations use when they chose none (the saved choice if it is usable, else
    // the library's pick); set by the host from ModelLibrary::defaultModelPath.
    Q_PROPERTY(QString defaultModel READ defaultModel NOTIFY defaultModelChanged)

public:
    LibraryController(ModelLibrary& library, LlmHost& host, JobQueue& jobs,
                      SettingsService& settings, ModelListModel& models,
                      QList<ComputeDevice> devices, QObject* parent = nullptr);

    QString folder() const;
    QUrl folderUrl() const;
    QString fitBasis() const { return m_fitBasis; }
    bool loading() const { return !m_loadingPath.isEmpty(); }
    QString loadingName() const;
    double loadProgress() const { return m_progress; }
    QString loadStage() const { return m_stage; }
    int loadSeconds() const;
    QString loadedPath() const { return m_loadedPath; }
    QString loadedName() const;
    QString loadedBackend() const { return m_loadedBackend; }
    QString fallbackReason() const { return m_fallback; }
    QString notice() const { return m_notice; }
    QString defaultModel() const { return m_defaultModel; }
    void setDefaultModel(const QString& path);

    // A file from the "Add model…" dialog (a local file URL or a path).
    Q_INVOKABLE void addModel(const QUrl& file);
    // Files dropped on the window: every .gguf is added; the rest are named in the notice.
    // Returns how many were added.
    Q_INVOKABLE int addDropped(const QList<QUrl>& urls);
    // Forgets a model; with deleteFile, its file in the models folder is deleted too.
    Q_INVOKABLE void removeModel(qint64 id, bool deleteFile);
    Q_INVOKABLE void rescan();
    // Whether a model file lies in the models folder (removing it then deletes the file, as a
    // scan would list it again otherwise).
    Q_INVOKABLE bool isInFolder(const QString& path) const;
    Q_INVOKABLE void loadModel(const QString& path);
    Q_INVOKABLE void unloadModel();
    // Re-reads free memory and the settings the estimates use (the page calls it when shown).
    Q_INVOKABLE void refreshFit();
    Q_INVOKABLE void dismissNotice();
    // Saves `path` as the default model (setting chat/defaultModel); defaultModelChosen follows.
    Q_INVOKABLE void makeDefault(const QString& path);

signals:
    void folderChanged();
    void fitBasisChanged();
    void loadStateChanged();
    void loadProgressChanged();
    void noticeChanged();
    void defaultModelChanged();
    void defaultModelChosen(const QString& path);

private:
    void setNotice(const QString& text);
    void syncLoadedState();

    ModelLibrary& m_library;
    LlmHost& m_host;
    JobQueue& m_jobs;
    SettingsService& m_settings;
    ModelListModel& m_models;
    QList<ComputeDevice> m_devices;

    QString m_fitBasis;
    QString m_loadingPath;
    double m_progress = -1;
    QString m_stage;
    QElapsedTimer m_loadClock;
    QTimer m_secondTick; // the elapsed time while a load runs
    QString m_loadedPath;
    QString m_loadedBackend;
    QString m_fallback;
    QString m_notice;
    QString m_defaultModel;
};

} // namespace atelier::ui
