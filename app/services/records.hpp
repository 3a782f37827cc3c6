#pragma once
// Plain data the services hand to the UI (through queued signals, hence the metatypes).
#include "storage/records.hpp"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace atelier {

// Sampling settings of a conversation. seed -1 = random.
struct GenerationParams {
    double temperature = 0.7;   // 0..2
    double topP = 0.9;          // 0..1
    int topK = 40;              // 0..1000 (0 = off)
    double minP = 0.05;         // 0..1
    double repeatPenalty = 1.1; // 0.5..2
    int maxNewTokens = 512;     // 1..32768
    qint64 seed = -1;

    QJsonObject toJson() const;
    // Missing keys keep their defaults; out-of-range values are clamped into range.
    static GenerationParams fromJson(const QJsonObject& json);
    // The same values, clamped into the documented ranges.
    GenerationParams clamped() const;
    bool operator==(const GenerationParams&) const = default;
};

using ConversationInfo = storage::ConversationRecord;
using MessageInfo = storage::MessageRecord;

enum class JobState { Queued, Running, Done, Failed, Cancelled, Interrupted };
enum class JobPriority { Interactive = 0, Normal = 1, Batch = 2 };

// "queued", "running", "done", "failed", "cancelled", "interrupted"
QString jobStateName(JobState state);
JobState jobStateFromName(const QString& name); // unknown names read as Interrupted
bool isFinished(JobState state);                // done, failed, cancelled or interrupted

struct JobInfo {
    qint64 id = 0;
    QString kind;
    QString title;
    QString lane;
    JobPriority priority = JobPriority::Normal;
    JobState state = JobState::Queued;
    double progress = -1; // 0..1, < 0 unknown
    QString message;
    QString error;
    QDateTime createdAt;
    QDateTime startedAt;
    QDateTime finishedAt;
};

// Registers the metatypes above with Qt (idempotent); services call it in their constructors.
void registerRecordMetaTypes();

} // namespace atelier

Q_DECLARE_METATYPE(atelier::GenerationParams)
Q_DECLARE_METATYPE(atelier::ConversationInfo)
Q_DECLARE_METATYPE(atelier::MessageInfo)
Q_DECLARE_METATYPE(atelier::JobInfo)
Q_DECLARE_METATYPE(atelier::JobState)
Q_DECLARE_METATYPE(atelier::JobPriority)
