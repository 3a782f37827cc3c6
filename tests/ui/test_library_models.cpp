// The Models page's view-models over the real services: LibraryController adds a copy of the
// tiny fixture model (listed with its fit estimate) and a broken file (listed with its reason),
// refuses dropped files that are no GGUF, loads and unloads the model with progress, reports a
// fallback to the CPU, and removes models; SettingsForm saves the LLM settings and applies them.
#include "app/jobs/job_queue.hpp"
#include "app/services/llm_host.hpp"
#include "app/services/model_library.hpp"
#include "ui_test_backend.hpp"
#include "viewmodels/library_controller.hpp"
#include "viewmodels/model_list_model.hpp"
#include "viewmodels/settings_form.hpp"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QUrl>

using namespace atelier;
using atelier::ui::LibraryController;
using atelier::ui::ModelListModel;
using atelier::ui::SettingsForm;
using atelier::uitest::waitFor;

namespace {

QString fixtureModel() {
    return QStringLiteral(ATELIER_SOURCE_DIR "/tests/inference/llm/fixtures/tiny-qwen2.gguf");
}

QVariant cell(const ModelListModel& model, int row, ModelListModel::Role role) {
    return model.data(model.index(row), role);
}

int rowNamed(const ModelListModel& model, const QString& fileName) {
    for (int i = 0; i < model.rowCount(); ++i)
        if (cell(model, i, ModelListModel::PathRole).toString().endsWith(fileName)) return i;
    return -1;
}

// The services of the Models page over one temporary database and models folder.
struct Library {
    uitest::Backend backend;
    QTemporaryDir folder;  // the models folder
    QTemporaryDir outside; // where files are added from
    LlmHost host;
    JobQueue jobs{backend.storage.get()};
    std::unique_ptr<ModelLibrary> library;
    ModelListModel models;
    std::unique_ptr<SettingsForm> form;
    std::unique_ptr<LibraryController> controller;

    Library() {
        backend.loadSettings();
        host.registerJobs(jobs);
        library = std::make_unique<ModelLibrary>(*backend.storage, jobs);
        QObject::connect(library.get(), &ModelLibrary::modelsChanged, &models,
                         &ModelListModel::setModels);
        QObject::connect(library.get(), &ModelLibrary::failed,
                         [](const QString& m) { qWarning("ModelLibrary: %s", qPrintable(m)); });
        const QList<ComputeDevice> devices{{"cpu", "CPU", -1}};
        form = std::make_unique<SettingsForm>(*backend.settings, &host, library.get(), devices);
        controller = std::make_unique<LibraryController>(*library, host, jobs, *backend.settings,
                                                         models, devices);
        form->setThreads(2);
        form->setModelsFolder(folder.path()); // saved, applied, scanned
    }
    ~Library() {
        jobs.waitForIdle(10000);
        controller.reset();
        form.reset();
        library.reset();
    }

    QString copyOfFixture(const QString& name = QStringLiteral("tiny-qwen2.gguf")) {
        const QString path = outside.filePath(name);
        QFile::copy(fixtureModel(), path);
        return path;
    }
};

} // namespace

class TestLibraryModels : public QObject {
    Q_OBJECT

private slots:
    // "Make default" saves the choice (chat/defaultModel) and tells the host, which sets the
    // effective default back on the controller (the page marks that row).
    void makeDefaultSavesTheChoice() {
        Library l;
        QSignalSpy chosen(l.controller.get(), &LibraryController::defaultModelChosen);
        QSignalSpy changed(l.controller.get(), &LibraryController::defaultModelChanged);
        const QString path = l.copyOfFixture();
        l.controller->makeDefault(path);
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen[0][0].toString(), path);
        QCOMPARE(l.backend.settings->value("chat/defaultModel").toString(), path);
        l.controller->setDefaultModel(path);
        QCOMPARE(l.controller->defaultModel(), path);
        QCOMPARE(changed.count(), 1);
        l.controller->setDefaultModel(path); // unchanged: no signal
        QCOMPARE(changed.count(), 1);
    }

    void addsModelsWithFitAndBrokenFilesWithTheirReason() {
        Library l;
        QAbstractItemModelTester tester(&l.models,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(l.controller->folder(), l.folder.path());
        QVERIFY(l.controller->fitBasis().startsWith("CPU: "));
        QVERIFY(l.controller->fitBasis().endsWith("free memory"));

        l.controller->addModel(QUrl::fromLocalFile(l.copyOfFixture()));
        QVERIFY(QTest::qWaitFor([&] { return l.models.count() == 1; }, 10000));
        QVERIFY(QFileInfo::exists(l.folder.filePath("tiny-qwen2.gguf"))); // brought in
        QVERIFY(cell(l.models, 0, ModelListModel::UsableRole).toBool());
        QCOMPARE(cell(l.models, 0, ModelListModel::ArchitectureRole).toString(), "qwen2");
        QCOMPARE(cell(l.models, 0, ModelListModel::FitRole).toString(), "fits"); // tiny
        const QString fit = cell(l.models, 0, ModelListModel::FitTextRole).toString();
        QVERIFY2(fit.startsWith("Fits: needs about") && fit.contains("estimate"), qPrintable(fit));
        QVERIFY(!cell(l.models, 0, ModelListModel::LoadedRole).toBool());
        QCOMPARE(l.models.roleNames().value(ModelListModel::FitTextRole), "fitText");

        // Dropped: a broken .gguf is added (and listed with why), a text file is refused.
        const QString broken = l.outside.filePath("broken.gguf");
        const QString notes = l.outside.filePath("notes.txt");
        for (const QString& path : {broken, notes}) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("this is not a GGUF header at all");
        }
        QSignalSpy notice(l.controller.get(), &LibraryController::noticeChanged);
        QCOMPARE(
            l.controller->addDropped({QUrl::fromLocalFile(broken), QUrl::fromLocalFile(notes)}), 1);
        QVERIFY(notice.count() >= 1);
        QVERIFY2(l.controller->notice().contains("notes.txt") &&
                     l.controller->notice().contains(".gguf"),
                 qPrintable(l.controller->notice()));
        QVERIFY(QTest::qWaitFor([&] { return l.models.count() == 2; }, 10000));
        const int bad = rowNamed(l.models, "broken.gguf");
        QVERIFY(bad >= 0);
        QVERIFY(!cell(l.models, bad, ModelListModel::UsableRole).toBool());
        const QString error = cell(l.models, bad, ModelListModel::ErrorRole).toString();
        QVERIFY2(error.contains("broken.gguf"), qPrintable(error));
        QCOMPARE(cell(l.models, bad, ModelListModel::FitRole).toString(), "unknown");
        // The add itself says the file cannot be used.
        QVERIFY(QTest::qWaitFor([&] { return l.controller->notice().contains("cannot be used"); },
                                5000));
        l.controller->dismissNotice();
        QVERIFY(l.controller->notice().isEmpty());

        // The "Add model…" dialog refuses a file that is not .gguf with a message too.
        l.controller->addModel(QUrl::fromLocalFile(notes));
        QVERIFY(l.controller->notice().contains("not a GGUF model file"));

        // A longer context in the settings makes the estimate bigger.
        const QString before =
            cell(l.models, rowNamed(l.models, "tiny-qwen2.gguf"), ModelListModel::FitTextRole)
                .toString();
        l.form->setContextLength(32768);
        const QString after =
            cell(l.models, rowNamed(l.models, "tiny-qwen2.gguf"), ModelListModel::FitTextRole)
                .toString();
        QVERIFY2(after != before && after.contains("32768 tokens"), qPrintable(after));

        // Removing a model of the folder deletes its file; the list follows.
        const qint64 badId = cell(l.models, bad, ModelListModel::IdRole).toLongLong();
        QVERIFY(l.controller->isInFolder(l.folder.filePath("broken.gguf")));
        l.controller->removeModel(badId, true);
        QVERIFY(QTest::qWaitFor([&] { return l.models.count() == 1; }, 5000));
        QVERIFY(!QFileInfo::exists(l.folder.filePath("broken.gguf")));
        QVERIFY(QFileInfo::exists(broken)); // the original stays
    }

    void loadsWithProgressThenUnloads() {
        Library l;
        l.controller->addModel(QUrl::fromLocalFile(l.copyOfFixture()));
        QVERIFY(QTest::qWaitFor([&] { return l.models.count() == 1; }, 10000));
        const QString path = cell(l.models, 0, ModelListModel::PathRole).toString();

        QSignalSpy progress(&l.host, &LlmHost::loadProgress);
        QSignalSpy state(l.controller.get(), &LibraryController::loadStateChanged);
        bool sawLoading = false;
        connect(l.controller.get(), &LibraryController::loadStateChanged, this,
                [&] { sawLoading = sawLoading || l.controller->loading(); });
        l.controller->loadModel(path);
        QVERIFY(QTest::qWaitFor([&] { return !l.controller->loadedPath().isEmpty(); }, 20000));
        QVERIFY(sawLoading);
        // The first stage and the end at least; fractions from 0 to 1 in order.
        QVERIFY(progress.count() >= 2);
        QCOMPARE(progress.first().at(1).toDouble(), 0.0);
        QCOMPARE(progress.last().at(1).toDouble(), 1.0);
        QCOMPARE(progress.last().at(2).toString(), QStringLiteral("loaded"));
        for (int i = 1; i < progress.count(); ++i)
            QVERIFY(progress.at(i).at(1).toDouble() >= progress.at(i - 1).at(1).toDouble());
        QVERIFY(!l.controller->loading());
        QCOMPARE(l.controller->loadedName(), QStringLiteral("tiny-qwen2.gguf"));
        QVERIFY2(l.controller->loadedBackend().startsWith("cpu"),
                 qPrintable(l.controller->loadedBackend()));
        QVERIFY(l.controller->fallbackReason().isEmpty());
        QVERIFY(cell(l.models, 0, ModelListModel::LoadedRole).toBool());

        l.controller->unloadModel();
        QVERIFY(QTest::qWaitFor([&] { return l.controller->loadedPath().isEmpty(); }, 10000));
        QVERIFY(!cell(l.models, 0, ModelListModel::LoadedRole).toBool());
        QVERIFY(l.host.loadedModelPath().isEmpty());
    }

    void aDeviceThatCannotBeUsedFallsBackToTheCpuWithItsReason() {
        Library l;
        l.controller->addModel(QUrl::fromLocalFile(l.copyOfFixture()));
        QVERIFY(QTest::qWaitFor([&] { return l.models.count() == 1; }, 10000));
        l.form->setBackend(QStringLiteral("vulkan:99")); // no such device on any machine
        QCOMPARE(l.host.deviceSettings().backend, QStringLiteral("vulkan:99"));
        // The estimate says it does not know that device's memory.
        QVERIFY(cell(l.models, 0, ModelListModel::FitTextRole).toString().contains("unknown"));
        QCOMPARE(cell(l.models, 0, ModelListModel::FitRole).toString(), "unknown");

        l.controller->loadModel(cell(l.models, 0, ModelListModel::PathRole).toString());
        QVERIFY(QTest::qWaitFor([&] { return !l.controller->loadedPath().isEmpty(); }, 20000));
        QVERIFY2(l.controller->fallbackReason().contains("vulkan:99"),
                 qPrintable(l.controller->fallbackReason()));
        QVERIFY(l.controller->loadedBackend().startsWith("cpu"));
    }

    void settingsFormSavesAndAppliesTheLlmSettings() {
        Library l;
        SettingsForm& form = *l.form;
        QCOMPARE(form.devices().size(), 1);
        QCOMPARE(form.backend(), QStringLiteral("cpu"));
        QCOMPARE(form.backendIndex(), 0);
        QVERIFY(!form.deviceSelected());
        QSignalSpy changed(&form, &SettingsForm::changed);

        form.setGpuLayers(12);
        form.setThreads(3);
        form.setContextLength(2048);
        QVERIFY(changed.count() >= 3);
        QCOMPARE(form.gpuLayers(), 12);
        QCOMPARE(form.threads(), 3);
        QCOMPARE(form.contextLength(), 2048);
        const LlmDeviceSettings applied = l.host.deviceSettings();
        QCOMPARE(applied.gpuLayers, 12);
        QCOMPARE(applied.threads, 3);
        QCOMPARE(applied.contextLength, 2048);
        QCOMPARE(l.backend.settings->value("llm/contextLength").toInt(), 2048);
        form.setContextLength(-5); // clamped: 0 is "the model's"
        QCOMPARE(form.contextLength(), 0);

        // Stored: a fresh form over the same settings reads them back.
        l.backend.drain();
        SettingsService reread(*l.backend.storage);
        QSignalSpy loaded(&reread, &SettingsService::loaded);
        reread.load();
        QVERIFY(waitFor(loaded));
        QCOMPARE(reread.value("llm/threads").toInt(), 3);
        QCOMPARE(reread.value("models/folder").toString(), l.folder.path());

        // Another models folder is scanned at once; the default folder is an empty setting.
        l.controller->addModel(QUrl::fromLocalFile(l.copyOfFixture()));
        QVERIFY(QTest::qWaitFor([&] { return l.models.count() == 1; }, 10000));
        QTemporaryDir other;
        form.setModelsFolderUrl(QUrl::fromLocalFile(other.path()));
        QCOMPARE(l.library->folder(), other.path());
        QCOMPARE(form.modelsFolder(), other.path());
        QVERIFY(QTest::qWaitFor([&] { return l.models.count() == 1; }, 10000)); // added before
        form.useDefaultModelsFolder();
        QCOMPARE(l.backend.settings->value("models/folder").toString(), QString());
        QCOMPARE(form.modelsFolder(), form.defaultModelsFolder());
    }
};

int main(int argc, char** argv) {
    // The default models folder lives in the data folder: keep it in a temporary one.
    QTemporaryDir data;
    qputenv("XDG_DATA_HOME", data.path().toLocal8Bit());
    QCoreApplication app(argc, argv);
    TestLibraryModels test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "test_library_models.moc"
