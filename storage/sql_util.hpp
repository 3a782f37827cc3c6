#pragma once
// Conversions shared by the stores: times are INTEGER ms since the epoch (UTC), JSON columns are
// compact JSON text.
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QVariant>

namespace atelier::storage::sql {

inline QVariant fromTime(const QDateTime& t) {
    return t.isValid() ? QVariant(t.toMSecsSinceEpoch()) : QVariant(QMetaType(QMetaType::LongLong));
}

inline QDateTime toTime(const QVariant& v) {
    if (v.isNull()) return {};
    return QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}

// Qt binds a null QString as SQL NULL; NOT NULL text columns want '' instead.
inline QString text(const QString& s) {
    return s.isNull() ? QStringLiteral("") : s;
}

inline QDateTime now() {
    return QDateTime::currentDateTimeUtc();
}

inline QString fromJson(const QJsonObject& o) {
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

inline QJsonObject toJson(const QVariant& v) {
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

} // namespace atelier::storage::sql
