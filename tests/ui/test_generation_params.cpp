// The generation panel's values: clamped to their ranges, written per conversation after a
// short pause (one write for a burst of slider moves), flushed on a conversation switch, and
// read back after the database is reopened.
#include "ui_test_backend.hpp"
#include "viewmodels/generation_params_model.hpp"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace atelier;
using atelier::ui::GenerationParamsModel;

namespace {
bool showAndWait(GenerationParamsModel& model, qint64 id) {
    model.showConversation(id);
    return QTest::qWaitFor([&] { return model.loaded(); }, 5000);
}
} // namespace

class TestGenerationParams : public QObject {
    Q_OBJECT

private slots:
    void valuesAreClampedToTheirRanges() {
        GenerationParamsModel p;
        p.setTemperature(5.0);
        QCOMPARE(p.temperature(), 2.0);
        p.setTemperature(-1.0);
        QCOMPARE(p.temperature(), 0.0);
        p.setTemperature(0.7000000000000001);
        QCOMPARE(p.temperature(), 0.7);
        p.setTopP(1.5);
        QCOMPARE(p.topP(), 1.0);
        p.setTopK(5000);
        QCOMPARE(p.topK(), 1000);
        p.setMinP(-0.2);
        QCOMPARE(p.minP(), 0.0);
        p.setRepeatPenalty(0.1);
        QCOMPARE(p.repeatPenalty(), 0.5);
        p.setMaxNewTokens(0);
        QCOMPARE(p.maxNewTokens(), 1);
        p.setMaxNewTokens(100000);
        QCOMPARE(p.maxNewTokens(), 32768);
        p.setSeed(-42);
        QCOMPARE(p.seed(), qint64(-1));
        p.setSeed(12345);
        QCOMPARE(p.seed(), qint64(12345));
        QVERIFY(!p.isDefault());
        p.resetToDefaults();
        QVERIFY(p.isDefault());
        QCOMPARE(p.params(), GenerationParams{});
    }

    void persistsPerConversationWithDebouncedWrites() {
        QTemporaryDir dir; // outlives both runs below
        const QString path = dir.filePath(QStringLiteral("atelier.sqlite3"));
        qint64 first = 0, second = 0;
        {
            uitest::Backend b(path);
            first = b.createConversation(QStringLiteral("First"));
            second = b.createConversation(QStringLiteral("Second"));

            GenerationParamsModel model;
            model.setService(b.conversations.get());
            QSignalSpy saved(b.conversations.get(), &ConversationService::paramsSaved);
            QSignalSpy changed(&model, &GenerationParamsModel::paramsChanged);

            QVERIFY(showAndWait(model, first));
            QCOMPARE(model.params(), GenerationParams{}); // nothing stored yet: defaults

            // A slider drag: many values in a row end in one write of the last one.
            QElapsedTimer clock;
            clock.start();
            for (int i = 0; i <= 20; ++i) model.setTemperature(0.3 + i * 0.05);
            model.setTopP(0.55);
            model.setSeed(42);
            QVERIFY(model.savePending());
            QCOMPARE(changed.count(), 23);
            QVERIFY(uitest::waitFor(saved));
            QVERIFY(clock.elapsed() >= GenerationParamsModel::kSaveDelayMs - 50);
            QTest::qWait(GenerationParamsModel::kSaveDelayMs + 100);
            QCOMPARE(saved.count(), 1);
            QCOMPARE(saved.at(0).at(0).toLongLong(), first);

            // An edit, then at once a switch: the pending value is written for the right one.
            model.setTopK(7);
            QVERIFY(model.savePending());
            QVERIFY(showAndWait(model, second));
            QVERIFY(!model.savePending());
            QCOMPARE(model.params(), GenerationParams{}); // the second one has its own values
            model.setTemperature(0.2);
            model.setMaxNewTokens(64);
            QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 3, 5000);

            // Back to the first: its values come back from storage.
            QVERIFY(showAndWait(model, first));
            QCOMPARE(model.temperature(), 1.3);
            QCOMPARE(model.topP(), 0.55);
            QCOMPARE(model.seed(), qint64(42));
            QCOMPARE(model.topK(), 7);

            // A last edit left pending is flushed when the model goes away.
            model.setMinP(0.12);
        }
        // Reopen the database from scratch.
        uitest::Backend again(path);
        GenerationParamsModel model;
        model.setService(again.conversations.get());
        QVERIFY(showAndWait(model, first));
        QCOMPARE(model.temperature(), 1.3);
        QCOMPARE(model.topP(), 0.55);
        QCOMPARE(model.topK(), 7);
        QCOMPARE(model.minP(), 0.12);
        QCOMPARE(model.seed(), qint64(42));
        QCOMPARE(model.maxNewTokens(), 512);
        QVERIFY(showAndWait(model, second));
        QCOMPARE(model.temperature(), 0.2);
        QCOMPARE(model.maxNewTokens(), 64);
        QCOMPARE(model.topP(), GenerationParams{}.topP);
    }

    void answersForAnotherConversationAreIgnored() {
        uitest::Backend b;
        const qint64 first = b.createConversation(QStringLiteral("First"));
        const qint64 second = b.createConversation(QStringLiteral("Second"));
        {
            GenerationParamsModel model;
            model.setService(b.conversations.get());
            QVERIFY(showAndWait(model, first));
            model.setTemperature(1.9);
            model.flush();
        }
        GenerationParamsModel model;
        model.setService(b.conversations.get());
        QSignalSpy serviceLoaded(b.conversations.get(), &ConversationService::paramsLoaded);
        model.showConversation(first); // its answer arrives after the switch below
        model.showConversation(second);
        QTRY_COMPARE_WITH_TIMEOUT(serviceLoaded.count(), 2, 5000);
        QCOMPARE(model.conversationId(), second);
        QCOMPARE(model.temperature(), GenerationParams{}.temperature);
        QVERIFY(model.loaded());
    }

    void nothingIsWrittenWithoutAConversation() {
        uitest::Backend b;
        GenerationParamsModel model;
        model.setService(b.conversations.get());
        QSignalSpy saved(b.conversations.get(), &ConversationService::paramsSaved);
        model.setTemperature(1.1);
        QVERIFY(!model.savePending());
        QTest::qWait(GenerationParamsModel::kSaveDelayMs + 100);
        QCOMPARE(saved.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestGenerationParams)
#include "test_generation_params.moc"
