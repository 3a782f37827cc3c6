#pragma once
// Messages of a conversation. Replies that were regenerated or edited branch: each message names
// its parent, so siblings are alternative versions. Message text is indexed with FTS5.
#include "storage/database.hpp"
#include "storage/records.hpp"

#include <QList>

namespace atelier::storage {

class MessageStore {
public:
    explicit MessageStore(Database& db) : db_(db) {}

    // Fills in id and createdAt (when null). Invalid for oversized content or an unknown role;
    // NotFound for an unknown conversation or parent.
    MessageRecord append(MessageRecord message);
    void updateContent(qint64 id, const QString& content);
    void updateState(qint64 id, const QString& state);
    void updateStats(qint64 id, const QJsonObject& stats);
    // A streaming reply's text, state and statistics in one write (the chat saves it every
    // second while it streams, and once more when it ends).
    void updateReply(qint64 id, const QString& content, const QString& state,
                     const QJsonObject& stats);
    // -1 (thumbs down), 0 (none) or 1 (thumbs up); Invalid otherwise.
    void setRating(qint64 id, int rating);
    // Replies still "streaming" (left by a crash or a quit) become "interrupted"; returns how
    // many. Called when the app starts, before anything streams.
    int markStreamingInterrupted();
    void remove(qint64 id); // and the replies below it
    MessageRecord get(qint64 id);
    // In creation order.
    QList<MessageRecord> listFor(qint64 conversationId);
    QList<MessageRecord> children(qint64 parentId);
    qint64 countFor(qint64 conversationId);
    // FTS5 query over message text (words are matched as prefixes), best matches first.
    QList<MessageHit> search(const QString& text, int limit = 50);

private:
    Database& db_;
};

} // namespace atelier::storage
