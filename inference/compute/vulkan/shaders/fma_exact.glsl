// fmaExact(a, b, c) = a * b + c rounded once, as std::fma and the CPU's SIMD fma round it.
// GLSL's fma() need not fuse: Vulkan lets it be a multiply then an add, and lavapipe does exactly
// that. With EXACT_FMA (devices with shaderFloat64: the "_x" shader builds) it is computed in
// double: the product of two floats is exact in double, the sum rounds once to double, and where
// that double sits exactly halfway between two floats (the only case in which rounding it again
// to float can go wrong) the sum's rounding error, found exactly by TwoSum, says which way to go.
// Without float64 it is fma(), exact wherever the hardware fuses (every current desktop GPU).
#ifndef FMA_EXACT_GLSL
#define FMA_EXACT_GLSL
#ifdef EXACT_FMA
float fmaExact(float a, float b, float c) {
    precise double p = double(a) * double(b);
    precise double s = p + double(c);
    precise double back = s - p;
    precise double err = (p - (s - back)) + (double(c) - back);
    uvec2 w = unpackDouble2x32(s);
    if ((w.x & 0x1fffffffu) == 0x10000000u && err != 0.0lf) {
        w.x = ((err > 0.0lf) == (s > 0.0lf)) ? w.x + 1u : w.x - 1u; // away from the midpoint
        s = packDouble2x32(w);
    }
    return float(s);
}
#else
float fmaExact(float a, float b, float c) {
    precise float r = fma(a, b, c);
    return r;
}
#endif
#endif
