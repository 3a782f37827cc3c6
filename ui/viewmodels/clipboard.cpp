#include "clipboard.hpp"

#include <QClipboard>
#include <QGuiApplication>

namespace atelier::ui {

Clipboard::Clipboard(QObject* parent) : QObject(parent) {}

void Clipboard::setText(const QString& text) {
    if (QClipboard* clipboard = QGuiApplication::clipboard()) clipboard->setText(text);
}

QString Clipboard::text() const {
    const QClipboard* clipboard = QGuiApplication::clipboard();
    return clipboard ? clipboard->text() : QString();
}

} // namespace atelier::ui
