// exp, tanh, erfc and silu as the CPU backend computes them (cpu/exp_like_ggml.hpp): the same
// IEEE float operations in the same order, so both backends give bit-identical results. Every
// intermediate is `precise`, so the compiler neither contracts a*b+c nor reorders.
//
// fmaExact(a, b, c) must round once, as std::fma and the CPU's SIMD fma do. GLSL's fma() need
// not: Vulkan lets it be a multiply then an add, and lavapipe does exactly that. With
// EXACT_FMA (devices with shaderFloat64) it is computed in double: the product of two floats is
// exact in double, the sum rounds once to double, and where that double sits exactly halfway
// between two floats (the only case in which rounding it again to float can go wrong) the
// rounding error of the sum, found exactly by TwoSum, tells which way to go. Without float64
// it is fma(), exact wherever the hardware fuses (every current desktop GPU does).
#ifdef EXACT_FMA
// s rounded to float, where s = p + c rounded to double and p + c is exact in real numbers:
// only when s lies exactly halfway between two floats (rare) can that double rounding go the
// wrong way, and then the error of the sum (TwoSum, exact) says which way is right.
float roundSumToFloat(double s, double p, double c) {
    uvec2 w = unpackDouble2x32(s);
    if ((w.x & 0x1fffffffu) == 0x10000000u) {
        precise double back = s - p;
        precise double err = (p - (s - back)) + (c - back);
        if (err != 0.0lf) {
            w.x = ((err > 0.0lf) == (s > 0.0lf)) ? w.x + 1u : w.x - 1u; // off the midpoint
            return float(packDouble2x32(w));
        }
    }
    return float(s);
}

float fmaExact(float a, float b, float c) {
    precise double p = double(a) * double(b); // exact: 24 + 24 bits
    precise double s = p + double(c);
    return roundSumToFloat(s, p, double(c));
}

vec4 fmaExact4(vec4 a, vec4 b, vec4 c) {
    precise dvec4 p = dvec4(a) * dvec4(b);
    precise dvec4 s = p + dvec4(c);
    return vec4(roundSumToFloat(s.x, p.x, double(c.x)), roundSumToFloat(s.y, p.y, double(c.y)),
                roundSumToFloat(s.z, p.z, double(c.z)), roundSumToFloat(s.w, p.w, double(c.w)));
}
#else
float fmaExact(float a, float b, float c) {
    precise float r = fma(a, b, c);
    return r;
}

vec4 fmaExact4(vec4 a, vec4 b, vec4 c) {
    precise vec4 r = fma(a, b, c);
    return r;
}
#endif

// llama.cpp's vectorised expf (ggml_v_expf, AVX2 form); see exp_like_ggml.hpp.
float expLikeGgml(float x) {
    const float shifter = uintBitsToFloat(0x4b400000u);    // 0x1.8p23
    precise float z = fmaExact(x, uintBitsToFloat(0x3fb8aa3bu), shifter); // 0x1.715476p+0
    precise float n = z - shifter;
    precise float b = fmaExact(-n, uintBitsToFloat(0x35bfbe8eu),           // 0x1.7f7d1cp-20
                               fmaExact(-n, uintBitsToFloat(0x3f317200u), x)); // 0x1.62e4p-1
    const uint e = floatBitsToUint(z) << 23;
    const float k = uintBitsToFloat(e + 0x3f800000u);
    precise float u = b * b;
    precise float pb = uintBitsToFloat(0x3f7ffff6u) * b; // 0x1.ffffecp-1
    precise float j = fmaExact(
        fmaExact(fmaExact(uintBitsToFloat(0x3c072010u), b, uintBitsToFloat(0x3d2b9f17u)), u,
                 fmaExact(uintBitsToFloat(0x3e2aaf33u), b, uintBitsToFloat(0x3efffedbu))),
        u, pb); // 0x1.0e4020p-7, 0x1.573e2ep-5, 0x1.555e66p-3, 0x1.fffdb6p-2
    const float an = abs(n);
    if (!(an > 126.0)) return fmaExact(k, j, k);
    const uint g = n <= 0.0 ? 0x82000000u : 0u;
    const float s1 = uintBitsToFloat(g + 0x7f000000u);
    const float s2 = uintBitsToFloat(e - g);
    precise float r;
    if (an > 192.0) {
        r = s1 * s1;
    } else {
        r = fmaExact(s2, j, s2) * s1;
    }
    return r;
}

float siluLikeGgml(float x) {
    precise float d = 1.0 + expLikeGgml(-x);
    precise float r = x / d;
    return r;
}

float tanhShared(float x) {
    const float a = abs(x);
    precise float r;
    if (a < 0.625) {
        precise float z = x * x;
        precise float p = fmaExact(-5.70498872745e-3, z, 2.06390887954e-2);
        p = fmaExact(p, z, -5.37397155531e-2);
        p = fmaExact(p, z, 1.33314422036e-1);
        p = fmaExact(p, z, -3.33332819422e-1);
        precise float pz = p * z;
        r = fmaExact(pz, x, x);
    } else if (!(a < 10.0)) {
        r = isnan(x) ? x : (x < 0.0 ? -1.0 : 1.0);
    } else {
        precise float twice = a + a;
        precise float den = expLikeGgml(twice) + 1.0;
        precise float q = 2.0 / den;
        precise float m = 1.0 - q;
        r = x < 0.0 ? -m : m;
    }
    return r;
}

float erfcShared(float y) {
    const float a = abs(y);
    precise float t = 1.0 / fmaExact(0.5, a, 1.0);
    precise float p = fmaExact(t, 0.17087277, -0.82215223);
    p = fmaExact(p, t, 1.48851587);
    p = fmaExact(p, t, -1.13520398);
    p = fmaExact(p, t, 0.27886807);
    p = fmaExact(p, t, -0.18628806);
    p = fmaExact(p, t, 0.09678418);
    p = fmaExact(p, t, 0.37409196);
    p = fmaExact(p, t, 1.00002368);
    p = fmaExact(p, t, -1.26551223);
    precise float r = t * expLikeGgml(fmaExact(-a, a, p));
    precise float result = y >= 0.0 ? r : 2.0 - r;
    return result;
}

float geluErfShared(float x) {
    precise float hx = 0.5 * x;
    precise float r = hx * erfcShared(x * -0.70710678118654752);
    return r;
}

float geluTanhShared(float x) {
    precise float cube = 0.044715 * x * x * x;
    precise float inner = 0.79788456080286536 * (x + cube);
    precise float hx = 0.5 * x;
    precise float r = hx * (1.0 + tanhShared(inner));
    return r;
}
