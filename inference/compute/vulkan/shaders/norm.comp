#version 450
// Per row: RMS norm (mode 0) x / sqrt(mean(x^2) + eps), or layer norm (mode 1)
// (x - mean) / sqrt(var + eps); times weight and plus bias when given. One workgroup a row.
// With FLOAT64 (devices with shaderFloat64; the "norm_x" build) the sums are taken in double as
// the CPU backend (and llama.cpp) takes them, and every step rounds as the CPU's does, so both
// backends give the same bits (the double sums' order differs, but their rounding to float
// then agrees except where a sum lies within ~1e-14 of a float's rounding boundary).
#define WG_SIZE 64u
layout(local_size_x = 64) in;

layout(binding = 0) readonly buffer X { float x[]; };
layout(binding = 1) readonly buffer W { float w[]; };
layout(binding = 2) readonly buffer Bias { float bias[]; };
layout(binding = 3) writeonly buffer Dst { float d[]; };

layout(push_constant) uniform Params {
    uint mode, hasWeight, hasBias;
    uint ne0, ne1, ne2, rows;
    uint xBase, xNb1, xNb2, xNb3;
    uint wBase, bBase;
    uint dBase, dNb1, dNb2, dNb3;
    float eps;
} p;

#include "common.glsl"
#include "reduce.glsl"

#ifdef FLOAT64
shared double reduceDouble[WG_SIZE];

double wgSumDouble(double v) {
    const uint i = gl_LocalInvocationIndex;
    barrier();
    reduceDouble[i] = v;
    barrier();
    [[unroll]] for (uint s = WG_SIZE / 2u; s > 0u; s >>= 1) {
        if (i < s) reduceDouble[i] += reduceDouble[i + s];
        barrier();
    }
    return reduceDouble[0];
}
#endif

void main() {
    const uint r = linearGroup();
    if (r >= p.rows) return;
    const uint i1 = r % p.ne1, i2 = (r / p.ne1) % p.ne2, i3 = r / (p.ne1 * p.ne2);
    const uint in0 = p.xBase + i1 * p.xNb1 + i2 * p.xNb2 + i3 * p.xNb3;
    const uint out0 = p.dBase + i1 * p.dNb1 + i2 * p.dNb2 + i3 * p.dNb3;
    const uint tid = gl_LocalInvocationIndex;

#ifdef FLOAT64
    // As cpu/norms.cpp: mean = float(sum / n), var from double((x - mean)^2), s = 1 / sqrt(.).
    precise float mean = 0.0;
    if (p.mode == 1u) {
        double sum = 0.0lf;
        for (uint i = tid; i < p.ne0; i += WG_SIZE) sum += double(x[in0 + i]);
        mean = float(wgSumDouble(sum) / double(p.ne0));
    }
    double sumSq = 0.0lf;
    for (uint i = tid; i < p.ne0; i += WG_SIZE) {
        precise const float v = x[in0 + i] - mean;
        sumSq += double(v) * double(v);
    }
    precise const float root = sqrt(float(wgSumDouble(sumSq) / double(p.ne0)) + p.eps);
    precise const float s = 1.0 / root;
    for (uint i = tid; i < p.ne0; i += WG_SIZE) {
        precise float v = p.mode == 1u ? (x[in0 + i] - mean) * s : x[in0 + i] * s;
        if (p.hasWeight != 0u) v = v * w[p.wBase + i];
        if (p.mode == 1u) v = v + (p.hasBias != 0u ? bias[p.bBase + i] : 0.0); // -0 + 0 too
        d[out0 + i] = v;
    }
#else
    float mean = 0.0;
    if (p.mode == 1u) {
        float sum = 0.0;
        for (uint i = tid; i < p.ne0; i += WG_SIZE) sum += x[in0 + i];
        mean = wgSum(sum) / float(p.ne0);
    }
    float sumSq = 0.0;
    for (uint i = tid; i < p.ne0; i += WG_SIZE) {
        const float v = x[in0 + i] - mean;
        sumSq += v * v;
    }
    const float s = inversesqrt(wgSum(sumSq) / float(p.ne0) + p.eps);
    for (uint i = tid; i < p.ne0; i += WG_SIZE) {
        float v = (x[in0 + i] - mean) * s;
        if (p.hasWeight != 0u) v *= w[p.wBase + i];
        if (p.hasBias != 0u) v += bias[p.bBase + i];
        d[out0 + i] = v;
    }
#endif
}
