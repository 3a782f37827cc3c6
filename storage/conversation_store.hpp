#pragma once
// Conversations: title, times and the generation parameters chosen for each one.
#include "storage/database.hpp"
#include "storage/records.hpp"

#include <QList>

namespace atelier::storage {

class ConversationStore {
public:
    explicit ConversationStore(Database& db) : db_(db) {}

    ConversationRecord create(const QString& title);
    void rename(qint64 id, const QString& title);
    void remove(qint64 id); // its messages go with it
    // Newest first (by last update); titleFilter matches case-insensitively anywhere in the title.
    QList<ConversationRecord> list(const QString& titleFilter = {});
    ConversationRecord get(qint64 id); // NotFound for an unknown id
    bool exists(qint64 id);

    QJsonObject params(qint64 id);
    void setParams(qint64 id, const QJsonObject& params);
    // Marks the conversation as changed now (the sidebar sorts by it).
    void touch(qint64 id);

    // Chat set-up (schema 3). Paths and prompts are checked against the text limits.
    void setModelPath(qint64 id, const QString& path);
    void setSystemPrompt(qint64 id, const QString& prompt);
    // 0 clears it (the newest branch is shown). NotFound for an unknown message.
    void setActiveMessage(qint64 id, qint64 messageId);

private:
    Database& db_;
};

} // namespace atelier::storage
