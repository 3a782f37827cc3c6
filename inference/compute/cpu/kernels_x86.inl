// x86 SIMD kernels, included by kernels_avx2.cpp and kernels_avx512.cpp: each of those files
// is compiled with its own instruction-set flags (see CMakeLists.txt) and defines
// ATELIER_INSTALL_KERNELS, the one function it exports; its kernels are installed only after
// CPUID said yes. Everything else here has internal linkage and uses only POD block structs
// and `static inline` helpers, so no SIMD-compiled copy of a shared inline function can replace
// the portable one at link time (see README.md). With AVX-512 VNNI the 8-bit dot products use
// vpdpbusd; everything else is the same 256-bit code.
#include "inference/compute/cpu/kernels.hpp"
#include "inference/compute/quant/blocks.hpp"

#include <cstring>
#include <type_traits>

#if defined(__AVX2__) && defined(__FMA__) && defined(__F16C__)
#include <immintrin.h>

namespace atelier::compute::cpu {
using namespace quant;
namespace {

inline float halfToFloat(std::uint16_t h) {
    return _cvtsh_ss(h);
}

inline float horizontalSum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

inline int horizontalSumI32(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm_cvtsi128_si32(s);
}

// 16 packed bytes -> 32 values: low nibbles first (values 0..15), then high nibbles (16..31).
inline __m256i nibbles32(const std::uint8_t* p) {
    const __m128i raw = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m256i both = _mm256_set_m128i(_mm_srli_epi16(raw, 4), raw);
    return _mm256_and_si256(both, _mm256_set1_epi8(0x0F));
}

// Byte j = 0xFF where bit j of the little-endian 32-bit word at p is set, else 0.
inline __m256i bitsToBytes32(const std::uint8_t* p) {
    std::uint32_t bits;
    std::memcpy(&bits, p, 4);
    const __m256i spread = _mm256_shuffle_epi8(
        _mm256_set1_epi32(int(bits)),
        _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202, 0x0101010101010101, 0));
    const __m256i select = _mm256_set1_epi64x(0x8040201008040201);
    return _mm256_cmpeq_epi8(_mm256_and_si256(spread, select), select);
}

// Sum of u8 x s8 products in 8 int32 lanes (each lane sums 4 neighbouring bytes). Callers keep
// u * s pairs within int16 range, so the AVX2 form (which saturates) gives the same result.
inline __m256i dotU8I8(__m256i u, __m256i s) {
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
    return _mm256_dpbusd_epi32(_mm256_setzero_si256(), u, s);
#else
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1));
#endif
}

// Sum of s8 x s8 products: the sign moves onto the second operand.
inline __m256i dotI8I8(__m256i a, __m256i b) {
    return dotU8I8(_mm256_sign_epi8(a, a), _mm256_sign_epi8(b, a));
}

inline __m256i load256(const void* p) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

// ---- legacy 32-value blocks -----------------------------------------------------------------

// The 32 values of a block as bytes, in activation order: signed for the types that subtract an
// offset (Q4_0, Q5_0, Q8_0), unsigned for those with a min (Q4_1, Q5_1).
inline __m256i valuesQ4_0(const BlockQ4_0& b) {
    return _mm256_sub_epi8(nibbles32(b.qs), _mm256_set1_epi8(8));
}
inline __m256i valuesQ4_1(const BlockQ4_1& b) {
    return nibbles32(b.qs);
}
inline __m256i valuesQ5_0(const BlockQ5_0& b) {
    const __m256i sixteen = _mm256_set1_epi8(16);
    const __m256i high = _mm256_and_si256(bitsToBytes32(b.qh), sixteen);
    return _mm256_sub_epi8(_mm256_or_si256(nibbles32(b.qs), high), sixteen);
}
inline __m256i valuesQ5_1(const BlockQ5_1& b) {
    return _mm256_or_si256(nibbles32(b.qs),
                           _mm256_and_si256(bitsToBytes32(b.qh), _mm256_set1_epi8(16)));
}
inline __m256i valuesQ8_0(const BlockQ8_0& b) {
    return load256(b.qs);
}

// One weight row against Cols activation rows (a, a + stride, ...): the weight block is
// unpacked once per block and reused for every column (prefill); Cols = 1 is the plain dot.
// With a Q8_1 partner the weight's min m adds m * s (s = d * sum of the activation block).
template <class Block, class Act, __m256i (*Values)(const Block&), bool Signed, int Cols>
void dotLegacyCols(std::int64_t n, const void* w, const void* a, std::size_t stride, float* out) {
    const auto* x = static_cast<const Block*>(w);
    const Act* y[Cols];
    __m256 acc[Cols];
    float offsets[Cols];
#pragma GCC unroll 4
    for (int c = 0; c < Cols; ++c) {
        y[c] = reinterpret_cast<const Act*>(static_cast<const std::uint8_t*>(a) + c * stride);
        acc[c] = _mm256_setzero_ps();
        offsets[c] = 0.0f;
    }
    for (std::int64_t i = 0; i < n / kBlock; ++i) {
        const __m256i values = Values(x[i]);
        const __m256i weights = Signed ? _mm256_sign_epi8(values, values) : values;
        const float dx = halfToFloat(x[i].d);
#pragma GCC unroll 4
        for (int c = 0; c < Cols; ++c) {
            __m256i act = load256(y[c][i].qs);
            if (Signed) act = _mm256_sign_epi8(act, values);
            const __m256i p = dotU8I8(weights, act);
            acc[c] = _mm256_fmadd_ps(_mm256_set1_ps(dx * halfToFloat(y[c][i].d)),
                                     _mm256_cvtepi32_ps(p), acc[c]);
            if constexpr (!Signed) offsets[c] += halfToFloat(x[i].m) * halfToFloat(y[c][i].s);
        }
    }
#pragma GCC unroll 4
    for (int c = 0; c < Cols; ++c) out[c] = horizontalSum(acc[c]) + offsets[c];
}

template <class Block, class Act, __m256i (*Values)(const Block&), bool Signed>
float dotLegacy(std::int64_t n, const void* w, const void* a) {
    float out;
    dotLegacyCols<Block, Act, Values, Signed, 1>(n, w, a, 0, &out);
    return out;
}

// ---- k-quants against Q8_K ------------------------------------------------------------------

// sum_g weights[g] * bsums[g] over the 16 groups of a super-block (weights as 16 int8).
inline int weightedBsums16(const std::int16_t* bsums, __m128i weights) {
    return horizontalSumI32(_mm256_madd_epi16(load256(bsums), _mm256_cvtepi8_epi16(weights)));
}

// The 16 six-bit Q3_K scales, minus 32, as int8 (the layout of unpackScalesQ3K, 4 at a time).
inline __m128i scalesQ3K(const std::uint8_t* packed) {
    std::uint32_t aux[3], out[4];
    std::memcpy(aux, packed, 12);
    const std::uint32_t nibbles = 0x0f0f0f0f, pairs = 0x03030303;
    out[0] = (aux[0] & nibbles) | (((aux[2] >> 0) & pairs) << 4);
    out[1] = (aux[1] & nibbles) | (((aux[2] >> 2) & pairs) << 4);
    out[2] = ((aux[0] >> 4) & nibbles) | (((aux[2] >> 4) & pairs) << 4);
    out[3] = ((aux[1] >> 4) & nibbles) | (((aux[2] >> 6) & pairs) << 4);
    return _mm_sub_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(out)), _mm_set1_epi8(32));
}

// Q4_K and Q5_K (Block, with the fifth bit from qh): 8 groups of 32 with 6-bit scales and mins.
template <class Block, int Cols>
void dotK4Cols(std::int64_t n, const void* w, const void* a, std::size_t stride, float* out) {
    constexpr bool kFifthBit = std::is_same_v<Block, BlockQ5_K>;
    const auto* x = static_cast<const Block*>(w);
    const BlockQ8_K* y[Cols];
    __m256 acc[Cols];
    float minTerms[Cols];
#pragma GCC unroll 4
    for (int c = 0; c < Cols; ++c) {
        y[c] = reinterpret_cast<const BlockQ8_K*>(static_cast<const std::uint8_t*>(a) + c * stride);
        acc[c] = _mm256_setzero_ps();
        minTerms[c] = 0.0f;
    }
    const __m256i low = _mm256_set1_epi8(0x0F), one = _mm256_set1_epi8(1);
    for (std::int64_t i = 0; i < n / kSuper; ++i) {
        std::uint8_t sc[8], mn[8];
        for (int j = 0; j < 8; ++j) unpackScaleMinK4(j, x[i].scales, sc[j], mn[j]);
        __m256i highBits = _mm256_setzero_si256();
        if constexpr (kFifthBit) highBits = load256(x[i].qh);
        __m256i sumi[Cols];
#pragma GCC unroll 4
        for (int c = 0; c < Cols; ++c) sumi[c] = _mm256_setzero_si256();
        for (int chunk = 0; chunk < 4; ++chunk) {
            const __m256i q4 = load256(x[i].qs + 32 * chunk);
            __m256i lo = _mm256_and_si256(q4, low);
            __m256i hi = _mm256_and_si256(_mm256_srli_epi16(q4, 4), low);
            if constexpr (kFifthBit) {
                const __m256i hLo = _mm256_and_si256(_mm256_srli_epi16(highBits, 2 * chunk), one);
                const __m256i hHi =
                    _mm256_and_si256(_mm256_srli_epi16(highBits, 2 * chunk + 1), one);
                lo = _mm256_or_si256(lo, _mm256_slli_epi16(hLo, 4));
                hi = _mm256_or_si256(hi, _mm256_slli_epi16(hHi, 4));
            }
            const __m256i scLo = _mm256_set1_epi16(sc[2 * chunk]),
                          scHi = _mm256_set1_epi16(sc[2 * chunk + 1]);
#pragma GCC unroll 4
            for (int c = 0; c < Cols; ++c) {
                const __m256i pLo = _mm256_maddubs_epi16(lo, load256(y[c][i].qs + 64 * chunk));
                const __m256i pHi = _mm256_maddubs_epi16(hi, load256(y[c][i].qs + 64 * chunk + 32));
                sumi[c] = _mm256_add_epi32(sumi[c], _mm256_add_epi32(_mm256_madd_epi16(pLo, scLo),
                                                                     _mm256_madd_epi16(pHi, scHi)));
            }
        }
        const float dx = halfToFloat(x[i].d), dminx = halfToFloat(x[i].dmin);
#pragma GCC unroll 4
        for (int c = 0; c < Cols; ++c) {
            int minSum = 0;
            for (int j = 0; j < 8; ++j)
                minSum += mn[j] * (y[c][i].bsums[2 * j] + y[c][i].bsums[2 * j + 1]);
            acc[c] = _mm256_fmadd_ps(_mm256_set1_ps(y[c][i].d * dx), _mm256_cvtepi32_ps(sumi[c]),
                                     acc[c]);
            minTerms[c] += y[c][i].d * dminx * float(minSum);
        }
    }
#pragma GCC unroll 4
    for (int c = 0; c < Cols; ++c) out[c] = horizontalSum(acc[c]) - minTerms[c];
}

template <class Block> float dotK4(std::int64_t n, const void* w, const void* a) {
    float out;
    dotK4Cols<Block, 1>(n, w, a, 0, &out);
    return out;
}

template <int Cols>
void dotQ6_KCols(std::int64_t n, const void* w, const void* a, std::size_t stride, float* out) {
    const auto* x = static_cast<const BlockQ6_K*>(w);
    const BlockQ8_K* y[Cols];
    __m256 acc[Cols];
    float offsets[Cols];
#pragma GCC unroll 4
    for (int c = 0; c < Cols; ++c) {
        y[c] = reinterpret_cast<const BlockQ8_K*>(static_cast<const std::uint8_t*>(a) + c * stride);
        acc[c] = _mm256_setzero_ps();
        offsets[c] = 0.0f;
    }
    const __m256i low = _mm256_set1_epi8(0x0F), two = _mm256_set1_epi8(3);
    for (std::int64_t i = 0; i < n / kSuper; ++i) {
        const __m128i scales = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x[i].scales));
        __m256i sumi[Cols];
#pragma GCC unroll 4
        for (int c = 0; c < Cols; ++c) sumi[c] = _mm256_setzero_si256();
        for (int half = 0; half < 2; ++half) {
            const std::uint8_t* ql = x[i].ql + 64 * half;
            const std::int8_t* sc = x[i].scales + 8 * half;
            const __m256i qh = load256(x[i].qh + 32 * half);
            const __m256i ql0 = load256(ql), ql1 = load256(ql + 32);
            const __m256i u[4] = {
                _mm256_or_si256(_mm256_and_si256(ql0, low),
                                _mm256_slli_epi16(_mm256_and_si256(qh, two), 4)),
                _mm256_or_si256(
                    _mm256_and_si256(ql1, low),
                    _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2), two), 4)),
                _mm256_or_si256(
                    _mm256_and_si256(_mm256_srli_epi16(ql0, 4), low),
                    _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 4), two), 4)),
                _mm256_or_si256(
                    _mm256_and_si256(_mm256_srli_epi16(ql1, 4), low),
                    _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 6), two), 4)),
            };
            for (int k = 0; k < 4; ++k) {
                const __m256i s =
                    _mm256_set_m128i(_mm_set1_epi16(sc[2 * k + 1]), _mm_set1_epi16(sc[2 * k]));
#pragma GCC unroll 4
                for (int c = 0; c < Cols; ++c) {
                    const __m256i p =
                        _mm256_maddubs_epi16(u[k], load256(y[c][i].qs + 128 * half + 32 * k));
                    sumi[c] = _mm256_add_epi32(sumi[c], _mm256_madd_epi16(p, s));
                }
            }
        }
        const float dx = halfToFloat(x[i].d);
#pragma GCC unroll 4
        for (int c = 0; c < Cols; ++c) {
            const float d = y[c][i].d * dx;
            acc[c] = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(sumi[c]), acc[c]);
            offsets[c] += d * float(32 * weightedBsums16(y[c][i].bsums, scales));
        }
    }
#pragma GCC unroll 4
    for (int c = 0; c < Cols; ++c) out[c] = horizontalSum(acc[c]) - offsets[c];
}

float dotQ6_K(std::int64_t n, const void* w, const void* a) {
    float out;
    dotQ6_KCols<1>(n, w, a, 0, &out);
    return out;
}

// Q2_K and Q3_K share the 2-bit walk (bits 2s..2s+1 of 32 bytes give 32 values). Q2_K: 4-bit
// scale and min per group of 16. Q3_K: a high bit from hmask, minus 4, signed 6-bit scales.
template <class Block, int Cols>
void dotK2Cols(std::int64_t n, const void* w, const void* a, std::size_t stride, float* out) {
    constexpr bool kQ3 = std::is_same_v<Block, BlockQ3_K>;
    const auto* x = static_cast<const Block*>(w);
    const BlockQ8_K* y[Cols];
    __m256 acc[Cols];
    float corrections[Cols];
#pragma GCC unroll 4
    for (int c = 0; c < Cols; ++c) {
        y[c] = reinterpret_cast<const BlockQ8_K*>(static_cast<const std::uint8_t*>(a) + c * stride);
        acc[c] = _mm256_setzero_ps();
        corrections[c] = 0.0f;
    }
    const __m256i three = _mm256_set1_epi8(3), one = _mm256_set1_epi8(1);
    for (std::int64_t i = 0; i < n / kSuper; ++i) {
        __m128i scaleVector, correctionWeights; // correction = sum_g weight[g] * bsum[g]
        if constexpr (kQ3) {
            scaleVector = scalesQ3K(x[i].scales);
            correctionWeights = scaleVector; // times 4 (the offset), below
        } else {
            const __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x[i].scales));
            const __m128i nibble = _mm_set1_epi8(0x0F);
            scaleVector = _mm_and_si128(packed, nibble);
            correctionWeights = _mm_and_si128(_mm_srli_epi16(packed, 4), nibble); // the mins
        }
        std::int8_t scales[16];
        _mm_storeu_si128(reinterpret_cast<__m128i*>(scales), scaleVector);
        __m256i hmask = _mm256_setzero_si256();
        if constexpr (kQ3) hmask = load256(x[i].hmask);
        __m256i sumi[Cols];
#pragma GCC unroll 4
        for (int c = 0; c < Cols; ++c) sumi[c] = _mm256_setzero_si256();
        for (int half = 0; half < 2; ++half) {
            const __m256i q2 = load256(x[i].qs + 32 * half);
            for (int s = 0; s < 4; ++s) {
                const int g = half * 8 + 2 * s; // groups g and g + 1
                __m256i u = _mm256_and_si256(_mm256_srli_epi16(q2, 2 * s), three);
                if constexpr (kQ3) {
                    const __m256i high =
                        _mm256_and_si256(_mm256_srli_epi16(hmask, half * 4 + s), one);
                    u = _mm256_or_si256(u, _mm256_slli_epi16(high, 2));
                }
                const __m256i sc =
                    _mm256_set_m128i(_mm_set1_epi16(scales[g + 1]), _mm_set1_epi16(scales[g]));
#pragma GCC unroll 4
                for (int c = 0; c < Cols; ++c) {
                    const __m256i p =
                        _mm256_maddubs_epi16(u, load256(y[c][i].qs + half * 128 + s * 32));
                    sumi[c] = _mm256_add_epi32(sumi[c], _mm256_madd_epi16(p, sc));
                }
            }
        }
        const float dx = halfToFloat(x[i].d);
        float correctionScale;
        if constexpr (kQ3)
            correctionScale = 4.0f * dx;
        else
            correctionScale = halfToFloat(x[i].dmin);
#pragma GCC unroll 4
        for (int c = 0; c < Cols; ++c) {
            acc[c] = _mm256_fmadd_ps(_mm256_set1_ps(y[c][i].d * dx), _mm256_cvtepi32_ps(sumi[c]),
                                     acc[c]);
            corrections[c] += y[c][i].d * correctionScale *
                              float(weightedBsums16(y[c][i].bsums, correctionWeights));
        }
    }
#pragma GCC unroll 4
    for (int c = 0; c < Cols; ++c) out[c] = horizontalSum(acc[c]) - corrections[c];
}

template <class Block> float dotK2(std::int64_t n, const void* w, const void* a) {
    float out;
    dotK2Cols<Block, 1>(n, w, a, 0, &out);
    return out;
}

// ---- floats -----------------------------------------------------------------------------------

inline __m256 loadHalf8(const std::uint16_t* p) {
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

inline __m256 loadBf16x8(const std::uint16_t* p) {
    const __m256i wide =
        _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
}

float dotF32F32(std::int64_t n, const float* x, const float* y) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    std::int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 8), _mm256_loadu_ps(y + i + 8), acc1);
    }
    for (; i + 8 <= n; i += 8)
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), acc0);
    float sum = horizontalSum(_mm256_add_ps(acc0, acc1));
    for (; i < n; ++i) sum += x[i] * y[i];
    return sum;
}

float dotF32(std::int64_t n, const void* w, const void* a) {
    return dotF32F32(n, static_cast<const float*>(w), static_cast<const float*>(a));
}

float dotF16F32(std::int64_t n, const std::uint16_t* x, const float* y) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    std::int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = _mm256_fmadd_ps(loadHalf8(x + i), _mm256_loadu_ps(y + i), acc0);
        acc1 = _mm256_fmadd_ps(loadHalf8(x + i + 8), _mm256_loadu_ps(y + i + 8), acc1);
    }
    for (; i + 8 <= n; i += 8)
        acc0 = _mm256_fmadd_ps(loadHalf8(x + i), _mm256_loadu_ps(y + i), acc0);
    float sum = horizontalSum(_mm256_add_ps(acc0, acc1));
    for (; i < n; ++i) sum += halfToFloat(x[i]) * y[i];
    return sum;
}

float dotF16(std::int64_t n, const void* w, const void* a) {
    const auto* x = static_cast<const std::uint16_t*>(w);
    const auto* y = static_cast<const std::uint16_t*>(a);
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    std::int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = _mm256_fmadd_ps(loadHalf8(x + i), loadHalf8(y + i), acc0);
        acc1 = _mm256_fmadd_ps(loadHalf8(x + i + 8), loadHalf8(y + i + 8), acc1);
    }
    for (; i + 8 <= n; i += 8) acc0 = _mm256_fmadd_ps(loadHalf8(x + i), loadHalf8(y + i), acc0);
    float sum = horizontalSum(_mm256_add_ps(acc0, acc1));
    for (; i < n; ++i) sum += halfToFloat(x[i]) * halfToFloat(y[i]);
    return sum;
}

float dotBF16(std::int64_t n, const void* w, const void* a) {
    const auto* x = static_cast<const std::uint16_t*>(w);
    const auto* y = static_cast<const std::uint16_t*>(a);
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    std::int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = _mm256_fmadd_ps(loadBf16x8(x + i), loadBf16x8(y + i), acc0);
        acc1 = _mm256_fmadd_ps(loadBf16x8(x + i + 8), loadBf16x8(y + i + 8), acc1);
    }
    for (; i + 8 <= n; i += 8) acc0 = _mm256_fmadd_ps(loadBf16x8(x + i), loadBf16x8(y + i), acc0);
    float sum = horizontalSum(_mm256_add_ps(acc0, acc1));
    for (; i < n; ++i) {
        const std::uint32_t xb = std::uint32_t(x[i]) << 16, yb = std::uint32_t(y[i]) << 16;
        float xf, yf;
        std::memcpy(&xf, &xb, 4);
        std::memcpy(&yf, &yb, 4);
        sum += xf * yf;
    }
    return sum;
}

// Float weights against 4 activation rows: each 8-value weight vector is loaded and converted
// once for all four. Load converts 8 values of the weight (W) or activation (A) format.
template <__m256 (*LoadW)(const void*, std::int64_t), __m256 (*LoadA)(const void*, std::int64_t),
          int ElementBytes, float (*Dot)(std::int64_t, const void*, const void*)>
void dotFloat4(std::int64_t n, const void* w, const void* a, std::size_t stride, float* out) {
    const auto* act = static_cast<const std::uint8_t*>(a);
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(),
                     _mm256_setzero_ps()};
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 x = LoadW(w, i);
#pragma GCC unroll 4
        for (int c = 0; c < 4; ++c) acc[c] = _mm256_fmadd_ps(x, LoadA(act + c * stride, i), acc[c]);
    }
#pragma GCC unroll 4
    for (int c = 0; c < 4; ++c) {
        out[c] = horizontalSum(acc[c]);
        if (i < n) // the tail through the one-row kernel
            out[c] += Dot(n - i, static_cast<const std::uint8_t*>(w) + i * ElementBytes,
                          act + c * stride + i * ElementBytes);
    }
}

inline __m256 loadF32At(const void* p, std::int64_t i) {
    return _mm256_loadu_ps(static_cast<const float*>(p) + i);
}
inline __m256 loadF16At(const void* p, std::int64_t i) {
    return loadHalf8(static_cast<const std::uint16_t*>(p) + i);
}
inline __m256 loadBf16At(const void* p, std::int64_t i) {
    return loadBf16x8(static_cast<const std::uint16_t*>(p) + i);
}

void axpyF32(std::int64_t n, float alpha, const float* x, float* y) {
    const __m256 a = _mm256_set1_ps(alpha);
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, _mm256_fmadd_ps(a, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
    for (; i < n; ++i) y[i] += alpha * x[i];
}

void axpyF16(std::int64_t n, float alpha, const std::uint16_t* x, float* y) {
    const __m256 a = _mm256_set1_ps(alpha);
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, _mm256_fmadd_ps(a, loadHalf8(x + i), _mm256_loadu_ps(y + i)));
    for (; i < n; ++i) y[i] += alpha * halfToFloat(x[i]);
}

void scaleF32(std::int64_t n, float alpha, float* y) {
    const __m256 a = _mm256_set1_ps(alpha);
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_mul_ps(a, _mm256_loadu_ps(y + i)));
    for (; i < n; ++i) y[i] *= alpha;
}

void f16ToF32(const std::uint16_t* src, float* dst, std::int64_t n) {
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(dst + i, loadHalf8(src + i));
    for (; i < n; ++i) dst[i] = halfToFloat(src[i]);
}

void f32ToF16(const float* src, std::uint16_t* dst, std::int64_t n) {
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i),
                         _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT));
    for (; i < n; ++i) dst[i] = _cvtss_sh(src[i], _MM_FROUND_TO_NEAREST_INT);
}

void quantizeF16(const float* src, void* dst, std::int64_t n) {
    f32ToF16(src, static_cast<std::uint16_t*>(dst), n);
}

#include "inference/compute/cpu/kernels_x86_quantize.inl"
#include "inference/compute/cpu/kernels_x86_tiles.inl"

} // namespace

void ATELIER_INSTALL_KERNELS(Kernels& k) {
    k.dot[int(ElementType::F32)] = dotF32;
    k.dot[int(ElementType::F16)] = dotF16;
    k.dot[int(ElementType::BF16)] = dotBF16;
    k.dot[int(ElementType::Q4_0)] = dotLegacy<BlockQ4_0, BlockQ8_0, valuesQ4_0, true>;
    k.dot[int(ElementType::Q4_1)] = dotLegacy<BlockQ4_1, BlockQ8_1, valuesQ4_1, false>;
    k.dot[int(ElementType::Q5_0)] = dotLegacy<BlockQ5_0, BlockQ8_0, valuesQ5_0, true>;
    k.dot[int(ElementType::Q5_1)] = dotLegacy<BlockQ5_1, BlockQ8_1, valuesQ5_1, false>;
    k.dot[int(ElementType::Q8_0)] = dotLegacy<BlockQ8_0, BlockQ8_0, valuesQ8_0, true>;
    k.dot[int(ElementType::Q2_K)] = dotK2<BlockQ2_K>;
    k.dot[int(ElementType::Q3_K)] = dotK2<BlockQ3_K>;
    k.dot[int(ElementType::Q4_K)] = dotK4<BlockQ4_K>;
    k.dot[int(ElementType::Q5_K)] = dotK4<BlockQ5_K>;
    k.dot[int(ElementType::Q6_K)] = dotQ6_K;
    k.dot4[int(ElementType::F32)] = dotFloat4<loadF32At, loadF32At, 4, dotF32>;
    k.dot4[int(ElementType::F16)] = dotFloat4<loadF16At, loadF16At, 2, dotF16>;
    k.dot4[int(ElementType::BF16)] = dotFloat4<loadBf16At, loadBf16At, 2, dotBF16>;
    k.dot4[int(ElementType::Q4_0)] = dotLegacyCols<BlockQ4_0, BlockQ8_0, valuesQ4_0, true, 4>;
    k.dot4[int(ElementType::Q4_1)] = dotLegacyCols<BlockQ4_1, BlockQ8_1, valuesQ4_1, false, 4>;
    k.dot4[int(ElementType::Q5_0)] = dotLegacyCols<BlockQ5_0, BlockQ8_0, valuesQ5_0, true, 4>;
    k.dot4[int(ElementType::Q5_1)] = dotLegacyCols<BlockQ5_1, BlockQ8_1, valuesQ5_1, false, 4>;
    k.dot4[int(ElementType::Q8_0)] = dotLegacyCols<BlockQ8_0, BlockQ8_0, valuesQ8_0, true, 4>;
    k.dot4[int(ElementType::Q2_K)] = dotK2Cols<BlockQ2_K, 4>;
    k.dot4[int(ElementType::Q3_K)] = dotK2Cols<BlockQ3_K, 4>;
    k.dot4[int(ElementType::Q4_K)] = dotK4Cols<BlockQ4_K, 4>;
    k.dot4[int(ElementType::Q5_K)] = dotK4Cols<BlockQ5_K, 4>;
    k.dot4[int(ElementType::Q6_K)] = dotQ6_KCols<4>;
    k.quantize[int(ElementType::F16)] = quantizeF16;
    k.quantize[int(ElementType::Q8_0)] = quantizeQ8_0;
    k.quantize[int(ElementType::Q8_1)] = quantizeQ8_1;
    k.quantize[int(ElementType::Q8_K)] = quantizeQ8_K;
    k.dotF32 = dotF32F32;
    k.dotF16F32 = dotF16F32;
    k.axpyF32 = axpyF32;
    k.axpyF16 = axpyF16;
    k.scaleF32 = scaleF32;
    k.f16ToF32 = f16ToF32;
    k.f32ToF16 = f32ToF16;
    installTileKernels(k);
}

} // namespace atelier::compute::cpu

#else // built without the instruction sets (another compiler or CPU): nothing to install

namespace atelier::compute::cpu {
void ATELIER_INSTALL_KERNELS(Kernels&) {}
} // namespace atelier::compute::cpu

#endif
