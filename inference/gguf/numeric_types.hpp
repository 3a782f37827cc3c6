#pragma once
// Internal to the GGUF reader and writer: the C++ type that holds each numeric metadata type,
// so that reading, writing and sizing values share one mapping.
#include "inference/gguf/gguf_file.hpp"

#include <cstdint>

namespace atelier::gguf::detail {

// Calls f(T{}) with the C++ type of a numeric value type (the integers, float32 and float64)
// and returns true; returns false without calling f for bool, string and array.
template <class F> bool withNumericType(ValueType type, F&& f) {
    switch (type) {
    case ValueType::UInt8:
        f(std::uint8_t{});
        return true;
    case ValueType::Int8:
        f(std::int8_t{});
        return true;
    case ValueType::UInt16:
        f(std::uint16_t{});
        return true;
    case ValueType::Int16:
        f(std::int16_t{});
        return true;
    case ValueType::UInt32:
        f(std::uint32_t{});
        return true;
    case ValueType::Int32:
        f(std::int32_t{});
        return true;
    case ValueType::UInt64:
        f(std::uint64_t{});
        return true;
    case ValueType::Int64:
        f(std::int64_t{});
        return true;
    case ValueType::Float32:
        f(float{});
        return true;
    case ValueType::Float64:
        f(double{});
        return true;
    case ValueType::Bool:
    case ValueType::String:
    case ValueType::Array:
        return false;
    }
    return false;
}

} // namespace atelier::gguf::detail
