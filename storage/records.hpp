#pragma once
// Plain rows as the stores read and write them. Times are UTC; JSON columns are QJsonObjects.
// app/services/records.hpp re-exports the ones the UI sees under the seam's names.
#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace atelier::storage {

struct ConversationRecord {
    qint64 id = 0;
    QString title;
    QDateTime createdAt;
    QDateTime updatedAt;
    // Chat set-up (schema 3): the model file, the system prompt, and the newest message of the
    // branch on screen (0 = follow the newest reply at every step).
    QString modelPath;
    QString systemPrompt;
    qint64 activeMessageId = 0;
};

struct MessageRecord {
    qint64 id = 0;
    qint64 conversationId = 0;
    qint64 parentId = 0; // 0 = none (first message of a branch)
    QString role;        // system | user | assistant | tool
    QString content;
    QDateTime createdAt;
    QString state = QStringLiteral("complete"); // complete | streaming | interrupted | failed
    QJsonObject params;                         // generation parameters used for this reply
    QJsonObject stats;                          // tokens, timings, ...
    int rating = 0;                             // -1 thumbs down, 0 none, 1 thumbs up
};

// One full-text search hit over message text.
struct MessageHit {
    qint64 messageId = 0;
    qint64 conversationId = 0;
    QString snippet; // matched terms wrapped in [ and ]
};

// A job as recorded in the database; app/jobs owns the meaning of kind, lane and params.
struct JobRecord {
    qint64 id = 0;
    QString kind;
    QString title;
    QString lane;
    int priority = 1;                         // 0 interactive, 1 normal, 2 batch
    QString state = QStringLiteral("queued"); // queued|running|done|failed|cancelled|interrupted
    QJsonObject params;
    double progress = -1; // 0..1, < 0 unknown
    QString message;
    QString error;
    QJsonObject result;
    QDateTime createdAt;
    QDateTime startedAt;  // null until running
    QDateTime finishedAt; // null until done, failed, cancelled or interrupted
};

struct ImagePromptRecord {
    qint64 id = 0;
    QString prompt;
    QString negativePrompt;
    QJsonObject params; // sampler, steps, cfg, size, model, ...
    QDateTime createdAt;
};

struct ImageRecord {
    qint64 id = 0;
    qint64 promptId = 0;
    qint64 seed = 0;
    int width = 0;
    int height = 0;
    QString filePath;
    QJsonObject params; // every parameter used for this image
    QDateTime createdAt;
};

struct ModelRecord {
    qint64 id = 0;
    QString path;
    QString name;
    QJsonObject metadata;
    QString status = QStringLiteral("unknown"); // unknown | ok | error
    QString error;
    QDateTime addedAt;
};

} // namespace atelier::storage
