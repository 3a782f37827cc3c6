// The main window's size, position and maximized state: saved in the settings and restored
// on the next start, kept on a screen when the screens changed.
#include "ui_test_backend.hpp"
#include "viewmodels/window_state_keeper.hpp"

#include <QGuiApplication>
#include <QScreen>
#include <QTemporaryDir>
#include <QTest>
#include <QWindow>

using namespace atelier;
using atelier::ui::WindowStateKeeper;

class TestWindowState : public QObject {
    Q_OBJECT

private slots:
    void fitsSavedGeometryToTheScreens() {
        const QList<QRect> one{QRect(0, 0, 1920, 1080)};
        const QSize minimum(960, 600);
        // On screen: kept as saved.
        QCOMPARE(WindowStateKeeper::fitToScreens(QRect(100, 80, 1200, 800), one, minimum),
                 QRect(100, 80, 1200, 800));
        // Too small: grown to the minimum; too big: capped to the screen.
        QCOMPARE(WindowStateKeeper::fitToScreens(QRect(10, 10, 300, 200), one, minimum).size(),
                 minimum);
        QCOMPARE(WindowStateKeeper::fitToScreens(QRect(0, 0, 4000, 3000), one, minimum).size(),
                 QSize(1920, 1080));
        // Saved on a second monitor that is gone: centred on the one left.
        const QRect centred =
            WindowStateKeeper::fitToScreens(QRect(2500, 100, 1200, 800), one, minimum);
        QCOMPARE(centred.size(), QSize(1200, 800));
        QCOMPARE(centred.center(), QRect(0, 0, 1920, 1080).center());
        // ...but kept there while that monitor is present.
        const QList<QRect> two{QRect(0, 0, 1920, 1080), QRect(1920, 0, 2560, 1440)};
        QCOMPARE(WindowStateKeeper::fitToScreens(QRect(2500, 100, 1200, 800), two, minimum),
                 QRect(2500, 100, 1200, 800));
        // Title bar above the top edge: moved back onto the screen.
        QVERIFY(WindowStateKeeper::fitToScreens(QRect(100, -500, 1200, 800), one, minimum).top() >=
                0);
        QVERIFY(!WindowStateKeeper::fitToScreens(QRect(0, 0, 0, 0), one, minimum).isValid());
        QVERIFY(!WindowStateKeeper::fitToScreens(QRect(0, 0, 800, 600), {}, minimum).isValid());
    }

    void savesAndRestoresAcrossARestart() {
        const QRect screen = QGuiApplication::primaryScreen()->availableGeometry();
        const QRect wanted(screen.x() + 20, screen.y() + 30, std::min(700, screen.width() - 40),
                           std::min(500, screen.height() - 40));
        QTemporaryDir dir; // outlives both runs below
        const QString path = dir.filePath(QStringLiteral("atelier.sqlite3"));
        {
            uitest::Backend b(path);
            QVERIFY(b.loadSettings());
            QWindow window;
            window.resize(640, 480);
            WindowStateKeeper keeper(window, *b.settings);
            QVERIFY(!keeper.restore()); // nothing saved: default size, not maximized
            QCOMPARE(window.size(), QSize(640, 480));
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.setGeometry(wanted);
            QTRY_COMPARE_WITH_TIMEOUT(b.settings->value(WindowStateKeeper::kWidthKey).toInt(),
                                      wanted.width(), 3000);
            keeper.save();
            QCOMPARE(b.settings->value(WindowStateKeeper::kHeightKey).toInt(), wanted.height());
            b.drain();
        }
        uitest::Backend again(path);
        QVERIFY(again.loadSettings());
        QWindow window;
        window.resize(640, 480);
        WindowStateKeeper keeper(window, *again.settings);
        QVERIFY(!keeper.restore());
        QCOMPARE(window.size(), wanted.size());
        QCOMPARE(window.position(), wanted.topLeft());

        // A maximized window is remembered as maximized (with its normal size kept).
        again.settings->setValue(WindowStateKeeper::kMaximizedKey, true);
        QVERIFY(keeper.restore());
    }
};

QTEST_MAIN(TestWindowState)
#include "test_window_state.moc"
