#pragma once
// Writes GGUF v2/v3 files: metadata of every value type (arrays may nest) and tensors with their
// data, laid out with the chosen alignment. Used by tests to make fixtures and by tools.
#include "inference/gguf/gguf_file.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace atelier::gguf {

// A metadata value that owns its contents (gguf::Value only views a file).
struct MetaValue {
    ValueType type = ValueType::UInt8;
    ValueType elementType = ValueType::UInt8; // for arrays
    std::uint64_t u = 0;
    std::int64_t i = 0;
    double f = 0;
    std::string str;
    std::vector<MetaValue> array;

    static MetaValue u8(std::uint8_t v) { return unsignedOf(ValueType::UInt8, v); }
    static MetaValue u16(std::uint16_t v) { return unsignedOf(ValueType::UInt16, v); }
    static MetaValue u32(std::uint32_t v) { return unsignedOf(ValueType::UInt32, v); }
    static MetaValue u64(std::uint64_t v) { return unsignedOf(ValueType::UInt64, v); }
    static MetaValue i8(std::int8_t v) { return signedOf(ValueType::Int8, v); }
    static MetaValue i16(std::int16_t v) { return signedOf(ValueType::Int16, v); }
    static MetaValue i32(std::int32_t v) { return signedOf(ValueType::Int32, v); }
    static MetaValue i64(std::int64_t v) { return signedOf(ValueType::Int64, v); }
    static MetaValue f32(float v);
    static MetaValue f64(double v);
    static MetaValue boolean(bool v);
    static MetaValue string(std::string v);
    // An array whose elements all have `elementType` (checked when written).
    static MetaValue arrayOf(ValueType elementType, std::vector<MetaValue> elements);
    static MetaValue strings(const std::vector<std::string>& values);
    static MetaValue int32s(const std::vector<std::int32_t>& values);
    static MetaValue float32s(const std::vector<float>& values);

private:
    static MetaValue unsignedOf(ValueType t, std::uint64_t v);
    static MetaValue signedOf(ValueType t, std::int64_t v);
};

class GgufWriter {
public:
    explicit GgufWriter(std::uint32_t version = 3);

    // Adds a metadata entry; throws atelier::Error(Invalid) on a duplicate key.
    void add(std::string key, MetaValue value);
    // Sets the data alignment (a power of two) by recording it as general.alignment (uint32).
    // Without that key the alignment is GGUF's default, 32; the key may also be added with add().
    void setAlignment(std::uint32_t alignment);
    // Adds a tensor; `data` must hold exactly the tensor's byte size for `type` and `shape`.
    void addTensor(std::string name, std::vector<std::uint64_t> shape, TensorType type,
                   std::vector<std::uint8_t> data);

    std::vector<std::uint8_t> bytes() const;
    // Writes bytes() to `path`; throws atelier::Error(Io) naming the path on failure.
    void write(const std::string& path) const;

private:
    struct Tensor {
        std::string name;
        std::vector<std::uint64_t> shape;
        TensorType type;
        std::vector<std::uint8_t> data;
    };

    std::uint64_t alignment() const; // from general.alignment, checked

    std::uint32_t version_;
    std::vector<std::pair<std::string, MetaValue>> metadata_;
    std::vector<Tensor> tensors_;
};

} // namespace atelier::gguf
