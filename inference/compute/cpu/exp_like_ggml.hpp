#pragma once
// exp, tanh, erfc and silu as one fixed sequence of IEEE float operations: every fma is a
// std::fma (one rounding), every other step one plain operation. Nothing is left for the
// compiler to reorder (no -ffast-math) or to contract: GCC fuses a multiply into a following
// add wherever FMA instructions are enabled (forEachIndex below enables them), so each product
// that feeds an add goes through opaque(). The Vulkan shaders run the same sequence
// (vulkan/shaders/exp.glsl), so softmax, the activations and attention give bit-identical
// results on both backends.
//
// The exp is the algorithm of llama.cpp's vectorised expf (ggml_v_expf, its AVX2 form, used by
// its softmax and silu): x = n ln2 + b with n rounded by the 0x1.8p23 shifter and ln2 split in
// two, 2^n built in the exponent bits, a degree-5 polynomial for e^b, and a slow path with two
// scale factors when |n| > 126 (overflow to inf and underflow to 0 past |n| > 192). Its error is
// below 1.5 ulp; following it also keeps our rounding close to llama.cpp's.
#include <bit>
#include <cmath>
#include <cstdint>

namespace atelier::compute::cpu {

// v, which the compiler must treat as unknown: a product passed through it cannot be fused
// with the add that uses it. Costs nothing (the value stays in its register).
inline float opaque(float v) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    asm("" : "+x"(v));
#elif defined(__GNUC__) && defined(__aarch64__)
    asm("" : "+w"(v));
#endif
    return v;
}

inline float expLikeGgml(float x) {
    const float shifter = 0x1.8p23f;
    const float z = std::fma(x, 0x1.715476p+0f, shifter); // x / ln2, rounded, in the low bits
    const float n = z - shifter;
    const float b = std::fma(-n, 0x1.7f7d1cp-20f, std::fma(-n, 0x1.62e4p-1f, x)); // x - n ln2
    const std::uint32_t e = std::bit_cast<std::uint32_t>(z) << 23;
    const float k = std::bit_cast<float>(e + std::bit_cast<std::uint32_t>(1.0f)); // 2^n
    const float u = b * b;
    const float j = std::fma(std::fma(std::fma(0x1.0e4020p-7f, b, 0x1.573e2ep-5f), u,
                                      std::fma(0x1.555e66p-3f, b, 0x1.fffdb6p-2f)),
                             u, 0x1.ffffecp-1f * b); // e^b - 1
    const float an = std::fabs(n);
    if (!(an > 126.0f)) return std::fma(k, j, k); // also NaN
    // 2^n is out of the normal range: scale in two steps.
    const std::uint32_t g = n <= 0.0f ? 0x82000000u : 0u;
    const float s1 = std::bit_cast<float>(g + 0x7f000000u);
    const float s2 = std::bit_cast<float>(e - g);
    if (an > 192.0f) return opaque(s1 * s1); // inf or 0
    return opaque(std::fma(s2, j, s2) * s1);
}

// x / (1 + e^-x), as llama.cpp's silu.
inline float siluLikeGgml(float x) {
    return x / (1.0f + expLikeGgml(-x));
}

// tanh: an odd polynomial below 0.625 (Cephes' tanhf coefficients, ~1e-7 relative), else
// 1 - 2 / (e^2|x| + 1) with the sign of x. Within 2 ulp of std::tanh.
inline float tanhShared(float x) {
    const float a = std::fabs(x);
    if (a < 0.625f) {
        const float z = x * x;
        float p = std::fma(-5.70498872745e-3f, z, 2.06390887954e-2f);
        p = std::fma(p, z, -5.37397155531e-2f);
        p = std::fma(p, z, 1.33314422036e-1f);
        p = std::fma(p, z, -3.33332819422e-1f);
        return std::fma(p * z, x, x);
    }
    if (!(a < 10.0f)) return x != x ? x : std::copysign(1.0f, x); // tanh(10) is 1 in float
    const float r = 1.0f - 2.0f / (expLikeGgml(a + a) + 1.0f);
    return std::copysign(r, x);
}

// erfc with a relative error below ~2e-7 everywhere (a Chebyshev fit of erfc(a) e^{a^2} in
// t = 1 / (1 + a/2), as in Numerical Recipes' erfcc); for negative y, 2 - erfc(-y).
inline float erfcShared(float y) {
    const float a = std::fabs(y);
    const float t = 1.0f / std::fma(0.5f, a, 1.0f);
    float p = std::fma(t, 0.17087277f, -0.82215223f);
    p = std::fma(p, t, 1.48851587f);
    p = std::fma(p, t, -1.13520398f);
    p = std::fma(p, t, 0.27886807f);
    p = std::fma(p, t, -0.18628806f);
    p = std::fma(p, t, 0.09678418f);
    p = std::fma(p, t, 0.37409196f);
    p = std::fma(p, t, 1.00002368f);
    p = std::fma(p, t, -1.26551223f);
    const float r = opaque(t * expLikeGgml(std::fma(-a, a, p)));
    return y >= 0.0f ? r : 2.0f - r;
}

// GELU, exact form: x/2 (1 + erf(x/sqrt2)) = x/2 erfc(-x/sqrt2), accurate also for x << 0.
inline float geluErfShared(float x) {
    return 0.5f * x * erfcShared(x * -0.70710678118654752f);
}

// GELU, tanh form.
inline float geluTanhShared(float x) {
    const float inner = 0.79788456080286536f * (x + opaque(0.044715f * x * x * x));
    return 0.5f * x * (1.0f + tanhShared(inner));
}

// fn(i) for i in [0, n). Where the CPU has FMA the loop is compiled for it, so that the
// functions above, inlined into it, get one fma instruction per std::fma instead of a libm
// call (5x faster, same bits); elsewhere a plain loop.
template <class Fn> inline void forEachIndexPlain(std::int64_t n, Fn fn) {
    for (std::int64_t i = 0; i < n; ++i) fn(i);
}
#if defined(__GNUC__) && defined(__x86_64__)
template <class Fn>
__attribute__((target("avx2,fma"))) inline void forEachIndexFma(std::int64_t n, Fn fn) {
    for (std::int64_t i = 0; i < n; ++i) fn(i);
}
template <class Fn> inline void forEachIndex(std::int64_t n, Fn fn) {
    static const bool fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (fma) {
        forEachIndexFma(n, fn);
    } else {
        forEachIndexPlain(n, fn);
    }
}
#else
template <class Fn> inline void forEachIndex(std::int64_t n, Fn fn) {
    forEachIndexPlain(n, fn);
}
#endif

} // namespace atelier::compute::cpu
