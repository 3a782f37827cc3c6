#version 450
// Rotary position embedding of x [headDim, heads, tokens]. Normal mode rotates (x[2i], x[2i+1]);
// NeoX rotates (x[i], x[i + dims/2]). Dimensions past `dims` are copied. One invocation per
// rotated pair (or per pair of copied values).
//  - ROPE_ANGLES (Backend::ropeWithAngles): {cos, sin} * magnitude per token and pair come from
//    a table the host made (compute/rope_angles.cpp), so the result is bit-identical to the
//    CPU backend's: the rotation below is the CPU's, operation for operation.
//  - otherwise (Backend::rope): ggml's rope with YaRN computed here: theta_i = position *
//    base^(-2i/dims) / freqFactor_i, mixed between interpolation (freqScale * theta) and
//    extrapolation by the YaRN ramp when extFactor != 0. GPU pow/cos/sin are not libm's, so
//    this is close to the CPU but not bit-identical (the LLM uses ROPE_ANGLES).
layout(local_size_x = 64) in;

layout(binding = 0) readonly buffer X { float x[]; };
#ifdef ROPE_ANGLES
layout(binding = 1) readonly buffer Angles { float angles[]; };
layout(binding = 2) writeonly buffer Dst { float d[]; };

layout(push_constant) uniform Params {
    uint ne0, ne1, ne2, dims, neox;
    uint xBase, xNb1, xNb2;
    uint aBase, aNb1;
    uint dBase, dNb1, dNb2;
    uint slots, total; // invocations per row; slots * rows
} p;
#else
layout(binding = 1) readonly buffer Pos { int positions[]; };
layout(binding = 2) readonly buffer Freq { float freqFactors[]; };
layout(binding = 3) writeonly buffer Dst { float d[]; };

layout(push_constant) uniform Params {
    uint ne0, ne1, ne2, dims, neox, hasFreqFactors;
    uint xBase, xNb1, xNb2;
    uint pBase, fBase;
    uint dBase, dNb1, dNb2;
    uint slots, total; // invocations per row; slots * rows
    float freqBase, freqScale, extFactor, attnFactor, corr0, corr1;
} p;
#endif

#include "common.glsl"
#include "fma_exact.glsl"

#ifndef ROPE_ANGLES
// cos and sin of a large angle: reduce by 2 pi in two steps (Cody-Waite) first, since GPU
// sin/cos are only accurate near zero.
vec2 cosSin(float theta) {
    const float k = round(theta * 0.15915494309189535);
    float r = theta - k * 6.28125;
    r = r - k * 0.0019353071795864769;
    return vec2(cos(r), sin(r));
}
#endif

void main() {
    const uint idx = linearGroup() * 64u + gl_LocalInvocationIndex;
    if (idx >= p.total) return;
    const uint slot = idx % p.slots, row = idx / p.slots;
    const uint i1 = row % p.ne1, i2 = row / p.ne1;
    const uint in0 = p.xBase + i1 * p.xNb1 + i2 * p.xNb2;
    const uint out0 = p.dBase + i1 * p.dNb1 + i2 * p.dNb2;
    const uint half_ = p.dims / 2u;
    if (slot >= half_) { // the unrotated tail, two values per invocation
        const uint e = p.dims + 2u * (slot - half_);
        d[out0 + e] = x[in0 + e];
        if (e + 1u < p.ne0) d[out0 + e + 1u] = x[in0 + e + 1u];
        return;
    }
#ifdef ROPE_ANGLES
    const uint at = p.aBase + i2 * p.aNb1 + 2u * slot;
    const vec2 cs = vec2(angles[at], angles[at + 1u]);
#else
    const float position = float(positions[p.pBase + i2]);
    float thetaExtrap = position * pow(p.freqBase, -2.0 * float(slot) / float(p.dims));
    if (p.hasFreqFactors != 0u) thetaExtrap /= freqFactors[p.fBase + slot];
    const float thetaInterp = p.freqScale * thetaExtrap;
    float theta = thetaInterp;
    float mscale = p.attnFactor;
    if (p.extFactor != 0.0) {
        const float y = (float(slot) - p.corr0) / max(0.001, p.corr1 - p.corr0);
        const float rampMix = (1.0 - min(1.0, max(0.0, y))) * p.extFactor;
        theta = thetaInterp * (1.0 - rampMix) + thetaExtrap * rampMix;
        mscale *= 1.0 + 0.1 * log(1.0 / p.freqScale);
    }
    const vec2 cs = cosSin(theta) * mscale;
#endif
    const uint a = p.neox != 0u ? slot : 2u * slot;
    const uint b = p.neox != 0u ? slot + half_ : 2u * slot + 1u;
    const float x0 = x[in0 + a], x1 = x[in0 + b];
    // Fused as the CPU backend (and ggml) rounds the rotation: one rounding of x0 * c - x1 * s
    // after the rounded product x1 * s (fma_exact.glsl; a plain fma() need not fuse).
    precise const float s1 = x1 * cs.y, c1 = x1 * cs.x;
    d[out0 + a] = fmaExact(x0, cs.x, -s1);
    d[out0 + b] = fmaExact(x0, cs.y, c1);
}
