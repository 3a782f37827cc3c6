#version 450
// softmax(scale * q.k (soft-capped) + mask) . v for one query row of one head per workgroup,
// over K/V in F32 or F16 (the KV cache), grouped-query (kv head = head / (Hq / Hkv)), causal
// and sliding-window visibility.
//
// It repeats the CPU backend's attention (cpu/attention.cpp) operation for operation, so that
// with EXACT_FMA (the _x builds) the result is bit-identical:
// - each invocation scores whole keys, its dot product summed as the CPU's AVX2 kernels sum
//   (dotF32F32 / dotF16F32 in cpu/kernels_x86.inl): two 8-lane fma accumulators over 16 values
//   at a time, then 8 at a time into the first, their lane sum in horizontalSum's tree, then
//   the tail by fma; against an F16 cache the query is rounded to F16 first;
// - s * scale, the soft cap through exp.glsl's tanh, + mask, the maximum, exp(s - max) with
//   exp.glsl's exp, their total in double (per invocation, then a tree: float(1 / total) is the
//   CPU's but in astronomically rare cases), the weight e * float(1 / total), rounded to F16
//   against F16 values;
// - each output dimension is one invocation's, accumulated key after key with fma as axpyF32 /
//   axpyF16 do.
// Scores stay in shared memory when at most MAX_SCORES keys are visible; else they are
// recomputed in each of the three passes (maximum, total, weighted sum).
//
// Compile-time switches, specialization constant 0 (ops_attention.cpp sets them): lavapipe
// runs both sides of a branch, so paths a dispatch does not need are compiled out.
#define WG_SIZE 64u
#define MAX_HEAD 512u
#define MAX_SCORES 2048u
#define OUT_PER_INVOCATION (MAX_HEAD / WG_SIZE)
layout(local_size_x = 64) in;
layout(constant_id = 0) const uint SWITCHES = 0u;
const bool KV_HALVES = (SWITCHES & 1u) != 0u;   // K and V F16: every product is exact
const bool KEEP_SCORES = (SWITCHES & 2u) != 0u; // at most MAX_SCORES keys: no recomputing
const bool SOFT_CAP = (SWITCHES & 4u) != 0u;

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
#include "exp.glsl"

shared float sq[MAX_HEAD];
shared float sp[WG_SIZE];
shared float sScores[MAX_SCORES];
#ifdef EXACT_FMA
#define ACC double
shared double sumPartial[WG_SIZE];
#else
#define ACC float
#endif

float loadK(uint e) {
    if (!KV_HALVES && (p.flags & 4u) == 0u) return kF[e];
#ifdef USE_F16_STORAGE
    return float(kH[e]);
#else
    return unpackHalf2x16(kW[e >> 1] >> (16u * (e & 1u))).x;
#endif
}

float loadV(uint e) {
    if (!KV_HALVES && (p.flags & 8u) == 0u) return vF[e];
#ifdef USE_F16_STORAGE
    return float(vH[e]);
#else
    return unpackHalf2x16(vW[e >> 1] >> (16u * (e & 1u))).x;
#endif
}

// a * b + c rounded once. Where both factors are F16 values their product is exact in float,
// so the plain multiply-add is that already, without the cost of fmaExact.
float fmaKV(float a, float b, float c, bool halves) {
    precise float r;
    if (halves) {
        precise float product = a * b;
        r = product + c;
    } else {
        r = fmaExact(a, b, c);
    }
    return r;
}

vec4 fmaKV4(vec4 a, vec4 b, vec4 c, bool halves) {
    precise vec4 r;
    if (halves) {
        precise vec4 product = a * b;
        r = product + c;
    } else {
        r = fmaExact4(a, b, c);
    }
    return r;
}

vec4 loadK4(uint e) {
    return vec4(loadK(e), loadK(e + 1u), loadK(e + 2u), loadK(e + 3u));
}

vec4 query4(uint i) {
    return vec4(sq[i], sq[i + 1u], sq[i + 2u], sq[i + 3u]);
}

// q . k in the order of the CPU's AVX2 dot kernels (see the top): the lanes 0-3 and 4-7 of
// its two 8-lane accumulators as vec4s (no arrays: they would live in memory).
float dotKey(uint k0) {
    const bool halves = KV_HALVES; // query rounded to F16, keys F16
    vec4 a0l = vec4(0.0), a0h = vec4(0.0), a1l = vec4(0.0), a1h = vec4(0.0);
    uint i = 0u;
    for (; i + 16u <= p.D; i += 16u) {
        a0l = fmaKV4(loadK4(k0 + i), query4(i), a0l, halves);
        a0h = fmaKV4(loadK4(k0 + i + 4u), query4(i + 4u), a0h, halves);
        a1l = fmaKV4(loadK4(k0 + i + 8u), query4(i + 8u), a1l, halves);
        a1h = fmaKV4(loadK4(k0 + i + 12u), query4(i + 12u), a1h, halves);
    }
    for (; i + 8u <= p.D; i += 8u) {
        a0l = fmaKV4(loadK4(k0 + i), query4(i), a0l, halves);
        a0h = fmaKV4(loadK4(k0 + i + 4u), query4(i + 4u), a0h, halves);
    }
    // horizontalSum(acc0 + acc1): lanes l + (l + 4), then (0 + 2) + (1 + 3).
    precise vec4 h = (a0l + a1l) + (a0h + a1h);
    precise float lo = h.x + h.z, hi = h.y + h.w;
    precise float sum = lo + hi;
    for (; i < p.D; ++i) sum = fmaKV(loadK(k0 + i), sq[i], sum, halves);
    return sum;
}

// The score of key j (visible), as the CPU computes it.
float score(uint j, uint kHead, uint iq) {
    precise float s = dotKey(kHead + j * p.kNb2) * p.scale;
    if (SOFT_CAP) {
        precise float capped = s / p.softcap;
        s = p.softcap * tanhShared(capped);
    }
    if ((p.flags & 2u) != 0u) s = s + mask[p.mBase + j + iq * p.mNb1];
    return s;
}

ACC wgSumAcc(ACC v) {
#ifdef EXACT_FMA
    const uint i = gl_LocalInvocationIndex;
    barrier();
    sumPartial[i] = v;
    barrier();
    [[unroll]] for (uint s = WG_SIZE / 2u; s > 0u; s >>= 1) {
        if (i < s) sumPartial[i] += sumPartial[i + s];
        barrier();
    }
    return sumPartial[0];
#else
    return wgSum(v);
#endif
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
    int hiKey = int(p.Nkv), loKey = 0;
    if ((p.flags & 1u) != 0u) hiKey = min(hiKey, pos + 1);
    if (p.window > 0) loKey = max(0, pos - p.window + 1);
    const uint lo = uint(max(loKey, 0)), hi = uint(max(hiKey, loKey));
    const bool keep = KEEP_SCORES; // hi - lo <= Nkv <= MAX_SCORES: scores in shared memory

    const uint kHead = p.kBase + hk * p.kNb1 + b * p.kNb3;
    const uint vHead = p.vBase + hk * p.vNb1 + b * p.vNb3;
    const uint out0 = p.dBase + h * p.dNb1 + iq * p.dNb2 + b * p.dNb3;

    // 1. Scores and their maximum.
    float best = NEG_INF;
    for (uint j = lo + tid; j < hi; j += WG_SIZE) {
        const float s = score(j, kHead, iq);
        if (keep) sScores[j - lo] = s;
        best = max(best, s);
    }
    best = wgMax(best);
    if (isinf(best) && best < 0.0) { // nothing visible: a zero row, as an empty sum
        for (uint dim = tid; dim < p.Dv; dim += WG_SIZE) d[out0 + dim] = 0.0;
        return;
    }

    // 2. e = exp(s - maximum) and their total.
    ACC partial = ACC(0.0);
    for (uint j = lo + tid; j < hi; j += WG_SIZE) {
        const float s = keep ? sScores[j - lo] : score(j, kHead, iq);
        precise float shifted = s - best;
        const float e = (isinf(s) && s < 0.0) ? 0.0 : expShared(shifted);
        if (keep) sScores[j - lo] = e;
        partial += ACC(e);
    }
    const float norm = float(ACC(1.0) / wgSumAcc(partial));

    // 3. The weights fold the values into the outputs, key after key.
    float acc[OUT_PER_INVOCATION];
    [[unroll]] for (uint r = 0u; r < OUT_PER_INVOCATION; ++r) acc[r] = 0.0;
    for (uint t0 = lo; t0 < hi; t0 += WG_SIZE) {
        const uint j = t0 + tid;
        float weight = 0.0;
        if (j < hi) {
            float e;
            if (keep) {
                e = sScores[j - lo];
            } else {
                const float s = score(j, kHead, iq);
                precise float shifted = s - best;
                e = (isinf(s) && s < 0.0) ? 0.0 : expShared(shifted);
            }
            precise float w = e * norm;
            weight = halfValues ? roundToHalf(w) : w;
        }
        sp[tid] = weight;
        barrier();
        const uint count = min(WG_SIZE, hi - t0);
        [[unroll]] for (uint r = 0u; r < OUT_PER_INVOCATION; ++r) {
            const uint dim = tid + r * WG_SIZE;
            if (dim >= p.Dv) break;
            float sum = acc[r];
            for (uint jj = 0u; jj < count; ++jj) {
                const float wj = sp[jj];
                if (wj != 0.0)
                    sum = fmaKV(wj, loadV(vHead + (t0 + jj) * p.vNb2 + dim), sum, KV_HALVES);
            }
            acc[r] = sum;
        }
        barrier();
    }
    [[unroll]] for (uint r = 0u; r < OUT_PER_INVOCATION; ++r) {
        const uint dim = tid + r * WG_SIZE;
        if (dim < p.Dv) d[out0 + dim] = acc[r];
    }
}
