#pragma once
// One SQLite connection (Qt SQL), used on one thread only. Opening it sets WAL, foreign keys and a
// busy timeout, checks the file (a damaged one is renamed aside, never overwritten) and applies the
// numbered migrations resources/sql/NNN_name.sql in order, one transaction each, recording the
// schema in PRAGMA user_version.
#include "storage/storage_error.hpp"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QStringView>
#include <exception>
#include <utility>

namespace atelier::storage {

struct OpenOptions {
    bool create = true;       // false: a missing file is an error (the CLI reads existing data)
    bool readOnly = false;    // open without writing: no migrations, every write fails clearly
    int targetVersion = -1;   // -1 = latest; tests build older schemas with the first N migrations
    bool quickCheck = true;   // PRAGMA quick_check at open to detect a damaged file
    QString migrationsFolder; // empty = the compiled-in resources/sql; tests may name another
};

class Database {
public:
    // Documented limits; bigger input is refused with StorageErrorKind::Invalid.
    static constexpr qsizetype kMaxTextBytes = 8 * 1024 * 1024; // message content, UTF-8 bytes
    static constexpr qsizetype kMaxTitleChars = 1000;           // titles and names
    static constexpr int kBusyTimeoutMs = 5000;

    // Throws StorageError. A damaged file is moved to path + ".corrupt-<UTC timestamp>" (with its
    // -wal/-shm companions) and reported as StorageErrorKind::Corrupt; opening again starts fresh.
    static Database open(const QString& path, const OpenOptions& options = {});
    // <GenericDataLocation>/Atelier/atelier.sqlite3, the same for the app and the CLI.
    static QString defaultPath();
    // The number of migrations compiled in (the schema version of a fully migrated file).
    static int latestVersion();

    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    const QString& path() const { return path_; }
    int schemaVersion() const { return version_; }
    bool isReadOnly() const { return readOnly_; }
    QSqlDatabase& connection() { return db_; }

    // Runs fn() inside one transaction (BEGIN IMMEDIATE): commit when it returns, roll back when
    // it throws. Nested calls join the outer transaction.
    template <class F> decltype(auto) transaction(F&& fn);

    // Prepared statements and execution that throw StorageError with a mapped kind.
    QSqlQuery prepare(const QString& sql);
    void exec(QSqlQuery& query);
    void execute(const QString& sql); // one statement, no parameters
    // Runs a query expected to yield one row and returns its first column.
    QVariant scalar(const QString& sql);

    // Throws StorageErrorKind::Invalid naming `what` when text is over the limit.
    static void checkText(QStringView what, const QString& text,
                          qsizetype maxBytes = kMaxTextBytes);
    static void checkTitle(QStringView what, const QString& title);

    // Turns a failed query into a StorageError a person can act on.
    [[noreturn]] void fail(const QSqlQuery& query, const QString& doing) const;

private:
    Database() = default;
    void begin();
    void commit();
    void rollback() noexcept;
    void configure(const OpenOptions& options);
    void migrate(const OpenOptions& options);
    void release() noexcept;

    QSqlDatabase db_;
    QString connectionName_;
    QString path_;
    int version_ = 0;
    int depth_ = 0;
    bool readOnly_ = false;
};

template <class F> decltype(auto) Database::transaction(F&& fn) {
    if (depth_ > 0) return std::forward<F>(fn)();
    begin();
    ++depth_;
    try {
        if constexpr (std::is_void_v<decltype(std::forward<F>(fn)())>) {
            std::forward<F>(fn)();
            --depth_;
            commit();
        } else {
            auto result = std::forward<F>(fn)();
            --depth_;
            commit();
            return result;
        }
    } catch (...) {
        if (depth_ > 0) --depth_;
        rollback();
        throw;
    }
}

} // namespace atelier::storage
