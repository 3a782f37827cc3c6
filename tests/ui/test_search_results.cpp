// The sidebar's search and file transfers over the real services: SearchResultsModel lists
// title matches and FTS5 message hits (with their conversation's title and the matched words in
// bold) and drops answers to an older query; ConversationTransfer exports a conversation as
// JSON and Markdown, imports the JSON back as a new conversation, and writes preference pairs.
#include "app/jobs/job_queue.hpp"
#include "app/services/chat_service.hpp"
#include "app/services/llm_host.hpp"
#include "storage/message_store.hpp"
#include "ui_test_backend.hpp"
#include "viewmodels/app_controller.hpp"
#include "viewmodels/conversation_list_model.hpp"
#include "viewmodels/conversation_transfer.hpp"
#include "viewmodels/search_results_model.hpp"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

using namespace atelier;
using atelier::ui::AppController;
using atelier::ui::ConversationTransfer;
using atelier::ui::SearchResultsModel;
using atelier::uitest::waitFor;

namespace {

QVariant cell(const SearchResultsModel& model, int row, SearchResultsModel::Role role) {
    return model.data(model.index(row), role);
}

QStringList contentsOf(uitest::Backend& b, qint64 conversationId) {
    auto f = b.storage->run([conversationId](storage::Database& db) {
        QStringList out;
        for (const MessageInfo& m : storage::MessageStore(db).listFor(conversationId))
            out << m.role + QLatin1Char(':') + m.content;
        return out;
    });
    f.waitForFinished();
    return f.result();
}

} // namespace

class TestSearchResults : public QObject {
    Q_OBJECT

    std::unique_ptr<uitest::Backend> b_;
    std::unique_ptr<LlmHost> host_;
    std::unique_ptr<JobQueue> jobs_;
    std::unique_ptr<ChatService> chat_;
    std::unique_ptr<AppController> app_;
    qint64 recipes_ = 0, travel_ = 0, pestoAnswer_ = 0;

private slots:
    void initTestCase() {
        b_ = std::make_unique<uitest::Backend>();
        QVERIFY(b_->loadSettings());
        recipes_ = b_->createConversation(QStringLiteral("Recipes"));
        travel_ = b_->createConversation(QStringLiteral("Travel plans"));
        const qint64 q = b_->addMessage(recipes_, "user", "What goes into a pesto?");
        pestoAnswer_ = b_->addMessage(recipes_, "assistant",
                                      "Basil, pine nuts, garlic, parmesan and olive oil.", q);
        const qint64 worse =
            b_->addMessage(recipes_, "assistant", "Pesto is <b>just</b> basil & [oil].", q);
        b_->addMessage(travel_, "user", "Trains from Genoa to Nice?");
        b_->storage
            ->run([this, worse](storage::Database& db) {
                storage::MessageStore(db).setRating(pestoAnswer_, 1);
                storage::MessageStore(db).setRating(worse, -1);
            })
            .waitForFinished();

        host_ = std::make_unique<LlmHost>();
        jobs_ = std::make_unique<JobQueue>(b_->storage.get());
        host_->registerJobs(*jobs_);
        chat_ = std::make_unique<ChatService>(*b_->storage, *jobs_, *host_);
        QObject::connect(chat_.get(), &ChatService::failed,
                         [](const QString& m) { qWarning("ChatService: %s", qPrintable(m)); });
        app_ = std::make_unique<AppController>(*b_->conversations, *b_->settings, jobs_.get(),
                                               AppController::Paths{"/data", "/data/db"});
        app_->setChat(chat_.get());
        app_->start();
        QVERIFY(QTest::qWaitFor([&] { return app_->conversations()->count() == 2; }, 5000));
    }

    void cleanupTestCase() {
        app_.reset();
        chat_.reset();
        jobs_.reset();
        host_.reset();
        b_.reset();
    }

    void findsMessagesAndTitles() {
        SearchResultsModel search(chat_.get(), app_->conversations());
        QAbstractItemModelTester tester(&search,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(!search.active());
        search.setQuery(QStringLiteral("pine"));
        QVERIFY(search.active());
        QVERIFY(search.searching());
        QVERIFY(QTest::qWaitFor([&] { return !search.searching(); }, 5000));
        QCOMPARE(search.count(), 1);
        QCOMPARE(cell(search, 0, SearchResultsModel::ConversationIdRole).toLongLong(), recipes_);
        QCOMPARE(cell(search, 0, SearchResultsModel::MessageIdRole).toLongLong(), pestoAnswer_);
        QCOMPARE(cell(search, 0, SearchResultsModel::TitleRole).toString(), "Recipes");
        QCOMPARE(cell(search, 0, SearchResultsModel::KindRole).toString(), "message");
        const QString snippet = cell(search, 0, SearchResultsModel::SnippetRole).toString();
        QVERIFY2(snippet.contains("<b>pine</b>"), qPrintable(snippet));

        // A title match comes first, then the messages; text from messages is escaped.
        search.setQuery(QStringLiteral("pesto"));
        QVERIFY(QTest::qWaitFor([&] { return !search.searching(); }, 5000));
        QCOMPARE(search.count(), 2); // the question and the worse answer
        for (int i = 0; i < search.count(); ++i) {
            const QString s = cell(search, i, SearchResultsModel::SnippetRole).toString();
            QVERIFY2(!s.contains("<b>just</b>"), qPrintable(s));
        }
        search.setQuery(QStringLiteral("travel"));
        QVERIFY(QTest::qWaitFor([&] { return !search.searching(); }, 5000));
        QVERIFY(search.count() >= 1);
        QCOMPARE(cell(search, 0, SearchResultsModel::KindRole).toString(), "title");
        QCOMPARE(cell(search, 0, SearchResultsModel::ConversationIdRole).toLongLong(), travel_);
        QCOMPARE(cell(search, 0, SearchResultsModel::MessageIdRole).toLongLong(), 0);

        // Typing on: only the last query is asked and answered; clearing empties the list.
        search.setQuery(QStringLiteral("gen"));
        search.setQuery(QStringLiteral("genoa"));
        QVERIFY(QTest::qWaitFor([&] { return !search.searching(); }, 5000));
        QCOMPARE(search.count(), 1);
        QCOMPARE(cell(search, 0, SearchResultsModel::ConversationIdRole).toLongLong(), travel_);
        search.setQuery(QStringLiteral("  "));
        QVERIFY(!search.active());
        QCOMPARE(search.count(), 0);
    }

    void markupEscapesTextAndBoldsMatches() {
        QCOMPARE(SearchResultsModel::markupSnippet("a [pine] <i>x</i> & y"),
                 QStringLiteral("a <b>pine</b> &lt;i&gt;x&lt;/i&gt; &amp; y"));
    }

    void exportAndImportRoundTrip() {
        QTemporaryDir dir;
        ConversationTransfer transfer(chat_.get(), *b_->conversations);
        QVERIFY(transfer.available());
        QCOMPARE(ConversationTransfer::suggestedFileName("Recipes: a/b?", "markdown"),
                 QStringLiteral("Recipes a b.md"));
        QCOMPARE(ConversationTransfer::suggestedFileName("  ", "json"), "conversation.json");
        QSignalSpy status(&transfer, &ConversationTransfer::statusChanged);

        const QString json = dir.filePath("recipes.json");
        transfer.exportConversation(recipes_, "json", QUrl::fromLocalFile(json));
        QVERIFY(waitFor(status));
        QVERIFY2(transfer.status().startsWith("Exported to"), qPrintable(transfer.status()));
        QFile file(json);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(QJsonDocument::fromJson(file.readAll()).isObject());

        const QString md = dir.filePath("recipes.md");
        transfer.exportConversation(recipes_, "markdown", QUrl::fromLocalFile(md));
        QVERIFY(waitFor(status, 2));
        QFile markdown(md);
        QVERIFY(markdown.open(QIODevice::ReadOnly));
        QVERIFY(markdown.readAll().contains("What goes into a pesto?"));

        // Imported as a new conversation with the same messages; the sidebar's list has it.
        QSignalSpy imported(&transfer, &ConversationTransfer::imported);
        transfer.importConversation(QUrl::fromLocalFile(json));
        QVERIFY(waitFor(imported));
        const qint64 copy = imported.at(0).at(0).toLongLong();
        QVERIFY(copy != 0 && copy != recipes_);
        QCOMPARE(contentsOf(*b_, copy), contentsOf(*b_, recipes_));
        QVERIFY(QTest::qWaitFor([&] { return app_->conversations()->count() == 3; }, 5000));
        QVERIFY(app_->conversations()->indexOf(copy) >= 0);

        // Preference pairs: the original and the copy each hold one rated pair.
        const QString jsonl = dir.filePath("preferences.jsonl");
        transfer.exportPreferences(QUrl::fromLocalFile(jsonl));
        QVERIFY(QTest::qWaitFor([&] { return transfer.status().contains("preference"); }, 5000));
        QVERIFY2(transfer.status().startsWith("2 preference pairs written to"),
                 qPrintable(transfer.status()));
        QFile pairs(jsonl);
        QVERIFY(pairs.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = pairs.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        const QJsonObject line = QJsonDocument::fromJson(lines.first()).object();
        QVERIFY(
            line.value("chosen").toArray().at(0).toObject().value("content").toString().startsWith(
                "Basil"));

        // A file that is not an export is refused through the service's failure signal.
        QSignalSpy failed(chat_.get(), &ChatService::failed);
        transfer.importConversation(QUrl::fromLocalFile(md));
        QVERIFY(waitFor(failed));
    }
};

QTEST_GUILESS_MAIN(TestSearchResults)
#include "test_search_results.moc"
