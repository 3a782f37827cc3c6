#pragma once
// Running a statement and reading its rows into records: the steps every store's get, list,
// update and remove share (prepare, bind in order, run, read each row).
#include "storage/database.hpp"

#include <QList>
#include <QSqlQuery>
#include <QVariant>
#include <optional>
#include <type_traits>
#include <utility>

namespace atelier::storage::sql {

// Prepares `sql`, binds `values` to its ? placeholders in order and runs it; the returned query
// is positioned before its first row (numRowsAffected() and lastInsertId() are set).
inline QSqlQuery run(Database& db, const QString& sql, const QVariantList& values = {}) {
    QSqlQuery q = db.prepare(sql);
    for (const QVariant& v : values) q.addBindValue(v);
    db.exec(q);
    return q;
}

// Whether the query yields a row (an existence check).
inline bool hasRow(Database& db, const QString& sql, const QVariantList& values) {
    return run(db, sql, values).next();
}

// Runs an UPDATE or DELETE and returns how many rows it changed.
inline int changedRows(Database& db, const QString& sql, const QVariantList& values) {
    return run(db, sql, values).numRowsAffected();
}

template <class Read> using RowRecord = std::decay_t<std::invoke_result_t<Read&, const QSqlQuery&>>;

// Every row of the query, each turned into a record by read(query).
template <class Read>
QList<RowRecord<Read>> selectAll(Database& db, const QString& sql, const QVariantList& values,
                                 Read read) {
    QSqlQuery q = run(db, sql, values);
    QList<RowRecord<Read>> out;
    while (q.next()) out.append(read(std::as_const(q)));
    return out;
}

// The first row of the query as a record, or nothing when the query yields no row.
template <class Read>
std::optional<RowRecord<Read>> selectOne(Database& db, const QString& sql,
                                         const QVariantList& values, Read read) {
    QSqlQuery q = run(db, sql, values);
    if (!q.next()) return std::nullopt;
    return read(std::as_const(q));
}

} // namespace atelier::storage::sql
