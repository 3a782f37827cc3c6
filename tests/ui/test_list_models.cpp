// Every list model of the UI under QAbstractItemModelTester, fed with real data through the real
// services over a temporary database (and a real JobQueue for the jobs list).
#include "app/jobs/job_queue.hpp"
#include "ui_test_backend.hpp"
#include "viewmodels/app_controller.hpp"
#include "viewmodels/conversation_list_model.hpp"
#include "viewmodels/job_list_model.hpp"
#include "viewmodels/message_list_model.hpp"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <atomic>
#include <latch>

using namespace atelier;
using atelier::ui::AppController;
using atelier::ui::ConversationListModel;
using atelier::ui::JobListModel;
using atelier::ui::MessageListModel;

namespace {

QStringList titles(const ConversationListModel& model) {
    QStringList out;
    for (int i = 0; i < model.rowCount(); ++i)
        out << model.data(model.index(i), ConversationListModel::TitleRole).toString();
    return out;
}

// Asks the service for the list and waits for the answer to reach `model`.
void refreshInto(uitest::Backend& b, ConversationListModel& model, const QString& filter = {}) {
    QSignalSpy listed(b.conversations.get(), &ConversationService::conversationsLoaded);
    b.conversations->refresh(filter);
    QVERIFY(uitest::waitFor(listed));
    model.setConversations(listed.takeFirst().at(0).value<QList<ConversationInfo>>());
}

} // namespace

class TestListModels : public QObject {
    Q_OBJECT

private slots:
    void conversationsInsertMoveRemoveAndFilter() {
        uitest::Backend b;
        ConversationListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);

        refreshInto(b, model);
        QCOMPARE(model.rowCount(), 0);

        const qint64 alpha = b.createConversation(QStringLiteral("Alpha notes"));
        QTest::qWait(5); // distinct update times, so the newest-first order is defined
        const qint64 beta = b.createConversation(QStringLiteral("Beta plan"));
        QTest::qWait(5);
        const qint64 gamma = b.createConversation(QStringLiteral("Gamma notes"));
        QVERIFY(alpha && beta && gamma);
        refreshInto(b, model);
        QCOMPARE(titles(model), (QStringList{"Gamma notes", "Beta plan", "Alpha notes"}));
        QCOMPARE(model.count(), 3);
        QCOMPARE(model.idAt(2), alpha);
        QCOMPARE(model.indexOf(beta), 1);
        QCOMPARE(model.data(model.index(0), ConversationListModel::IdRole).toLongLong(), gamma);
        QVERIFY(model.data(model.index(0), ConversationListModel::UpdatedAtRole)
                    .toDateTime()
                    .isValid());
        QCOMPARE(model.roleNames().value(ConversationListModel::TitleRole), QByteArray("title"));

        // A rename moves the conversation to the top: a row move, not a reset.
        QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QTest::qWait(5);
        QSignalSpy renamed(b.conversations.get(), &ConversationService::conversationRenamed);
        b.conversations->rename(alpha, QStringLiteral("Alpha, renamed"));
        QVERIFY(uitest::waitFor(renamed));
        refreshInto(b, model);
        QCOMPARE(titles(model), (QStringList{"Alpha, renamed", "Gamma notes", "Beta plan"}));
        QCOMPARE(moved.count(), 1);
        QCOMPARE(reset.count(), 0);

        // Filtering by title removes rows; clearing the filter inserts them back.
        refreshInto(b, model, QStringLiteral("NOTES"));
        QCOMPARE(titles(model), (QStringList{"Gamma notes"}));
        refreshInto(b, model);
        QCOMPARE(model.count(), 3);

        QSignalSpy removed(b.conversations.get(), &ConversationService::conversationRemoved);
        b.conversations->remove(gamma);
        QVERIFY(uitest::waitFor(removed));
        refreshInto(b, model);
        QCOMPARE(titles(model), (QStringList{"Alpha, renamed", "Beta plan"}));
        QCOMPARE(model.indexOf(gamma), -1);
        QCOMPARE(model.idAt(7), qint64(0));
    }

    void messagesOfTheConversationShown() {
        uitest::Backend b;
        const qint64 first = b.createConversation(QStringLiteral("First"));
        const qint64 second = b.createConversation(QStringLiteral("Second"));
        const qint64 question = b.addMessage(first, QStringLiteral("user"), QStringLiteral("Hi?"));
        b.addMessage(first, QStringLiteral("assistant"), QStringLiteral("Hello."), question);
        b.addMessage(second, QStringLiteral("user"), QStringLiteral("Other"));

        MessageListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(b.conversations.get(), &ConversationService::messagesLoaded, &model,
                &MessageListModel::setMessages);
        QSignalSpy loaded(b.conversations.get(), &ConversationService::messagesLoaded);

        model.showConversation(first);
        QVERIFY(model.loading());
        b.conversations->loadMessages(first);
        QVERIFY(uitest::waitFor(loaded, 1));
        QVERIFY(!model.loading());
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.data(model.index(0), MessageListModel::RoleNameRole).toString(), "user");
        QCOMPARE(model.data(model.index(0), MessageListModel::ContentRole).toString(), "Hi?");
        QCOMPARE(model.data(model.index(1), MessageListModel::ParentIdRole).toLongLong(), question);
        QCOMPARE(model.data(model.index(1), MessageListModel::StateRole).toString(), "complete");
        QVERIFY(model.data(model.index(1), MessageListModel::ParamsRole).canConvert<QVariantMap>());

        // An answer for another conversation (late, after a switch) is ignored.
        b.conversations->loadMessages(second);
        QVERIFY(uitest::waitFor(loaded, 2));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.data(model.index(0), MessageListModel::ContentRole).toString(), "Hi?");

        model.showConversation(second);
        QCOMPARE(model.rowCount(), 0);
        b.conversations->loadMessages(second);
        QVERIFY(uitest::waitFor(loaded, 3));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.conversationId(), second);

        model.showConversation(0);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.loading());
    }

    void jobsFollowTheQueue() {
        JobQueue queue(nullptr);
        std::latch started(1);
        std::atomic<bool> release{false};
        queue.registerHandler(QStringLiteral("test.wait"), QStringLiteral("cpu"),
                              [&](JobContext& ctx) {
                                  ctx.reportProgress(0.25, QStringLiteral("a quarter"));
                                  started.count_down();
                                  while (!ctx.stopRequested() && !release.load())
                                      QThread::msleep(2);
                              });

        JobListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.attach(queue);
        QCOMPARE(model.rowCount(), 0);

        const qint64 running = queue.submit({QStringLiteral("test.wait"), QStringLiteral("One")});
        const qint64 waiting = queue.submit({QStringLiteral("test.wait"), QStringLiteral("Two")});
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, 5000);
        // Newest first.
        QCOMPARE(model.data(model.index(0), JobListModel::IdRole).toLongLong(), waiting);
        QCOMPARE(model.data(model.index(1), JobListModel::TitleRole).toString(), "One");
        QCOMPARE(model.data(model.index(1), JobListModel::LaneRole).toString(), "cpu");

        started.wait();
        QTRY_COMPARE_WITH_TIMEOUT(model.data(model.index(1), JobListModel::StateRole).toString(),
                                  QStringLiteral("running"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(model.data(model.index(1), JobListModel::ProgressRole).toDouble(),
                                  0.25, 5000);
        QCOMPARE(model.data(model.index(1), JobListModel::MessageRole).toString(), "a quarter");
        QCOMPARE(model.data(model.index(0), JobListModel::StateRole).toString(), "queued");
        QCOMPARE(model.data(model.index(0), JobListModel::ElapsedTextRole).toString(), QString());
        QVERIFY(model.data(model.index(1), JobListModel::CanCancelRole).toBool());
        QCOMPARE(model.activeCount(), 2);

        // Cancel from the model: the queued one at once, the running one through its stop token.
        model.cancel(waiting);
        QTRY_COMPARE_WITH_TIMEOUT(model.data(model.index(0), JobListModel::StateRole).toString(),
                                  QStringLiteral("cancelled"), 5000);
        QVERIFY(!model.data(model.index(0), JobListModel::CanCancelRole).toBool());
        model.cancel(running);
        QTRY_COMPARE_WITH_TIMEOUT(model.data(model.index(1), JobListModel::StateRole).toString(),
                                  QStringLiteral("cancelled"), 5000);
        QCOMPARE(model.activeCount(), 0);
        QVERIFY(!model.data(model.index(1), JobListModel::ElapsedTextRole).toString().isEmpty());

        // A job that finishes normally.
        release = true;
        const qint64 done = queue.submit({QStringLiteral("test.wait"), QStringLiteral("Three")});
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3, 5000);
        QCOMPARE(model.data(model.index(0), JobListModel::IdRole).toLongLong(), done);
        QTRY_COMPARE_WITH_TIMEOUT(model.data(model.index(0), JobListModel::StateRole).toString(),
                                  QStringLiteral("done"), 5000);
        QVERIFY(queue.waitForIdle(5000));
    }

    void elapsedTimeReadsLikeAClock() {
        QCOMPARE(JobListModel::formatElapsed(0), QStringLiteral("0:00"));
        QCOMPARE(JobListModel::formatElapsed(7), QStringLiteral("0:07"));
        QCOMPARE(JobListModel::formatElapsed(754), QStringLiteral("12:34"));
        QCOMPARE(JobListModel::formatElapsed(3723), QStringLiteral("1:02:03"));
        QCOMPARE(JobListModel::formatElapsed(-5), QStringLiteral("0:00"));
    }

    // The controller drives the same models: create, open, rename, delete through its actions.
    void controllerKeepsSidebarAndOpenConversationInStep() {
        uitest::Backend b;
        QVERIFY(b.loadSettings());
        AppController app(*b.conversations, *b.settings, nullptr, {"/data", "/data/db"});
        QAbstractItemModelTester t1(app.conversations(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(app.messages(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        app.start();
        QTRY_VERIFY_WITH_TIMEOUT(app.started(), 1000);
        QCOMPARE(app.currentConversationId(), qint64(0));

        app.newConversation();
        QTRY_VERIFY_WITH_TIMEOUT(app.currentConversationId() != 0, 5000);
        const qint64 first = app.currentConversationId();
        QTRY_COMPARE_WITH_TIMEOUT(app.conversations()->count(), 1, 5000);
        QCOMPARE(b.settings->value(AppController::kLastConversationKey).toLongLong(), first);

        app.renameConversation(first, QStringLiteral("  Trip to Lisbon  "));
        QTRY_COMPARE_WITH_TIMEOUT(app.currentConversationTitle(), QStringLiteral("Trip to Lisbon"),
                                  5000);
        QTRY_COMPARE_WITH_TIMEOUT(titles(*app.conversations()), QStringList{"Trip to Lisbon"},
                                  5000);

        app.newConversation();
        QTRY_VERIFY_WITH_TIMEOUT(app.currentConversationId() != first, 5000);
        const qint64 second = app.currentConversationId();
        QTRY_COMPARE_WITH_TIMEOUT(app.conversations()->count(), 2, 5000);

        app.setTitleFilter(QStringLiteral("lisbon"));
        QTRY_COMPARE_WITH_TIMEOUT(app.conversations()->count(), 1, 5000);
        app.setTitleFilter({});
        QTRY_COMPARE_WITH_TIMEOUT(app.conversations()->count(), 2, 5000);

        // Deleting the open conversation opens the next one in the list.
        app.deleteConversation(second);
        QTRY_COMPARE_WITH_TIMEOUT(app.conversations()->count(), 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(app.currentConversationId(), first, 5000);
        QCOMPARE(app.messages()->conversationId(), first);
        QVERIFY(app.errorMessage().isEmpty());
        b.drain();
    }
};

QTEST_GUILESS_MAIN(TestListModels)
#include "test_list_models.moc"
