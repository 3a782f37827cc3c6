#include "inference/llm/weights.hpp"

#include "inference/gguf/gguf_file.hpp"
#include "inference/util/error.hpp"

#include <cstring>

namespace atelier::llm {
namespace {

std::string shapeText(const Shape& s) {
    std::string out = "[";
    int dims = 4;
    while (dims > 1 && s[std::size_t(dims - 1)] == 1) --dims;
    for (int i = 0; i < dims; ++i) out += (i ? ", " : "") + std::to_string(s[std::size_t(i)]);
    return out + "]";
}

} // namespace

std::string layerTensorName(int layer, const char* suffix) {
    return "blk." + std::to_string(layer) + "." + suffix;
}

bool WeightLoader::has(const std::string& name) const {
    return file_.findTensor(name) != nullptr;
}

Tensor WeightLoader::require(const std::string& name, Backend& backend, Shape shape,
                             WeightUse use) {
    auto t = optional(name, backend, shape, use);
    if (!t)
        throw Error(ErrorKind::Format, file_.path() + ": tensor " + name +
                                           " is missing (expected " + shapeText(shape) + ")");
    return *t;
}

const gguf::TensorInfo* WeightLoader::find(const std::string& name, Shape shape, WeightUse use,
                                           const Backend* backend) const {
    const gguf::TensorInfo* info = file_.findTensor(name);
    if (!info) return nullptr;
    const std::string where = file_.path() + ": tensor " + name;

    Shape actual{1, 1, 1, 1};
    if (info->shape.size() > 4) throw Error(ErrorKind::Format, where + " has more than 4 dims");
    for (std::size_t i = 0; i < info->shape.size(); ++i) actual[i] = std::int64_t(info->shape[i]);
    if (actual != shape)
        throw Error(ErrorKind::Format,
                    where + " has shape " + shapeText(actual) + ", expected " + shapeText(shape));

    const auto type = info->type;
    const std::string typeName(gguf::tensorTypeName(type));
    switch (use) {
    case WeightUse::Vector:
        if (type != gguf::TensorType::F32)
            throw Error(ErrorKind::Unsupported,
                        where + " is " + typeName + "; norms and biases " + "must be F32");
        break;
    case WeightUse::Matrix:
        if (!backend || !backend->supports(compute::Op::Matmul, type))
            throw Error(ErrorKind::Unsupported, where + " has the type " + typeName + ", which " +
                                                    (backend ? backend->name() : "the host") +
                                                    " cannot multiply");
        break;
    case WeightUse::Table:
        if (!backend || !backend->supports(compute::Op::GetRows, type))
            throw Error(ErrorKind::Unsupported, where + " has the type " + typeName + ", which " +
                                                    (backend ? backend->name() : "the host") +
                                                    " cannot gather rows of");
        break;
    }
    return info;
}

std::optional<std::vector<float>> WeightLoader::hostVector(const std::string& name,
                                                           std::int64_t length) const {
    const gguf::TensorInfo* info = find(name, {length, 1, 1, 1}, WeightUse::Vector, nullptr);
    if (!info) return std::nullopt;
    std::vector<float> values(static_cast<std::size_t>(length));
    std::memcpy(values.data(), info->data, values.size() * sizeof(float));
    return values;
}

std::optional<Tensor> WeightLoader::optional(const std::string& name, Backend& backend, Shape shape,
                                             WeightUse use) {
    const gguf::TensorInfo* info = find(name, shape, use, &backend);
    if (!info) return std::nullopt;
    const std::string where = file_.path() + ": tensor " + name;
    const auto type = info->type;

    const auto key = std::make_pair(name, &backend);
    if (auto it = imported_.find(key); it != imported_.end()) return it->second;
    std::unique_ptr<compute::Buffer> buffer;
    try {
        buffer = backend.importWeights({info->data, std::size_t(info->byteSize)});
    } catch (const Error& e) { // e.g. device memory exhausted: say which tensor and where
        throw Error(e.kind(), where + " (" + std::to_string(info->byteSize) + " bytes) on " +
                                  backend.name() + ": " + e.what());
    }
    Tensor t = Tensor::contiguous(type, shape, buffer.get(), 0);
    buffers_.push_back(std::move(buffer));
    importedBytes_ += info->byteSize;
    imported_.emplace(key, t);
    return t;
}

} // namespace atelier::llm
