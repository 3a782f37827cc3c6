#pragma once
// exp, tanh, erfc and silu as one fixed sequence of IEEE float operations: every fma is a
// std::fma (one rounding), every other step one plain operation. Nothing is left for the
// compiler to reorder (no -ffast-math) or to contract: GCC fuses a multiply into a following
// add wherever FMA instructions are enabled (forEachIndex below enables them), so each product
// that feeds an add goes through opaque(). The Vulkan shaders run the same sequence
// (vulkan/shaders/exp.glsl), so softmax, the activations and attention give bit-identical
// results on both backends.
//
// The exp is the algorithm of glibc's expf (since 2.27, from Arm's optimized-routines), which is
// what our CPU backend called before and what kept its greedy text identical to llama.cpp's on
// SmolLM2 (ggml's own vectorised expf, in either its AVX2 or AVX-512 form, made it depart): in
// double, x / ln2 * 32 = k + r, 2^(k/32) from a 32-entry table (the nearest doubles to
// 2^(i/32), with i << 47 taken off), a cubic for 2^(r/32), one rounding to float at the end.
// Its double intermediates are so much finer than a float that the result equals std::exp's on
// glibc bit for bit (checked on 20 million inputs, with and without fused multiply-adds) and
// does not depend on the platform's libm.
#include <bit>
#include <cmath>
#include <cstdint>

namespace atelier::compute::cpu {

// v (a float or a double), which the compiler must treat as unknown: a product passed through
// it cannot be fused with the add that uses it. Costs nothing (the value stays in its register).
template <class T> inline T opaque(T v) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    asm("" : "+x"(v));
#elif defined(__GNUC__) && defined(__aarch64__)
    asm("" : "+w"(v));
#endif
    return v;
}

// Bits of the nearest double to 2^(i/32), minus i << 47 (so that adding k << 47 gives 2^(k/32)).
inline constexpr std::uint64_t kExp2Table[32] = {
    0x3ff0000000000000ull, 0x3fefd9b0d3158574ull, 0x3fefb5586cf9890full, 0x3fef9301d0125b51ull,
    0x3fef72b83c7d517bull, 0x3fef54873168b9aaull, 0x3fef387a6e756238ull, 0x3fef1e9df51fdee1ull,
    0x3fef06fe0a31b715ull, 0x3feef1a7373aa9cbull, 0x3feedea64c123422ull, 0x3feece086061892dull,
    0x3feebfdad5362a27ull, 0x3feeb42b569d4f82ull, 0x3feeab07dd485429ull, 0x3feea47eb03a5585ull,
    0x3feea09e667f3bcdull, 0x3fee9f75e8ec5f74ull, 0x3feea11473eb0187ull, 0x3feea589994cce13ull,
    0x3feeace5422aa0dbull, 0x3feeb737b0cdc5e5ull, 0x3feec49182a3f090ull, 0x3feed503b23e255dull,
    0x3feee89f995ad3adull, 0x3feeff76f2fb5e47ull, 0x3fef199bdd85529cull, 0x3fef3720dcef9069ull,
    0x3fef5818dcfba487ull, 0x3fef7c97337b9b5full, 0x3fefa4afa2a490daull, 0x3fefd0765b6e4540ull};

inline float expShared(float x) {
    if (x != x) return x;
    if (x > 0x1.62e42ep6f) return HUGE_VALF;                    // above log(0x1p128)
    if (x < -0x1.9fe368p6f) return 0.0f;                        // below log(0x1p-150)
    const double z = (0x1.71547652b82fep+0 * 32.0) * double(x); // x * 32 / ln2
    double kd = opaque(z + 0x1.8p+52); // k rounded (ties to even) into the low bits
    const auto ki = std::bit_cast<std::uint64_t>(kd);
    kd = kd - 0x1.8p+52;
    const double r = z - kd;
    const double s = std::bit_cast<double>(kExp2Table[ki % 32] + (ki << 47)); // 2^(k/32)
    const double c0 = 0x1.c6af84b912394p-5 / 32768.0, c1 = 0x1.ebfce50fac4f3p-3 / 1024.0,
                 c2 = 0x1.62e42ff0c52d6p-1 / 32.0; // 2^(r/32) - 1 ~ c2 r + c1 r^2 + c0 r^3
    const double p = opaque(c0 * r) + c1;
    const double r2 = r * r;
    const double q = opaque(c2 * r) + 1.0;
    const double y = opaque(p * r2) + q;
    return float(y * s);
}

// x / (1 + e^-x), as llama.cpp's silu.
inline float siluShared(float x) {
    return x / (1.0f + expShared(-x));
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
    const float r = 1.0f - 2.0f / (expShared(a + a) + 1.0f);
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
    const float r = opaque(t * expShared(std::fma(-a, a, p)));
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
