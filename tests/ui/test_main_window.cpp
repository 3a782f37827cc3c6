// Loads the real main window (Main.qml from the compiled module) over the real services and a
// temporary database, visits every page, and drives the keyboard, the generation panel, the
// Models page (a model and a broken file listed), the Settings page and the sidebar's search.
// Any QML or Qt warning fails the test.
#include "app/jobs/job_queue.hpp"
#include "app/services/chat_service.hpp"
#include "app/services/llm_host.hpp"
#include "app/services/model_library.hpp"
#include "ui/ui_setup.hpp"
#include "ui_test_backend.hpp"
#include "viewmodels/app_controller.hpp"
#include "viewmodels/conversation_transfer.hpp"
#include "viewmodels/library_controller.hpp"
#include "viewmodels/search_results_model.hpp"
#include "viewmodels/settings_form.hpp"

#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QMimeData>
#include <QQmlApplicationEngine>
#include <QQmlComponent>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>
#include <atomic>

Q_IMPORT_QML_PLUGIN(AtelierPlugin)

using namespace atelier;
using atelier::ui::AppController;

namespace {

QStringList g_warnings;
QtMessageHandler g_previousHandler = nullptr;

void failOnWarnings(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    if (type != QtDebugMsg && type != QtInfoMsg)
        g_warnings << QStringLiteral("[%1] %2").arg(QString::fromUtf8(context.category), message);
    if (g_previousHandler) g_previousHandler(type, context, message);
}

// QTest::keyClicks takes only widgets in Qt 6.4.
void typeText(QWindow* window, const char* text) {
    for (const char* c = text; *c; ++c) QTest::keyClick(window, *c);
}

// Delegates of views have no QObject parent, so findChild() misses them: walk the item tree.
QQuickItem* findItem(QQuickItem* root, const QString& name) {
    if (!root) return nullptr;
    if (root->objectName() == name) return root;
    for (QQuickItem* child : root->childItems())
        if (QQuickItem* hit = findItem(child, name)) return hit;
    return nullptr;
}

// The first visible item of that name (rows of a list hide what does not apply to them).
QQuickItem* findVisibleItem(QQuickItem* root, const QString& name) {
    if (!root || !root->isVisible()) return nullptr;
    if (root->objectName() == name) return root;
    for (QQuickItem* child : root->childItems())
        if (QQuickItem* hit = findVisibleItem(child, name)) return hit;
    return nullptr;
}

QString text(QObject* item) {
    return item ? item->property("text").toString() : QString();
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

    std::unique_ptr<uitest::Backend> backend_;
    std::unique_ptr<JobQueue> jobs_;
    std::unique_ptr<JobQueue> libraryJobs_; // the Models page's (the Jobs page shows jobs_)
    std::unique_ptr<AppController> app_;
    std::unique_ptr<LlmHost> host_;
    std::unique_ptr<ChatService> chat_;
    std::unique_ptr<ModelLibrary> library_;
    std::unique_ptr<ui::SettingsForm> form_;
    std::unique_ptr<ui::LibraryController> libraryController_;
    std::unique_ptr<ui::SearchResultsModel> search_;
    std::unique_ptr<ui::ConversationTransfer> transfer_;
    QTemporaryDir modelsFolder_;
    QTemporaryDir outside_; // where models are added or dropped from
    std::unique_ptr<QQmlApplicationEngine> engine_;
    QQuickWindow* window_ = nullptr;
    qint64 first_ = 0, second_ = 0;
    std::atomic<bool> stopJobs_{false};

    template <class T = QObject> T* find(const char* name) {
        T* object = window_->findChild<T*>(QString::fromLatin1(name));
        if (!object) qWarning("no object named %s", name);
        return object;
    }
    QQuickItem* item(const char* name) { return find<QQuickItem>(name); }

    void showPage(AppController::Page page, const char* pageName) {
        app_->setCurrentPage(page);
        QQuickItem* p = item(pageName);
        QVERIFY(p);
        QTRY_VERIFY_WITH_TIMEOUT(p->isVisible(), 2000);
        // Render it once: some warnings only come at paint time.
        grab(pageName);
    }

    // Renders the window; with ATELIER_UI_SHOTS=folder set, also saves it there (to look at).
    void grab(const char* name) {
        const QImage image = window_->grabWindow();
        QVERIFY(!image.isNull());
        const QString folder = qEnvironmentVariable("ATELIER_UI_SHOTS");
        if (!folder.isEmpty())
            QVERIFY(image.save(QStringLiteral("%1/%2.png").arg(folder, QLatin1String(name))));
    }

private slots:
    void initTestCase() {
        g_previousHandler = qInstallMessageHandler(failOnWarnings);

        backend_ = std::make_unique<uitest::Backend>();
        first_ = backend_->createConversation(QStringLiteral("Recipes"));
        QTest::qWait(5);
        second_ = backend_->createConversation(QStringLiteral("Travel plans"));
        const qint64 q = backend_->addMessage(first_, "user", "What goes into a pesto?");
        backend_->addMessage(first_, "assistant",
                             "Basil, pine nuts, garlic, parmesan and olive oil.", q);
        backend_->addMessage(first_, "user", "And without nuts?");
        QVERIFY(backend_->loadSettings());
        // The older conversation was open last time: it is reopened, not the newest.
        backend_->settings->setValue(AppController::kLastConversationKey, first_);

        jobs_ = std::make_unique<JobQueue>(nullptr);
        jobs_->registerHandler("test.wait", "cpu", [this](JobContext& ctx) {
            ctx.reportProgress(0.4, QStringLiteral("Working"));
            while (!ctx.stopRequested() && !stopJobs_) QThread::msleep(2);
        });
        app_ = std::make_unique<AppController>(
            *backend_->conversations, *backend_->settings, jobs_.get(),
            AppController::Paths{"/tmp/atelier-data", "/tmp/atelier-data/db"});
        // The Models and Settings pages, search and transfers, wired as main() wires them (the
        // chat service is not given to the controller: the chat page stays without a model).
        libraryJobs_ = std::make_unique<JobQueue>(nullptr);
        host_ = std::make_unique<LlmHost>();
        host_->registerJobs(*libraryJobs_);
        chat_ = std::make_unique<ChatService>(*backend_->storage, *libraryJobs_, *host_);
        library_ = std::make_unique<ModelLibrary>(*backend_->storage, *libraryJobs_);
        QObject::connect(library_.get(), &ModelLibrary::modelsChanged, app_->models(),
                         &ui::ModelListModel::setModels);
        // A device listed as a machine with one would list it (this one is never loaded on).
        const QList<ComputeDevice> devices{
            {"cpu", "CPU", -1}, {"vulkan:0", "Vulkan 0: Test GPU (discrete)", 4'000'000'000}};
        form_ = std::make_unique<ui::SettingsForm>(*backend_->settings, host_.get(), library_.get(),
                                                   devices);
        libraryController_ = std::make_unique<ui::LibraryController>(
            *library_, *host_, *libraryJobs_, *backend_->settings, *app_->models(), devices);
        search_ = std::make_unique<ui::SearchResultsModel>(chat_.get(), app_->conversations());
        transfer_ =
            std::make_unique<ui::ConversationTransfer>(chat_.get(), *backend_->conversations);
        form_->setModelsFolder(modelsFolder_.path()); // empty: the page says how to add one
        engine_ = std::make_unique<QQmlApplicationEngine>();
        engine_->addImportPath(atelier::ui::moduleImportPath());
        engine_->setInitialProperties({{"app", QVariant::fromValue(app_.get())},
                                       {"library", QVariant::fromValue(libraryController_.get())},
                                       {"settingsForm", QVariant::fromValue(form_.get())},
                                       {"searchResults", QVariant::fromValue(search_.get())},
                                       {"transfer", QVariant::fromValue(transfer_.get())}});
        engine_->load(atelier::ui::mainWindowUrl());
        QCOMPARE(engine_->rootObjects().size(), 1);
        window_ = qobject_cast<QQuickWindow*>(engine_->rootObjects().constFirst());
        QVERIFY(window_);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_));
        app_->start();
        QTRY_COMPARE_WITH_TIMEOUT(app_->currentConversationId(), first_, 5000);
    }

    void cleanup() {
        const QStringList warnings = std::exchange(g_warnings, {});
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
    }

    void cleanupTestCase() {
        stopJobs_ = true;
        if (jobs_) jobs_->waitForIdle(5000);
        if (libraryJobs_) libraryJobs_->waitForIdle(5000);
        engine_.reset();
        transfer_.reset();
        search_.reset();
        libraryController_.reset();
        form_.reset();
        library_.reset();
        chat_.reset();
        app_.reset();
        jobs_.reset();
        libraryJobs_.reset();
        host_.reset();
        backend_.reset();
        qInstallMessageHandler(g_previousHandler);
        QVERIFY2(g_warnings.isEmpty(), qPrintable(g_warnings.join(QLatin1Char('\n'))));
    }

    // The guard itself: a QML mistake does reach the handler that fails these tests.
    void qmlWarningsAreCaught() {
        QQmlComponent component(engine_.get());
        component.setData("import QtQuick\nItem { width: noSuchName }", QUrl("qrc:/test/Bad.qml"));
        std::unique_ptr<QObject> bad(component.create());
        QVERIFY(bad);
        const QStringList caught = std::exchange(g_warnings, {});
        QCOMPARE(caught.size(), 1);
        QVERIFY2(caught.first().contains("noSuchName"), qPrintable(caught.first()));
    }

    void reopensTheLastConversationWithItsMessages() {
        QCOMPARE(app_->currentConversationTitle(), QStringLiteral("Recipes"));
        QCOMPARE(window_->title(), QStringLiteral("Recipes — Atelier"));
        QTRY_COMPARE_WITH_TIMEOUT(item("messageList")->property("count").toInt(), 3, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(item("conversationList")->property("count").toInt(), 2, 5000);
    }

    void chatSaysPlainlyThatNoModelIsLoaded() {
        showPage(AppController::Chat, "chatPage");
        QQuickItem* notice = item("chatUnavailableNotice");
        QVERIFY(notice && notice->isVisible());
        QCOMPARE(text(notice->findChild<QObject*>("noticeText")),
                 QStringLiteral("No model loaded — add a GGUF model on the Models page"));
        QVERIFY(!item("sendButton")->isEnabled());
    }

    void everyPageLoadsWithoutWarnings() {
        showPage(AppController::Images, "imagesPage");
        QVERIFY(item("imagesEmptyState")->property("title").toString().contains("not built yet"));
        showPage(AppController::Models, "modelsPage");
        QCOMPARE(item("modelsEmptyState")->property("title").toString(),
                 QStringLiteral("No model loaded"));
        showPage(AppController::Jobs, "jobsPage");
        QVERIFY(item("jobsEmptyState")->isVisible());
        showPage(AppController::Settings, "settingsPage");
        QCOMPARE(text(item("dataFolderField")->findChild<QObject*>("value")),
                 QStringLiteral("/tmp/atelier-data"));
        QCOMPARE(text(item("databasePathField")->findChild<QObject*>("value")),
                 QStringLiteral("/tmp/atelier-data/db"));
        showPage(AppController::Chat, "chatPage");
    }

    void navigationRailSwitchesPages() {
        QQuickItem* models = item("navModels");
        QTest::mouseClick(
            window_, Qt::LeftButton, {},
            models->mapToScene(QPointF(models->width() / 2, models->height() / 2)).toPoint());
        QTRY_COMPARE_WITH_TIMEOUT(app_->currentPage(), AppController::Models, 2000);
        QCOMPARE(item("pages")->property("currentIndex").toInt(), int(AppController::Models));
        showPage(AppController::Chat, "chatPage");
    }

    void enterDoesNotSendWithoutAModelAndShiftEnterAddsALine() {
        QQuickItem* input = item("composerInput");
        input->forceActiveFocus();
        QTRY_VERIFY(input->hasActiveFocus());
        typeText(window_, "hello");
        QTest::keyClick(window_, Qt::Key_Return);
        QCOMPARE(text(input), QStringLiteral("hello")); // kept, not sent, no new line
        QTest::keyClick(window_, Qt::Key_Return, Qt::ShiftModifier);
        typeText(window_, "world");
        QCOMPARE(text(input), QStringLiteral("hello\nworld"));
        QTest::keyClick(window_, Qt::Key_Enter); // the keypad's Enter behaves the same
        QCOMPARE(text(input), QStringLiteral("hello\nworld"));
        input->setProperty("text", QString());
        QTest::qWait(GenerationParamsModelDelay());
    }

    // The composer on its own, allowed to send: Enter sends the text and empties the box.
    void composerSendsOnEnterWhenAModelCanAnswer() {
        QQmlComponent component(engine_.get());
        component.setData("import QtQuick\nimport Atelier\n"
                          "Window { width: 480; height: 160; visible: true\n"
                          "  ChatComposer { objectName: \"c\"; anchors.fill: parent; "
                          "canSend: true } }",
                          QUrl("qrc:/test/ComposerHost.qml"));
        std::unique_ptr<QObject> host(component.create());
        QVERIFY2(host, qPrintable(component.errorString()));
        auto* hostWindow = qobject_cast<QQuickWindow*>(host.get());
        QVERIFY(QTest::qWaitForWindowExposed(hostWindow));
        QObject* composer = hostWindow->findChild<QObject*>("c");
        auto* input = hostWindow->findChild<QQuickItem*>("composerInput");
        QVERIFY(composer && input);
        QSignalSpy sent(composer, SIGNAL(sendRequested(QString)));
        input->forceActiveFocus();
        QTest::keyClick(hostWindow, Qt::Key_Return); // empty: nothing to send
        typeText(hostWindow, "   ");
        QTest::keyClick(hostWindow, Qt::Key_Return); // blank: nothing to send
        QCOMPARE(sent.count(), 0);
        input->setProperty("text", QString());
        typeText(hostWindow, "first line");
        QTest::keyClick(hostWindow, Qt::Key_Return, Qt::ShiftModifier);
        typeText(hostWindow, "second");
        QTest::keyClick(hostWindow, Qt::Key_Return);
        QCOMPARE(sent.count(), 1);
        QCOMPARE(sent.at(0).at(0).toString(), QStringLiteral("first line\nsecond"));
        QCOMPARE(text(input), QString());
    }

    void ctrlNStartsANewConversation() {
        QSignalSpy created(backend_->conversations.get(),
                           &ConversationService::conversationCreated);
        QTest::keyClick(window_, Qt::Key_N, Qt::ControlModifier);
        QVERIFY(uitest::waitFor(created));
        const qint64 id = created.at(0).at(0).toLongLong();
        QTRY_COMPARE_WITH_TIMEOUT(app_->currentConversationId(), id, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(item("conversationList")->property("count").toInt(), 3, 5000);
        QCOMPARE(app_->currentPage(), AppController::Chat);
        QTRY_COMPARE_WITH_TIMEOUT(item("messageList")->property("count").toInt(), 0, 5000);
    }

    // Typing in the sidebar's search replaces the list with title and message hits; a hit
    // opens its conversation; clearing the field brings the list back.
    void sidebarSearchFindsTitlesAndMessages() {
        QQuickItem* field = item("conversationSearch");
        QQuickItem* results = item("searchResultList");
        QQuickItem* list = item("conversationList");
        QVERIFY(!results->isVisible() && list->isVisible());
        field->forceActiveFocus();
        typeText(window_, "travel");
        QCOMPARE(search_->query(), QStringLiteral("travel"));
        QTRY_VERIFY(results->isVisible() && !list->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(results->property("count").toInt(), 1, 5000); // the title

        field->setProperty("text", QString());
        search_->setQuery({});
        field->forceActiveFocus();
        typeText(window_, "nuts");
        QTRY_VERIFY_WITH_TIMEOUT(!search_->searching() && search_->count() == 2, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(results->property("count").toInt(), 2, 5000);
        QQuickItem* snippet = nullptr;
        QTRY_VERIFY((snippet = findItem(results, "searchHitSnippet")) && snippet->isVisible());
        QVERIFY2(text(snippet).contains("<b>nuts</b>"), qPrintable(text(snippet)));
        grab("sidebarSearch");

        app_->selectConversation(second_);
        QTRY_COMPARE_WITH_TIMEOUT(app_->currentConversationId(), second_, 5000);
        QTest::mouseClick(
            window_, Qt::LeftButton, {},
            snippet->mapToScene(QPointF(snippet->width() / 2, snippet->height() / 2)).toPoint());
        QTRY_COMPARE_WITH_TIMEOUT(app_->currentConversationId(), first_, 5000);

        field->setProperty("text", QString());
        search_->setQuery({});
        QTRY_VERIFY(!results->isVisible() && list->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(list->property("count").toInt(), 3, 5000);
    }

    // Files dropped on the window: the Models page opens, a .gguf is added (this one is broken:
    // listed with its reason), any other file is named in a notice.
    void droppedFilesAreAddedOrRefused() {
        QVERIFY(item("modelDropArea")->isEnabled());
        QCOMPARE(app_->currentPage(), AppController::Chat);
        const QString broken = outside_.filePath("broken.gguf");
        const QString notes = outside_.filePath("notes.txt");
        for (const QString& path : {broken, notes}) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("not a model");
        }
        QMimeData data;
        data.setUrls({QUrl::fromLocalFile(broken), QUrl::fromLocalFile(notes)});
        const QPoint at(window_->width() / 2, window_->height() / 2);
        QDragEnterEvent enter(at, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window_, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(at, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window_, &drop);
        QTRY_COMPARE(app_->currentPage(), AppController::Models);
        QVERIFY2(libraryController_->notice().contains("notes.txt"),
                 qPrintable(libraryController_->notice()));
        QTRY_COMPARE_WITH_TIMEOUT(item("modelList")->property("count").toInt(), 1, 10000);
        QTRY_VERIFY(item("libraryNotice")->isVisible());
        showPage(AppController::Models, "modelsPage");
        showPage(AppController::Chat, "chatPage");
    }

    // Export through the sidebar's save dialog (the suggested name comes from the title), then
    // import the file back through the open dialog: a new conversation, opened.
    void exportAndImportThroughTheDialogs() {
        QObject* sidebar = find("sidebar");
        auto* save = find("saveDialog");
        auto* open = find("importDialog");
        QVERIFY(sidebar && save && open);
        QVERIFY(findItem(item("sidebar"), "sidebarMenuButton")->isVisible());
        save->setProperty("currentFolder", QUrl::fromLocalFile(outside_.path()));
        QMetaObject::invokeMethod(sidebar, "saveAs", Q_ARG(QVariant, first_),
                                  Q_ARG(QVariant, QStringLiteral("Recipes")),
                                  Q_ARG(QVariant, QStringLiteral("json")));
        QTRY_VERIFY(save->property("visible").toBool());
        const QString file = outside_.filePath("Recipes.json");
        QCOMPARE(save->property("selectedFile").toUrl(), QUrl::fromLocalFile(file));
        QMetaObject::invokeMethod(save, "accept");
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(file), 5000);
        QTRY_VERIFY(app_->errorMessage().startsWith("Exported to")); // said in the banner

        const int before = app_->conversations()->count();
        open->setProperty("currentFolder", QUrl::fromLocalFile(outside_.path()));
        open->setProperty("selectedFile", QUrl::fromLocalFile(file));
        QMetaObject::invokeMethod(open, "open");
        QTRY_VERIFY(open->property("visible").toBool());
        QMetaObject::invokeMethod(open, "accept");
        QTRY_COMPARE_WITH_TIMEOUT(app_->conversations()->count(), before + 1, 5000);
        QTRY_VERIFY(app_->currentConversationId() != first_ &&
                    app_->currentConversationTitle() == QStringLiteral("Recipes"));
        QTRY_COMPARE_WITH_TIMEOUT(item("messageList")->property("count").toInt(), 3, 5000);
        app_->dismissError();
        app_->selectConversation(first_);
    }

    // A model and a broken file listed, with the fit estimate and the reason.
    void modelsPageListsModelsWithFitAndBrokenFiles() {
        const QString model = outside_.filePath("tiny-qwen2.gguf");
        QVERIFY(QFile::copy(
            QStringLiteral(ATELIER_SOURCE_DIR "/tests/inference/llm/fixtures/tiny-qwen2.gguf"),
            model));
        libraryController_->addModel(QUrl::fromLocalFile(model));
        showPage(AppController::Models, "modelsPage");
        QTRY_COMPARE_WITH_TIMEOUT(item("modelList")->property("count").toInt(), 2, 10000);
        QVERIFY(!item("modelsEmptyState")->isVisible());
        QQuickItem* fit = nullptr;
        QTRY_VERIFY((fit = findVisibleItem(item("modelList"), "modelFit")));
        QVERIFY2(text(fit).contains("estimate"), qPrintable(text(fit)));
        QQuickItem* error = nullptr;
        QTRY_VERIFY((error = findVisibleItem(item("modelList"), "modelError")));
        QVERIFY2(text(error).contains("broken.gguf"), qPrintable(text(error)));
        QCOMPARE(text(item("modelsFolderField")->findChild<QObject*>("value")),
                 modelsFolder_.path());
        QVERIFY(text(item("fitBasis")).contains("CPU"));
        QVERIFY(item("addModelButton")->isVisible());
        QTRY_VERIFY(item("libraryNotice")->isVisible()); // the broken file "cannot be used"
        grab("modelsPage");

        // The dialogs behind "Add model…" and "Change…" open (and load without warnings).
        for (const char* name : {"addModelDialog", "modelsFolderDialog"}) {
            QObject* dialog = find(name);
            QVERIFY(dialog);
            QMetaObject::invokeMethod(dialog, "open");
            QTRY_VERIFY(dialog->property("visible").toBool());
            QMetaObject::invokeMethod(dialog, "reject");
            QTRY_VERIFY(!dialog->property("visible").toBool());
        }

        // Loading shows which model runs on which backend, with Unload.
        QQuickItem* load = findVisibleItem(item("modelList"), "loadModelButton");
        QVERIFY(load && load->isVisible());
        QTest::mouseClick(
            window_, Qt::LeftButton, {},
            load->mapToScene(QPointF(load->width() / 2, load->height() / 2)).toPoint());
        QTRY_VERIFY_WITH_TIMEOUT(!libraryController_->loadedPath().isEmpty(), 20000);
        QTRY_VERIFY(item("loadPanel")->isVisible());
        QVERIFY2(text(item("loadStatusText")).contains("tiny-qwen2.gguf is loaded on cpu"),
                 qPrintable(text(item("loadStatusText"))));
        grab("modelsPageLoaded");
        QQuickItem* unload = item("unloadButton");
        QTest::mouseClick(
            window_, Qt::LeftButton, {},
            unload->mapToScene(QPointF(unload->width() / 2, unload->height() / 2)).toPoint());
        QTRY_VERIFY_WITH_TIMEOUT(libraryController_->loadedPath().isEmpty(), 10000);
        QTRY_VERIFY(!item("loadPanel")->isVisible());

        // A device that cannot be used: the model runs on the CPU, and the page says why.
        QVERIFY(!item("fallbackNotice")->isVisible());
        form_->setBackend(QStringLiteral("vulkan:99"));
        QTRY_VERIFY((load = findVisibleItem(item("modelList"), "loadModelButton")));
        QTest::mouseClick(
            window_, Qt::LeftButton, {},
            load->mapToScene(QPointF(load->width() / 2, load->height() / 2)).toPoint());
        QTRY_VERIFY_WITH_TIMEOUT(item("fallbackNotice")->isVisible(), 20000);
        const QString reason = text(item("fallbackNotice")->findChild<QObject*>("noticeText"));
        QVERIFY2(reason.startsWith("vulkan:99 could not be used") &&
                     reason.endsWith("running on the CPU instead"),
                 qPrintable(reason));
        grab("modelsPageFallback");
        libraryController_->unloadModel();
        QTRY_VERIFY_WITH_TIMEOUT(!item("fallbackNotice")->isVisible(), 10000);
        form_->setBackend(QStringLiteral("cpu"));
        libraryController_->dismissNotice();
        showPage(AppController::Chat, "chatPage");
    }

    void settingsPageShowsAndSavesTheLlmSettings() {
        showPage(AppController::Settings, "settingsPage");
        QQuickItem* combo = item("deviceCombo");
        QVERIFY(combo && combo->isVisible());
        QCOMPARE(combo->property("currentText").toString(), QStringLiteral("CPU"));
        QVERIFY(!item("gpuLayersSpin")->isEnabled()); // no device chosen
        QCOMPARE(combo->property("count").toInt(), 2);

        // Picking the device with the keyboard saves it and offers the GPU-layer count; the
        // Models page's estimate then measures against that device's memory.
        combo->forceActiveFocus();
        QTest::keyClick(window_, Qt::Key_Down);
        QTRY_COMPARE(form_->backend(), QStringLiteral("vulkan:0"));
        QCOMPARE(backend_->settings->value("llm/backend").toString(), QStringLiteral("vulkan:0"));
        QCOMPARE(host_->deviceSettings().backend, QStringLiteral("vulkan:0"));
        QTRY_VERIFY(item("gpuLayersSpin")->isEnabled());
        QVERIFY(libraryController_->fitBasis().contains("Test GPU"));
        QVERIFY(libraryController_->fitBasis().contains("4.0 GB device memory"));
        grab("settingsPageDevice");
        QTest::keyClick(window_, Qt::Key_Up);
        QTRY_COMPARE(form_->backend(), QStringLiteral("cpu"));
        QTRY_VERIFY(!item("gpuLayersSpin")->isEnabled());
        form_->setContextLength(2048);
        QCOMPARE(
            item("contextLengthSpin")->findChild<QObject*>("spinBox")->property("value").toInt(),
            2048);
        QCOMPARE(host_->deviceSettings().contextLength, 2048);
        QCOMPARE(text(item("modelsFolderSetting")->findChild<QObject*>("value")),
                 modelsFolder_.path());
        grab("settingsPage");
        form_->setContextLength(0);
        showPage(AppController::Chat, "chatPage");
    }

    void generationPanelShowsNumbersAndSavesMoves() {
        app_->selectConversation(first_);
        QTRY_VERIFY_WITH_TIMEOUT(app_->generation()->loaded(), 5000);
        app_->generation()->setTemperature(1.35);
        QQuickItem* temperature = item("temperatureSlider");
        QCOMPARE(text(temperature->findChild<QObject*>("valueText")), QStringLiteral("1.35"));
        app_->generation()->setTopP(0.5);
        QCOMPARE(text(item("topPSlider")->findChild<QObject*>("valueText")),
                 QStringLiteral("0.50"));

        // Dragging the temperature slider to three quarters writes about 1.5, once.
        QSignalSpy saved(backend_->conversations.get(), &ConversationService::paramsSaved);
        auto* slider = temperature->findChild<QQuickItem*>("slider");
        const QPointF at =
            slider->mapToScene(QPointF(slider->width() * 0.75, slider->height() / 2));
        QTest::mouseClick(window_, Qt::LeftButton, {}, at.toPoint());
        QTRY_VERIFY_WITH_TIMEOUT(std::abs(app_->generation()->temperature() - 1.5) < 0.15, 2000);
        QVERIFY(uitest::waitFor(saved));
        QTest::qWait(GenerationParamsModelDelay());
        QCOMPARE(saved.count(), 1);

        // The advanced section opens on click and shows its values.
        QQuickItem* advanced = item("advancedSection");
        QVERIFY(!advanced->isVisible());
        QQuickItem* toggle = item("advancedToggle");
        QTest::mouseClick(
            window_, Qt::LeftButton, {},
            toggle->mapToScene(QPointF(toggle->width() / 2, toggle->height() / 2)).toPoint());
        QTRY_VERIFY(advanced->isVisible());
        app_->generation()->setTopK(12);
        QCOMPARE(item("topKSpin")->findChild<QObject*>("spinBox")->property("value").toInt(), 12);
        app_->generation()->setSeed(-1);
        QCOMPARE(
            item("seedSpin")->findChild<QObject*>("spinBox")->property("displayText").toString(),
            QStringLiteral("random"));
        grab("generationAdvanced");
    }

    void jobsPageListsJobsWithCancel() {
        const qint64 id = jobs_->submit({"test.wait", "Render a test", JobPriority::Normal, {}});
        showPage(AppController::Jobs, "jobsPage");
        QTRY_COMPARE_WITH_TIMEOUT(item("jobList")->property("count").toInt(), 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(jobs_->job(id).state, JobState::Running, 5000);
        QQuickItem* cancel = nullptr;
        QTRY_VERIFY((cancel = findItem(window_->contentItem(), "cancelJobButton")) &&
                    cancel->isVisible());
        grab("jobRunning");
        QTest::mouseClick(
            window_, Qt::LeftButton, {},
            cancel->mapToScene(QPointF(cancel->width() / 2, cancel->height() / 2)).toPoint());
        QTRY_COMPARE_WITH_TIMEOUT(jobs_->job(id).state, JobState::Cancelled, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!cancel->isVisible(), 5000);
        showPage(AppController::Chat, "chatPage");
    }

    void renameThroughTheDialog() {
        QSignalSpy renamed(backend_->conversations.get(),
                           &ConversationService::conversationRenamed);
        QObject* rename = find("renameDialog");
        QVERIFY(rename);
        QMetaObject::invokeMethod(rename, "ask", Q_ARG(QVariant, second_),
                                  Q_ARG(QVariant, QStringLiteral("Travel plans")));
        QTRY_VERIFY(rename->property("opened").toBool());
        QObject* field = find("renameField");
        field->setProperty("text", QStringLiteral("Summer travel"));
        QMetaObject::invokeMethod(rename, "accept");
        QVERIFY(uitest::waitFor(renamed));
        QCOMPARE(renamed.at(0).at(1).toString(), QStringLiteral("Summer travel"));
        QTRY_VERIFY_WITH_TIMEOUT(!rename->property("visible").toBool(), 2000);
    }

    // A failure reported by a service reaches the person in the banner, and can be dismissed.
    void serviceErrorsShowInTheBanner() {
        app_->renameConversation(987654, QStringLiteral("No such conversation"));
        QTRY_VERIFY_WITH_TIMEOUT(!app_->errorMessage().isEmpty(), 5000);
        // The test backend also logs the failure as a warning: that one is expected here.
        const QStringList logged = std::exchange(g_warnings, {});
        QCOMPARE(logged.size(), 1);
        QVERIFY(logged.first().contains("ConversationService"));
        QQuickItem* banner = item("bannerText");
        QTRY_VERIFY(banner->isVisible());
        QCOMPARE(text(banner), app_->errorMessage());
        grab("errorBanner");
        app_->dismissError();
        QTRY_VERIFY(!banner->isVisible());
    }

private:
    static int GenerationParamsModelDelay() { return 500; }
};

int main(int argc, char** argv) {
    // Set before Qt reads it, so that its "not set" warning does not appear.
    QTemporaryDir runtimeDir;
    qputenv("XDG_RUNTIME_DIR", runtimeDir.path().toLocal8Bit());
    QTemporaryDir dataHome; // never the real data folder
    qputenv("XDG_DATA_HOME", dataHome.path().toLocal8Bit());
    atelier::ui::configureQuickStyle();
    QGuiApplication app(argc, argv);
    TestMainWindow test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "test_main_window.moc"
