#include "app/services/model_metadata.hpp"

#include "inference/gguf/gguf_file.hpp"
#include "inference/llm/hparams.hpp"

#include <QFile>
#include <QFileInfo>
#include <map>

namespace atelier {

namespace {

// llama.cpp's general.file_type values (LLAMA_FTYPE_*), the names people know.
QString fileTypeName(std::uint64_t t) {
    static const std::map<std::uint64_t, const char*> names = {
        {0, "F32"},      {1, "F16"},      {2, "Q4_0"},    {3, "Q4_1"},    {7, "Q8_0"},
        {8, "Q5_0"},     {9, "Q5_1"},     {10, "Q2_K"},   {11, "Q3_K_S"}, {12, "Q3_K_M"},
        {13, "Q3_K_L"},  {14, "Q4_K_S"},  {15, "Q4_K_M"}, {16, "Q5_K_S"}, {17, "Q5_K_M"},
        {18, "Q6_K"},    {19, "IQ2_XXS"}, {20, "IQ2_XS"}, {21, "Q2_K_S"}, {22, "IQ3_XS"},
        {23, "IQ3_XXS"}, {24, "IQ1_S"},   {25, "IQ4_NL"}, {26, "IQ3_S"},  {27, "IQ3_M"},
        {28, "IQ2_S"},   {29, "IQ2_M"},   {30, "IQ4_XS"}, {31, "IQ1_M"},  {32, "BF16"}};
    const auto it = names.find(t);
    return it == names.end() ? QString() : QString::fromLatin1(it->second);
}

QString qstr(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

} // namespace

QJsonObject ModelMetadata::toJson() const {
    return {{QStringLiteral("name"), name},
            {QStringLiteral("architecture"), architecture},
            {QStringLiteral("parameterCount"), parameterCount},
            {QStringLiteral("quantization"), quantization},
            {QStringLiteral("fileSize"), fileSize},
            {QStringLiteral("contextLength"), contextLength},
            {QStringLiteral("hasChatTemplate"), hasChatTemplate},
            {QStringLiteral("layers"), layers},
            {QStringLiteral("kvDim"), kvDim},
            {QStringLiteral("modifiedMs"), modifiedMs},
            {QStringLiteral("error"), error}};
}

ModelMetadata ModelMetadata::fromJson(const QJsonObject& j) {
    ModelMetadata m;
    m.name = j.value(QLatin1String("name")).toString();
    m.architecture = j.value(QLatin1String("architecture")).toString();
    m.parameterCount = j.value(QLatin1String("parameterCount")).toInteger();
    m.quantization = j.value(QLatin1String("quantization")).toString();
    m.fileSize = j.value(QLatin1String("fileSize")).toInteger();
    m.contextLength = j.value(QLatin1String("contextLength")).toInteger();
    m.hasChatTemplate = j.value(QLatin1String("hasChatTemplate")).toBool();
    m.layers = j.value(QLatin1String("layers")).toInteger();
    m.kvDim = j.value(QLatin1String("kvDim")).toInteger();
    m.modifiedMs = j.value(QLatin1String("modifiedMs")).toInteger();
    m.error = j.value(QLatin1String("error")).toString();
    return m;
}

ModelMetadata readModelMetadata(const QString& path) {
    ModelMetadata m;
    const QFileInfo info(path);
    m.name = info.completeBaseName();
    m.fileSize = info.size();
    m.modifiedMs = info.lastModified().toMSecsSinceEpoch();
    if (!info.isFile()) {
        m.error = QStringLiteral("%1: the file is missing").arg(info.fileName());
        return m;
    }
    try {
        const auto file = gguf::GgufFile::open(path.toStdString());
        if (auto n = file.getString("general.name"); n && !n->empty()) m.name = qstr(*n);
        if (auto a = file.getString("general.architecture")) m.architecture = qstr(*a);
        std::map<gguf::TensorType, std::uint64_t> bytesByType;
        for (const auto& t : file.tensors()) {
            m.parameterCount += qint64(t.elementCount);
            if (t.shape.size() >= 2) bytesByType[t.type] += t.byteSize;
        }
        if (auto ft = file.getUInt("general.file_type")) m.quantization = fileTypeName(*ft);
        if (m.quantization.isEmpty() && !bytesByType.empty()) {
            auto best = bytesByType.begin();
            for (auto it = bytesByType.begin(); it != bytesByType.end(); ++it)
                if (it->second > best->second) best = it;
            m.quantization = qstr(gguf::tensorTypeName(best->first));
        }
        if (auto ctx = file.getArchUInt("context_length")) m.contextLength = qint64(*ctx);
        m.hasChatTemplate = file.find("tokenizer.chat_template") != nullptr;
        // What the engine needs to run it; an architecture it does not run is the reason shown.
        const llm::HParams hp = llm::readHParams(file);
        m.layers = hp.layers;
        m.kvDim = hp.kDim() + hp.vDim();
    } catch (const std::exception& e) {
        m.error = QString::fromUtf8(e.what());
    }
    return m;
}

} // namespace atelier
