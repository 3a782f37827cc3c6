#pragma once
// Whether a model fits the selected device: an estimate from the file size (the weights are
// mapped or uploaded whole) plus an F16 KV cache for the context in use, against the memory the
// device offers. Said to be an estimate wherever it is shown.
#include "app/services/model_metadata.hpp"

#include <QByteArray>
#include <QString>

namespace atelier {

// The context a session gets: the setting when it is set, else the model's, at most 4096
// (what llm::LlmSession does with SessionParams::contextLength).
qint64 effectiveContextLength(qint64 setting, qint64 modelContextLength);

// Bytes of an F16 key and value cache: layers x positions x (K width + V width) x 2 bytes.
qint64 kvCacheBytes(const ModelMetadata& model, qint64 contextLength);

// The memory a device offers a model.
struct DeviceMemory {
    qint64 bytes = -1; // < 0: unknown
    QString what;      // "free memory", "device memory" (a heap size, not what is free)
};

struct FitEstimate {
    enum class Verdict { Fits, TooBig, Unknown };
    qint64 kvCacheBytes = 0;
    qint64 neededBytes = 0;
    qint64 availableBytes = -1;
    Verdict verdict = Verdict::Unknown;
    QString text; // "about 97 MB of 6.1 GB free memory (estimate: file + KV cache for 4096 tokens)"
};

FitEstimate estimateFit(const ModelMetadata& model, qint64 contextLength,
                        const DeviceMemory& memory);

// MemAvailable of a /proc/meminfo text, in bytes; -1 when it is not there.
qint64 parseMemAvailable(const QByteArray& meminfo);
// MemAvailable of this machine; -1 when unknown.
qint64 availableMemoryBytes();

} // namespace atelier
