#pragma once
// The compact lines under a reply: how it went (tokens, time to first token, speed, why it
// stopped) and the sampling parameters that made it, read from what the message stores
// (MessageInfo::stats and ::params, see chat_service.hpp), so two replies made with different
// settings can be compared side by side.
#include <QJsonObject>
#include <QString>

namespace atelier::ui {

// "42 tokens · first token 0.31 s · 18.5 tok/s · end of reply"; empty when nothing is known.
QString replyStatsLine(const QJsonObject& stats);
// "temp 0.7 · top-p 0.9 · top-k 40 · min-p 0.05 · repeat 1.1 · seed 1234"; the seed the reply
// really used (stats) wins over the requested one (-1 = random). Empty without parameters.
QString replyParamsLine(const QJsonObject& params, const QJsonObject& stats);
// A person's words for a stop reason ("eog" -> "end of reply").
QString stopReasonText(const QString& reason);

} // namespace atelier::ui
