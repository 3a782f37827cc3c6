#version 450
// Per row: RMS norm (mode 0) x / sqrt(mean(x^2) + eps), or layer norm (mode 1)
// (x - mean) / sqrt(var + eps); times weight and plus bias when given. One workgroup a row.
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

void main() {
    const uint r = linearGroup();
    if (r >= p.rows) return;
    const uint i1 = r % p.ne1, i2 = (r / p.ne1) % p.ne2, i3 = r / (p.ne1 * p.ne2);
    const uint in0 = p.xBase + i1 * p.xNb1 + i2 * p.xNb2 + i3 * p.xNb3;
    const uint out0 = p.dBase + i1 * p.dNb1 + i2 * p.dNb2 + i3 * p.dNb3;
    const uint tid = gl_LocalInvocationIndex;

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
}
