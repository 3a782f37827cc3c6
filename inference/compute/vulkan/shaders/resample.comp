#version 450
// Layout operations on images, one invocation per output value: nearest-neighbour upsampling
// by an integer factor (mode 0), and concatenation of a and b along one dimension (mode 1).
layout(local_size_x = 256) in;

layout(binding = 0) readonly buffer A { float a[]; };
layout(binding = 1) readonly buffer B { float b[]; };
layout(binding = 2) writeonly buffer Dst { float d[]; };

layout(push_constant) uniform Params {
    uint mode, factor, dim;
    uint ne0, ne1, ne2, ne3; // dst
    uint aNe0, aNe1, aNe2, aNe3;
    uint aBase, aNb1, aNb2, aNb3;
    uint bBase, bNb1, bNb2, bNb3;
    uint dBase, dNb1, dNb2, dNb3;
    uint total;
} p;

#include "common.glsl"

void main() {
    const uint idx = linearGroup() * 256u + gl_LocalInvocationIndex;
    if (idx >= p.total) return;
    uint i[4];
    i[0] = idx % p.ne0;
    i[1] = (idx / p.ne0) % p.ne1;
    i[2] = (idx / (p.ne0 * p.ne1)) % p.ne2;
    i[3] = idx / (p.ne0 * p.ne1 * p.ne2);
    float v;
    if (p.mode == 0u) {
        v = a[p.aBase + i[0] / p.factor + (i[1] / p.factor) * p.aNb1 + i[2] * p.aNb2 + i[3] * p.aNb3];
    } else {
        const uint aNe[4] = uint[4](p.aNe0, p.aNe1, p.aNe2, p.aNe3);
        if (i[p.dim] < aNe[p.dim]) {
            v = a[p.aBase + i[0] + i[1] * p.aNb1 + i[2] * p.aNb2 + i[3] * p.aNb3];
        } else {
            i[p.dim] -= aNe[p.dim];
            v = b[p.bBase + i[0] + i[1] * p.bNb1 + i[2] * p.bNb2 + i[3] * p.bNb3];
        }
        i[0] = idx % p.ne0; // restore for the destination index
        i[1] = (idx / p.ne0) % p.ne1;
        i[2] = (idx / (p.ne0 * p.ne1)) % p.ne2;
        i[3] = idx / (p.ne0 * p.ne1 * p.ne2);
    }
    d[p.dBase + i[0] + i[1] * p.dNb1 + i[2] * p.dNb2 + i[3] * p.dNb3] = v;
}
