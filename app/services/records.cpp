#include "app/services/records.hpp"

#include <algorithm>
#include <cmath>

namespace atelier {

namespace {
const QString kTemperature = QStringLiteral("temperature");
const QString kTopP = QStringLiteral("topP");
const QString kTopK = QStringLiteral("topK");
const QString kMinP = QStringLiteral("minP");
const QString kRepeatPenalty = QStringLiteral("repeatPenalty");
const QString kMaxNewTokens = QStringLiteral("maxNewTokens");
const QString kSeed = QStringLiteral("seed");
} // namespace

QJsonObject GenerationParams::toJson() const {
    return {{kTemperature, temperature},
            {kTopP, topP},
            {kTopK, topK},
            {kMinP, minP},
            {kRepeatPenalty, repeatPenalty},
            {kMaxNewTokens, maxNewTokens},
            {kSeed, seed}};
}

GenerationParams GenerationParams::fromJson(const QJsonObject& json) {
    GenerationParams p;
    p.temperature = json.value(kTemperature).toDouble(p.temperature);
    p.topP = json.value(kTopP).toDouble(p.topP);
    p.topK = json.value(kTopK).toInt(p.topK);
    p.minP = json.value(kMinP).toDouble(p.minP);
    p.repeatPenalty = json.value(kRepeatPenalty).toDouble(p.repeatPenalty);
    p.maxNewTokens = json.value(kMaxNewTokens).toInt(p.maxNewTokens);
    p.seed = json.contains(kSeed) ? json.value(kSeed).toInteger(p.seed) : p.seed;
    return p.clamped();
}

GenerationParams GenerationParams::clamped() const {
    GenerationParams p = *this;
    auto fix = [](double v, double lo, double hi, double fallback) {
        return std::isfinite(v) ? std::clamp(v, lo, hi) : fallback;
    };
    const GenerationParams defaults;
    p.temperature = fix(p.temperature, 0.0, 2.0, defaults.temperature);
    p.topP = fix(p.topP, 0.0, 1.0, defaults.topP);
    p.topK = std::clamp(p.topK, 0, 1000);
    p.minP = fix(p.minP, 0.0, 1.0, defaults.minP);
    p.repeatPenalty = fix(p.repeatPenalty, 0.5, 2.0, defaults.repeatPenalty);
    p.maxNewTokens = std::clamp(p.maxNewTokens, 1, 32768);
    if (p.seed < -1) p.seed = -1;
    return p;
}

QString jobStateName(JobState state) {
    switch (state) {
    case JobState::Queued:
        return QStringLiteral("queued");
    case JobState::Running:
        return QStringLiteral("running");
    case JobState::Done:
        return QStringLiteral("done");
    case JobState::Failed:
        return QStringLiteral("failed");
    case JobState::Cancelled:
        return QStringLiteral("cancelled");
    case JobState::Interrupted:
        return QStringLiteral("interrupted");
    }
    return QStringLiteral("interrupted");
}

JobState jobStateFromName(const QString& name) {
    for (JobState s : {JobState::Queued, JobState::Running, JobState::Done, JobState::Failed,
                       JobState::Cancelled, JobState::Interrupted})
        if (jobStateName(s) == name) return s;
    return JobState::Interrupted;
}

bool isFinished(JobState state) {
    return state != JobState::Queued && state != JobState::Running;
}

void registerRecordMetaTypes() {
    static const bool once = [] {
        qRegisterMetaType<GenerationParams>();
        qRegisterMetaType<ConversationInfo>();
        qRegisterMetaType<MessageInfo>();
        qRegisterMetaType<QList<ConversationInfo>>();
        qRegisterMetaType<QList<MessageInfo>>();
        qRegisterMetaType<JobInfo>();
        qRegisterMetaType<JobState>();
        qRegisterMetaType<JobPriority>();
        return true;
    }();
    (void)once;
}

} // namespace atelier
