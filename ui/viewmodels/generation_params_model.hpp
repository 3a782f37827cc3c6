#pragma once
// The generation panel's sampling parameters for the conversation shown. Values are clamped to
// their ranges; each change is written back per conversation through ConversationService after
// a short pause (debounced), and any pending write is flushed before another conversation's
// values are shown, so sliding a slider never floods the storage thread and nothing is lost.
#include "app/services/records.hpp"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace atelier {
class ConversationService;
}

namespace atelier::ui {

class GenerationParamsModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by AppController")

    Q_PROPERTY(qint64 conversationId READ conversationId NOTIFY conversationIdChanged)
    Q_PROPERTY(bool loaded READ loaded NOTIFY loadedChanged)
    Q_PROPERTY(double temperature READ temperature WRITE setTemperature NOTIFY paramsChanged)
    Q_PROPERTY(double topP READ topP WRITE setTopP NOTIFY paramsChanged)
    Q_PROPERTY(int topK READ topK WRITE setTopK NOTIFY paramsChanged)
    Q_PROPERTY(double minP READ minP WRITE setMinP NOTIFY paramsChanged)
    Q_PROPERTY(double repeatPenalty READ repeatPenalty WRITE setRepeatPenalty NOTIFY paramsChanged)
    Q_PROPERTY(int maxNewTokens READ maxNewTokens WRITE setMaxNewTokens NOTIFY paramsChanged)
    Q_PROPERTY(qint64 seed READ seed WRITE setSeed NOTIFY paramsChanged)
    Q_PROPERTY(bool isDefault READ isDefault NOTIFY paramsChanged)
    // "Precise", "Balanced" or "Creative" when the values are that preset's, else empty.
    Q_PROPERTY(QString activePreset READ activePreset NOTIFY paramsChanged)
    Q_PROPERTY(QStringList presetNames READ presetNames CONSTANT)

    // Ranges, for sliders and spin boxes (one source of truth with the clamping below).
    Q_PROPERTY(double temperatureMax READ temperatureMax CONSTANT)
    Q_PROPERTY(int topKMax READ topKMax CONSTANT)
    Q_PROPERTY(double repeatPenaltyMin READ repeatPenaltyMin CONSTANT)
    Q_PROPERTY(double repeatPenaltyMax READ repeatPenaltyMax CONSTANT)
    Q_PROPERTY(int maxNewTokensMax READ maxNewTokensMax CONSTANT)
    Q_PROPERTY(int seedMax READ seedMax CONSTANT)

public:
    static constexpr double kTemperatureMax = 2.0;
    static constexpr int kTopKMax = 1000;
    static constexpr double kRepeatPenaltyMin = 0.5;
    static constexpr double kRepeatPenaltyMax = 2.0;
    static constexpr int kMaxNewTokensMax = 32768;
    static constexpr qint64 kSeedMax = 2147483647; // what a QML SpinBox can show
    static constexpr int kSaveDelayMs = 400;

    explicit GenerationParamsModel(QObject* parent = nullptr);
    ~GenerationParamsModel() override;

    // Loads and saves through `service` from now on (nullptr: values only, no persistence).
    void setService(ConversationService* service);

    qint64 conversationId() const { return m_conversationId; }
    bool loaded() const { return m_loaded; }
    const GenerationParams& params() const { return m_params; }
    bool savePending() const { return m_unsaved; }

    double temperature() const { return m_params.temperature; }
    double topP() const { return m_params.topP; }
    int topK() const { return m_params.topK; }
    double minP() const { return m_params.minP; }
    double repeatPenalty() const { return m_params.repeatPenalty; }
    int maxNewTokens() const { return m_params.maxNewTokens; }
    qint64 seed() const { return m_params.seed; }
    bool isDefault() const;

    double temperatureMax() const { return kTemperatureMax; }
    int topKMax() const { return kTopKMax; }
    double repeatPenaltyMin() const { return kRepeatPenaltyMin; }
    double repeatPenaltyMax() const { return kRepeatPenaltyMax; }
    int maxNewTokensMax() const { return kMaxNewTokensMax; }
    int seedMax() const { return static_cast<int>(kSeedMax); }

    void setTemperature(double v);
    void setTopP(double v);
    void setTopK(int v);
    void setMinP(double v);
    void setRepeatPenalty(double v);
    void setMaxNewTokens(int v);
    void setSeed(qint64 v); // -1 = a new random seed for each reply

    // Shows the values of `conversationId` (0 = none): flushes a pending write for the previous
    // one, shows defaults, and asks the service for the stored values.
    void showConversation(qint64 conversationId);
    // The service's answer; ignored unless it is for the conversation shown.
    void applyLoaded(qint64 conversationId, const atelier::GenerationParams& params);

    // Sets temperature, top-p, top-k, min-p and repeat penalty to a named preset (see
    // presetNames); max tokens and seed stay. Saved like any other change. False: no such name.
    Q_INVOKABLE bool applyPreset(const QString& name);
    QString activePreset() const;
    QStringList presetNames() const;

    Q_INVOKABLE void resetToDefaults();
    // Writes a pending change now (also done on conversation switch and destruction).
    Q_INVOKABLE void flush();

signals:
    void conversationIdChanged();
    void loadedChanged();
    void paramsChanged();

private:
    void change(const GenerationParams& next);
    void setLoaded(bool loaded);

    QPointer<ConversationService> m_service;
    qint64 m_conversationId = 0;
    bool m_loaded = false;
    GenerationParams m_params;
    QTimer m_saveTimer;
    bool m_unsaved = false; // changed since the last write
};

} // namespace atelier::ui
