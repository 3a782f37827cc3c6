#include "storage/settings_store.hpp"

#include <QJsonArray>
#include <QJsonDocument>

namespace atelier::storage {

namespace {

// A JSON scalar is stored as its own JSON text ("42", "\"dark\"", "true"); QJsonDocument only
// writes objects and arrays, so the value travels inside a one-element array.
QString encode(const QJsonValue& v) {
    const QByteArray text = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

QJsonValue decode(const QString& text) {
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray("[") + text.toUtf8() + QByteArray("]"));
    return doc.isArray() && !doc.array().isEmpty() ? doc.array().first() : QJsonValue();
}

constexpr qsizetype kMaxValueBytes = 1024 * 1024;

} // namespace

QMap<QString, QJsonValue> SettingsStore::all() {
    QSqlQuery q = db_.prepare(QStringLiteral("SELECT key, value FROM settings"));
    db_.exec(q);
    QMap<QString, QJsonValue> out;
    while (q.next()) out.insert(q.value(0).toString(), decode(q.value(1).toString()));
    return out;
}

QJsonValue SettingsStore::value(const QString& key, const QJsonValue& fallback) {
    QSqlQuery q = db_.prepare(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    q.addBindValue(key);
    db_.exec(q);
    return q.next() ? decode(q.value(0).toString()) : fallback;
}

void SettingsStore::setValue(const QString& key, const QJsonValue& value) {
    if (value.isUndefined()) return remove(key);
    if (key.isEmpty())
        throw StorageError(StorageErrorKind::Invalid, QStringLiteral("a setting needs a key"));
    Database::checkTitle(u"the setting key", key);
    const QString text = encode(value);
    Database::checkText(QStringLiteral("the setting '%1'").arg(key), text, kMaxValueBytes);
    db_.transaction([&] {
        QSqlQuery q =
            db_.prepare(QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?) "
                                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
        q.addBindValue(key);
        q.addBindValue(text);
        db_.exec(q);
    });
}

void SettingsStore::remove(const QString& key) {
    db_.transaction([&] {
        QSqlQuery q = db_.prepare(QStringLiteral("DELETE FROM settings WHERE key = ?"));
        q.addBindValue(key);
        db_.exec(q);
    });
}

} // namespace atelier::storage
