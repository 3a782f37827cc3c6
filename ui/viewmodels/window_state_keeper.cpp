#include "window_state_keeper.hpp"

#include "app/services/settings_service.hpp"

#include <QGuiApplication>
#include <QScreen>
#include <QWindow>
#include <algorithm>

namespace atelier::ui {

WindowStateKeeper::WindowStateKeeper(QWindow& window, SettingsService& settings, QObject* parent)
    : QObject(parent), m_window(&window), m_settings(settings) {
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(kSaveDelayMs);
    connect(&m_saveTimer, &QTimer::timeout, this, &WindowStateKeeper::save);
    for (auto signal :
         {&QWindow::xChanged, &QWindow::yChanged, &QWindow::widthChanged, &QWindow::heightChanged})
        connect(&window, signal, this, &WindowStateKeeper::scheduleSave);
    connect(&window, &QWindow::windowStateChanged, this, &WindowStateKeeper::scheduleSave);
    connect(qGuiApp, &QGuiApplication::aboutToQuit, this, &WindowStateKeeper::save);
}

QRect WindowStateKeeper::fitToScreens(QRect saved, const QList<QRect>& screens, QSize minimum) {
    if (screens.isEmpty() || saved.width() <= 0 || saved.height() <= 0) return {};
    QRect area = screens.first();
    for (const QRect& s : screens)
        if (s.intersects(saved)) {
            area = s;
            break;
        }
    const QSize size = saved.size().expandedTo(minimum).boundedTo(area.size());
    // Keep the title bar reachable: its top edge and some of its width must lie on a screen.
    const QRect titleBar(saved.x(), saved.y(), size.width(), 32);
    const bool placeable = std::any_of(screens.cbegin(), screens.cend(), [&](const QRect& s) {
        const QRect overlap = s.intersected(titleBar);
        return overlap.width() >= std::min(100, size.width()) && overlap.height() >= 16;
    });
    QRect fitted(saved.topLeft(), size);
    if (!placeable) fitted.moveCenter(area.center());
    return fitted;
}

bool WindowStateKeeper::restore() {
    if (!m_window) return false;
    QList<QRect> screens;
    for (const QScreen* s : QGuiApplication::screens()) screens << s->availableGeometry();

    const int w = m_settings.value(kWidthKey, 0).toInt();
    const int h = m_settings.value(kHeightKey, 0).toInt();
    const QVariant x = m_settings.value(kXKey), y = m_settings.value(kYKey);
    QRect target = m_window->geometry();
    if (w > 0 && h > 0) target.setSize(QSize(w, h));
    if (x.isValid() && y.isValid()) {
        target.moveTopLeft(QPoint(x.toInt(), y.toInt()));
    } else if (!screens.isEmpty()) {
        target.moveCenter(screens.first().center()); // first start: centred, not in a corner
    }
    if (const QRect fitted = fitToScreens(target, screens, m_window->minimumSize());
        fitted.isValid())
        target = fitted;
    m_window->setGeometry(target);
    m_normalGeometry = target;
    m_saveTimer.stop(); // what was just applied needs no write
    return m_settings.value(kMaximizedKey, false).toBool();
}

void WindowStateKeeper::scheduleSave() {
    if (!m_window || !m_window->isVisible()) return;
    // The normal (not maximized) geometry is what to come back to.
    if (m_window->windowStates() == Qt::WindowNoState) m_normalGeometry = m_window->geometry();
    m_saveTimer.start();
}

void WindowStateKeeper::save() {
    m_saveTimer.stop();
    if (!m_window || !m_normalGeometry.isValid()) return;
    const bool maximized = m_window->windowStates().testFlag(Qt::WindowMaximized);
    const auto put = [this](const QString& key, const QVariant& v) {
        if (m_settings.value(key) != v) m_settings.setValue(key, v);
    };
    put(kWidthKey, m_normalGeometry.width());
    put(kHeightKey, m_normalGeometry.height());
    put(kXKey, m_normalGeometry.x());
    put(kYKey, m_normalGeometry.y());
    put(kMaximizedKey, maximized);
}

} // namespace atelier::ui
