// atelier: the desktop app's composition root. It opens the database on the storage thread,
// creates the services and the job queue, hands the view-models to QML, and restores the
// window and the last open conversation once the settings have been read.
#include "app/jobs/job_queue.hpp"
#include "app/services/chat_service.hpp"
#include "app/services/compute_devices.hpp"
#include "app/services/conversation_service.hpp"
#include "app/services/llm_host.hpp"
#include "app/services/model_library.hpp"
#include "app/services/records.hpp"
#include "app/services/settings_service.hpp"
#include "app/version.hpp"
#include "storage/database.hpp"
#include "storage/storage_error.hpp"
#include "storage/storage_thread.hpp"
#include "storage/when_finished.hpp"
#include "ui/ui_setup.hpp"
#include "ui/viewmodels/app_controller.hpp"
#include "ui/viewmodels/conversation_transfer.hpp"
#include "ui/viewmodels/job_list_model.hpp"
#include "ui/viewmodels/library_controller.hpp"
#include "ui/viewmodels/search_results_model.hpp"
#include "ui/viewmodels/settings_form.hpp"
#include "ui/viewmodels/window_state_keeper.hpp"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QIcon>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>
#include <cstdio>
#include <memory>

Q_IMPORT_QML_PLUGIN(AtelierPlugin)

namespace {

struct Options {
    QString databasePath;
    QString screenshotPath; // debug: save the window to this PNG once it is shown, then quit
    QString page;           // debug: the page to show first (chat, images, models, jobs, settings)
};

Options parseOptions(const QGuiApplication& app) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Atelier — chat with local language models, kept in local SQLite."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption db(QStringLiteral("db"),
                                QStringLiteral("Use this database file instead of the default."),
                                QStringLiteral("PATH"));
    const QCommandLineOption shot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save the window to FILE when shown, then quit."),
                                  QStringLiteral("FILE"));
    const QCommandLineOption page(QStringLiteral("page"),
                                  QStringLiteral("Open on this page: chat, images, models, jobs, "
                                                 "settings."),
                                  QStringLiteral("NAME"));
    parser.addOptions({db, shot, page});
    parser.process(app);
    return {parser.value(db), parser.value(shot), parser.value(page)};
}

atelier::ui::AppController::Page pageFromName(const QString& name) {
    using P = atelier::ui::AppController;
    if (name == QLatin1String("images")) return P::Images;
    if (name == QLatin1String("models")) return P::Models;
    if (name == QLatin1String("jobs")) return P::Jobs;
    if (name == QLatin1String("settings")) return P::Settings;
    return P::Chat;
}

} // namespace

int main(int argc, char** argv) {
    atelier::ui::configureQuickStyle();
    QGuiApplication app(argc, argv);
    app.setOrganizationName(QStringLiteral("Atelier"));
    app.setApplicationName(QStringLiteral("Atelier"));
    app.setApplicationVersion(QString::fromUtf8(atelier::versionString()));
    app.setDesktopFileName(QStringLiteral("atelier"));
    app.setWindowIcon(QIcon(QStringLiteral(":/icons/atelier.svg")));
    const Options options = parseOptions(app);

    atelier::registerRecordMetaTypes();
    const QString dbPath = options.databasePath.isEmpty()
                               ? atelier::storage::Database::defaultPath()
                               : QFileInfo(options.databasePath).absoluteFilePath();
    atelier::storage::StorageThread storage(dbPath);
    atelier::ConversationService conversations(storage);
    atelier::SettingsService settings(storage);
    atelier::LlmHost host;
    atelier::JobQueue jobs(&storage);
    host.registerJobs(jobs);
    atelier::ChatService chat(storage, jobs, host);
    atelier::ModelLibrary library(storage, jobs);
    atelier::ui::AppController controller(
        conversations, settings, &jobs,
        {QDir::toNativeSeparators(QFileInfo(dbPath).absolutePath()),
         QDir::toNativeSeparators(dbPath)});
    if (!options.page.isEmpty()) controller.setCurrentPage(pageFromName(options.page));
    controller.setChat(&chat);
    QObject::connect(&library, &atelier::ModelLibrary::modelsChanged, controller.models(),
                     &atelier::ui::ModelListModel::setModels);
    QObject::connect(&library, &atelier::ModelLibrary::failed, &controller,
                     &atelier::ui::AppController::reportError);
    QObject::connect(
        &host, &atelier::LlmHost::loadFailed, &controller,
        [&controller](const QString& path, const QString& error) {
            controller.reportError(
                QObject::tr("Could not load %1: %2").arg(QFileInfo(path).fileName(), error));
        });
    QObject::connect(&host, &atelier::LlmHost::fallbackToCpu, &controller,
                     [&controller](const QString& reason) {
                         controller.reportError(reason); // says it runs on the CPU instead
                     });
    // The Models and Settings pages, the sidebar's search and its file transfers.
    const QList<atelier::ComputeDevice> devices = atelier::listComputeDevices();
    atelier::ui::SettingsForm settingsForm(settings, &host, &library, devices);
    atelier::ui::LibraryController libraryController(library, host, jobs, settings,
                                                     *controller.models(), devices);
    // The default model: the saved choice where it is usable, else the library's pick.
    const auto updateDefaultModel = [&](const QString& chosen) {
        const QString path = library.defaultModelPath(chosen);
        controller.setDefaultModel(path);
        libraryController.setDefaultModel(path);
    };
    QObject::connect(&library, &atelier::ModelLibrary::modelsChanged, &controller, [&] {
        updateDefaultModel(settings.value(atelier::settings_keys::kDefaultModel).toString());
    });
    QObject::connect(&libraryController, &atelier::ui::LibraryController::defaultModelChosen,
                     &controller, updateDefaultModel);
    atelier::ui::SearchResultsModel searchResults(&chat, controller.conversations());
    atelier::ui::ConversationTransfer transfer(&chat, conversations);
    // The settings arrive asynchronously; the services do not read them, the root applies them
    // (through the settings form, which also applies each later change).
    const auto applySettings = [&] { settingsForm.applyToServices(); };

    // The database opens on the storage thread; a damaged file set aside is worth telling.
    atelier::storage::whenFinished(
        storage.opened(), &controller,
        [&controller](const QString& notice) {
            if (!notice.isEmpty()) controller.reportError(notice);
        },
        [&controller](const std::exception& e) {
            controller.reportError(QString::fromUtf8(e.what()));
        });
    // Before the queue restores its jobs: a restored chat.reply then refuses cleanly.
    chat.recoverInterrupted();
    atelier::storage::whenFinished(jobs.restore(), &controller,
                                   [&controller] { controller.jobs()->reload(); });

    QQmlApplicationEngine engine;
    engine.addImportPath(atelier::ui::moduleImportPath());
    engine.setInitialProperties(
        {{QStringLiteral("app"), QVariant::fromValue(&controller)},
         {QStringLiteral("library"), QVariant::fromValue(&libraryController)},
         {QStringLiteral("settingsForm"), QVariant::fromValue(&settingsForm)},
         {QStringLiteral("searchResults"), QVariant::fromValue(&searchResults)},
         {QStringLiteral("transfer"), QVariant::fromValue(&transfer)}});
    engine.load(atelier::ui::mainWindowUrl());
    auto* window = engine.rootObjects().isEmpty()
                       ? nullptr
                       : qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());
    if (!window) {
        std::fputs("atelier: the main window could not be loaded (see the QML errors above)\n",
                   stderr);
        return 1;
    }

    // Shown once the settings are read, so it opens at its saved size in one go.
    atelier::ui::WindowStateKeeper keeper(*window, settings);
    QObject::connect(&settings, &atelier::SettingsService::loaded, window, [&] {
        const bool maximized = keeper.restore();
        maximized ? window->showMaximized() : window->show();
        applySettings();
        controller.start();
    });
    QObject::connect(&settings, &atelier::SettingsService::failed, window, [&] {
        if (window->isVisible()) return;
        window->show(); // settings unreadable: defaults, with the error in the banner
        applySettings();
        controller.start();
    });
    if (!options.screenshotPath.isEmpty()) {
        // Debug aid for headless checks: wait for the first data to arrive, grab, quit.
        QObject::connect(&controller, &atelier::ui::AppController::startedChanged, window, [&] {
            QTimer::singleShot(1500, window, [&] {
                const bool ok = window->grabWindow().save(options.screenshotPath);
                std::fprintf(stderr, "atelier: screenshot %s %s\n",
                             ok ? "saved to" : "could not be saved to",
                             qPrintable(options.screenshotPath));
                QCoreApplication::exit(ok ? 0 : 1);
            });
        });
    }
    // Last: the answer may come at once, and everything above must be listening by then.
    settings.load();

    return QGuiApplication::exec();
}
