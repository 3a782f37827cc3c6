// fmaRoundedOnce(a, b, c) = a * b + c rounded once, as std::fma and the CPU's fused SIMD do,
// from float adds and multiplies only (no float64 needed). GLSL's fma() need not fuse: Vulkan
// allows a multiply then an add, and lavapipe does exactly that. The emulation is Boldo and
// Melquiond's ("Emulation of FMA and correctly-rounded sums: proved algorithms using rounding
// to odd", IEEE TC 2008): the exact product (Dekker with Veltkamp's split), an exact sum with c,
// the two error terms added with rounding to odd, one final rounding to nearest. Exact while
// nothing overflows and a * b stays above about 2^-100. Every step is `precise`, so the
// compiler neither contracts nor reassociates. About 25 operations: for small kernels (rope).
#ifndef FMA_ONCE_GLSL
#define FMA_ONCE_GLSL

// hi + lo == a * b exactly.
void twoProductExact(float a, float b, out float hi, out float lo) {
    precise float ca = 4097.0 * a; // 2^12 + 1: halves of 12 bits
    precise float ah = ca - (ca - a);
    precise float al = a - ah;
    precise float cb = 4097.0 * b;
    precise float bh = cb - (cb - b);
    precise float bl = b - bh;
    precise float p = a * b;
    precise float e = (((ah * bh - p) + ah * bl) + al * bh) + al * bl;
    hi = p;
    lo = e;
}

// s + e == a + b exactly, s = the rounded sum (Knuth's TwoSum).
void twoSumExact(float a, float b, out float s, out float e) {
    precise float sum = a + b;
    precise float bv = sum - a;
    precise float err = (a - (sum - bv)) + (b - bv);
    s = sum;
    e = err;
}

// a + b rounded to odd: the sum if exact, else whichever neighbour has an odd significand.
float addRoundToOdd(float a, float b) {
    float s, e;
    twoSumExact(a, b, s, e);
    uint bits = floatBitsToUint(s);
    if (e != 0.0 && (bits & 1u) == 0u) // s even: step to the other neighbour, towards a + b
        bits = ((e > 0.0) == (s > 0.0)) ? bits + 1u : bits - 1u;
    return uintBitsToFloat(bits);
}

float fmaRoundedOnce(float a, float b, float c) {
    float uh, ul, th, tl;
    twoProductExact(a, b, uh, ul);
    twoSumExact(c, uh, th, tl);
    precise float v = addRoundToOdd(tl, ul);
    precise float r = th + v;
    return r;
}

#endif
