#pragma once
// IEEE half (F16) and bfloat16 (BF16) conversions, bit-exact with the x86 F16C instructions and
// ggml (round to nearest even). `static inline` on purpose: every file, including those built
// with SIMD flags, gets its own copy, so no SIMD-compiled copy can replace the portable one.
#include <bit>
#include <cmath>
#include <cstdint>

namespace atelier::compute {

static inline float fp16ToFp32(std::uint16_t h) {
    const std::uint32_t sign = std::uint32_t(h & 0x8000u) << 16;
    const std::uint32_t exponent = (h >> 10) & 0x1fu;
    const std::uint32_t mantissa = h & 0x3ffu;
    if (exponent == 0) { // zero or subnormal: mantissa * 2^-24, exact in float
        const float magnitude = float(mantissa) * 0x1p-24f;
        return std::bit_cast<float>(sign | std::bit_cast<std::uint32_t>(magnitude));
    }
    if (exponent == 31) return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
    return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

static inline std::uint16_t fp32ToFp16(float f) {
    const std::uint32_t x = std::bit_cast<std::uint32_t>(f);
    const std::uint16_t sign = std::uint16_t((x >> 16) & 0x8000u);
    const std::uint32_t abs = x & 0x7fffffffu;
    if (abs > 0x7f800000u) return sign | 0x7e00u;                 // NaN stays a (quiet) NaN
    if (abs >= 0x47800000u) return sign | 0x7c00u;                // >= 65536: infinity
    if (abs < 0x38800000u) {                                      // below 2^-14: a subnormal half
        const float scaled = std::bit_cast<float>(abs) * 0x1p24f; // exact
        return sign | std::uint16_t(std::nearbyint(scaled));      // ties to even
    }
    std::uint32_t h = ((abs >> 23) - 112) << 10 | ((abs & 0x7fffffu) >> 13);
    const std::uint32_t rest = abs & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) ++h; // may round up to infinity
    return sign | std::uint16_t(h);
}

static inline float bf16ToFp32(std::uint16_t b) {
    return std::bit_cast<float>(std::uint32_t(b) << 16);
}

static inline std::uint16_t fp32ToBf16(float f) {
    const std::uint32_t x = std::bit_cast<std::uint32_t>(f);
    if ((x & 0x7fffffffu) > 0x7f800000u) return std::uint16_t((x >> 16) | 64u); // quiet NaN
    return std::uint16_t((x + (0x7fffu + ((x >> 16) & 1u))) >> 16);
}

} // namespace atelier::compute
