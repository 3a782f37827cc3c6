#include "app/services/fit_estimate.hpp"

#include <QFile>
#include <QLocale>
#include <QRegularExpression>
#include <algorithm>

namespace atelier {

namespace {

QString bytesText(qint64 bytes) {
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

} // namespace

qint64 effectiveContextLength(qint64 setting, qint64 modelContextLength) {
    if (setting > 0) return setting;
    return std::min<qint64>(modelContextLength > 0 ? modelContextLength : 4096, 4096);
}

qint64 kvCacheBytes(const ModelMetadata& model, qint64 contextLength) {
    return model.layers * contextLength * model.kvDim * 2; // kvDim holds K and V; 2 bytes (F16)
}

FitEstimate estimateFit(const ModelMetadata& model, qint64 contextLength,
                        const DeviceMemory& memory) {
    FitEstimate f;
    f.kvCacheBytes = kvCacheBytes(model, contextLength);
    f.neededBytes = model.fileSize + f.kvCacheBytes;
    f.availableBytes = memory.bytes;
    const QString basis =
        QStringLiteral("estimate: file + KV cache for %1 tokens").arg(contextLength);
    if (memory.bytes < 0) {
        f.verdict = FitEstimate::Verdict::Unknown;
        f.text = QStringLiteral("needs about %1; %2 unknown (%3)")
                     .arg(bytesText(f.neededBytes),
                          memory.what.isEmpty() ? QStringLiteral("memory") : memory.what, basis);
        return f;
    }
    f.verdict =
        f.neededBytes <= memory.bytes ? FitEstimate::Verdict::Fits : FitEstimate::Verdict::TooBig;
    f.text = QStringLiteral("%1: needs about %2 of %3 %4 (%5)")
                 .arg(f.verdict == FitEstimate::Verdict::Fits ? QStringLiteral("Fits")
                                                              : QStringLiteral("Probably too big"),
                      bytesText(f.neededBytes), bytesText(memory.bytes), memory.what, basis);
    return f;
}

qint64 parseMemAvailable(const QByteArray& meminfo) {
    static const QRegularExpression line(QStringLiteral("^MemAvailable:\\s+(\\d+)\\s+kB"),
                                         QRegularExpression::MultilineOption);
    const auto match = line.match(QString::fromLatin1(meminfo));
    return match.hasMatch() ? match.captured(1).toLongLong() * 1024 : -1;
}

qint64 availableMemoryBytes() {
    QFile meminfo(QStringLiteral("/proc/meminfo"));
    if (!meminfo.open(QIODevice::ReadOnly)) return -1;
    return parseMemAvailable(meminfo.readAll());
}

} // namespace atelier
