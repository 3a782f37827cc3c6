#include "inference/gguf/gguf_file.hpp"

#include "inference/gguf/gguf_reader.hpp"
#include "inference/util/error.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <numeric>

namespace atelier::gguf {

using detail::describeType;
using detail::isSignedType;
using detail::isUnsignedType;
using detail::printable;
using detail::Reader;

namespace {

constexpr std::uint32_t kMaxSupportedVersion = 3;
constexpr std::uint64_t kDefaultAlignment = 32;
constexpr std::uint64_t kMaxAlignment = std::uint64_t{1} << 30;
constexpr std::uint32_t kMaxDims = 4;      // GGML_MAX_DIMS
constexpr std::size_t kMaxTensorName = 63; // GGML_MAX_NAME (64) minus the terminator
// Smallest encoding of one tensor info: name length, n_dims, one dim, type, offset.
constexpr std::uint64_t kMinTensorInfoBytes = 8 + 4 + 8 + 4 + 8;
// Smallest encoding of one key/value: key length, value type, a one-byte value.
constexpr std::uint64_t kMinKeyValueBytes = 8 + 4 + 1;

struct Header {
    std::uint32_t version = 0;
    std::uint64_t tensorCount = 0;
    std::uint64_t kvCount = 0;
};

// Magic, version and the two counts, each checked against what the file can hold.
Header readHeader(Reader& r, std::span<const std::uint8_t> bytes) {
    if (bytes.empty()) r.fail("the file is empty, not a GGUF file");
    if (bytes.size() < 4 || bytes[0] != 'G' || bytes[1] != 'G' || bytes[2] != 'U' ||
        bytes[3] != 'F')
        r.fail("not a GGUF file (the first bytes are not \"GGUF\")");
    r.read<std::uint32_t>("the magic");
    Header h;
    h.version = r.read<std::uint32_t>("the version");
    if (h.version == 1)
        r.unsupported("GGUF version 1 is not supported (re-convert the model with a current "
                      "llama.cpp to get version 3)");
    if (h.version == 0 || h.version > 0xffff) {
        const std::uint32_t swapped = __builtin_bswap32(h.version);
        if (swapped >= 1 && swapped <= kMaxSupportedVersion)
            r.unsupported("big-endian GGUF files are not supported");
        r.fail("invalid GGUF version " + std::to_string(h.version));
    }
    if (h.version > kMaxSupportedVersion)
        r.unsupported("GGUF version " + std::to_string(h.version) +
                      " is newer than this program understands (up to " +
                      std::to_string(kMaxSupportedVersion) + ")");
    h.tensorCount = r.read<std::uint64_t>("the tensor count");
    h.kvCount = r.read<std::uint64_t>("the metadata count");
    // Both checked before anything is reserved from them.
    if (h.kvCount > r.remaining() / kMinKeyValueBytes)
        r.fail("the header claims " + std::to_string(h.kvCount) +
               " metadata entries, more than the file can hold");
    if (h.tensorCount > r.remaining() / kMinTensorInfoBytes)
        r.fail("the header claims " + std::to_string(h.tensorCount) +
               " tensors, more than the file can hold");
    return h;
}

KeyValue readKeyValue(Reader& r, std::uint64_t index,
                      std::unordered_map<std::string_view, std::size_t>& keys) {
    const std::string entry = "metadata entry " + std::to_string(index);
    KeyValue kv;
    kv.key = r.readString("the key of " + entry);
    if (kv.key.empty()) r.fail(entry + " has an empty key");
    const std::string what = "metadata key '" + printable(kv.key) + "'";
    if (!keys.emplace(kv.key, static_cast<std::size_t>(index)).second)
        r.fail(what + " appears more than once");
    const ValueType type = r.readValueType(what);
    kv.value = r.readValue(type, what, 0);
    return kv;
}

// general.alignment: a nonzero power of two, GGUF's default 32 when absent.
std::uint64_t alignmentOf(Reader& r, const Value* a) {
    if (!a) return kDefaultAlignment;
    if (!a->isInteger() || (isSignedType(a->type) && a->i <= 0))
        r.fail("general.alignment must be a positive integer, not a " + describeType(*a));
    if (a->u == 0 || !std::has_single_bit(a->u) || a->u > kMaxAlignment)
        r.fail("general.alignment is " + std::to_string(a->u) +
               ", not a power of two between 1 and 2^30");
    return a->u;
}

std::optional<std::uint64_t> checkedMul(std::uint64_t a, std::uint64_t b) {
    if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) return std::nullopt;
    return a * b;
}

// Name, shape, type and offset of one tensor; its data is placed later, once the data section
// is known.
TensorInfo readTensorInfo(Reader& r, std::uint64_t index, std::uint64_t alignment) {
    const std::string entry = "tensor info " + std::to_string(index);
    TensorInfo info;
    info.name = r.readString("the name of " + entry);
    if (info.name.empty()) r.fail(entry + " has an empty name");
    const std::string what = "tensor " + printable(info.name);
    if (info.name.size() > kMaxTensorName)
        r.fail(what + " has a name longer than " + std::to_string(kMaxTensorName) + " bytes");
    const auto dims = r.read<std::uint32_t>("the dimension count of " + what);
    if (dims == 0 || dims > kMaxDims)
        r.fail(what + " has " + std::to_string(dims) + " dimensions (1 to " +
               std::to_string(kMaxDims) + " allowed)");
    std::uint64_t elements = 1;
    for (std::uint32_t d = 0; d < dims; ++d) {
        const auto ne = r.read<std::uint64_t>("the shape of " + what);
        if (ne == 0) r.fail(what + " has a zero-sized dimension " + std::to_string(d));
        const auto product = checkedMul(elements, ne);
        if (!product ||
            *product > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            r.fail(what + " has more elements than fit in 63 bits");
        elements = *product;
        info.shape.push_back(ne);
    }
    const auto typeId = r.read<std::uint32_t>("the type of " + what);
    const auto traits = tensorTypeTraits(typeId);
    if (!traits) r.unsupported(what + " has an unknown tensor type " + std::to_string(typeId));
    info.type = static_cast<TensorType>(typeId);
    if (info.shape[0] % traits->blockSize != 0)
        r.fail(what + " of type " + std::string(traits->name) + " has " +
               std::to_string(info.shape[0]) + " elements per row, not a multiple of its " +
               "block size " + std::to_string(traits->blockSize));
    info.elementCount = elements;
    const auto byteSize = tensorByteSize(info.type, elements);
    if (!byteSize) r.fail(what + " is too large");
    info.byteSize = *byteSize;
    info.offset = r.read<std::uint64_t>("the data offset of " + what);
    if (info.offset % alignment != 0)
        r.fail(what + " has data offset " + std::to_string(info.offset) +
               ", not a multiple of the alignment " + std::to_string(alignment));
    return info;
}

// Points every tensor at its bytes, after checking that they lie inside the file and that no
// two tensors share bytes.
void placeTensorData(Reader& r, std::vector<TensorInfo>& tensors,
                     std::span<const std::uint8_t> bytes, std::uint64_t dataOffset) {
    if (dataOffset > bytes.size())
        r.fail("the tensor data section would start at byte " + std::to_string(dataOffset) +
               ", past the end of the file (" + std::to_string(bytes.size()) + " bytes)");
    const std::uint64_t dataSize = bytes.size() - dataOffset;
    for (TensorInfo& info : tensors) {
        if (info.offset > dataSize || info.byteSize > dataSize - info.offset)
            r.fail("tensor " + printable(info.name) + " runs past the end of the file (" +
                   std::to_string(info.byteSize) + " bytes at data offset " +
                   std::to_string(info.offset) + ", the data section holds " +
                   std::to_string(dataSize) + " bytes)");
        info.data = bytes.data() + dataOffset + info.offset;
    }
    std::vector<std::size_t> order(tensors.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return tensors[a].offset < tensors[b].offset; });
    for (std::size_t k = 1; k < order.size(); ++k) {
        const TensorInfo& prev = tensors[order[k - 1]];
        const TensorInfo& next = tensors[order[k]];
        // No overflow: both ends were checked against the data size above.
        if (prev.offset + prev.byteSize > next.offset)
            r.fail("tensors " + printable(prev.name) + " and " + printable(next.name) +
                   " overlap in the file");
    }
}

} // namespace

std::string_view valueTypeName(ValueType type) {
    switch (type) {
    case ValueType::UInt8:
        return "uint8";
    case ValueType::Int8:
        return "int8";
    case ValueType::UInt16:
        return "uint16";
    case ValueType::Int16:
        return "int16";
    case ValueType::UInt32:
        return "uint32";
    case ValueType::Int32:
        return "int32";
    case ValueType::Float32:
        return "float32";
    case ValueType::Bool:
        return "bool";
    case ValueType::String:
        return "string";
    case ValueType::Array:
        return "array";
    case ValueType::UInt64:
        return "uint64";
    case ValueType::Int64:
        return "int64";
    case ValueType::Float64:
        return "float64";
    }
    return "unknown";
}

bool Value::isInteger() const {
    return isUnsignedType(type) || isSignedType(type);
}

bool Value::isNumber() const {
    return isInteger() || type == ValueType::Float32 || type == ValueType::Float64;
}

GgufFile GgufFile::open(const std::string& path) {
    GgufFile file;
    file.map_ = MappedFile(path);
    file.bytes_ = file.map_.bytes();
    file.name_ = path;
    file.parse();
    return file;
}

GgufFile GgufFile::fromBytes(std::span<const std::uint8_t> bytes, const std::string& name) {
    GgufFile file;
    file.bytes_ = bytes;
    file.name_ = name;
    file.parse();
    return file;
}

void GgufFile::parse() {
    Reader r(bytes_, name_);
    const Header header = readHeader(r, bytes_);
    version_ = header.version;

    r.chargeValues(header.kvCount, "the metadata");
    metadata_.reserve(static_cast<std::size_t>(header.kvCount));
    metadataIndex_.reserve(static_cast<std::size_t>(header.kvCount));
    for (std::uint64_t k = 0; k < header.kvCount; ++k)
        metadata_.push_back(readKeyValue(r, k, metadataIndex_));
    alignment_ = alignmentOf(r, find("general.alignment"));

    tensors_.reserve(static_cast<std::size_t>(header.tensorCount));
    tensorIndex_.reserve(static_cast<std::size_t>(header.tensorCount));
    for (std::uint64_t t = 0; t < header.tensorCount; ++t) {
        TensorInfo info = readTensorInfo(r, t, alignment_);
        if (!tensorIndex_.emplace(info.name, tensors_.size()).second)
            r.fail("tensor " + printable(info.name) + " appears more than once");
        tensors_.push_back(std::move(info));
    }

    // The data section follows the tensor infos, padded to the alignment. No overflow:
    // pos <= file size and alignment <= 2^30.
    dataOffset_ = (r.pos() + alignment_ - 1) / alignment_ * alignment_;
    if (tensors_.empty()) {
        // Vocabulary-only files often end without the padding; keep the offset inside the file.
        dataOffset_ = std::min<std::uint64_t>(dataOffset_, bytes_.size());
        return;
    }
    placeTensorData(r, tensors_, bytes_, dataOffset_);
}

const Value* GgufFile::find(std::string_view key) const {
    auto it = metadataIndex_.find(key);
    return it == metadataIndex_.end() ? nullptr : &metadata_[it->second].value;
}

const TensorInfo* GgufFile::findTensor(std::string_view name) const {
    auto it = tensorIndex_.find(name);
    return it == tensorIndex_.end() ? nullptr : &tensors_[it->second];
}

namespace {
[[noreturn]] void wrongType(const std::string& file, std::string_view key, const Value& v,
                            const char* expected) {
    throw Error(ErrorKind::Format, file + ": metadata key '" + printable(key) + "' is a " +
                                       describeType(v) + ", expected " + expected);
}
} // namespace

std::optional<std::string_view> GgufFile::getString(std::string_view key) const {
    const Value* v = find(key);
    if (!v) return std::nullopt;
    if (!v->isString()) wrongType(name_, key, *v, "a string");
    return v->str;
}

std::optional<std::uint64_t> GgufFile::getUInt(std::string_view key) const {
    const Value* v = find(key);
    if (!v) return std::nullopt;
    if (!v->isInteger()) wrongType(name_, key, *v, "an unsigned integer");
    if (isSignedType(v->type) && v->i < 0)
        throw Error(ErrorKind::Format, name_ + ": metadata key '" + printable(key) +
                                           "' is negative (" + std::to_string(v->i) + ")");
    return v->u;
}

std::optional<std::int64_t> GgufFile::getInt(std::string_view key) const {
    const Value* v = find(key);
    if (!v) return std::nullopt;
    if (!v->isInteger()) wrongType(name_, key, *v, "an integer");
    if (isUnsignedType(v->type) &&
        v->u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        throw Error(ErrorKind::Format, name_ + ": metadata key '" + printable(key) +
                                           "' is too large for a signed integer");
    return v->i;
}

std::optional<double> GgufFile::getFloat(std::string_view key) const {
    const Value* v = find(key);
    if (!v) return std::nullopt;
    if (!v->isNumber()) wrongType(name_, key, *v, "a number");
    return v->f;
}

std::optional<bool> GgufFile::getBool(std::string_view key) const {
    const Value* v = find(key);
    if (!v) return std::nullopt;
    if (v->type != ValueType::Bool) wrongType(name_, key, *v, "a bool");
    return v->u != 0;
}

std::optional<std::uint64_t> GgufFile::getArchUInt(std::string_view suffix) const {
    auto arch = getString("general.architecture");
    if (!arch) return std::nullopt;
    std::string key(*arch);
    key += '.';
    key += suffix;
    return getUInt(key);
}

} // namespace atelier::gguf
