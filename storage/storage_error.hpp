#pragma once
// The one error type storage throws. The message is for a person ("atelier.sqlite3: the disk is
// full ..."); the kind lets callers and tests react without parsing text.
#include <QString>
#include <stdexcept>
#include <string>

namespace atelier::storage {

enum class StorageErrorKind {
    Io,       // the file or folder cannot be opened or created
    ReadOnly, // the file (or its folder) cannot be written
    Corrupt,  // the file is damaged or not a database; it was set aside
    TooNew,   // the schema version is newer than this build understands
    Full,     // the disk (or the database's page limit) is full
    Busy,     // another process held the lock longer than the busy timeout
    NotFound, // an id that does not exist
    Invalid,  // bad input: oversized text, out-of-range value, constraint failure
    Internal, // an SQL error that none of the above explains
};

class StorageError : public std::runtime_error {
public:
    StorageError(StorageErrorKind kind, const QString& message)
        : std::runtime_error(message.toStdString()), kind_(kind) {}
    StorageErrorKind kind() const noexcept { return kind_; }
    QString message() const { return QString::fromUtf8(what()); }

private:
    StorageErrorKind kind_;
};

} // namespace atelier::storage
