#include "generation_params_model.hpp"

#include "app/services/conversation_service.hpp"

#include <algorithm>
#include <cmath>

namespace atelier::ui {

namespace {
// Sliders move in small float steps; three decimals keep stored values readable (0.7, not
// 0.7000000000000001) and equal comparisons meaningful.
double tidy(double v, double lo, double hi) {
    if (!std::isfinite(v)) v = lo;
    return std::round(std::clamp(v, lo, hi) * 1000.0) / 1000.0;
}

// Named starting points for the sliders: focused and repeatable, the everyday middle, varied.
struct Preset {
    const char* name;
    double temperature, topP;
    int topK;
    double minP, repeatPenalty;
};
constexpr Preset kPresets[] = {
    {"Precise", 0.2, 0.9, 40, 0.05, 1.1},
    {"Balanced", 0.7, 0.95, 40, 0.05, 1.1},
    {"Creative", 1.1, 0.98, 100, 0.02, 1.05},
};

bool matches(const Preset& preset, const GenerationParams& p) {
    return p.temperature == preset.temperature && p.topP == preset.topP && p.topK == preset.topK &&
           p.minP == preset.minP && p.repeatPenalty == preset.repeatPenalty;
}
} // namespace

GenerationParamsModel::GenerationParamsModel(QObject* parent) : QObject(parent) {
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(kSaveDelayMs);
    connect(&m_saveTimer, &QTimer::timeout, this, &GenerationParamsModel::flush);
}

GenerationParamsModel::~GenerationParamsModel() {
    flush();
}

void GenerationParamsModel::setService(ConversationService* service) {
    if (m_service) disconnect(m_service, nullptr, this, nullptr);
    m_service = service;
    if (m_service)
        connect(m_service, &ConversationService::paramsLoaded, this,
                &GenerationParamsModel::applyLoaded);
}

bool GenerationParamsModel::isDefault() const {
    return m_params == GenerationParams{};
}

void GenerationParamsModel::setTemperature(double v) {
    GenerationParams p = m_params;
    p.temperature = tidy(v, 0.0, kTemperatureMax);
    change(p);
}

void GenerationParamsModel::setTopP(double v) {
    GenerationParams p = m_params;
    p.topP = tidy(v, 0.0, 1.0);
    change(p);
}

void GenerationParamsModel::setTopK(int v) {
    GenerationParams p = m_params;
    p.topK = std::clamp(v, 0, kTopKMax);
    change(p);
}

void GenerationParamsModel::setMinP(double v) {
    GenerationParams p = m_params;
    p.minP = tidy(v, 0.0, 1.0);
    change(p);
}

void GenerationParamsModel::setRepeatPenalty(double v) {
    GenerationParams p = m_params;
    p.repeatPenalty = tidy(v, kRepeatPenaltyMin, kRepeatPenaltyMax);
    change(p);
}

void GenerationParamsModel::setMaxNewTokens(int v) {
    GenerationParams p = m_params;
    p.maxNewTokens = std::clamp(v, 1, kMaxNewTokensMax);
    change(p);
}

void GenerationParamsModel::setSeed(qint64 v) {
    GenerationParams p = m_params;
    p.seed = v < 0 ? -1 : std::min(v, kSeedMax);
    change(p);
}

bool GenerationParamsModel::applyPreset(const QString& name) {
    for (const Preset& preset : kPresets) {
        if (name.compare(QLatin1String(preset.name), Qt::CaseInsensitive) != 0) continue;
        GenerationParams p = m_params;
        p.temperature = tidy(preset.temperature, 0.0, kTemperatureMax);
        p.topP = tidy(preset.topP, 0.0, 1.0);
        p.topK = preset.topK;
        p.minP = tidy(preset.minP, 0.0, 1.0);
        p.repeatPenalty = tidy(preset.repeatPenalty, kRepeatPenaltyMin, kRepeatPenaltyMax);
        change(p);
        return true;
    }
    return false;
}

QString GenerationParamsModel::activePreset() const {
    for (const Preset& preset : kPresets) {
        // Stored values went through tidy(), as the preset's do.
        const Preset tidied{preset.name,
                            tidy(preset.temperature, 0.0, kTemperatureMax),
                            tidy(preset.topP, 0.0, 1.0),
                            preset.topK,
                            tidy(preset.minP, 0.0, 1.0),
                            tidy(preset.repeatPenalty, kRepeatPenaltyMin, kRepeatPenaltyMax)};
        if (matches(tidied, m_params)) return QLatin1String(preset.name);
    }
    return {};
}

QStringList GenerationParamsModel::presetNames() const {
    QStringList names;
    for (const Preset& preset : kPresets) names << QLatin1String(preset.name);
    return names;
}

void GenerationParamsModel::resetToDefaults() {
    change(GenerationParams{});
}

void GenerationParamsModel::change(const GenerationParams& next) {
    if (next == m_params) return;
    m_params = next;
    emit paramsChanged();
    // Values edited before a conversation exists (or before its values arrived) are not saved:
    // they would overwrite what is stored.
    if (m_conversationId != 0 && m_loaded && m_service) {
        m_unsaved = true;
        m_saveTimer.start();
    }
}

void GenerationParamsModel::flush() {
    m_saveTimer.stop();
    if (!m_unsaved) return;
    m_unsaved = false;
    if (m_service && m_conversationId != 0) m_service->saveParams(m_conversationId, m_params);
}

void GenerationParamsModel::showConversation(qint64 conversationId) {
    flush();
    if (m_conversationId != conversationId) {
        m_conversationId = conversationId;
        emit conversationIdChanged();
    }
    setLoaded(false);
    if (m_params != GenerationParams{}) {
        m_params = GenerationParams{};
        emit paramsChanged();
    }
    if (conversationId != 0 && m_service) m_service->loadParams(conversationId);
}

void GenerationParamsModel::applyLoaded(qint64 conversationId, const GenerationParams& params) {
    if (conversationId != m_conversationId || conversationId == 0) return;
    GenerationParams p;
    p.temperature = tidy(params.temperature, 0.0, kTemperatureMax);
    p.topP = tidy(params.topP, 0.0, 1.0);
    p.topK = std::clamp(params.topK, 0, kTopKMax);
    p.minP = tidy(params.minP, 0.0, 1.0);
    p.repeatPenalty = tidy(params.repeatPenalty, kRepeatPenaltyMin, kRepeatPenaltyMax);
    p.maxNewTokens = std::clamp(params.maxNewTokens, 1, kMaxNewTokensMax);
    p.seed = params.seed < 0 ? -1 : std::min(params.seed, kSeedMax);
    if (p != m_params) {
        m_params = p;
        emit paramsChanged();
    }
    setLoaded(true);
}

void GenerationParamsModel::setLoaded(bool loaded) {
    if (m_loaded == loaded) return;
    m_loaded = loaded;
    emit loadedChanged();
}

} // namespace atelier::ui
