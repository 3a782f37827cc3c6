#version 450
// Row-wise softmax(scale * x + mask); mask [ne0, ne1] is shared by dims 2 and 3. A row that is
// masked everywhere becomes zeros. One workgroup a row.
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
        const float v = x[in0 + i] * p.scale + (p.hasMask != 0u ? mask[m0 + i] : 0.0);
        d[out0 + i] = v;
        best = max(best, v);
    }
    best = wgMax(best);
    if (isinf(best) && best < 0.0) {
        for (uint i = tid; i < p.ne0; i += WG_SIZE) d[out0 + i] = 0.0;
        return;
    }
    float sum = 0.0;
    for (uint i = tid; i < p.ne0; i += WG_SIZE) {
        const float e = exp(d[out0 + i] - best);
        d[out0 + i] = e;
        sum += e;
    }
    const float inv = 1.0 / wgSum(sum);
    for (uint i = tid; i < p.ne0; i += WG_SIZE) d[out0 + i] *= inv;
}
