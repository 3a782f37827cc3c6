// Database: migrations from empty and from every earlier version, settings at open, and the error
// paths (read-only, corrupt, too new, full disk, two connections at once).
#include "storage/conversation_store.hpp"
#include "storage/database.hpp"
#include "storage/message_store.hpp"

#include <QDir>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <thread>
#include <unistd.h>

using namespace atelier::storage;

class DatabaseTest : public QObject {
    Q_OBJECT

private:
    QString dbPath(const QString& name = QStringLiteral("a.sqlite3")) {
        return dir_.filePath(name);
    }
    QTemporaryDir dir_;

    static QStringList tables(Database& db) {
        QSqlQuery q = db.prepare(
            QStringLiteral("SELECT name FROM sqlite_schema WHERE type IN ('table') ORDER BY name"));
        db.exec(q);
        QStringList out;
        while (q.next()) out << q.value(0).toString();
        return out;
    }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void createsFullSchemaFromEmpty() {
        QVERIFY(Database::latestVersion() >= 2);
        Database db = Database::open(dbPath(QStringLiteral("sub/dir/new.sqlite3")));
        QCOMPARE(db.schemaVersion(), Database::latestVersion());
        QCOMPARE(db.scalar(QStringLiteral("PRAGMA user_version")).toInt(),
                 Database::latestVersion());
        QCOMPARE(db.scalar(QStringLiteral("PRAGMA journal_mode")).toString(),
                 QStringLiteral("wal"));
        QCOMPARE(db.scalar(QStringLiteral("PRAGMA foreign_keys")).toInt(), 1);
        QCOMPARE(db.scalar(QStringLiteral("PRAGMA busy_timeout")).toInt(),
                 Database::kBusyTimeoutMs);
        const QStringList t = tables(db);
        for (const char* name : {"conversations", "messages", "image_prompts", "images", "jobs",
                                 "models", "settings", "messages_fts"})
            QVERIFY2(t.contains(QLatin1String(name)), name);
    }

    void migratesFromEachEarlierVersion() {
        for (int from = 0; from < Database::latestVersion(); ++from) {
            const QString path = dbPath(QStringLiteral("from-%1.sqlite3").arg(from));
            {
                Database old = Database::open(path, {.targetVersion = from});
                QCOMPARE(old.schemaVersion(), from);
                QCOMPARE(old.scalar(QStringLiteral("PRAGMA user_version")).toInt(), from);
                if (from >= 1) {
                    // Data written under the old schema must survive the upgrade.
                    const auto c = ConversationStore(old).create(QStringLiteral("old talk"));
                    old.execute(QStringLiteral("INSERT INTO messages (conversation_id, role, "
                                               "content, created_at) VALUES (%1, 'user', "
                                               "'remember the platypus', 0)")
                                    .arg(c.id));
                }
            }
            Database db = Database::open(path);
            QCOMPARE(db.schemaVersion(), Database::latestVersion());
            QVERIFY(tables(db).contains(QStringLiteral("jobs")));
            if (from >= 1) {
                QCOMPARE(ConversationStore(db).list().size(), 1);
                // Rows from schema 1 are in the full-text index built by schema 2.
                const auto hits = MessageStore(db).search(QStringLiteral("platyp"));
                QCOMPARE(hits.size(), 1);
            }
            QCOMPARE(db.scalar(QStringLiteral("PRAGMA integrity_check")).toString(),
                     QStringLiteral("ok"));
        }
    }

    void aFailingMigrationLeavesNoTrace() {
        // The real migrations plus a third that creates a table and then fails.
        QTemporaryDir folder;
        for (const QString& name : QDir(QStringLiteral(":/sql")).entryList(QDir::Files))
            QVERIFY(QFile::copy(QStringLiteral(":/sql/") + name, folder.filePath(name)));
        const int broken = Database::latestVersion() + 1;
        {
            QFile f(folder.filePath(
                QStringLiteral("%1_broken.sql").arg(broken, 3, 10, QLatin1Char('0'))));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("CREATE TABLE half_done (id INTEGER PRIMARY KEY);\n"
                    "-- a comment; with a semicolon\n"
                    "INSERT INTO half_done VALUES (1);\n"
                    "INSERT INTO no_such_table VALUES (1);\n");
        }
        const QString path = dbPath(QStringLiteral("broken.sqlite3"));
        try {
            Database::open(path, {.migrationsFolder = folder.path()});
            QFAIL("a broken migration was applied");
        } catch (const StorageError& e) {
            QVERIFY2(e.message().contains(QStringLiteral("_broken.sql failed")), e.what());
            QVERIFY2(e.message().contains(
                         QStringLiteral("stays at version %1").arg(Database::latestVersion())),
                     e.what());
        }
        Database db = Database::open(path);
        QCOMPARE(db.schemaVersion(), Database::latestVersion());
        QVERIFY(!tables(db).contains(QStringLiteral("half_done")));
    }

    void migrationsMustBeNumberedWithoutGaps() {
        QTemporaryDir folder;
        QFile f(folder.filePath(QStringLiteral("002_skipped_one.sql")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("CREATE TABLE t (x);\n");
        f.close();
        try {
            Database::open(dbPath(QStringLiteral("gap.sqlite3")),
                           {.migrationsFolder = folder.path()});
            QFAIL("opened with a gap in the migrations");
        } catch (const StorageError& e) {
            QVERIFY2(e.message().contains(QStringLiteral("out of sequence")), e.what());
        }
    }

    void reopeningIsANoOp() {
        const QString path = dbPath(QStringLiteral("reopen.sqlite3"));
        { Database::open(path); }
        Database db = Database::open(path);
        QCOMPARE(db.schemaVersion(), Database::latestVersion());
    }

    void refusesANewerSchema() {
        const QString path = dbPath(QStringLiteral("newer.sqlite3"));
        {
            Database db = Database::open(path);
            db.execute(
                QStringLiteral("PRAGMA user_version = %1").arg(Database::latestVersion() + 5));
        }
        try {
            Database::open(path);
            QFAIL("opened a database from the future");
        } catch (const StorageError& e) {
            QCOMPARE(e.kind(), StorageErrorKind::TooNew);
            QVERIFY2(e.message().contains(QStringLiteral("newer")), e.what());
        }
        QVERIFY(QFile::exists(path));
    }

    void missingFileWithoutCreate() {
        try {
            Database::open(dbPath(QStringLiteral("absent.sqlite3")), {.create = false});
            QFAIL("opened a missing file");
        } catch (const StorageError& e) {
            QCOMPARE(e.kind(), StorageErrorKind::Io);
            QVERIFY(e.message().contains(QStringLiteral("no database")));
        }
        QVERIFY(!QFile::exists(dbPath(QStringLiteral("absent.sqlite3"))));
    }

    void readOnlyOpenRefusesWrites() {
        const QString path = dbPath(QStringLiteral("ro.sqlite3"));
        {
            Database db = Database::open(path);
            ConversationStore(db).create(QStringLiteral("kept"));
        }
        Database db = Database::open(path, {.readOnly = true});
        QCOMPARE(ConversationStore(db).list().size(), 1);
        try {
            ConversationStore(db).create(QStringLiteral("new"));
            QFAIL("wrote to a read-only database");
        } catch (const StorageError& e) {
            QCOMPARE(e.kind(), StorageErrorKind::ReadOnly);
            QVERIFY2(e.message().contains(QStringLiteral("read-only")), e.what());
        }
        QCOMPARE(ConversationStore(db).list().size(), 1);
    }

    void readOnlyFileGivesClearError() {
        if (::geteuid() == 0) QSKIP("root ignores file permissions");
        const QString path = dbPath(QStringLiteral("perm.sqlite3"));
        { Database::open(path); }
        QFile::setPermissions(path, QFile::ReadOwner | QFile::ReadUser);
        try {
            Database::open(path);
            QFAIL("opened a read-only file for writing");
        } catch (const StorageError& e) {
            QCOMPARE(e.kind(), StorageErrorKind::ReadOnly);
            QVERIFY2(e.message().contains(path), e.what());
        }
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    }

    void garbageFileIsSetAsideNotOverwritten() {
        const QString path = dbPath(QStringLiteral("garbage.sqlite3"));
        QByteArray junk;
        for (int i = 0; i < 8192; ++i) junk.append(char('a' + i % 26));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(junk);
        }
        QString aside;
        try {
            Database::open(path);
            QFAIL("opened a file that is not a database");
        } catch (const StorageError& e) {
            QCOMPARE(e.kind(), StorageErrorKind::Corrupt);
            const qsizetype at = e.message().indexOf(QStringLiteral("moved to "));
            QVERIFY2(at >= 0, e.what());
            aside = e.message().mid(at + 9).section(QLatin1Char(' '), 0, 0);
        }
        QVERIFY(!QFile::exists(path));
        QFile moved(aside);
        QVERIFY2(moved.open(QIODevice::ReadOnly), qPrintable(aside));
        QCOMPARE(moved.readAll(), junk); // byte for byte what was there
        // Opening again starts a fresh database.
        Database db = Database::open(path);
        QCOMPARE(db.schemaVersion(), Database::latestVersion());
    }

    void damagedDatabaseIsSetAside() {
        const QString path = dbPath(QStringLiteral("damaged.sqlite3"));
        {
            Database db = Database::open(path);
            const auto c = ConversationStore(db).create(QStringLiteral("t"));
            MessageStore store(db);
            for (int i = 0; i < 300; ++i)
                store.append({.conversationId = c.id,
                              .role = QStringLiteral("user"),
                              .content = QStringLiteral("message number %1 ").arg(i).repeated(20)});
            db.execute(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
        }
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        const qint64 size = f.size();
        QVERIFY(size > 16 * 4096);
        // Scribble over interior b-tree pages, leaving the header intact.
        QByteArray noise(4096 * 6, '\xA5');
        f.seek(4096 * 3);
        f.write(noise);
        f.close();
        try {
            Database::open(path);
            QFAIL("opened a damaged database");
        } catch (const StorageError& e) {
            QCOMPARE(e.kind(), StorageErrorKind::Corrupt);
            QVERIFY2(e.message().contains(QStringLiteral("damaged")), e.what());
            QVERIFY2(e.message().contains(QStringLiteral(".corrupt-")), e.what());
        }
        QVERIFY(!QFile::exists(path));
    }

    void fullDiskKeepsCommittedRows() {
        const QString path = dbPath(QStringLiteral("full.sqlite3"));
        Database db = Database::open(path);
        ConversationStore conversations(db);
        MessageStore messages(db);
        const auto c = conversations.create(QStringLiteral("before"));
        const auto kept = messages.append({.conversationId = c.id,
                                           .role = QStringLiteral("user"),
                                           .content = QStringLiteral("committed")});
        const int pages = db.scalar(QStringLiteral("PRAGMA page_count")).toInt();
        // A page limit is how SQLite reports a full disk: SQLITE_FULL on the next growth.
        db.execute(QStringLiteral("PRAGMA max_page_count = %1").arg(pages));
        try {
            messages.append({.conversationId = c.id,
                             .role = QStringLiteral("assistant"),
                             .content = QString(200000, QLatin1Char('x'))});
            QFAIL("a write past the page limit succeeded");
        } catch (const StorageError& e) {
            QCOMPARE(e.kind(), StorageErrorKind::Full);
            QVERIFY2(e.message().contains(QStringLiteral("full")), e.what());
        }
        const auto rows = messages.listFor(c.id);
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0].id, kept.id);
        QCOMPARE(rows[0].content, QStringLiteral("committed"));
        // Small writes that fit still work afterwards, and the file is sound.
        db.execute(QStringLiteral("PRAGMA max_page_count = 1000000"));
        messages.append({.conversationId = c.id,
                         .role = QStringLiteral("user"),
                         .content = QStringLiteral("after")});
        QCOMPARE(messages.listFor(c.id).size(), 2);
        QCOMPARE(db.scalar(QStringLiteral("PRAGMA integrity_check")).toString(),
                 QStringLiteral("ok"));
    }

    void failedTransactionRollsBack() {
        Database db = Database::open(dbPath(QStringLiteral("rollback.sqlite3")));
        ConversationStore store(db);
        try {
            db.transaction([&] {
                store.create(QStringLiteral("inside"));
                throw StorageError(StorageErrorKind::Invalid, QStringLiteral("changed my mind"));
            });
            QFAIL("no throw");
        } catch (const StorageError&) {
        }
        QCOMPARE(store.list().size(), 0);
    }

    void readerAndWriterAtOnce() {
        const QString path = dbPath(QStringLiteral("concurrent.sqlite3"));
        qint64 conversation = 0;
        {
            Database db = Database::open(path);
            conversation = ConversationStore(db).create(QStringLiteral("busy")).id;
        }
        constexpr int kWrites = 300;
        std::atomic<bool> writerDone{false};
        std::atomic<int> written{0};
        QString writerError;
        std::thread writer([&] {
            try {
                Database db = Database::open(path);
                MessageStore store(db);
                for (int i = 0; i < kWrites; ++i) {
                    store.append({.conversationId = conversation,
                                  .role = QStringLiteral("user"),
                                  .content = QStringLiteral("line %1").arg(i)});
                    written.store(i + 1);
                }
            } catch (const std::exception& e) {
                writerError = QString::fromUtf8(e.what());
            }
            writerDone = true;
        });
        int reads = 0;
        int last = 0;
        bool consistent = true;
        QString readerError;
        try {
            Database db = Database::open(path);
            MessageStore store(db);
            while (!writerDone.load() || reads == 0) {
                const int before = written.load();
                const int seen = int(store.listFor(conversation).size());
                // A reader sees a consistent snapshot: never less than what was committed
                // before it started, never going backwards.
                if (seen < before || seen < last) consistent = false;
                last = seen;
                ++reads;
            }
        } catch (const std::exception& e) {
            readerError = QString::fromUtf8(e.what());
        }
        writer.join();
        QVERIFY2(writerError.isEmpty(), qPrintable(writerError));
        QVERIFY2(readerError.isEmpty(), qPrintable(readerError));
        QVERIFY(consistent);
        QVERIFY(reads > 1);
        Database db = Database::open(path);
        QCOMPARE(MessageStore(db).listFor(conversation).size(), qsizetype(kWrites));
    }
};

QTEST_GUILESS_MAIN(DatabaseTest)
#include "test_database.moc"
