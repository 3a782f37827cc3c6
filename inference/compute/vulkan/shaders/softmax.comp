#version 450
// Row-wise softmax(scale * x + mask); mask [ne0, ne1] is shared by dims 2 and 3. A row that is
// masked everywhere becomes zeros. One workgroup a row. As the CPU backend: scale and mask
// rounded separately, its exp (exp.glsl), the sum in double (EXACT_FMA builds; each invocation
// sums its columns, then a tree: the float(1 / sum) that scales the row is the CPU's but in
// astronomically rare cases), so the _x build is bit-identical to the CPU.
#define WG_SIZE 64u
layout(local_size_x = 64) in;

layout(binding = 0) readonly buffer X { float x[]; };
layout(binding = 1) readonly buffer Mask { float mask[]; };
layout(binding = 2) buffer Dst { float d[]; };

layout(push_constant) uniform Params {
    uint ne0, ne1, ne2, rows, hasMask;
    uint xBase, xNb1, xNb2, xNb3;
    uint mBase, mNb1;
    uint dBase, dNb1, dNb2, dNb3;
    float scale;
} p;

#include "common.glsl"
#include "reduce.glsl"
#include "exp.glsl"

#ifdef EXACT_FMA
shared double sumPartial[WG_SIZE];

double wgSumDouble(double v) {
    const uint i = gl_LocalInvocationIndex;
    barrier();
    sumPartial[i] = v;
    barrier();
    [[unroll]] for (uint s = WG_SIZE / 2u; s > 0u; s >>= 1) {
        if (i < s) sumPartial[i] += sumPartial[i + s];
        barrier();
    }
    return sumPartial[0];
}
#endif

void main() {
    const uint r = linearGroup();
    if (r >= p.rows) return;
    const uint i1 = r % p.ne1, i2 = (r / p.ne1) % p.ne2, i3 = r / (p.ne1 * p.ne2);
    const uint in0 = p.xBase + i1 * p.xNb1 + i2 * p.xNb2 + i3 * p.xNb3;
    const uint m0 = p.mBase + i1 * p.mNb1;
    const uint out0 = p.dBase + i1 * p.dNb1 + i2 * p.dNb2 + i3 * p.dNb3;
    const uint tid = gl_LocalInvocationIndex;

    // Each invocation owns the same columns in every pass, so dst can hold the scores.
    float best = uintBitsToFloat(0xff800000u); // -inf
    for (uint i = tid; i < p.ne0; i += WG_SIZE) {
        precise float scaled = x[in0 + i] * p.scale;
        precise float v = scaled + (p.hasMask != 0u ? mask[m0 + i] : 0.0);
        d[out0 + i] = v;
        best = max(best, v);
    }
    best = wgMax(best);
    if (isinf(best) && best < 0.0) {
        for (uint i = tid; i < p.ne0; i += WG_SIZE) d[out0 + i] = 0.0;
        return;
    }
#ifdef EXACT_FMA
    double sum = 0.0lf;
#else
    float sum = 0.0;
#endif
    for (uint i = tid; i < p.ne0; i += WG_SIZE) {
        precise float shifted = d[out0 + i] - best;
        const float e = expShared(shifted);
        d[out0 + i] = e;
        sum += e;
    }
#ifdef EXACT_FMA
    const float inv = float(1.0lf / wgSumDouble(sum));
#else
    const float inv = 1.0 / wgSum(sum);
#endif
    for (uint i = tid; i < p.ne0; i += WG_SIZE) {
        precise float scaled = d[out0 + i] * inv;
        d[out0 + i] = scaled;
    }
}
