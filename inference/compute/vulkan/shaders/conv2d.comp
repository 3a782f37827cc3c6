#version 450
// Direct 2-D convolution: input [W, H, Cin, N] F32, kernel [KW, KH, Cin, Cout] F32 or F16,
// bias [Cout], dst [W', H', Cout, N]; stride, padding (zeros) and dilation per axis.
// One invocation per output value.
layout(local_size_x = 64) in;

#ifdef USE_F16_STORAGE
#extension GL_EXT_shader_16bit_storage : require
layout(binding = 1) readonly buffer KernelH { float16_t kH[]; };
#endif
layout(binding = 0) readonly buffer Input { float src[]; };
layout(binding = 1) readonly buffer KernelF { float kF[]; };
layout(binding = 1) readonly buffer KernelW { uint kW[]; };
layout(binding = 2) readonly buffer Bias { float bias[]; };
layout(binding = 3) writeonly buffer Dst { float d[]; };

layout(push_constant) uniform Params {
    uint W, H, Cin, outW, outH, Cout, KW, KH;
    uint sBase, sNb1, sNb2, sNb3;
    uint kBase, kNb1, kNb2, kNb3; // in kernel elements
    uint bBase, dBase, dNb1, dNb2, dNb3;
    uint flags; // 1: bias, 2: kernel is F16
    int strideX, strideY, padX, padY, dilX, dilY;
    uint total;
} p;

#include "common.glsl"

float kernelAt(uint e) {
    if ((p.flags & 2u) == 0u) return kF[e];
#ifdef USE_F16_STORAGE
    return float(kH[e]);
#else
    return unpackHalf2x16(kW[e >> 1] >> (16u * (e & 1u))).x;
#endif
}

void main() {
    const uint idx = linearGroup() * 64u + gl_LocalInvocationIndex;
    if (idx >= p.total) return;
    const uint ox = idx % p.outW, oy = (idx / p.outW) % p.outH;
    const uint co = (idx / (p.outW * p.outH)) % p.Cout, n = idx / (p.outW * p.outH * p.Cout);
    float sum = (p.flags & 1u) != 0u ? bias[p.bBase + co] : 0.0;
    for (uint ci = 0u; ci < p.Cin; ++ci) {
        const uint in0 = p.sBase + ci * p.sNb2 + n * p.sNb3;
        const uint k0 = p.kBase + ci * p.kNb2 + co * p.kNb3;
        for (uint ky = 0u; ky < p.KH; ++ky) {
            const int iy = int(oy) * p.strideY - p.padY + int(ky) * p.dilY;
            if (iy < 0 || iy >= int(p.H)) continue;
            for (uint kx = 0u; kx < p.KW; ++kx) {
                const int ix = int(ox) * p.strideX - p.padX + int(kx) * p.dilX;
                if (ix < 0 || ix >= int(p.W)) continue;
                sum += src[in0 + uint(ix) + uint(iy) * p.sNb1] * kernelAt(k0 + kx + ky * p.kNb1);
            }
        }
    }
    d[p.dBase + ox + oy * p.dNb1 + co * p.dNb2 + n * p.dNb3] = sum;
}
