#include "inference/gguf/gguf_writer.hpp"

#include "inference/gguf/numeric_types.hpp"
#include "inference/util/error.hpp"

#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <type_traits>

namespace atelier::gguf {

MetaValue MetaValue::unsignedOf(ValueType t, std::uint64_t v) {
    MetaValue m;
    m.type = t;
    m.u = v;
    return m;
}

MetaValue MetaValue::signedOf(ValueType t, std::int64_t v) {
    MetaValue m;
    m.type = t;
    m.i = v;
    return m;
}

MetaValue MetaValue::f32(float v) {
    MetaValue m;
    m.type = ValueType::Float32;
    m.f = v;
    return m;
}

MetaValue MetaValue::f64(double v) {
    MetaValue m;
    m.type = ValueType::Float64;
    m.f = v;
    return m;
}

MetaValue MetaValue::boolean(bool v) {
    MetaValue m;
    m.type = ValueType::Bool;
    m.u = v ? 1 : 0;
    return m;
}

MetaValue MetaValue::string(std::string v) {
    MetaValue m;
    m.type = ValueType::String;
    m.str = std::move(v);
    return m;
}

MetaValue MetaValue::arrayOf(ValueType elementType, std::vector<MetaValue> elements) {
    MetaValue m;
    m.type = ValueType::Array;
    m.elementType = elementType;
    m.array = std::move(elements);
    return m;
}

MetaValue MetaValue::strings(const std::vector<std::string>& values) {
    std::vector<MetaValue> e;
    e.reserve(values.size());
    for (const auto& v : values) e.push_back(string(v));
    return arrayOf(ValueType::String, std::move(e));
}

MetaValue MetaValue::int32s(const std::vector<std::int32_t>& values) {
    std::vector<MetaValue> e;
    e.reserve(values.size());
    for (auto v : values) e.push_back(i32(v));
    return arrayOf(ValueType::Int32, std::move(e));
}

MetaValue MetaValue::float32s(const std::vector<float>& values) {
    std::vector<MetaValue> e;
    e.reserve(values.size());
    for (auto v : values) e.push_back(f32(v));
    return arrayOf(ValueType::Float32, std::move(e));
}

namespace {

class Out {
public:
    std::vector<std::uint8_t> bytes;

    template <class T> void put(T v) {
        const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
        bytes.insert(bytes.end(), p, p + sizeof(T));
    }
    void putString(const std::string& s) {
        put<std::uint64_t>(s.size());
        bytes.insert(bytes.end(), s.begin(), s.end());
    }
    void pad(std::uint64_t alignment) {
        while (bytes.size() % alignment != 0) bytes.push_back(0);
    }

    void putValue(const MetaValue& v) {
        const bool numeric = detail::withNumericType(v.type, [&](auto zero) {
            using T = decltype(zero);
            if constexpr (std::is_floating_point_v<T>)
                put(static_cast<T>(v.f));
            else if constexpr (std::is_signed_v<T>)
                put(static_cast<T>(v.i));
            else
                put(static_cast<T>(v.u));
        });
        if (numeric) return;
        switch (v.type) {
        case ValueType::Bool:
            put(static_cast<std::uint8_t>(v.u != 0));
            break;
        case ValueType::String:
            putString(v.str);
            break;
        case ValueType::Array:
            put(static_cast<std::uint32_t>(v.elementType));
            put<std::uint64_t>(v.array.size());
            for (const MetaValue& e : v.array) {
                if (e.type != v.elementType)
                    throw Error(ErrorKind::Invalid, "GGUF writer: an array of " +
                                                        std::string(valueTypeName(v.elementType)) +
                                                        " holds a " +
                                                        std::string(valueTypeName(e.type)));
                putValue(e);
            }
            break;
        default: // the numeric types, written above
            break;
        }
    }
};

} // namespace

GgufWriter::GgufWriter(std::uint32_t version) : version_(version) {
    if (version != 2 && version != 3)
        throw Error(ErrorKind::Invalid, "GGUF writer: version must be 2 or 3");
}

void GgufWriter::add(std::string key, MetaValue value) {
    for (const auto& kv : metadata_)
        if (kv.first == key) throw Error(ErrorKind::Invalid, "GGUF writer: duplicate key " + key);
    metadata_.emplace_back(std::move(key), std::move(value));
}

void GgufWriter::setAlignment(std::uint32_t alignment) {
    if (alignment == 0 || !std::has_single_bit(alignment))
        throw Error(ErrorKind::Invalid, "GGUF writer: alignment must be a power of two");
    for (auto& kv : metadata_) {
        if (kv.first == "general.alignment") {
            kv.second = MetaValue::u32(alignment);
            return;
        }
    }
    metadata_.emplace_back("general.alignment", MetaValue::u32(alignment));
}

void GgufWriter::addTensor(std::string name, std::vector<std::uint64_t> shape, TensorType type,
                           std::vector<std::uint8_t> data) {
    if (shape.empty() || shape.size() > 4)
        throw Error(ErrorKind::Invalid, "GGUF writer: tensor " + name + " needs 1 to 4 dimensions");
    std::uint64_t elements = 1;
    for (auto ne : shape) {
        if (ne == 0 || elements > std::numeric_limits<std::uint64_t>::max() / ne)
            throw Error(ErrorKind::Invalid, "GGUF writer: tensor " + name + " has a bad shape");
        elements *= ne;
    }
    auto size = tensorByteSize(type, elements);
    if (!size || shape[0] % blockSize(type) != 0)
        throw Error(ErrorKind::Invalid,
                    "GGUF writer: tensor " + name + " does not fill whole blocks of its type");
    if (*size != data.size())
        throw Error(ErrorKind::Invalid, "GGUF writer: tensor " + name + " needs " +
                                            std::to_string(*size) + " bytes of data, got " +
                                            std::to_string(data.size()));
    for (const auto& t : tensors_)
        if (t.name == name)
            throw Error(ErrorKind::Invalid, "GGUF writer: duplicate tensor " + name);
    tensors_.push_back({std::move(name), std::move(shape), type, std::move(data)});
}

std::uint64_t GgufWriter::alignment() const {
    for (const auto& [key, value] : metadata_) {
        if (key != "general.alignment") continue;
        const bool isSigned = value.type == ValueType::Int8 || value.type == ValueType::Int16 ||
                              value.type == ValueType::Int32 || value.type == ValueType::Int64;
        const bool isUnsigned = value.type == ValueType::UInt8 || value.type == ValueType::UInt16 ||
                                value.type == ValueType::UInt32 || value.type == ValueType::UInt64;
        const std::uint64_t a = isSigned && value.i > 0 ? static_cast<std::uint64_t>(value.i)
                                : isUnsigned            ? value.u
                                                        : 0;
        if (a == 0 || !std::has_single_bit(a) || a > (std::uint64_t{1} << 30))
            throw Error(ErrorKind::Invalid,
                        "GGUF writer: general.alignment must be a power of two up to 2^30");
        return a;
    }
    return 32;
}

std::vector<std::uint8_t> GgufWriter::bytes() const {
    const std::uint64_t align = alignment();
    Out out;
    out.bytes.insert(out.bytes.end(), {'G', 'G', 'U', 'F'});
    out.put<std::uint32_t>(version_);
    out.put<std::uint64_t>(tensors_.size());
    out.put<std::uint64_t>(metadata_.size());
    for (const auto& [key, value] : metadata_) {
        out.putString(key);
        out.put(static_cast<std::uint32_t>(value.type));
        out.putValue(value);
    }
    std::uint64_t offset = 0;
    for (const Tensor& t : tensors_) {
        out.putString(t.name);
        out.put<std::uint32_t>(static_cast<std::uint32_t>(t.shape.size()));
        for (auto ne : t.shape) out.put<std::uint64_t>(ne);
        out.put(static_cast<std::uint32_t>(t.type));
        out.put<std::uint64_t>(offset);
        offset += (t.data.size() + align - 1) / align * align;
    }
    out.pad(align);
    for (const Tensor& t : tensors_) {
        out.bytes.insert(out.bytes.end(), t.data.begin(), t.data.end());
        out.pad(align);
    }
    return std::move(out.bytes);
}

void GgufWriter::write(const std::string& path) const {
    const auto data = bytes();
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) throw Error(ErrorKind::Io, path + ": cannot create: " + std::strerror(errno));
    f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    f.close();
    if (!f) throw Error(ErrorKind::Io, path + ": cannot write: " + std::strerror(errno));
}

} // namespace atelier::gguf
