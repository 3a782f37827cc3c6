#version 450
// Group norm of images x [W, H, C, N]: each group of C / groups channels of one image is
// normalised over width x height x its channels; then per-channel weight and bias.
// One workgroup per (group, image); mean first, then the variance around it.
#define WG_SIZE 64u
layout(local_size_x = 64) in;

layout(binding = 0) readonly buffer X { float x[]; };
layout(binding = 1) readonly buffer W { float w[]; };
layout(binding = 2) readonly buffer Bias { float bias[]; };
layout(binding = 3) writeonly buffer Dst { float d[]; };

layout(push_constant) uniform Params {
    uint width, height, channels, groups, hasWeight, hasBias;
    uint xBase, xNb1, xNb2, xNb3;
    uint wBase, bBase;
    uint dBase, dNb1, dNb2, dNb3;
    float eps;
} p;

#include "common.glsl"
#include "reduce.glsl"

void main() {
    const uint group = gl_WorkGroupID.x, image = gl_WorkGroupID.y;
    const uint perGroup = p.channels / p.groups;
    const uint c0 = group * perGroup;
    const uint count = p.width * p.height * perGroup;
    const uint tid = gl_LocalInvocationIndex;

    float sum = 0.0;
    for (uint e = tid; e < count; e += WG_SIZE) {
        const uint i0 = e % p.width, i1 = (e / p.width) % p.height, c = c0 + e / (p.width * p.height);
        sum += x[p.xBase + i0 + i1 * p.xNb1 + c * p.xNb2 + image * p.xNb3];
    }
    const float mean = wgSum(sum) / float(count);
    float sumSq = 0.0;
    for (uint e = tid; e < count; e += WG_SIZE) {
        const uint i0 = e % p.width, i1 = (e / p.width) % p.height, c = c0 + e / (p.width * p.height);
        const float v = x[p.xBase + i0 + i1 * p.xNb1 + c * p.xNb2 + image * p.xNb3] - mean;
        sumSq += v * v;
    }
    const float s = inversesqrt(wgSum(sumSq) / float(count) + p.eps);
    for (uint e = tid; e < count; e += WG_SIZE) {
        const uint i0 = e % p.width, i1 = (e / p.width) % p.height, c = c0 + e / (p.width * p.height);
        float v = (x[p.xBase + i0 + i1 * p.xNb1 + c * p.xNb2 + image * p.xNb3] - mean) * s;
        if (p.hasWeight != 0u) v *= w[p.wBase + c];
        if (p.hasBias != 0u) v += bias[p.bBase + c];
        d[p.dBase + i0 + i1 * p.dNb1 + c * p.dNb2 + image * p.dNb3] = v;
    }
}
