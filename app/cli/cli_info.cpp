// atelier-cli info -m FILE.gguf: what a GGUF model file holds, as one JSON object.
#include "args.hpp"
#include "command.hpp"
#include "inference/gguf/gguf_file.hpp"

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <cstdio>
#include <map>
#include <optional>
#include <string>

namespace atelier::cli {
namespace {

QJsonValue jsonString(std::optional<std::string_view> s) {
    if (!s) return QJsonValue(QJsonValue::Null);
    return QString::fromUtf8(s->data(), static_cast<qsizetype>(s->size()));
}

QJsonValue jsonNumber(std::optional<std::uint64_t> n) {
    if (!n) return QJsonValue(QJsonValue::Null);
    return static_cast<double>(*n); // JSON numbers are doubles; exact below 2^53
}

QJsonObject describe(const gguf::GgufFile& file) {
    std::uint64_t parameters = 0;
    std::map<std::string, int> typeCounts;
    for (const auto& t : file.tensors()) {
        parameters += t.elementCount;
        ++typeCounts[std::string(gguf::tensorTypeName(t.type))];
    }
    QJsonObject types;
    for (const auto& [name, count] : typeCounts) types[QString::fromStdString(name)] = count;

    std::optional<std::uint64_t> vocabSize;
    if (const gguf::Value* tokens = file.find("tokenizer.ggml.tokens")) {
        if (!tokens->isArray())
            throw std::runtime_error(file.path() + ": tokenizer.ggml.tokens is not an array");
        vocabSize = tokens->array.size();
    }

    QJsonObject o;
    o["architecture"] = jsonString(file.getString("general.architecture"));
    o["name"] = jsonString(file.getString("general.name"));
    o["parameter_count"] = jsonNumber(parameters);
    o["tensor_types"] = types;
    o["context_length"] = jsonNumber(file.getArchUInt("context_length"));
    o["tokenizer"] = jsonString(file.getString("tokenizer.ggml.model"));
    o["pre_tokenizer"] = jsonString(file.getString("tokenizer.ggml.pre"));
    o["vocab_size"] = jsonNumber(vocabSize);
    o["has_chat_template"] = file.find("tokenizer.chat_template") != nullptr;
    o["file_size"] = jsonNumber(file.fileSize());
    o["gguf_version"] = static_cast<int>(file.version());
    o["tensor_count"] = jsonNumber(file.tensors().size());
    o["alignment"] = jsonNumber(file.alignment());
    return o;
}

int runInfo(std::span<const std::string> argv) {
    Args args(argv);
    auto model = args.option({"-m", "--model"});
    if (!model) model = args.positional();
    args.finish();
    if (!model) throw UsageError("a model file is needed: -m FILE.gguf");
    const auto file = gguf::GgufFile::open(*model);
    const QByteArray json = QJsonDocument(describe(file)).toJson(QJsonDocument::Indented);
    std::fwrite(json.constData(), 1, static_cast<std::size_t>(json.size()), stdout);
    return kExitOk;
}

Registrar reg{{"info", "describe a GGUF model file as JSON",
               "Usage: atelier-cli info -m FILE.gguf\n\n"
               "Prints one JSON object: architecture, name, parameter_count, tensor_types\n"
               "(type -> tensor count), context_length, tokenizer, pre_tokenizer, vocab_size,\n"
               "has_chat_template, file_size, gguf_version, tensor_count, alignment.\n"
               "Values the file does not hold are null. A file that is not a valid GGUF\n"
               "exits with 1 and a message on stderr.\n",
               runInfo}};

} // namespace
} // namespace atelier::cli
