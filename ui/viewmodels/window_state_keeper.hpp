#pragma once
// Remembers the main window's size, position and maximized state in the settings, and puts
// them back on the next start (only where the saved place is still on a screen). Changes are
// written after a short pause, and once more when the app quits.
#include <QObject>
#include <QPointer>
#include <QRect>
#include <QTimer>

class QWindow;

namespace atelier {
class SettingsService;
}

namespace atelier::ui {

class WindowStateKeeper : public QObject {
    Q_OBJECT
public:
    static inline const QString kWidthKey = QStringLiteral("window/width");
    static inline const QString kHeightKey = QStringLiteral("window/height");
    static inline const QString kXKey = QStringLiteral("window/x");
    static inline const QString kYKey = QStringLiteral("window/y");
    static inline const QString kMaximizedKey = QStringLiteral("window/maximized");
    static constexpr int kSaveDelayMs = 500;

    WindowStateKeeper(QWindow& window, SettingsService& settings, QObject* parent = nullptr);

    // Applies the saved geometry to the (still hidden) window; returns whether it should be
    // shown maximized.
    bool restore();
    // Writes the current geometry now.
    void save();

    // The saved rectangle adjusted to the available screen areas: the size is capped to fit
    // and a position that would leave the title bar off-screen is dropped (x/y -1 = centre).
    static QRect fitToScreens(QRect saved, const QList<QRect>& screens, QSize minimum);

private:
    void scheduleSave();

    QPointer<QWindow> m_window;
    SettingsService& m_settings;
    QTimer m_saveTimer;
    QRect m_normalGeometry;
};

} // namespace atelier::ui
