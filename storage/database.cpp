#include "storage/database.hpp"

#include <QAtomicInteger>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlError>
#include <QStandardPaths>
#include <QVariant>
#include <algorithm>
#include <sqlite3.h>

namespace atelier::storage {

namespace {

struct Migration {
    int version = 0;
    QString name;     // "001_core.sql"
    QString resource; // ":/sql/001_core.sql"
};

// The migrations in `folder` (the compiled-in ":/sql" unless a test names another), checked to
// be numbered 1..N without gaps.
QList<Migration> findMigrations(const QString& folder) {
    QList<Migration> found;
    static const QRegularExpression pattern(QStringLiteral("^(\\d{3})_[A-Za-z0-9_]+\\.sql$"));
    const QStringList names = QDir(folder).entryList(QDir::Files, QDir::Name);
    for (const QString& name : names) {
        auto m = pattern.match(name);
        if (!m.hasMatch()) continue;
        found.append({m.captured(1).toInt(), name, folder + QLatin1Char('/') + name});
    }
    std::sort(found.begin(), found.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
    for (qsizetype i = 0; i < found.size(); ++i) {
        if (found[i].version != i + 1)
            throw StorageError(StorageErrorKind::Internal,
                               QStringLiteral("migration %1 is out of sequence (expected %2)")
                                   .arg(found[i].name)
                                   .arg(i + 1));
    }
    return found;
}

const QString kCompiledMigrations = QStringLiteral(":/sql");

// Splits a migration file into statements; sqlite3_complete knows about strings, comments and
// trigger bodies, so a ';' inside them does not end a statement.
QStringList splitStatements(const QString& text) {
    QStringList statements;
    QString pending;
    const QStringList pieces = text.split(QLatin1Char(';'));
    for (qsizetype i = 0; i < pieces.size(); ++i) {
        pending += pieces[i];
        if (i + 1 < pieces.size()) pending += QLatin1Char(';');
        if (sqlite3_complete(pending.toUtf8().constData())) {
            statements.append(pending.trimmed());
            pending.clear();
        }
    }
    // Whatever is left without a ';' can only be whitespace or comments.
    QString rest = pending;
    rest.remove(QRegularExpression(QStringLiteral("--[^\\n]*")));
    if (!rest.trimmed().isEmpty())
        throw StorageError(StorageErrorKind::Internal,
                           QStringLiteral("migration ends with an unfinished statement: %1")
                               .arg(rest.trimmed().left(80)));
    return statements;
}

int sqliteCode(const QSqlError& error) {
    return error.nativeErrorCode().toInt() & 0xff;
}

StorageErrorKind kindFor(int code) {
    switch (code) {
    case SQLITE_FULL:
        return StorageErrorKind::Full;
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return StorageErrorKind::ReadOnly;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return StorageErrorKind::Corrupt;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return StorageErrorKind::Busy;
    case SQLITE_CONSTRAINT:
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
        return StorageErrorKind::Invalid;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
        return StorageErrorKind::Io;
    default:
        return StorageErrorKind::Internal;
    }
}

QString explain(StorageErrorKind kind, const QString& path) {
    switch (kind) {
    case StorageErrorKind::Full:
        return QStringLiteral("the disk holding %1 is full (or the database reached its size "
                              "limit); nothing of this change was written — free some space and "
                              "try again")
            .arg(path);
    case StorageErrorKind::ReadOnly:
        return QStringLiteral("%1 is read-only; check the permissions of the file and its folder")
            .arg(path);
    case StorageErrorKind::Corrupt:
        return QStringLiteral("%1 is damaged").arg(path);
    case StorageErrorKind::Busy:
        return QStringLiteral("%1 is locked by another program").arg(path);
    default:
        return path;
    }
}

QString asideName(const QString& path) {
    const QString stamp =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    QString aside = path + QStringLiteral(".corrupt-") + stamp;
    for (int n = 2; QFile::exists(aside); ++n)
        aside = path + QStringLiteral(".corrupt-") + stamp + QLatin1Char('-') + QString::number(n);
    return aside;
}

} // namespace

QString Database::defaultPath() {
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/Atelier/atelier.sqlite3");
}

int Database::latestVersion() {
    return int(findMigrations(kCompiledMigrations).size());
}

Database::Database(Database&& other) noexcept {
    *this = std::move(other);
}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        release();
        db_ = std::exchange(other.db_, QSqlDatabase());
        connectionName_ = std::exchange(other.connectionName_, QString());
        path_ = std::move(other.path_);
        version_ = other.version_;
        depth_ = other.depth_;
        readOnly_ = other.readOnly_;
    }
    return *this;
}

Database::~Database() {
    release();
}

void Database::release() noexcept {
    if (connectionName_.isEmpty()) return;
    db_.close();
    db_ = QSqlDatabase();
    QSqlDatabase::removeDatabase(connectionName_);
    connectionName_.clear();
}

Database Database::open(const QString& path, const OpenOptions& options) {
    static QAtomicInteger<quint64> counter;
    const QFileInfo info(path);
    const bool existed = info.exists();
    if (!existed && !options.create)
        throw StorageError(StorageErrorKind::Io, QStringLiteral("no database at %1").arg(path));
    if (!existed && options.readOnly)
        throw StorageError(StorageErrorKind::Io, QStringLiteral("no database at %1").arg(path));
    if (!existed && !QDir().mkpath(info.absolutePath()))
        throw StorageError(StorageErrorKind::Io,
                           QStringLiteral("cannot create the folder %1").arg(info.absolutePath()));
    if (existed && info.isDir())
        throw StorageError(StorageErrorKind::Io,
                           QStringLiteral("%1 is a folder, not a database file").arg(path));
    if (!options.readOnly) {
        // WAL needs to write the file and to create -wal and -shm beside it.
        const QFileInfo folder(info.absolutePath());
        if ((existed && !info.isWritable()) || !folder.isWritable())
            throw StorageError(StorageErrorKind::ReadOnly,
                               explain(StorageErrorKind::ReadOnly, path));
    }

    Database db;
    db.path_ = path;
    db.readOnly_ = options.readOnly;
    db.connectionName_ = QStringLiteral("atelier-%1").arg(++counter);
    db.db_ = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), db.connectionName_);
    if (!db.db_.isValid())
        throw StorageError(StorageErrorKind::Internal,
                           QStringLiteral("the Qt SQLite driver (QSQLITE) is not available"));
    db.db_.setDatabaseName(path);
    QString connectOptions = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs);
    if (options.readOnly) connectOptions += QStringLiteral(";QSQLITE_OPEN_READONLY");
    db.db_.setConnectOptions(connectOptions);
    if (!db.db_.open())
        throw StorageError(
            StorageErrorKind::Io,
            QStringLiteral("cannot open %1: %2").arg(path, db.db_.lastError().text()));
    db.configure(options);
    db.migrate(options);
    return db;
}

void Database::configure(const OpenOptions& options) {
    execute(QStringLiteral("PRAGMA busy_timeout = %1").arg(kBusyTimeoutMs));
    execute(QStringLiteral("PRAGMA foreign_keys = ON"));

    if (options.quickCheck) {
        // A file that is not a database fails the first read; a damaged one fails the check.
        QString problem;
        QSqlQuery q(db_);
        if (!q.exec(QStringLiteral("PRAGMA quick_check"))) {
            const int code = sqliteCode(q.lastError());
            if (code != SQLITE_CORRUPT && code != SQLITE_NOTADB)
                fail(q, QStringLiteral("checking"));
            problem = q.lastError().databaseText();
        } else {
            while (q.next()) {
                const QString line = q.value(0).toString();
                if (line != QLatin1String("ok"))
                    problem += (problem.isEmpty() ? QString() : QStringLiteral("; ")) + line;
            }
            if (q.lastError().isValid()) problem = q.lastError().databaseText();
        }
        q.finish();
        q = QSqlQuery();
        if (!problem.isEmpty()) {
            const QString path = path_;
            release();
            const QString aside = asideName(path);
            if (!QFile::rename(path, aside))
                throw StorageError(StorageErrorKind::Corrupt,
                                   QStringLiteral("%1 is damaged (%2) and could not be moved "
                                                  "aside; it was left untouched")
                                       .arg(path, problem.left(200)));
            for (const char* suffix : {"-wal", "-shm"}) {
                const QString companion = path + QLatin1String(suffix);
                if (QFile::exists(companion))
                    QFile::rename(companion, aside + QLatin1String(suffix));
            }
            throw StorageError(StorageErrorKind::Corrupt,
                               QStringLiteral("%1 is damaged (%2); it was moved to %3 and left "
                                              "untouched")
                                   .arg(path, problem.left(200), aside));
        }
    }

    if (!options.readOnly) {
        const QString mode = scalar(QStringLiteral("PRAGMA journal_mode = WAL")).toString();
        if (mode.compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
            throw StorageError(
                StorageErrorKind::Io,
                QStringLiteral("%1: cannot switch to WAL mode (got '%2')").arg(path_, mode));
        // In WAL mode NORMAL keeps every commit across a crash of the program; only a power
        // failure can lose the last commits, never corrupt the file.
        execute(QStringLiteral("PRAGMA synchronous = NORMAL"));
    }
}

void Database::migrate(const OpenOptions& options) {
    const QList<Migration> all = findMigrations(
        options.migrationsFolder.isEmpty() ? kCompiledMigrations : options.migrationsFolder);
    const int latest = int(all.size());
    const int target = options.targetVersion < 0 ? latest : std::min(options.targetVersion, latest);
    version_ = scalar(QStringLiteral("PRAGMA user_version")).toInt();
    if (version_ > latest)
        throw StorageError(StorageErrorKind::TooNew,
                           QStringLiteral("%1 has schema version %2, newer than this build of "
                                          "Atelier understands (%3); use a newer Atelier")
                               .arg(path_)
                               .arg(version_)
                               .arg(latest));
    if (version_ >= target) return;
    if (readOnly_)
        throw StorageError(StorageErrorKind::ReadOnly,
                           QStringLiteral("%1 has schema version %2 and needs upgrading to %3, "
                                          "which a read-only open cannot do")
                               .arg(path_)
                               .arg(version_)
                               .arg(target));
    for (int v = version_ + 1; v <= target; ++v) {
        const Migration& m = all[v - 1];
        QFile file(m.resource);
        if (!file.open(QIODevice::ReadOnly))
            throw StorageError(StorageErrorKind::Internal,
                               QStringLiteral("cannot read migration %1").arg(m.name));
        const QStringList statements = splitStatements(QString::fromUtf8(file.readAll()));
        try {
            transaction([&] {
                for (const QString& sql : statements) execute(sql);
                execute(QStringLiteral("PRAGMA user_version = %1").arg(v));
            });
        } catch (const StorageError& e) {
            throw StorageError(e.kind(), QStringLiteral("%1: migration %2 failed, the database "
                                                        "stays at version %3: %4")
                                             .arg(path_, m.name)
                                             .arg(v - 1)
                                             .arg(e.message()));
        }
        version_ = v;
    }
}

void Database::begin() {
    execute(QStringLiteral("BEGIN IMMEDIATE"));
}

void Database::commit() {
    execute(QStringLiteral("COMMIT"));
}

void Database::rollback() noexcept {
    QSqlQuery q(db_);
    q.exec(QStringLiteral("ROLLBACK")); // fails harmlessly when SQLite already rolled back
}

QSqlQuery Database::prepare(const QString& sql) {
    QSqlQuery q(db_);
    if (!q.prepare(sql)) fail(q, QStringLiteral("preparing a statement"));
    return q;
}

void Database::exec(QSqlQuery& query) {
    if (!query.exec()) fail(query, QStringLiteral("writing"));
}

void Database::execute(const QString& sql) {
    QSqlQuery q(db_);
    if (!q.exec(sql)) fail(q, sql.simplified().left(60));
}

QVariant Database::scalar(const QString& sql) {
    QSqlQuery q(db_);
    if (!q.exec(sql)) fail(q, sql.simplified().left(60));
    if (!q.next()) {
        if (q.lastError().isValid()) fail(q, sql.simplified().left(60));
        return {};
    }
    return q.value(0);
}

void Database::checkText(QStringView what, const QString& text, qsizetype maxBytes) {
    if (text.size() * 3 <= maxBytes) return; // cannot be over the limit in UTF-8
    const qsizetype bytes = text.toUtf8().size();
    if (bytes <= maxBytes) return;
    throw StorageError(StorageErrorKind::Invalid,
                       QStringLiteral("%1 is too long: %2 bytes, the limit is %3 bytes (%4 MiB)")
                           .arg(what)
                           .arg(bytes)
                           .arg(maxBytes)
                           .arg(double(maxBytes) / (1024 * 1024), 0, 'g', 3));
}

void Database::checkTitle(QStringView what, const QString& title) {
    if (title.size() > kMaxTitleChars)
        throw StorageError(StorageErrorKind::Invalid,
                           QStringLiteral("%1 is too long: %2 characters, the limit is %3")
                               .arg(what)
                               .arg(title.size())
                               .arg(kMaxTitleChars));
}

void Database::fail(const QSqlQuery& query, const QString& doing) const {
    const QSqlError error = query.lastError();
    const StorageErrorKind kind = kindFor(sqliteCode(error));
    QString detail = error.databaseText();
    if (detail.isEmpty()) detail = error.text();
    throw StorageError(kind,
                       QStringLiteral("%1 (%2: %3)").arg(explain(kind, path_), doing, detail));
}

} // namespace atelier::storage
