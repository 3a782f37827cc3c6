#include "inference/gguf/gguf_file.hpp"

#include "inference/util/error.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <numeric>
#include <unordered_set>

namespace atelier::gguf {
namespace {

constexpr std::uint32_t kMaxSupportedVersion = 3;
constexpr std::uint64_t kDefaultAlignment = 32;
constexpr int kMaxArrayDepth = 8;          // real files nest at most once
constexpr std::uint32_t kMaxDims = 4;      // GGML_MAX_DIMS
constexpr std::size_t kMaxTensorName = 63; // GGML_MAX_NAME (64) minus the terminator
// Every array element becomes a Value in memory (~80 bytes) even when it is one byte in the
// file; this caps what a hostile file can make us allocate (real vocabularies hold < 2M).
constexpr std::uint64_t kMaxMetadataValues = std::uint64_t{1} << 23;
// Smallest encoding of one tensor info: name length, n_dims, one dim, type, offset.
constexpr std::uint64_t kMinTensorInfoBytes = 8 + 4 + 8 + 4 + 8;
// Smallest encoding of one key/value: key length, value type, a one-byte value.
constexpr std::uint64_t kMinKeyValueBytes = 8 + 4 + 1;

static_assert(std::endian::native == std::endian::little,
              "the GGUF reader assumes a little-endian host");

// Keys and tensor names come from the file: keep messages readable whatever they hold.
std::string printable(std::string_view text) {
    constexpr std::size_t kMax = 96;
    std::string out;
    for (std::size_t i = 0; i < text.size() && i < kMax; ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f || c == '\\') {
            static const char* hex = "0123456789abcdef";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    if (text.size() > kMax) out += "...";
    return out;
}

std::optional<std::uint64_t> scalarSize(ValueType t) {
    switch (t) {
    case ValueType::UInt8:
    case ValueType::Int8:
    case ValueType::Bool:
        return 1;
    case ValueType::UInt16:
    case ValueType::Int16:
        return 2;
    case ValueType::UInt32:
    case ValueType::Int32:
    case ValueType::Float32:
        return 4;
    case ValueType::UInt64:
    case ValueType::Int64:
    case ValueType::Float64:
        return 8;
    case ValueType::String:
    case ValueType::Array:
        return std::nullopt;
    }
    return std::nullopt;
}

// The fewest bytes one value of type `t` takes in a file.
std::uint64_t minEncodedSize(ValueType t) {
    if (auto s = scalarSize(t)) return *s;
    return t == ValueType::String ? 8 : 4 + 8; // length / element type + count
}

bool isValidValueType(std::uint32_t t) {
    return t <= static_cast<std::uint32_t>(ValueType::Float64);
}

bool isUnsignedType(ValueType t) {
    return t == ValueType::UInt8 || t == ValueType::UInt16 || t == ValueType::UInt32 ||
           t == ValueType::UInt64;
}

bool isSignedType(ValueType t) {
    return t == ValueType::Int8 || t == ValueType::Int16 || t == ValueType::Int32 ||
           t == ValueType::Int64;
}

std::string describeType(const Value& v) {
    std::string s(valueTypeName(v.type));
    if (v.isArray()) s += " of " + std::string(valueTypeName(v.elementType));
    return s;
}

// A bounds-checked cursor over the file; every read that would pass the end fails with a
// message saying what was being read.
class Parser {
public:
    Parser(std::span<const std::uint8_t> bytes, const std::string& name)
        : bytes_(bytes), name_(name) {}

    [[noreturn]] void fail(const std::string& what) const {
        throw Error(ErrorKind::Format, name_ + ": " + what);
    }
    [[noreturn]] void unsupported(const std::string& what) const {
        throw Error(ErrorKind::Unsupported, name_ + ": " + what);
    }

    std::uint64_t pos() const { return pos_; }
    std::uint64_t remaining() const { return bytes_.size() - pos_; }

    template <class T> T read(const std::string& what) {
        if (remaining() < sizeof(T))
            fail("truncated: the file ends at byte " + std::to_string(bytes_.size()) + " inside " +
                 what);
        T value;
        std::memcpy(&value, bytes_.data() + pos_, sizeof(T));
        pos_ += sizeof(T);
        return value;
    }

    std::string_view readString(const std::string& what) {
        const auto length = read<std::uint64_t>(what);
        if (length > remaining())
            fail(what + " claims " + std::to_string(length) + " bytes but only " +
                 std::to_string(remaining()) + " remain in the file");
        std::string_view s(reinterpret_cast<const char*>(bytes_.data() + pos_),
                           static_cast<std::size_t>(length));
        pos_ += length;
        return s;
    }

    ValueType readValueType(const std::string& what) {
        const auto t = read<std::uint32_t>(what);
        if (!isValidValueType(t)) fail(what + " has an unknown value type " + std::to_string(t));
        return static_cast<ValueType>(t);
    }

    Value readValue(ValueType type, const std::string& what, int depth) {
        Value v;
        v.type = type;
        switch (type) {
        case ValueType::UInt8:
            setUnsigned(v, read<std::uint8_t>(what));
            break;
        case ValueType::UInt16:
            setUnsigned(v, read<std::uint16_t>(what));
            break;
        case ValueType::UInt32:
            setUnsigned(v, read<std::uint32_t>(what));
            break;
        case ValueType::UInt64:
            setUnsigned(v, read<std::uint64_t>(what));
            break;
        case ValueType::Int8:
            setSigned(v, read<std::int8_t>(what));
            break;
        case ValueType::Int16:
            setSigned(v, read<std::int16_t>(what));
            break;
        case ValueType::Int32:
            setSigned(v, read<std::int32_t>(what));
            break;
        case ValueType::Int64:
            setSigned(v, read<std::int64_t>(what));
            break;
        case ValueType::Float32:
            v.f = read<float>(what);
            break;
        case ValueType::Float64:
            v.f = read<double>(what);
            break;
        case ValueType::Bool: {
            // Any nonzero byte reads as true, as ggml does.
            const bool b = read<std::uint8_t>(what) != 0;
            v.u = b;
            v.i = b;
            v.f = b;
            break;
        }
        case ValueType::String:
            v.str = readString(what);
            break;
        case ValueType::Array:
            readArray(v, what, depth);
            break;
        }
        return v;
    }

    void chargeValues(std::uint64_t count, const std::string& what) {
        if (count > valueBudget_)
            fail(what + " would hold more than " + std::to_string(kMaxMetadataValues) +
                 " metadata values in all");
        valueBudget_ -= count;
    }

private:
    static void setUnsigned(Value& v, std::uint64_t x) {
        v.u = x;
        if (x <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            v.i = static_cast<std::int64_t>(x);
        v.f = static_cast<double>(x);
    }
    static void setSigned(Value& v, std::int64_t x) {
        v.i = x;
        if (x >= 0) v.u = static_cast<std::uint64_t>(x);
        v.f = static_cast<double>(x);
    }

    void readArray(Value& v, const std::string& what, int depth) {
        if (depth >= kMaxArrayDepth)
            fail(what + " nests arrays deeper than " + std::to_string(kMaxArrayDepth) + " levels");
        v.elementType = readValueType(what);
        const auto count = read<std::uint64_t>(what);
        const std::uint64_t minSize = minEncodedSize(v.elementType);
        if (count > remaining() / minSize)
            fail(what + " claims " + std::to_string(count) + " elements of type " +
                 std::string(valueTypeName(v.elementType)) + " but only " +
                 std::to_string(remaining()) + " bytes remain in the file");
        chargeValues(count, what);
        v.array.reserve(static_cast<std::size_t>(count)); // bounded by the checks above
        for (std::uint64_t k = 0; k < count; ++k) {
            if (v.elementType == ValueType::Array) {
                const std::string element = what + "[" + std::to_string(k) + "]";
                v.array.push_back(readValue(ValueType::Array, element, depth + 1));
            } else {
                v.array.push_back(readValue(v.elementType, what, depth + 1));
            }
        }
    }

    std::span<const std::uint8_t> bytes_;
    const std::string& name_;
    std::uint64_t pos_ = 0;
    std::uint64_t valueBudget_ = kMaxMetadataValues;
};

std::optional<std::uint64_t> checkedMul(std::uint64_t a, std::uint64_t b) {
    if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) return std::nullopt;
    return a * b;
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
    Parser p(bytes_, name_);
    if (bytes_.empty()) p.fail("the file is empty, not a GGUF file");

    // Header: magic, version, tensor count, metadata count.
    static constexpr std::uint8_t kMagic[4] = {'G', 'G', 'U', 'F'};
    if (bytes_.size() < 4 || std::memcmp(bytes_.data(), kMagic, 4) != 0)
        p.fail("not a GGUF file (the first bytes are not \"GGUF\")");
    p.read<std::uint32_t>("the magic");
    version_ = p.read<std::uint32_t>("the version");
    if (version_ == 1)
        p.unsupported("GGUF version 1 is not supported (re-convert the model with a current "
                      "llama.cpp to get version 3)");
    if (version_ == 0 || version_ > 0xffff) {
        const std::uint32_t swapped = __builtin_bswap32(version_);
        if (swapped >= 1 && swapped <= kMaxSupportedVersion)
            p.unsupported("big-endian GGUF files are not supported");
        p.fail("invalid GGUF version " + std::to_string(version_));
    }
    if (version_ > kMaxSupportedVersion)
        p.unsupported("GGUF version " + std::to_string(version_) +
                      " is newer than this program understands (up to " +
                      std::to_string(kMaxSupportedVersion) + ")");
    const auto tensorCount = p.read<std::uint64_t>("the tensor count");
    const auto kvCount = p.read<std::uint64_t>("the metadata count");
    if (kvCount > p.remaining() / kMinKeyValueBytes)
        p.fail("the header claims " + std::to_string(kvCount) +
               " metadata entries, more than the file can hold");
    if (tensorCount > p.remaining() / kMinTensorInfoBytes)
        p.fail("the header claims " + std::to_string(tensorCount) +
               " tensors, more than the file can hold");

    // Metadata.
    p.chargeValues(kvCount, "the metadata");
    metadata_.reserve(static_cast<std::size_t>(kvCount));
    std::unordered_set<std::string_view> keys;
    keys.reserve(static_cast<std::size_t>(kvCount));
    for (std::uint64_t k = 0; k < kvCount; ++k) {
        const std::string entry = "metadata entry " + std::to_string(k);
        KeyValue kv;
        kv.key = p.readString("the key of " + entry);
        if (kv.key.empty()) p.fail(entry + " has an empty key");
        const std::string what = "metadata key '" + printable(kv.key) + "'";
        if (!keys.insert(kv.key).second) p.fail(what + " appears more than once");
        const ValueType type = p.readValueType(what);
        kv.value = p.readValue(type, what, 0);
        metadata_.push_back(std::move(kv));
    }

    // general.alignment: a nonzero power of two (the default is 32).
    alignment_ = kDefaultAlignment;
    if (const Value* a = find("general.alignment")) {
        if (!a->isInteger() || (isSignedType(a->type) && a->i <= 0))
            p.fail("general.alignment must be a positive integer, not a " + describeType(*a));
        if (a->u == 0 || !std::has_single_bit(a->u) || a->u > (std::uint64_t{1} << 30))
            p.fail("general.alignment is " + std::to_string(a->u) +
                   ", not a power of two between 1 and 2^30");
        alignment_ = a->u;
    }

    // Tensor infos.
    tensors_.reserve(static_cast<std::size_t>(tensorCount));
    tensorIndex_.reserve(static_cast<std::size_t>(tensorCount));
    for (std::uint64_t t = 0; t < tensorCount; ++t) {
        const std::string entry = "tensor info " + std::to_string(t);
        TensorInfo info;
        info.name = p.readString("the name of " + entry);
        if (info.name.empty()) p.fail(entry + " has an empty name");
        const std::string what = "tensor " + printable(info.name);
        if (info.name.size() > kMaxTensorName)
            p.fail(what + " has a name longer than " + std::to_string(kMaxTensorName) + " bytes");
        if (!tensorIndex_.emplace(info.name, tensors_.size()).second)
            p.fail(what + " appears more than once");
        const auto dims = p.read<std::uint32_t>("the dimension count of " + what);
        if (dims == 0 || dims > kMaxDims)
            p.fail(what + " has " + std::to_string(dims) + " dimensions (1 to " +
                   std::to_string(kMaxDims) + " allowed)");
        std::uint64_t elements = 1;
        for (std::uint32_t d = 0; d < dims; ++d) {
            const auto ne = p.read<std::uint64_t>("the shape of " + what);
            if (ne == 0) p.fail(what + " has a zero-sized dimension " + std::to_string(d));
            auto product = checkedMul(elements, ne);
            if (!product ||
                *product > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                p.fail(what + " has more elements than fit in 63 bits");
            elements = *product;
            info.shape.push_back(ne);
        }
        const auto typeId = p.read<std::uint32_t>("the type of " + what);
        const auto traits = tensorTypeTraits(typeId);
        if (!traits) p.unsupported(what + " has an unknown tensor type " + std::to_string(typeId));
        info.type = static_cast<TensorType>(typeId);
        if (info.shape[0] % traits->blockSize != 0)
            p.fail(what + " of type " + std::string(traits->name) + " has " +
                   std::to_string(info.shape[0]) + " elements per row, not a multiple of its " +
                   "block size " + std::to_string(traits->blockSize));
        info.elementCount = elements;
        auto byteSize = tensorByteSize(info.type, elements);
        if (!byteSize) p.fail(what + " is too large");
        info.byteSize = *byteSize;
        info.offset = p.read<std::uint64_t>("the data offset of " + what);
        if (info.offset % alignment_ != 0)
            p.fail(what + " has data offset " + std::to_string(info.offset) +
                   ", not a multiple of the alignment " + std::to_string(alignment_));
        tensors_.push_back(std::move(info));
    }

    // Data section: after the tensor infos, padded to the alignment.
    const std::uint64_t end = p.pos();
    // No overflow: end <= file size and alignment <= 2^30.
    dataOffset_ = (end + alignment_ - 1) / alignment_ * alignment_;
    if (tensors_.empty()) {
        // Vocabulary-only files often end without the padding; keep the offset inside the file.
        dataOffset_ = std::min<std::uint64_t>(dataOffset_, bytes_.size());
        return;
    }
    if (dataOffset_ > bytes_.size())
        p.fail("the tensor data section would start at byte " + std::to_string(dataOffset_) +
               ", past the end of the file (" + std::to_string(bytes_.size()) + " bytes)");
    const std::uint64_t dataSize = bytes_.size() - dataOffset_;
    for (TensorInfo& info : tensors_) {
        if (info.offset > dataSize || info.byteSize > dataSize - info.offset)
            p.fail("tensor " + printable(info.name) + " runs past the end of the file (" +
                   std::to_string(info.byteSize) + " bytes at data offset " +
                   std::to_string(info.offset) + ", the data section holds " +
                   std::to_string(dataSize) + " bytes)");
        info.data = bytes_.data() + dataOffset_ + info.offset;
    }
    std::vector<std::size_t> order(tensors_.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
        return tensors_[a].offset < tensors_[b].offset;
    });
    for (std::size_t k = 1; k < order.size(); ++k) {
        const TensorInfo& prev = tensors_[order[k - 1]];
        const TensorInfo& next = tensors_[order[k]];
        if (prev.offset + prev.byteSize > next.offset)
            p.fail("tensors " + printable(prev.name) + " and " + printable(next.name) +
                   " overlap in the file");
    }
}

const Value* GgufFile::find(std::string_view key) const {
    for (const KeyValue& kv : metadata_)
        if (kv.key == key) return &kv.value;
    return nullptr;
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
