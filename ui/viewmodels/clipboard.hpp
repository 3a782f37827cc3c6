#pragma once
// The system clipboard for QML (Copy buttons on messages and code blocks). QML has no clipboard
// of its own; this goes through QGuiApplication::clipboard().
#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace atelier::ui {

class Clipboard : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    explicit Clipboard(QObject* parent = nullptr);

    Q_INVOKABLE void setText(const QString& text);
    Q_INVOKABLE QString text() const;
};

} // namespace atelier::ui
