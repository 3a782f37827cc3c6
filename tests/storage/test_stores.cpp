// The stores: create/read/update/delete, branching messages, search, and their error paths
// (unknown ids, oversized text, invalid values).
#include "storage/conversation_store.hpp"
#include "storage/image_store.hpp"
#include "storage/job_store.hpp"
#include "storage/message_store.hpp"
#include "storage/model_store.hpp"
#include "storage/settings_store.hpp"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>
#include <functional>
#include <optional>

using namespace atelier::storage;

namespace {

// Runs f and returns the kind of StorageError it threw (nullopt when it did not throw).
std::optional<StorageErrorKind> errorOf(const std::function<void()>& f,
                                        QString* message = nullptr) {
    try {
        f();
    } catch (const StorageError& e) {
        if (message) *message = e.message();
        return e.kind();
    }
    return std::nullopt;
}

} // namespace

class StoresTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    std::optional<Database> db_;

    MessageRecord userMessage(qint64 conversation, const QString& text, qint64 parent = 0) {
        return {.conversationId = conversation,
                .parentId = parent,
                .role = QStringLiteral("user"),
                .content = text};
    }

private slots:
    void init() { db_.emplace(Database::open(dir_.filePath(QStringLiteral("stores.sqlite3")))); }
    void cleanup() {
        db_.reset();
        QFile::remove(dir_.filePath(QStringLiteral("stores.sqlite3")));
        QFile::remove(dir_.filePath(QStringLiteral("stores.sqlite3-wal")));
        QFile::remove(dir_.filePath(QStringLiteral("stores.sqlite3-shm")));
    }

    void conversationsCrud() {
        ConversationStore store(*db_);
        const auto a = store.create(QStringLiteral("Alpha trip"));
        QTest::qWait(5);
        const auto b = store.create(QStringLiteral("Beta notes"));
        QVERIFY(a.id > 0 && b.id > a.id);
        QCOMPARE(store.get(a.id).title, QStringLiteral("Alpha trip"));
        QCOMPARE(store.list().size(), 2);
        QCOMPARE(store.list().first().id, b.id); // newest first
        QCOMPARE(store.list(QStringLiteral("ALPHA")).size(), 1);
        QCOMPARE(store.list(QStringLiteral("zzz")).size(), 0);
        QTest::qWait(5);
        store.rename(a.id, QStringLiteral("Älpha"));
        QCOMPARE(store.get(a.id).title, QStringLiteral("Älpha"));
        QCOMPARE(store.list(QStringLiteral("äL")).size(), 1); // Unicode case folding
        QCOMPARE(store.list().first().id, a.id);              // renamed = updated
        QJsonObject params{{QStringLiteral("temperature"), 1.25}};
        store.setParams(a.id, params);
        QCOMPARE(store.params(a.id), params);
        QCOMPARE(store.params(b.id), QJsonObject());
        store.remove(a.id);
        QVERIFY(!store.exists(a.id));
        QCOMPARE(store.list().size(), 1);
    }

    void conversationErrors() {
        ConversationStore store(*db_);
        QString message;
        QCOMPARE(errorOf([&] { store.get(999); }, &message), StorageErrorKind::NotFound);
        QVERIFY(message.contains(QStringLiteral("999")));
        QCOMPARE(errorOf([&] { store.rename(999, QStringLiteral("x")); }),
                 StorageErrorKind::NotFound);
        QCOMPARE(errorOf([&] { store.remove(999); }), StorageErrorKind::NotFound);
        QCOMPARE(errorOf([&] { store.setParams(999, {}); }), StorageErrorKind::NotFound);
        QCOMPARE(errorOf([&] { store.params(999); }), StorageErrorKind::NotFound);
        QCOMPARE(
            errorOf([&] { store.create(QString(Database::kMaxTitleChars + 1, QLatin1Char('t'))); },
                    &message),
            StorageErrorKind::Invalid);
        QVERIFY(message.contains(QStringLiteral("too long")));
        QCOMPARE(store.list().size(), 0);
    }

    void messagesBranchAndCascade() {
        const auto c = ConversationStore(*db_).create(QStringLiteral("chat"));
        MessageStore store(*db_);
        const auto q = store.append(userMessage(c.id, QStringLiteral("What is a platypus?")));
        MessageRecord reply{.conversationId = c.id,
                            .parentId = q.id,
                            .role = QStringLiteral("assistant"),
                            .content = QStringLiteral("A mammal that lays eggs."),
                            .state = QStringLiteral("streaming"),
                            .params = {{QStringLiteral("temperature"), 0.7}}};
        const auto r1 = store.append(reply);
        reply.content = QStringLiteral("An egg-laying mammal from Australia.");
        const auto r2 = store.append(reply); // a regenerated sibling
        QCOMPARE(store.children(q.id).size(), 2);
        QCOMPARE(store.listFor(c.id).size(), 3);
        QCOMPARE(store.countFor(c.id), 3);
        QCOMPARE(store.get(r1.id).parentId, q.id);
        QCOMPARE(store.get(q.id).parentId, 0);
        QCOMPARE(store.get(r1.id).params.value(QStringLiteral("temperature")).toDouble(), 0.7);

        store.updateContent(r1.id, QStringLiteral("A monotreme."));
        store.updateState(r1.id, QStringLiteral("complete"));
        store.updateStats(r1.id, {{QStringLiteral("tokens"), 3}});
        const auto got = store.get(r1.id);
        QCOMPARE(got.content, QStringLiteral("A monotreme."));
        QCOMPARE(got.state, QStringLiteral("complete"));
        QCOMPARE(got.stats.value(QStringLiteral("tokens")).toInt(), 3);

        // Search follows inserts, updates and deletes.
        QCOMPARE(store.search(QStringLiteral("monotr")).size(), 1);
        QCOMPARE(store.search(QStringLiteral("mammal")).size(), 1); // r2 only, r1 was edited
        QCOMPARE(store.search(QStringLiteral("mammal")).first().messageId, r2.id);
        QVERIFY(store.search(QStringLiteral("platypus"))
                    .first()
                    .snippet.contains(QStringLiteral("[platypus]")));
        QCOMPARE(store.search(QStringLiteral("\"unbalanced AND (")).size(),
                 0); // never a syntax error

        store.remove(q.id); // replies go with their parent
        QCOMPARE(store.listFor(c.id).size(), 0);
        QCOMPARE(store.search(QStringLiteral("mammal")).size(), 0);

        const auto again = store.append(userMessage(c.id, QStringLiteral("hello")));
        ConversationStore(*db_).remove(c.id);
        QCOMPARE(errorOf([&] { store.get(again.id); }), StorageErrorKind::NotFound);
    }

    void messageErrors() {
        ConversationStore conversations(*db_);
        const auto c = conversations.create(QStringLiteral("chat"));
        const auto other = conversations.create(QStringLiteral("other"));
        MessageStore store(*db_);
        const auto m = store.append(userMessage(c.id, QStringLiteral("fine")));
        QString message;
        QCOMPARE(errorOf([&] { store.append(userMessage(4242, QStringLiteral("x"))); }, &message),
                 StorageErrorKind::NotFound);
        QVERIFY(message.contains(QStringLiteral("4242")));
        QCOMPARE(errorOf([&] { store.append(userMessage(c.id, QStringLiteral("x"), 777)); }),
                 StorageErrorKind::NotFound);
        QCOMPARE(errorOf([&] { store.append(userMessage(other.id, QStringLiteral("x"), m.id)); }),
                 StorageErrorKind::Invalid);
        QCOMPARE(errorOf([&] {
                     store.append({.conversationId = c.id,
                                   .role = QStringLiteral("wizard"),
                                   .content = QStringLiteral("x")});
                 }),
                 StorageErrorKind::Invalid);
        QCOMPARE(errorOf([&] { store.updateState(m.id, QStringLiteral("sleepy")); }),
                 StorageErrorKind::Invalid);
        QCOMPARE(errorOf([&] { store.updateContent(999, QStringLiteral("x")); }),
                 StorageErrorKind::NotFound);
        QCOMPARE(errorOf([&] { store.remove(999); }), StorageErrorKind::NotFound);

        // Oversized text: refused with a clear message; the limit itself is accepted.
        const QString atLimit(Database::kMaxTextBytes, QLatin1Char('a'));
        const auto big = store.append(userMessage(c.id, atLimit));
        QCOMPARE(store.get(big.id).content.size(), Database::kMaxTextBytes);
        const QString over = atLimit + QLatin1Char('b');
        QCOMPARE(errorOf([&] { store.append(userMessage(c.id, over)); }, &message),
                 StorageErrorKind::Invalid);
        QVERIFY2(message.contains(QStringLiteral("too long")) &&
                     message.contains(QStringLiteral("MiB")),
                 qPrintable(message));
        // Multi-byte text counts its UTF-8 bytes.
        const QString wide(Database::kMaxTextBytes / 3 + 1, QChar(0x20AC)); // € = 3 bytes
        QCOMPARE(errorOf([&] { store.updateContent(m.id, wide); }), StorageErrorKind::Invalid);
        QCOMPARE(store.get(m.id).content, QStringLiteral("fine"));
        QCOMPARE(store.listFor(c.id).size(), 2);
    }

    void jobsPersist() {
        JobStore store(*db_);
        JobRecord j{.kind = QStringLiteral("chat.reply"),
                    .title = QStringLiteral("Reply"),
                    .lane = QStringLiteral("llm"),
                    .priority = 0,
                    .params = {{QStringLiteral("prompt"), QStringLiteral("hi")}}};
        j.id = store.insert(j);
        QVERIFY(j.id > 0);
        JobRecord second = j;
        second.id = store.insert(second);
        auto got = store.get(j.id);
        QCOMPARE(got.state, QStringLiteral("queued"));
        QCOMPARE(got.params.value(QStringLiteral("prompt")).toString(), QStringLiteral("hi"));
        QVERIFY(got.createdAt.isValid());
        QVERIFY(!got.startedAt.isValid());
        got.state = QStringLiteral("running");
        got.startedAt = QDateTime::currentDateTimeUtc();
        got.progress = 0.5;
        got.message = QStringLiteral("half way");
        store.update(got);
        QCOMPARE(store.get(j.id).progress, 0.5);
        QCOMPARE(store.list({QStringLiteral("running")}).size(), 1);
        QCOMPARE(store.list({QStringLiteral("queued")}).size(), 1);
        const auto interrupted = store.markRunningInterrupted();
        QCOMPARE(interrupted.size(), 1);
        QCOMPARE(interrupted.first().id, j.id);
        QCOMPARE(store.get(j.id).state, QStringLiteral("interrupted"));
        QVERIFY(store.get(j.id).finishedAt.isValid());
        QCOMPARE(store.get(second.id).state, QStringLiteral("queued"));
        QCOMPARE(store.prune(QDateTime::currentDateTimeUtc().addSecs(1)), 1);
        QCOMPARE(store.list().size(), 1);
        QCOMPARE(errorOf([&] { store.get(999); }), StorageErrorKind::NotFound);
        JobRecord bad = got;
        bad.id = 999;
        QCOMPARE(errorOf([&] { store.update(bad); }), StorageErrorKind::NotFound);
        bad.state = QStringLiteral("exploded");
        bad.id = second.id;
        QCOMPARE(errorOf([&] { store.update(bad); }),
                 StorageErrorKind::Invalid); // CHECK constraint
        QCOMPARE(errorOf([&] { store.insert({}); }), StorageErrorKind::Invalid);
    }

    void imagesAndPrompts() {
        ImageStore store(*db_);
        const auto p = store.addPrompt({.prompt = QStringLiteral("a lighthouse at dusk"),
                                        .negativePrompt = QStringLiteral("blurry"),
                                        .params = {{QStringLiteral("steps"), 20}}});
        const auto i =
            store.addImage({.promptId = p.id,
                            .seed = 1234567890123LL,
                            .width = 512,
                            .height = 768,
                            .filePath = QStringLiteral("/tmp/a.png"),
                            .params = {{QStringLiteral("sampler"), QStringLiteral("euler")}}});
        QCOMPARE(store.image(i.id).seed, 1234567890123LL);
        QCOMPARE(store.image(i.id).height, 768);
        QCOMPARE(store.imagesFor(p.id).size(), 1);
        QCOMPARE(store.prompt(p.id).negativePrompt, QStringLiteral("blurry"));
        QCOMPARE(store.prompts().size(), 1);
        QCOMPARE(
            errorOf([&] {
                store.addImage(
                    {.promptId = 999, .width = 1, .height = 1, .filePath = QStringLiteral("x")});
            }),
            StorageErrorKind::NotFound);
        QCOMPARE(
            errorOf([&] {
                store.addImage(
                    {.promptId = p.id, .width = 0, .height = 1, .filePath = QStringLiteral("x")});
            }),
            StorageErrorKind::Invalid);
        store.removePrompt(p.id);
        QCOMPARE(errorOf([&] { store.image(i.id); }), StorageErrorKind::NotFound);
    }

    void modelsUpsert() {
        ModelStore store(*db_);
        const auto m = store.upsert(QStringLiteral("/models/a.gguf"), QStringLiteral("A"),
                                    {{QStringLiteral("arch"), QStringLiteral("llama")}});
        const auto again = store.upsert(QStringLiteral("/models/a.gguf"), QStringLiteral("A2"), {});
        QCOMPARE(again.id, m.id);
        QCOMPARE(store.list().size(), 1);
        QCOMPARE(store.get(m.id).name, QStringLiteral("A2"));
        store.setStatus(m.id, QStringLiteral("error"), QStringLiteral("truncated file"));
        QCOMPARE(store.get(m.id).error, QStringLiteral("truncated file"));
        QCOMPARE(errorOf([&] { store.setStatus(m.id, QStringLiteral("happy")); }),
                 StorageErrorKind::Invalid);
        QCOMPARE(errorOf([&] { store.setStatus(999, QStringLiteral("ok")); }),
                 StorageErrorKind::NotFound);
        store.remove(m.id);
        QCOMPARE(store.list().size(), 0);
    }

    void settingsHoldAnyJson() {
        SettingsStore store(*db_);
        store.setValue(QStringLiteral("window/width"), 1280);
        store.setValue(QStringLiteral("theme"), QStringLiteral("dark \"night\""));
        store.setValue(QStringLiteral("flag"), true);
        store.setValue(QStringLiteral("list"), QJsonArray{1, 2, 3});
        store.setValue(QStringLiteral("window/width"), 1300);
        QCOMPARE(store.value(QStringLiteral("window/width")).toInt(), 1300);
        QCOMPARE(store.value(QStringLiteral("theme")).toString(), QStringLiteral("dark \"night\""));
        QCOMPARE(store.value(QStringLiteral("flag")).toBool(), true);
        QCOMPARE(store.value(QStringLiteral("list")).toArray().size(), 3);
        QCOMPARE(store.value(QStringLiteral("missing"), 7).toInt(), 7);
        QCOMPARE(store.all().size(), 4);
        store.remove(QStringLiteral("flag"));
        QCOMPARE(store.all().size(), 3);
        QCOMPARE(errorOf([&] { store.setValue(QString(), 1); }), StorageErrorKind::Invalid);
    }
};

QTEST_GUILESS_MAIN(StoresTest)
#include "test_stores.moc"
