#pragma once
// GGUF/ggml block layouts, byte for byte. Halves are stored as raw uint16 (see float16.hpp).
// Legacy blocks hold 32 values; k-quant super-blocks hold 256.
#include <cstdint>

namespace atelier::compute::quant {

constexpr int kBlock = 32;   // QK4_0 .. QK8_1
constexpr int kSuper = 256;  // QK_K
constexpr int kScalesK = 12; // packed 6-bit scales and mins of Q3_K / Q4_K / Q5_K

// Q4_0: x = d * (q - 8); q[j] in the low nibble of qs[j], q[j + 16] in the high nibble.
struct BlockQ4_0 {
    std::uint16_t d;
    std::uint8_t qs[kBlock / 2];
};
// Q4_1: x = d * q + m.
struct BlockQ4_1 {
    std::uint16_t d, m;
    std::uint8_t qs[kBlock / 2];
};
// Q5_0: x = d * (q - 16); bit 4 of q[j] is bit j of the little-endian 32-bit qh.
struct BlockQ5_0 {
    std::uint16_t d;
    std::uint8_t qh[4];
    std::uint8_t qs[kBlock / 2];
};
// Q5_1: x = d * q + m.
struct BlockQ5_1 {
    std::uint16_t d, m;
    std::uint8_t qh[4];
    std::uint8_t qs[kBlock / 2];
};
// Q8_0: x = d * q.
struct BlockQ8_0 {
    std::uint16_t d;
    std::int8_t qs[kBlock];
};
// Q8_1 (activations of Q4_1 / Q5_1 dot products): x = d * q; s = d * sum(q).
struct BlockQ8_1 {
    std::uint16_t d, s;
    std::int8_t qs[kBlock];
};
// Q2_K: 16 groups of 16; scales[g] low nibble scales d, high nibble scales dmin;
// x = d * (sc & 15) * q - dmin * (sc >> 4), q 2 bits.
struct BlockQ2_K {
    std::uint8_t scales[kSuper / 16];
    std::uint8_t qs[kSuper / 4];
    std::uint16_t d, dmin;
};
// Q3_K: x = d * (scale6 - 32) * (q2 - (hmask bit ? 0 : 4)); 16 six-bit scales in 12 bytes.
struct BlockQ3_K {
    std::uint8_t hmask[kSuper / 8];
    std::uint8_t qs[kSuper / 4];
    std::uint8_t scales[kScalesK];
    std::uint16_t d;
};
// Q4_K: 8 groups of 32; x = d * scale6 * q - dmin * min6.
struct BlockQ4_K {
    std::uint16_t d, dmin;
    std::uint8_t scales[kScalesK];
    std::uint8_t qs[kSuper / 2];
};
// Q5_K: as Q4_K with a fifth bit per value in qh.
struct BlockQ5_K {
    std::uint16_t d, dmin;
    std::uint8_t scales[kScalesK];
    std::uint8_t qh[kSuper / 8];
    std::uint8_t qs[kSuper / 2];
};
// Q6_K: 16 groups of 16; x = d * scales[g] * (q6 - 32); low 4 bits in ql, high 2 in qh.
struct BlockQ6_K {
    std::uint8_t ql[kSuper / 2];
    std::uint8_t qh[kSuper / 4];
    std::int8_t scales[kSuper / 16];
    std::uint16_t d;
};
// Q8_K (activations of k-quant dot products): x = d * q; bsums = sums of each 16 q.
struct BlockQ8_K {
    float d;
    std::int8_t qs[kSuper];
    std::int16_t bsums[kSuper / 16];
};

static_assert(sizeof(BlockQ4_0) == 18 && sizeof(BlockQ4_1) == 20);
static_assert(sizeof(BlockQ5_0) == 22 && sizeof(BlockQ5_1) == 24);
static_assert(sizeof(BlockQ8_0) == 34 && sizeof(BlockQ8_1) == 36);
static_assert(sizeof(BlockQ2_K) == 84 && sizeof(BlockQ3_K) == 110);
static_assert(sizeof(BlockQ4_K) == 144 && sizeof(BlockQ5_K) == 176);
static_assert(sizeof(BlockQ6_K) == 210 && sizeof(BlockQ8_K) == 292);

// Scale and min j (0..7) of the 12-byte packed Q4_K / Q5_K scales (6 bits each).
static inline void unpackScaleMinK4(int j, const std::uint8_t* q, std::uint8_t& scale,
                                    std::uint8_t& min) {
    if (j < 4) {
        scale = q[j] & 63;
        min = q[j + 4] & 63;
    } else {
        scale = std::uint8_t((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        min = std::uint8_t((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

// The 16 six-bit scales of Q3_K (0..63; subtract 32 for the signed scale).
static inline void unpackScalesQ3K(const std::uint8_t* packed, std::uint8_t out[16]) {
    for (int j = 0; j < 16; ++j) {
        const int low = j < 8 ? (packed[j] & 0xF) : (packed[j - 8] >> 4);
        const int high = (packed[8 + (j & 3)] >> (2 * (j >> 2))) & 3;
        out[j] = std::uint8_t(low | (high << 4));
    }
}

} // namespace atelier::compute::quant
