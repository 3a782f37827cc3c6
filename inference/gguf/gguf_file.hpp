#pragma once
// A GGUF file (v2 or v3) read through a memory map and validated before use.
// Strings and tensor data are views into the map: a GgufFile must outlive them.
#include "inference/gguf/tensor_type.hpp"
#include "inference/util/mapped_file.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace atelier::gguf {

enum class ValueType : std::uint32_t {
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
};
std::string_view valueTypeName(ValueType type);

// One metadata value. Arrays hold their elements (arrays may nest).
struct Value {
    ValueType type = ValueType::UInt8;
    ValueType elementType = ValueType::UInt8; // for arrays
    std::uint64_t u = 0;                      // unsigned integers and bool
    std::int64_t i = 0;                       // signed integers (also filled for unsigned that fit)
    double f = 0;                             // floats (also filled for every integer type)
    std::string_view str;                     // strings: a view into the map
    std::vector<Value> array;                 // arrays

    bool isInteger() const;
    bool isNumber() const;
    bool isString() const { return type == ValueType::String; }
    bool isArray() const { return type == ValueType::Array; }
};

struct KeyValue {
    std::string_view key;
    Value value;
};

struct TensorInfo {
    std::string_view name;
    std::vector<std::uint64_t> shape; // ne[0] is the innermost (contiguous) dimension
    TensorType type = TensorType::F32;
    std::uint64_t offset = 0; // relative to dataOffset()
    std::uint64_t elementCount = 0;
    std::uint64_t byteSize = 0;
    const std::uint8_t* data = nullptr; // into the map, validated in bounds
};

class GgufFile {
public:
    // Maps and validates the whole file; throws atelier::Error naming the file and what is wrong.
    static GgufFile open(const std::string& path);
    // Parses a buffer the caller keeps alive (fuzzing, tests); `name` is used in messages.
    static GgufFile fromBytes(std::span<const std::uint8_t> bytes, const std::string& name);

    std::uint32_t version() const { return version_; }
    std::uint64_t alignment() const { return alignment_; }
    std::uint64_t dataOffset() const { return dataOffset_; }
    std::uint64_t fileSize() const { return bytes_.size(); }
    const std::string& path() const { return name_; }
    // The whole file (the map, or the buffer given to fromBytes).
    std::span<const std::uint8_t> bytes() const { return bytes_; }

    const std::vector<KeyValue>& metadata() const { return metadata_; }
    const std::vector<TensorInfo>& tensors() const { return tensors_; }

    const Value* find(std::string_view key) const;
    const TensorInfo* findTensor(std::string_view name) const;

    // Typed look-ups: nullopt when absent; throws atelier::Error (Format) on a wrong type.
    std::optional<std::string_view> getString(std::string_view key) const;
    std::optional<std::uint64_t> getUInt(std::string_view key) const;
    std::optional<std::int64_t> getInt(std::string_view key) const;
    std::optional<double> getFloat(std::string_view key) const;
    std::optional<bool> getBool(std::string_view key) const;
    // The architecture-prefixed key "<general.architecture>.<suffix>", e.g. "context_length".
    std::optional<std::uint64_t> getArchUInt(std::string_view suffix) const;

private:
    GgufFile() = default;
    void parse(); // validates bytes_ and fills everything below

    MappedFile map_; // empty for fromBytes()
    std::span<const std::uint8_t> bytes_;
    std::string name_;
    std::uint32_t version_ = 0;
    std::uint64_t alignment_ = 32;
    std::uint64_t dataOffset_ = 0;
    std::vector<KeyValue> metadata_;
    std::unordered_map<std::string_view, std::size_t> metadataIndex_; // key -> metadata_ index
    std::vector<TensorInfo> tensors_;
    std::unordered_map<std::string_view, std::size_t> tensorIndex_; // name -> tensors_ index
};

} // namespace atelier::gguf
