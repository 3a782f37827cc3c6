#version 450
// Copies a tensor of any strides into another of the same shape, converting between F32, F16
// and BF16. With 16-bit storage (USE_F16_STORAGE) halves are stored directly; without it a
// 16-bit value is merged into its 32-bit word with atomics, so neighbours never clash.
layout(local_size_x = 256) in;

#ifdef USE_F16_STORAGE
#extension GL_EXT_shader_16bit_storage : require
#endif

layout(binding = 0) readonly buffer SrcF { float srcF[]; };
layout(binding = 0) readonly buffer SrcW { uint srcW[]; };
layout(binding = 1) buffer DstF { float dstF[]; };
layout(binding = 1) buffer DstW { uint dstW[]; };
#ifdef USE_F16_STORAGE
layout(binding = 1) buffer DstH { uint16_t dstH[]; };
#endif

layout(push_constant) uniform Params {
    uint srcType, dstType;
    uint ne0, ne1, ne2, ne3;
    uint sBase, sNb0, sNb1, sNb2, sNb3; // in elements of the source type
    uint dBase, dNb0, dNb1, dNb2, dNb3; // in elements of the destination type
    uint total;
} p;

#include "common.glsl"

float load(uint e) {
    if (p.srcType == TYPE_F32) return srcF[e];
    const uint bits = (srcW[e >> 1] >> (16u * (e & 1u))) & 0xffffu;
    return p.srcType == TYPE_F16 ? unpackHalf2x16(bits).x : bf16ToFloat(bits);
}

void store(uint e, float v) {
    if (p.dstType == TYPE_F32) {
        dstF[e] = v;
        return;
    }
    const uint bits = p.dstType == TYPE_F16 ? floatToHalfBits(v) : floatToBf16(v);
#ifdef USE_F16_STORAGE
    dstH[e] = uint16_t(bits);
#else
    const uint shift = 16u * (e & 1u);
    atomicAnd(dstW[e >> 1], ~(0xffffu << shift));
    atomicOr(dstW[e >> 1], bits << shift);
#endif
}

void main() {
    const uint idx = linearGroup() * 256u + gl_LocalInvocationIndex;
    if (idx >= p.total) return;
    const uint i0 = idx % p.ne0, i1 = (idx / p.ne0) % p.ne1;
    const uint i2 = (idx / (p.ne0 * p.ne1)) % p.ne2, i3 = idx / (p.ne0 * p.ne1 * p.ne2);
    const float v = load(p.sBase + i0 * p.sNb0 + i1 * p.sNb1 + i2 * p.sNb2 + i3 * p.sNb3);
    store(p.dBase + i0 * p.dNb0 + i1 * p.dNb1 + i2 * p.dNb2 + i3 * p.dNb3, v);
}
