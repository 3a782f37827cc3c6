#version 450
// dst = a + b or a * b element-wise, b broadcast over a (b's index is a's modulo b's shape).
layout(local_size_x = 256) in;

layout(binding = 0) readonly buffer A { float a[]; };
layout(binding = 1) readonly buffer B { float b[]; };
layout(binding = 2) writeonly buffer Dst { float d[]; };

layout(push_constant) uniform Params {
    uint multiply;
    uint ne0, ne1, ne2, ne3;
    uint aBase, aNb1, aNb2, aNb3;
    uint bNe0, bNe1, bNe2, bNe3;
    uint bBase, bNb1, bNb2, bNb3;
    uint dBase, dNb1, dNb2, dNb3;
    uint total;
} p;

#include "common.glsl"

void main() {
    const uint idx = linearGroup() * 256u + gl_LocalInvocationIndex;
    if (idx >= p.total) return;
    const uint i0 = idx % p.ne0, i1 = (idx / p.ne0) % p.ne1;
    const uint i2 = (idx / (p.ne0 * p.ne1)) % p.ne2, i3 = idx / (p.ne0 * p.ne1 * p.ne2);
    const float va = a[p.aBase + i0 + i1 * p.aNb1 + i2 * p.aNb2 + i3 * p.aNb3];
    const float vb = b[p.bBase + i0 % p.bNe0 + (i1 % p.bNe1) * p.bNb1 + (i2 % p.bNe2) * p.bNb2 +
                       (i3 % p.bNe3) * p.bNb3];
    d[p.dBase + i0 + i1 * p.dNb1 + i2 * p.dNb2 + i3 * p.dNb3] = p.multiply != 0u ? va * vb : va + vb;
}
