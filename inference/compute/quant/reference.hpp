#pragma once
// Portable reference conversions between F32 and every supported element type, one row at a
// time (n values, a multiple of the type's block size). These define the formats: SIMD kernels
// and device shaders are tested against them.
#include "inference/compute/tensor.hpp"

#include <cstdint>

namespace atelier::compute::quant {

// Whether dequantizeRow handles `type` (F32, F16, BF16, the legacy and k-quant types, Q8_K).
bool canDequantize(ElementType type);
// Whether quantizeRow handles `type` (F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q8_1, Q8_K).
bool canQuantize(ElementType type);

// Throws atelier::Error (Unsupported) for a type it cannot handle.
void dequantizeRow(ElementType type, const void* src, float* dst, std::int64_t n);
void quantizeRow(ElementType type, const float* src, void* dst, std::int64_t n);

} // namespace atelier::compute::quant
