#include "app/services/conversation_io.hpp"

#include "app/services/conversation_tree.hpp"
#include "storage/conversation_store.hpp"
#include "storage/message_store.hpp"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <stdexcept>

namespace atelier::io {

using storage::ConversationStore;
using storage::MessageStore;

namespace {

QJsonObject messageJson(const MessageInfo& m) {
    return {{QStringLiteral("id"), m.id},
            {QStringLiteral("parentId"), m.parentId},
            {QStringLiteral("role"), m.role},
            {QStringLiteral("content"), m.content},
            {QStringLiteral("createdAt"), m.createdAt.toString(Qt::ISODateWithMs)},
            {QStringLiteral("state"), m.state},
            {QStringLiteral("params"), m.params},
            {QStringLiteral("stats"), m.stats},
            {QStringLiteral("rating"), m.rating}};
}

QJsonObject chatMessage(const QString& role, const QString& content) {
    return {{QStringLiteral("role"), role}, {QStringLiteral("content"), content}};
}

[[noreturn]] void bad(const QString& why) {
    throw std::runtime_error(
        QStringLiteral("this is not an Atelier conversation export: %1").arg(why).toStdString());
}

} // namespace

QByteArray exportJson(storage::Database& db, qint64 id) {
    ConversationStore conversations(db);
    const auto c = conversations.get(id);
    QJsonArray messages;
    for (const MessageInfo& m : MessageStore(db).listFor(id)) messages.append(messageJson(m));
    const QJsonObject root{{QStringLiteral("format"), QLatin1String(kConversationFormat)},
                           {QStringLiteral("version"), 1},
                           {QStringLiteral("title"), c.title},
                           {QStringLiteral("createdAt"), c.createdAt.toString(Qt::ISODateWithMs)},
                           {QStringLiteral("model"), c.modelPath},
                           {QStringLiteral("systemPrompt"), c.systemPrompt},
                           {QStringLiteral("params"), conversations.params(id)},
                           {QStringLiteral("activeMessageId"), c.activeMessageId},
                           {QStringLiteral("messages"), messages}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QByteArray exportMarkdown(storage::Database& db, qint64 id) {
    const auto c = ConversationStore(db).get(id);
    QString out = QStringLiteral("# %1\n\n").arg(c.title);
    if (!c.systemPrompt.isEmpty()) out += QStringLiteral("> System: %1\n\n").arg(c.systemPrompt);
    for (const ChatTurn& t : tree::visibleBranch(MessageStore(db).listFor(id), c.activeMessageId)) {
        const bool user = t.message.role == QLatin1String("user");
        out += user ? QStringLiteral("**You:**\n\n") : QStringLiteral("**Assistant:**\n\n");
        out += t.message.content + QStringLiteral("\n\n");
        if (t.message.state == QLatin1String("interrupted"))
            out += QStringLiteral("*(interrupted)*\n\n");
    }
    return out.toUtf8();
}

qint64 importJson(storage::Database& db, const QByteArray& json) {
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) bad(error.errorString());
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("format")).toString() != QLatin1String(kConversationFormat))
        bad(QStringLiteral("the \"format\" field is missing or different"));
    if (root.value(QLatin1String("version")).toInt() != 1)
        bad(QStringLiteral("version %1 is not known")
                .arg(root.value(QLatin1String("version")).toInt()));
    return db.transaction([&] {
        ConversationStore conversations(db);
        MessageStore messages(db);
        QString title = root.value(QLatin1String("title")).toString().trimmed();
        if (title.isEmpty()) title = QStringLiteral("Imported conversation");
        const qint64 id = conversations.create(title).id;
        conversations.setModelPath(id, root.value(QLatin1String("model")).toString());
        conversations.setSystemPrompt(id, root.value(QLatin1String("systemPrompt")).toString());
        conversations.setParams(
            id,
            GenerationParams::fromJson(root.value(QLatin1String("params")).toObject()).toJson());
        QHash<qint64, qint64> newIds; // exported id -> new id; parents come before children
        for (const QJsonValue& v : root.value(QLatin1String("messages")).toArray()) {
            const QJsonObject o = v.toObject();
            const qint64 oldParent = o.value(QLatin1String("parentId")).toInteger();
            if (oldParent != 0 && !newIds.contains(oldParent))
                bad(QStringLiteral("message %1 names an unknown parent %2")
                        .arg(o.value(QLatin1String("id")).toInteger())
                        .arg(oldParent));
            QString state = o.value(QLatin1String("state")).toString(QStringLiteral("complete"));
            if (state == QLatin1String("streaming")) state = QStringLiteral("interrupted");
            MessageInfo m{.conversationId = id,
                          .parentId = newIds.value(oldParent),
                          .role = o.value(QLatin1String("role")).toString(),
                          .content = o.value(QLatin1String("content")).toString(),
                          .createdAt = QDateTime::fromString(
                              o.value(QLatin1String("createdAt")).toString(), Qt::ISODateWithMs),
                          .state = state,
                          .params = o.value(QLatin1String("params")).toObject(),
                          .stats = o.value(QLatin1String("stats")).toObject(),
                          .rating = o.value(QLatin1String("rating")).toInt()};
            newIds.insert(o.value(QLatin1String("id")).toInteger(), messages.append(m).id);
        }
        const qint64 active = root.value(QLatin1String("activeMessageId")).toInteger();
        if (newIds.contains(active)) conversations.setActiveMessage(id, newIds.value(active));
        return id;
    });
}

PreferenceData exportPreferences(storage::Database& db) {
    PreferenceData out;
    MessageStore store(db);
    for (const auto& c : ConversationStore(db).list()) {
        const QList<MessageInfo> all = store.listFor(c.id);
        QHash<qint64, QList<MessageInfo>> replies; // by the message they answer
        for (const MessageInfo& m : all)
            if (m.role == QLatin1String("assistant") && m.rating != 0)
                replies[m.parentId].append(m);
        for (auto it = replies.cbegin(); it != replies.cend(); ++it) {
            QJsonArray prompt;
            if (!c.systemPrompt.isEmpty())
                prompt.append(chatMessage(QStringLiteral("system"), c.systemPrompt));
            for (const MessageInfo& m : tree::pathTo(all, it.key()))
                prompt.append(chatMessage(m.role, m.content));
            for (const MessageInfo& chosen : it.value()) {
                if (chosen.rating <= 0) continue;
                for (const MessageInfo& rejected : it.value()) {
                    if (rejected.rating >= 0) continue;
                    const QJsonObject line{
                        {QStringLiteral("prompt"), prompt},
                        {QStringLiteral("chosen"),
                         QJsonArray{chatMessage(QStringLiteral("assistant"), chosen.content)}},
                        {QStringLiteral("rejected"),
                         QJsonArray{chatMessage(QStringLiteral("assistant"), rejected.content)}}};
                    out.jsonl += QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n';
                    ++out.pairs;
                }
            }
        }
    }
    return out;
}

} // namespace atelier::io
