#include "reply_facts.hpp"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

namespace atelier::ui {

namespace {

const QString kSeparator = QStringLiteral("  ·  ");

QString tr(const char* text) {
    return QCoreApplication::translate("ReplyFacts", text);
}

// Up to `digits` significant digits, no trailing zeros, '.' as the decimal point.
QString number(double v, int digits = 3) {
    return QLocale::c().toString(v, 'g', digits);
}

} // namespace

QString stopReasonText(const QString& reason) {
    if (reason == QLatin1String("eog")) return tr("end of reply");
    if (reason == QLatin1String("stop")) return tr("stop text");
    if (reason == QLatin1String("length")) return tr("max tokens reached");
    if (reason == QLatin1String("context")) return tr("context full");
    if (reason == QLatin1String("cancelled")) return tr("stopped");
    return reason;
}

QString replyStatsLine(const QJsonObject& stats) {
    QStringList parts;
    if (stats.contains(QLatin1String("generatedTokens"))) {
        const qint64 tokens = stats.value(QLatin1String("generatedTokens")).toInteger();
        parts << (tokens == 1 ? tr("1 token") : tr("%1 tokens").arg(tokens));
    }
    const double ttft = stats.value(QLatin1String("ttftSeconds")).toDouble(-1);
    if (ttft >= 0) parts << tr("first token %1 s").arg(QLocale::c().toString(ttft, 'f', 2));
    const double speed = stats.value(QLatin1String("tokensPerSecond")).toDouble(0);
    if (speed > 0) parts << tr("%1 tok/s").arg(QLocale::c().toString(speed, 'f', 1));
    const QString reason = stats.value(QLatin1String("stopReason")).toString();
    if (!reason.isEmpty()) parts << stopReasonText(reason);
    return parts.join(kSeparator);
}

QString replyParamsLine(const QJsonObject& params, const QJsonObject& stats) {
    if (!params.contains(QLatin1String("temperature"))) return {};
    QStringList parts;
    parts << tr("temp %1").arg(number(params.value(QLatin1String("temperature")).toDouble()));
    if (params.contains(QLatin1String("topP")))
        parts << tr("top-p %1").arg(number(params.value(QLatin1String("topP")).toDouble()));
    if (params.contains(QLatin1String("topK"))) {
        const int k = params.value(QLatin1String("topK")).toInt();
        parts << (k == 0 ? tr("top-k off") : tr("top-k %1").arg(k));
    }
    if (params.contains(QLatin1String("minP")))
        parts << tr("min-p %1").arg(number(params.value(QLatin1String("minP")).toDouble()));
    if (params.contains(QLatin1String("repeatPenalty")))
        parts
            << tr("repeat %1").arg(number(params.value(QLatin1String("repeatPenalty")).toDouble()));
    // The job records the seed it drew (a string: it may not fit a double).
    const QString used = stats.value(QLatin1String("seed")).toVariant().toString();
    const qint64 asked = params.value(QLatin1String("seed")).toInteger(-1);
    if (!used.isEmpty())
        parts << (asked < 0 ? tr("seed %1 (random)").arg(used) : tr("seed %1").arg(used));
    else
        parts << (asked < 0 ? tr("seed random") : tr("seed %1").arg(asked));
    return parts.join(kSeparator);
}

} // namespace atelier::ui
