#pragma once
// Internal to the GGUF parser: a bounds-checked cursor over untrusted bytes that reads GGUF's
// little-endian scalars, strings and (nested) metadata values. Every read that would pass the
// end, every count that cannot fit in what is left, fails with atelier::Error naming the file.
#include "inference/gguf/gguf_file.hpp"

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace atelier::gguf::detail {

// Real files nest arrays at most once.
inline constexpr int kMaxArrayDepth = 8;
// Every array element becomes a Value in memory (~100 bytes) even when it is one byte in the
// file: this caps what a hostile file can make us allocate. Real vocabularies hold < 2M values.
inline constexpr std::uint64_t kMaxMetadataValues = std::uint64_t{1} << 23;

// Keys and tensor names come from the file: this keeps messages readable whatever they hold.
std::string printable(std::string_view text);
// "uint32", "array of string", ...
std::string describeType(const Value& value);
bool isUnsignedType(ValueType type);
bool isSignedType(ValueType type);

class Reader {
public:
    // `name` names the file in messages and must outlive the reader.
    Reader(std::span<const std::uint8_t> bytes, const std::string& name)
        : bytes_(bytes), name_(name) {}

    [[noreturn]] void fail(const std::string& what) const;        // ErrorKind::Format
    [[noreturn]] void unsupported(const std::string& what) const; // ErrorKind::Unsupported

    std::uint64_t pos() const { return pos_; }
    std::uint64_t remaining() const { return bytes_.size() - pos_; }

    // A little-endian scalar; `what` says what was being read if the file ends.
    template <class T> T read(const std::string& what) {
        if (remaining() < sizeof(T)) truncated(what);
        T value;
        std::memcpy(&value, bytes_.data() + pos_, sizeof(T));
        pos_ += sizeof(T);
        return value;
    }
    // A uint64 length and that many bytes, viewed in place.
    std::string_view readString(const std::string& what);
    ValueType readValueType(const std::string& what);
    // One metadata value of `type` (arrays recursively, up to kMaxArrayDepth).
    Value readValue(ValueType type, const std::string& what, int depth);
    // Takes `count` values from the budget of kMaxMetadataValues, or fails.
    void chargeValues(std::uint64_t count, const std::string& what);

private:
    [[noreturn]] void truncated(const std::string& what) const;
    void readArray(Value& value, const std::string& what, int depth);

    std::span<const std::uint8_t> bytes_;
    const std::string& name_;
    std::uint64_t pos_ = 0;
    std::uint64_t valueBudget_ = kMaxMetadataValues;
};

} // namespace atelier::gguf::detail
