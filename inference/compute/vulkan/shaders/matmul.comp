#version 450
// dst[n, m] = sum_k w[k, n] * x[k, m] for a weight of type WTYPE, dequantized on the fly
// 16 values at a time (quant_decode.glsl); never a dequantized matrix. One workgroup computes
// one weight row against up to MT activation rows, so a weight row is decoded once per MT
// activations; the workgroup's invocations split K and reduce at the end.
#define WG_SIZE 64u
#define MT 8u
layout(local_size_x = 64) in;

layout(binding = 0) readonly buffer Weights { uint w_words[]; };
layout(binding = 1) readonly buffer X { float x[]; };
layout(binding = 2) writeonly buffer Dst { float d[]; };

layout(push_constant) uniform Params {
    uint K, N, M;
    uint wBase, wNb1, wNb2, wNb3; // bytes
    uint xBase, xNb1, xNb2, xNb3; // floats
    uint dBase, dNb1, dNb2, dNb3; // floats
    uint ne2, rep2, rep3;         // x.ne[2]; x.ne[2] / w.ne[2]; x.ne[3] / w.ne[3]
    uint mTiles, groups, unused_;
} p;

#include "common.glsl"
#include "reduce.glsl"
#include "quant_decode.glsl"

void main() {
    const uint gid = linearGroup();
    if (gid >= p.groups) return; // the whole workgroup leaves together
    const uint n = gid % p.N;
    const uint mt = (gid / p.N) % p.mTiles;
    const uint batch = gid / (p.N * p.mTiles);
    const uint i2 = batch % p.ne2, i3 = batch / p.ne2;
    const uint rowByte = p.wBase + n * p.wNb1 + (i2 / p.rep2) * p.wNb2 + (i3 / p.rep3) * p.wNb3;
    const uint m0 = mt * MT;
    const uint mCount = min(MT, p.M - m0);
    const uint xBatch = p.xBase + i2 * p.xNb2 + i3 * p.xNb3;

    float acc[MT];
    [[unroll]] for (uint m = 0u; m < MT; ++m) acc[m] = 0.0;

    const uint chunks = (p.K + 15u) / 16u;
    for (uint c = gl_LocalInvocationIndex; c < chunks; c += WG_SIZE) {
        float v[16];
        decode16(rowByte, c, p.K, v);
        const bool whole = 16u * c + 16u <= p.K;
        for (uint m = 0u; m < mCount; ++m) {
            const uint xo = xBatch + (m0 + m) * p.xNb1 + 16u * c;
            float s = 0.0;
            if (whole) {
                [[unroll]] for (uint j = 0u; j < 16u; ++j) s += v[j] * x[xo + j];
            } else {
                [[unroll]] for (uint j = 0u; j < 16u; ++j)
                    if (16u * c + j < p.K) s += v[j] * x[xo + j];
            }
            acc[m] += s;
        }
    }
    for (uint m = 0u; m < mCount; ++m) {
        const float total = wgSum(acc[m]);
        if (gl_LocalInvocationIndex == 0u)
            d[p.dBase + n + (m0 + m) * p.dNb1 + i2 * p.dNb2 + i3 * p.dNb3] = total;
    }
}
