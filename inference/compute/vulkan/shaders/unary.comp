#version 450
// Element-wise single-input operations: activations (mode 0), their gated forms
// dst = fn(gate) * up (mode 1), and dst = x * scale + bias (mode 2).
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

// Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7); GLSL has no erf.
float erfApprox(float v) {
    const float t = 1.0 / (1.0 + 0.3275911 * abs(v));
    const float poly =
        t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    return sign(v) * (1.0 - poly * exp(-v * v));
}

float safeTanh(float v) {
    return tanh(clamp(v, -15.0, 15.0)); // tanh(15) is 1 in float; avoids exp overflow
}

float activate(float v) {
    switch (p.fn) {
    case 0u: return v / (1.0 + exp(-v));                                            // silu
    case 1u: return 0.5 * v * (1.0 + erfApprox(v * 0.70710678118654752));           // gelu
    case 2u: return 0.5 * v * (1.0 + safeTanh(0.79788456080286536 * (v + 0.044715 * v * v * v)));
    case 3u: return max(v, 0.0);                                                    // relu
    default: return safeTanh(v);                                                    // tanh
    }
}

void main() {
    const uint idx = linearGroup() * 256u + gl_LocalInvocationIndex;
    if (idx >= p.total) return;
    const uint i0 = idx % p.ne0, i1 = (idx / p.ne0) % p.ne1;
    const uint i2 = (idx / (p.ne0 * p.ne1)) % p.ne2, i3 = idx / (p.ne0 * p.ne1 * p.ne2);
    const float v = x[p.xBase + i0 + i1 * p.xNb1 + i2 * p.xNb2 + i3 * p.xNb3];
    float result;
    if (p.mode == 0u) {
        result = activate(v);
    } else if (p.mode == 1u) {
        result = activate(v) * up[p.uBase + i0 + i1 * p.uNb1 + i2 * p.uNb2 + i3 * p.uNb3];
    } else {
        result = v * p.scale + p.bias;
    }
    d[p.dBase + i0 + i1 * p.dNb1 + i2 * p.dNb2 + i3 * p.dNb3] = result;
}
