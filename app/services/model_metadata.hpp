#pragma once
// What the model library shows about a GGUF file, read from its header (the tensor data is not
// touched): name, architecture, parameter count, quantization, file size, context length and
// the shape numbers the memory estimate needs (fit_estimate.hpp).
#include <QJsonObject>
#include <QString>

namespace atelier {

struct ModelMetadata {
    QString name;         // general.name, else the file name
    QString architecture; // general.architecture
    qint64 parameterCount = 0;
    QString quantization; // "Q4_1", "Q4_K_M", "F16", ... (general.file_type, else the main type)
    qint64 fileSize = 0;
    qint64 contextLength = 0; // trained context
    bool hasChatTemplate = false;
    // For the KV-cache estimate (0 when the architecture is not one we run).
    qint64 layers = 0;
    qint64 kvDim = 0;      // key + value width per layer and position (kv heads x head dims)
    qint64 modifiedMs = 0; // the file's modification time when it was read (cache check)
    QString error;         // why this file cannot be used; empty when it can

    QJsonObject toJson() const;
    static ModelMetadata fromJson(const QJsonObject& json);
};

// Reads the header of `path`. Never throws: a broken or unsupported file comes back with
// `error` set (and whatever could be read before the problem).
ModelMetadata readModelMetadata(const QString& path);

} // namespace atelier
