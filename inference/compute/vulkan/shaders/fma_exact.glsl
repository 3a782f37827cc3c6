// fmaExact(a, b, c) = a * b + c rounded once, as std::fma and the CPU's SIMD fma round it.
// GLSL's fma() need not fuse: Vulkan lets it be a multiply then an add, and lavapipe does exactly
// that. With EXACT_FMA (devices with shaderFloat64: the "_x" shader builds) it is computed in
// double: the product of two floats is exact in double, the sum rounds once to double, and where
// that double sits exactly halfway between two floats (the only case in which rounding it again
// to float can go wrong) the sum's rounding error, found exactly by TwoSum, says which way to go.
// Without float64 it is fma(), exact wherever the hardware fuses (every current desktop GPU). The
// "_xf" builds (FUSED_FMA) are for devices whose fma() was seen to round once (fma_probe.comp):
// they use fma() and keep float64 only for the sums, which costs far less on GPUs whose float64
// rate is a small fraction of their float rate.
#ifndef FMA_EXACT_GLSL
#define FMA_EXACT_GLSL
#if defined(EXACT_FMA) && !defined(FUSED_FMA)
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
#endif
