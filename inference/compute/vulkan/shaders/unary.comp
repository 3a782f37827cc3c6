#version 450
// Element-wise single-input operations: activations (mode 0), their gated forms
// dst = fn(gate) * up (mode 1), and dst = x * scale + bias (mode 2). Bit-identical to the CPU
// backend where fmaExact is exact (the _x build, EXACT_FMA; see exp.glsl).
layout(local_size_x = 256) in;

layout(binding = 0) readonly buffer X { float x[]; };
layout(binding = 1) readonly buffer Up { float up[]; };
layout(binding = 2) writeonly buffer Dst { float d[]; };

layout(push_constant) uniform Params {
    uint mode, fn;
    uint ne0, ne1, ne2, ne3;
    uint xBase, xNb1, xNb2, xNb3;
    uint uBase, uNb1, uNb2, uNb3;
    uint dBase, dNb1, dNb2, dNb3;
    uint total;
    float scale, bias;
} p;

#include "common.glsl"

#include "exp.glsl"

// The CPU backend's activations, operation for operation (exp.glsl).
float activate(float v) {
    switch (p.fn) {
    case 0u: return siluShared(v);
    case 1u: return geluErfShared(v);
    case 2u: return geluTanhShared(v);
    case 3u: return max(v, 0.0); // relu
    default: return tanhShared(v);
    }
}

void main() {
    const uint idx = linearGroup() * 256u + gl_LocalInvocationIndex;
    if (idx >= p.total) return;
    const uint i0 = idx % p.ne0, i1 = (idx / p.ne0) % p.ne1;
    const uint i2 = (idx / (p.ne0 * p.ne1)) % p.ne2, i3 = idx / (p.ne0 * p.ne1 * p.ne2);
    const float v = x[p.xBase + i0 + i1 * p.xNb1 + i2 * p.xNb2 + i3 * p.xNb3];
    precise float result; // no contraction of x * scale + bias: the CPU rounds twice
    if (p.mode == 0u) {
        result = activate(v);
    } else if (p.mode == 1u) {
        result = activate(v) * up[p.uBase + i0 + i1 * p.uNb1 + i2 * p.uNb2 + i3 * p.uNb3];
    } else {
        result = v * p.scale + p.bias;
    }
    d[p.dBase + i0 + i1 * p.dNb1 + i2 * p.dNb2 + i3 * p.dNb3] = result;
}
