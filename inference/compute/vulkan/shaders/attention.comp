#version 450
// softmax(scale * q.k (soft-capped) + mask) . v for one query row of one head per workgroup,
// over K/V in F32 or F16 (the KV cache), grouped-query (kv head = head / (Hq / Hkv)), causal
// and sliding-window visibility. Keys are taken in tiles of WG_SIZE, each invocation scoring one
// key of a tile, so no score row is ever stored. Two passes: the first finds the softmax's
// maximum and sum, the second recomputes the scores and folds the normalised probabilities into
// the outputs each invocation owns. Against an F16 cache the query and the probabilities are
// rounded to F16 first, as the CPU backend (and llama.cpp) rounds them.
#define WG_SIZE 64u
#define MAX_HEAD 512u
#define OUT_PER_INVOCATION (MAX_HEAD / WG_SIZE)
layout(local_size_x = 64) in;

#ifdef USE_F16_STORAGE
#extension GL_EXT_shader_16bit_storage : require
layout(binding = 1) readonly buffer KH { float16_t kH[]; };
layout(binding = 2) readonly buffer VH { float16_t vH[]; };
#endif
layout(binding = 0) readonly buffer Q { float q[]; };
layout(binding = 1) readonly buffer KF { float kF[]; };
layout(binding = 1) readonly buffer KW { uint kW[]; };
layout(binding = 2) readonly buffer VF { float vF[]; };
layout(binding = 2) readonly buffer VW { uint vW[]; };
layout(binding = 3) readonly buffer Mask { float mask[]; };
layout(binding = 4) writeonly buffer Dst { float d[]; };

layout(push_constant) uniform Params {
    uint D, Dv, Hq, Hkv, Nkv;
    uint qBase, qNb1, qNb2, qNb3;
    uint kBase, kNb1, kNb2, kNb3; // in elements of K's type
    uint vBase, vNb1, vNb2, vNb3; // in elements of V's type
    uint mBase, mNb1;
    uint dBase, dNb1, dNb2, dNb3;
    uint flags; // 1: causal, 2: mask, 4: K is F16, 8: V is F16
    int firstPosition, window;
    float scale, softcap;
} p;

#include "common.glsl"
#include "reduce.glsl"

shared float sq[MAX_HEAD];
shared float sp[WG_SIZE];

float loadK(uint e) {
    if ((p.flags & 4u) == 0u) return kF[e];
#ifdef USE_F16_STORAGE
    return float(kH[e]);
#else
    return unpackHalf2x16(kW[e >> 1] >> (16u * (e & 1u))).x;
#endif
}

float loadV(uint e) {
    if ((p.flags & 8u) == 0u) return vF[e];
#ifdef USE_F16_STORAGE
    return float(vH[e]);
#else
    return unpackHalf2x16(vW[e >> 1] >> (16u * (e & 1u))).x;
#endif
}

float roundToHalf(float v) {
    return unpackHalf2x16(floatToHalfBits(v)).x;
}

// The score of key j (NEG_INF when it is not visible).
float score(int j, int hi, uint kHead, uint iq) {
    if (j >= hi) return uintBitsToFloat(0xff800000u);
    const uint k0 = kHead + uint(j) * p.kNb2;
    float dot = 0.0;
    for (uint i = 0u; i < p.D; ++i) dot += sq[i] * loadK(k0 + i);
    float s = dot * p.scale;
    if (p.softcap != 0.0) s = p.softcap * tanh(clamp(s / p.softcap, -15.0, 15.0));
    if ((p.flags & 2u) != 0u) s += mask[p.mBase + uint(j) + iq * p.mNb1];
    return s;
}

void main() {
    const uint iq = gl_WorkGroupID.x, h = gl_WorkGroupID.y, b = gl_WorkGroupID.z;
    const uint hk = h / (p.Hq / p.Hkv);
    const uint tid = gl_LocalInvocationIndex;
    const float NEG_INF = uintBitsToFloat(0xff800000u);
    const bool halfKeys = (p.flags & 4u) != 0u, halfValues = (p.flags & 8u) != 0u;

    for (uint i = tid; i < p.D; i += WG_SIZE) {
        const float v = q[p.qBase + i + h * p.qNb1 + iq * p.qNb2 + b * p.qNb3];
        sq[i] = halfKeys ? roundToHalf(v) : v;
    }
    barrier();

    // Visible keys [lo, hi).
    const int pos = p.firstPosition + int(iq);
    int hi = int(p.Nkv), lo = 0;
    if ((p.flags & 1u) != 0u) hi = min(hi, pos + 1);
    if (p.window > 0) lo = max(0, pos - p.window + 1);

    const uint kHead = p.kBase + hk * p.kNb1 + b * p.kNb3;
    const uint vHead = p.vBase + hk * p.vNb1 + b * p.vNb3;

    // 1. The maximum and the sum of exp(score - maximum).
    float runMax = NEG_INF, runSum = 0.0;
    for (int t0 = lo; t0 < hi; t0 += int(WG_SIZE)) {
        const float s = score(t0 + int(tid), hi, kHead, iq);
        const float newMax = max(runMax, wgMax(s));
        if (isinf(newMax) && newMax < 0.0) continue; // nothing visible yet (uniform)
        const float pj = (isinf(s) && s < 0.0) ? 0.0 : exp(s - newMax);
        const float factor = (isinf(runMax) && runMax < 0.0) ? 0.0 : exp(runMax - newMax);
        runSum = runSum * factor + wgSum(pj);
        runMax = newMax;
    }

    // 2. The probabilities weight the values.
    float acc[OUT_PER_INVOCATION];
    [[unroll]] for (uint r = 0u; r < OUT_PER_INVOCATION; ++r) acc[r] = 0.0;
    const float inv = runSum > 0.0 ? 1.0 / runSum : 0.0;
    if (runSum > 0.0) {
        for (int t0 = lo; t0 < hi; t0 += int(WG_SIZE)) {
            const float s = score(t0 + int(tid), hi, kHead, iq);
            float pj = (isinf(s) && s < 0.0) ? 0.0 : exp(s - runMax) * inv;
            if (halfValues) pj = roundToHalf(pj);
            sp[tid] = pj;
            barrier();
            const uint count = uint(min(int(WG_SIZE), hi - t0));
            [[unroll]] for (uint r = 0u; r < OUT_PER_INVOCATION; ++r) {
                const uint dim = tid + r * WG_SIZE;
                if (dim >= p.Dv) break;
                float sum = acc[r];
                for (uint jj = 0u; jj < count; ++jj)
                    sum += sp[jj] * loadV(vHead + uint(t0 + int(jj)) * p.vNb2 + dim);
                acc[r] = sum;
            }
            barrier();
        }
    }
    [[unroll]] for (uint r = 0u; r < OUT_PER_INVOCATION; ++r) {
        const uint dim = tid + r * WG_SIZE;
        if (dim < p.Dv) d[p.dBase + dim + h * p.dNb1 + iq * p.dNb2 + b * p.dNb3] = acc[r];
    }
}
