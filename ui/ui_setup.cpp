#include "ui_setup.hpp"

#include <QQuickStyle>
#include <QtGlobal>

namespace atelier::ui {

void configureQuickStyle() {
    if (!qEnvironmentVariableIsSet("QT_QUICK_CONTROLS_MATERIAL_VARIANT"))
        qputenv("QT_QUICK_CONTROLS_MATERIAL_VARIANT", "Dense");
    if (!qEnvironmentVariableIsSet("QT_QUICK_CONTROLS_STYLE"))
        QQuickStyle::setStyle(QStringLiteral("Material"));
}

QUrl mainWindowUrl() {
    return QUrl(QStringLiteral("qrc:/qt/qml/Atelier/Main.qml"));
}

QString moduleImportPath() {
    return QStringLiteral("qrc:/qt/qml");
}

} // namespace atelier::ui
