#pragma once
// One k-quant super-block in a uniform shape for dot products against Q8_K activations:
// value i = scale[g] * (u[i] - offset) - min[g] for group g = i / 16. Then
//   dot = d8 * sum_g( scale[g] * (sum_{i in g} u[i] a[i] - offset * bsum[g]) - min[g] bsum[g] ).
// Used by the scalar kernels and by SIMD kernels for the types without a fused version.
#include "inference/compute/tensor.hpp"

#include <cstdint>

namespace atelier::compute::cpu {

struct DecodedK {
    std::uint8_t u[256]; // unsigned quant values
    float scale[16];
    float min[16];
    int offset; // subtracted from every u (Q3_K: 4, Q6_K: 32, others 0)
};

// Decodes block `index` of a Q2_K/Q3_K/Q4_K/Q5_K/Q6_K row.
void decodeKBlock(ElementType type, const void* row, std::int64_t index, DecodedK& out);

} // namespace atelier::compute::cpu
