// atelier-cli conversations list | show ID | export ID --format json|markdown [--db PATH]
// Reads the app's database directly: a terminal program may wait on SQLite.
#include "args.hpp"
#include "command.hpp"
#include "storage/conversation_store.hpp"
#include "storage/message_store.hpp"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <iostream>
#include <memory>

namespace atelier::cli {
namespace {

using storage::ConversationStore;
using storage::Database;
using storage::MessageStore;

const char* const kUsage =
    "Usage: atelier-cli conversations list [--filter TEXT] [--db PATH]\n"
    "       atelier-cli conversations show ID [--db PATH]\n"
    "       atelier-cli conversations export ID [--format json|markdown] [--db PATH]\n"
    "\n"
    "Reads the conversations in Atelier's database: the app's own\n"
    "(<data folder>/Atelier/atelier.sqlite3) unless --db names another.\n"
    "export writes to stdout: markdown (the default) has the title and each\n"
    "message under its role as a heading; json has the conversation's fields\n"
    "and a messages array.\n";

std::string utf8(const QString& s) {
    return s.toStdString();
}

QString isoTime(const QDateTime& t) {
    return t.toUTC().toString(Qt::ISODateWithMs);
}

qint64 parseId(const std::optional<std::string>& text) {
    if (!text) throw UsageError("a conversation ID is needed");
    bool ok = false;
    const qint64 id = QString::fromStdString(*text).toLongLong(&ok);
    if (!ok || id <= 0) throw UsageError("not a conversation ID: " + *text);
    return id;
}

// Opens for reading and writing (so an older schema is upgraded); a read-only file still opens,
// read-only, because these commands only read.
Database openDatabase(const QString& path) {
    try {
        return Database::open(path, {.create = false});
    } catch (const storage::StorageError& e) {
        if (e.kind() != storage::StorageErrorKind::ReadOnly) throw;
        return Database::open(path, {.create = false, .readOnly = true});
    }
}

QString roleHeading(const QString& role) {
    return role.isEmpty() ? role : role.left(1).toUpper() + role.mid(1);
}

QJsonObject messageJson(const storage::MessageRecord& m) {
    return {{QStringLiteral("id"), m.id},
            {QStringLiteral("parentId"), m.parentId ? QJsonValue(m.parentId) : QJsonValue()},
            {QStringLiteral("role"), m.role},
            {QStringLiteral("content"), m.content},
            {QStringLiteral("createdAt"), isoTime(m.createdAt)},
            {QStringLiteral("state"), m.state},
            {QStringLiteral("params"), m.params},
            {QStringLiteral("stats"), m.stats}};
}

QByteArray exportJson(Database& db, qint64 id) {
    const auto c = ConversationStore(db).get(id);
    QJsonArray messages;
    for (const auto& m : MessageStore(db).listFor(id)) messages.append(messageJson(m));
    const QJsonObject o{{QStringLiteral("id"), c.id},
                        {QStringLiteral("title"), c.title},
                        {QStringLiteral("createdAt"), isoTime(c.createdAt)},
                        {QStringLiteral("updatedAt"), isoTime(c.updatedAt)},
                        {QStringLiteral("params"), ConversationStore(db).params(id)},
                        {QStringLiteral("messages"), messages}};
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

QByteArray exportMarkdown(Database& db, qint64 id) {
    const auto c = ConversationStore(db).get(id);
    QString out = QStringLiteral("# %1\n").arg(c.title);
    for (const auto& m : MessageStore(db).listFor(id))
        out += QStringLiteral("\n## %1\n\n%2\n").arg(roleHeading(m.role), m.content);
    return out.toUtf8();
}

void list(Database& db, const QString& filter) {
    const auto conversations = ConversationStore(db).list(filter);
    MessageStore messages(db);
    for (const auto& c : conversations) {
        std::cout << c.id << "\t" << utf8(isoTime(c.updatedAt)) << "\t" << messages.countFor(c.id)
                  << " messages\t" << utf8(c.title) << "\n";
    }
}

void show(Database& db, qint64 id) {
    const auto c = ConversationStore(db).get(id);
    std::cout << "Conversation " << c.id << ": " << utf8(c.title) << "\n"
              << "created " << utf8(isoTime(c.createdAt)) << ", updated "
              << utf8(isoTime(c.updatedAt)) << "\n";
    const QJsonObject params = ConversationStore(db).params(id);
    if (!params.isEmpty())
        std::cout << "parameters "
                  << QJsonDocument(params).toJson(QJsonDocument::Compact).constData() << "\n";
    qint64 previous = 0;
    for (const auto& m : MessageStore(db).listFor(id)) {
        std::cout << "\n[" << m.id << "] " << utf8(m.role);
        if (m.parentId && m.parentId != previous) std::cout << " (reply to " << m.parentId << ")";
        if (m.state != QLatin1String("complete")) std::cout << " (" << utf8(m.state) << ")";
        std::cout << "  " << utf8(isoTime(m.createdAt)) << "\n" << utf8(m.content) << "\n";
        previous = m.id;
    }
}

int run(std::span<const std::string> argv) {
    std::unique_ptr<QCoreApplication> app;
    static int argc = 1;
    static char name[] = "atelier-cli";
    static char* args[] = {name, nullptr};
    if (!QCoreApplication::instance()) app = std::make_unique<QCoreApplication>(argc, args);

    Args a(argv);
    const auto dbOption = a.option({"--db"});
    const QString path = dbOption ? QString::fromStdString(*dbOption) : Database::defaultPath();
    const auto sub = a.positional();
    if (!sub) throw UsageError("say what to do: list, show or export");

    if (*sub == "list") {
        const auto filter = a.option({"--filter"});
        a.finish();
        Database db = openDatabase(path);
        list(db, filter ? QString::fromStdString(*filter) : QString());
        return kExitOk;
    }
    if (*sub == "show") {
        const qint64 id = parseId(a.positional());
        a.finish();
        Database db = openDatabase(path);
        show(db, id);
        return kExitOk;
    }
    if (*sub == "export") {
        const qint64 id = parseId(a.positional());
        const std::string format = a.option({"--format", "-f"}).value_or("markdown");
        if (format != "json" && format != "markdown" && format != "md")
            throw UsageError("--format must be json or markdown, not " + format);
        a.finish();
        Database db = openDatabase(path);
        const QByteArray text = format == "json" ? exportJson(db, id) : exportMarkdown(db, id);
        std::cout.write(text.constData(), text.size());
        std::cout.flush();
        return kExitOk;
    }
    throw UsageError("unknown subcommand '" + *sub + "' (list, show or export)");
}

const Registrar reg{
    {"conversations", "list, show and export conversations from the database", kUsage, run}};

} // namespace
} // namespace atelier::cli
