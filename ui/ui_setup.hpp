#pragma once
// What every host of the Atelier QML module does the same way: the app and the UI tests.
#include <QUrl>

namespace atelier::ui {

// Picks the Quick Controls style (Material, dense variant for desktop). Call before creating
// the QGuiApplication so that the environment it reads is in place.
void configureQuickStyle();

// The main window, in the module's resources (Qt 6.4 has no loadFromModule).
QUrl mainWindowUrl();

// The import path under which the module's qmldir lies in the resources.
QString moduleImportPath();

} // namespace atelier::ui
