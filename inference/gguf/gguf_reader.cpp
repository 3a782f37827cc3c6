#include "inference/gguf/gguf_reader.hpp"

#include "inference/gguf/numeric_types.hpp"
#include "inference/util/error.hpp"

#include <bit>
#include <limits>
#include <optional>
#include <type_traits>

namespace atelier::gguf::detail {

static_assert(std::endian::native == std::endian::little,
              "the GGUF reader assumes a little-endian host");

namespace {

std::optional<std::uint64_t> scalarSize(ValueType t) {
    if (t == ValueType::Bool) return 1;
    std::optional<std::uint64_t> size;
    withNumericType(t, [&](auto zero) { size = sizeof(zero); });
    return size; // none for strings and arrays
}

// The fewest bytes one value of type `t` takes in a file.
std::uint64_t minEncodedSize(ValueType t) {
    if (auto s = scalarSize(t)) return *s;
    return t == ValueType::String ? 8 : 4 + 8; // length / element type + count
}

void setUnsigned(Value& v, std::uint64_t x) {
    v.u = x;
    if (x <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        v.i = static_cast<std::int64_t>(x);
    v.f = static_cast<double>(x);
}

void setSigned(Value& v, std::int64_t x) {
    v.i = x;
    if (x >= 0) v.u = static_cast<std::uint64_t>(x);
    v.f = static_cast<double>(x);
}

} // namespace

std::string printable(std::string_view text) {
    constexpr std::size_t kMax = 96;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < text.size() && i < kMax; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f || c == '\\') {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    if (text.size() > kMax) out += "...";
    return out;
}

std::string describeType(const Value& value) {
    std::string s(valueTypeName(value.type));
    if (value.isArray()) s += " of " + std::string(valueTypeName(value.elementType));
    return s;
}

bool isUnsignedType(ValueType t) {
    return t == ValueType::UInt8 || t == ValueType::UInt16 || t == ValueType::UInt32 ||
           t == ValueType::UInt64;
}

bool isSignedType(ValueType t) {
    return t == ValueType::Int8 || t == ValueType::Int16 || t == ValueType::Int32 ||
           t == ValueType::Int64;
}

void Reader::fail(const std::string& what) const {
    throw Error(ErrorKind::Format, name_ + ": " + what);
}

void Reader::unsupported(const std::string& what) const {
    throw Error(ErrorKind::Unsupported, name_ + ": " + what);
}

void Reader::truncated(const std::string& what) const {
    fail("truncated: the file ends at byte " + std::to_string(bytes_.size()) + " inside " + what);
}

std::string_view Reader::readString(const std::string& what) {
    const auto length = read<std::uint64_t>(what);
    if (length > remaining())
        fail(what + " claims " + std::to_string(length) + " bytes but only " +
             std::to_string(remaining()) + " remain in the file");
    std::string_view s(reinterpret_cast<const char*>(bytes_.data() + pos_),
                       static_cast<std::size_t>(length));
    pos_ += length;
    return s;
}

ValueType Reader::readValueType(const std::string& what) {
    const auto t = read<std::uint32_t>(what);
    if (t > static_cast<std::uint32_t>(ValueType::Float64))
        fail(what + " has an unknown value type " + std::to_string(t));
    return static_cast<ValueType>(t);
}

Value Reader::readValue(ValueType type, const std::string& what, int depth) {
    Value v;
    v.type = type;
    const bool numeric = withNumericType(type, [&](auto zero) {
        using T = decltype(zero);
        const T x = read<T>(what);
        if constexpr (std::is_floating_point_v<T>)
            v.f = x;
        else if constexpr (std::is_signed_v<T>)
            setSigned(v, x);
        else
            setUnsigned(v, x);
    });
    if (numeric) return v;
    switch (type) {
    case ValueType::Bool: {
        // Any nonzero byte reads as true, as in ggml.
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
    default: // the numeric types, read above
        break;
    }
    return v;
}

void Reader::chargeValues(std::uint64_t count, const std::string& what) {
    if (count > valueBudget_)
        fail(what + " would hold more than " + std::to_string(kMaxMetadataValues) +
             " metadata values in all");
    valueBudget_ -= count;
}

void Reader::readArray(Value& v, const std::string& what, int depth) {
    if (depth >= kMaxArrayDepth)
        fail(what + " nests arrays deeper than " + std::to_string(kMaxArrayDepth) + " levels");
    v.elementType = readValueType(what);
    const auto count = read<std::uint64_t>(what);
    // Checked before anything is allocated: every element takes at least minSize bytes.
    const std::uint64_t minSize = minEncodedSize(v.elementType);
    if (count > remaining() / minSize)
        fail(what + " claims " + std::to_string(count) + " elements of type " +
             std::string(valueTypeName(v.elementType)) + " but only " +
             std::to_string(remaining()) + " bytes remain in the file");
    chargeValues(count, what);
    v.array.reserve(static_cast<std::size_t>(count));
    for (std::uint64_t k = 0; k < count; ++k) {
        if (v.elementType == ValueType::Array)
            v.array.push_back(
                readValue(ValueType::Array, what + "[" + std::to_string(k) + "]", depth + 1));
        else
            v.array.push_back(readValue(v.elementType, what, depth + 1));
    }
}

} // namespace atelier::gguf::detail
