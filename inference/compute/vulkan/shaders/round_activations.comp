#version 450
// Rounds activation rows as the CPU backend (and llama.cpp) rounds them before the dot products
// with a weight:
//   MODE 1: to F16 (F16 weights)      MODE 2: to BF16 (BF16 weights)
//   (these two write the rounded values back as floats [K, rows], for the float matmuls)
//   MODE 5: Q8_0 / Q8_1 blocks of 32 (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 weights) for matmul_q8.comp:
//           d = amax / 127 as F16, q = x * 127 / amax rounded to even, s = d * sum(q) as F16
//           (Q8_1's block sum, for the weight's min); per block 8 words of int8 values, then
//           d and s as float bits (10 words)
//   MODE 6: Q8_K blocks of 256 (k-quant weights) for matmul_q8k.comp: d = 1 / iscale, iscale =
//           -127 / (the value of largest magnitude), q = min(127, x * iscale rounded to even);
//           per block 64 words of int8 values, then d as float bits (65 words; the matmul sums
//           the groups of 16 itself)
// One invocation per block.
layout(local_size_x = 64) in;

layout(binding = 0) readonly buffer X { float x[]; };
#if MODE == 5 || MODE == 6
layout(binding = 1) writeonly buffer Dst { uint dq[]; };
#else
layout(binding = 1) writeonly buffer Dst { float d[]; };
#endif

layout(push_constant) uniform Params {
    uint K, ne1, ne2;
    uint xBase, xNb1, xNb2, xNb3;
    uint blocks; // blocks in all rows
    uint dBase;
} p;

#include "common.glsl"

#if MODE == 6
#define BLOCK 256u
#elif MODE == 5
#define BLOCK 32u
#else
#define BLOCK 16u
#endif

void main() {
    const uint id = linearGroup() * 64u + gl_LocalInvocationIndex;
    if (id >= p.blocks) return;
    const uint perRow = (p.K + BLOCK - 1u) / BLOCK;
    const uint row = id / perRow, block = id % perRow;
    const uint i1 = row % p.ne1, i2 = (row / p.ne1) % p.ne2, i3 = row / (p.ne1 * p.ne2);
    const uint src = p.xBase + i1 * p.xNb1 + i2 * p.xNb2 + i3 * p.xNb3 + block * BLOCK;
    const uint dst = p.dBase + row * p.K + block * BLOCK;
    const uint n = min(BLOCK, p.K - block * BLOCK);
#if MODE == 1
    for (uint j = 0u; j < n; ++j) d[dst + j] = roundToHalf(x[src + j]);
#elif MODE == 2
    for (uint j = 0u; j < n; ++j) d[dst + j] = bf16ToFloat(floatToBf16(x[src + j]));
#elif MODE == 5
    // Every step as the CPU's quantizer: `precise`, or the compiler may turn a division by a
    // constant into a multiplication by its reciprocal (one ulp off, which moves an F16 scale).
    float amax = 0.0;
    for (uint j = 0u; j < 32u; ++j) amax = max(amax, abs(x[src + j]));
    precise const float inv = amax != 0.0 ? 127.0 / amax : 0.0;
    precise const float scale = amax / 127.0;
    const uint out0 = p.dBase + id * 10u;
    int count = 0;
    for (uint w = 0u; w < 8u; ++w) {
        uint word = 0u;
        for (uint b = 0u; b < 4u; ++b) {
            precise const float scaled = x[src + 4u * w + b] * inv;
            const int q = int(roundEven(scaled));
            count += q;
            word |= (uint(q) & 0xffu) << (8u * b);
        }
        dq[out0 + w] = word;
    }
    precise const float sum = float(count) * scale;
    dq[out0 + 8u] = floatBitsToUint(roundToHalf(scale));
    dq[out0 + 9u] = floatBitsToUint(roundToHalf(sum));
#elif MODE == 6
    // As the CPU's quantizeQ8_K: the first value of largest magnitude sets the scale.
    float amax = 0.0, largest = 0.0;
    for (uint j = 0u; j < 256u; ++j) {
        const float v = x[src + j];
        if (abs(v) > amax) {
            amax = abs(v);
            largest = v;
        }
    }
    const uint out0 = p.dBase + id * 65u;
    if (largest == 0.0) {
        for (uint w = 0u; w < 65u; ++w) dq[out0 + w] = 0u;
        return;
    }
    precise const float iscale = -127.0 / largest, scale = 1.0 / iscale;
    for (uint w = 0u; w < 64u; ++w) {
        uint word = 0u;
        for (uint b = 0u; b < 4u; ++b) {
            precise const float scaled = iscale * x[src + 4u * w + b];
            const int q = min(127, int(roundEven(scaled)));
            word |= (uint(q) & 0xffu) << (8u * b);
        }
        dq[out0 + w] = word;
    }
    dq[out0 + 64u] = floatBitsToUint(scale);
#endif
}
