#version 450
// Matrix-matrix product for prefill (many activation rows): each workgroup computes a tile of
// 32 weight rows x 32 activation rows. Per step of 32 values of K, the workgroup decodes the
// weight tile once into shared memory (quant_decode.glsl, one 16-value chunk per invocation)
// and stages the activation tile beside it; each invocation then accumulates a 4 x 4 block of
// outputs. Weights are read once per 32 activation rows, activations once per 32 weight rows.
#define TILE 32u
#define KSTEP 32u
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
    uint nTiles, mTiles, groups;
} p;

#include "common.glsl"
#include "quant_decode.glsl"

shared float tileW[TILE][KSTEP + 1]; // +1: no bank conflicts between rows
shared float tileX[TILE][KSTEP + 1];

void main() {
    const uint gid = linearGroup();
    if (gid >= p.groups) return; // the whole workgroup leaves together
    const uint nt = gid % p.nTiles;
    const uint mt = (gid / p.nTiles) % p.mTiles;
    const uint batch = gid / (p.nTiles * p.mTiles);
    const uint i2 = batch % p.ne2, i3 = batch / p.ne2;
    const uint n0 = nt * TILE, m0 = mt * TILE;
    const uint tid = gl_LocalInvocationIndex;
    const uint wBatch = p.wBase + (i2 / p.rep2) * p.wNb2 + (i3 / p.rep3) * p.wNb3;
    const uint xBatch = p.xBase + i2 * p.xNb2 + i3 * p.xNb3;

    // Staging roles: row (or activation row) tid / 2, values 16 * (tid % 2) .. + 15 of the step.
    const uint stageRow = tid >> 1, stageHalf = tid & 1u;
    // Compute roles: weight rows 4 * (tid % 8) .. + 3, activation rows 4 * (tid / 8) .. + 3.
    const uint rn = 4u * (tid & 7u), rm = 4u * (tid >> 3);
    float acc[4][4];
    [[unroll]] for (uint a = 0u; a < 4u; ++a)
        [[unroll]] for (uint b = 0u; b < 4u; ++b) acc[a][b] = 0.0;

    for (uint k0 = 0u; k0 < p.K; k0 += KSTEP) {
        float v[16];
        const uint n = n0 + stageRow;
        if (n < p.N && k0 + 16u * stageHalf < p.K) {
            decode16(wBatch + n * p.wNb1, k0 / 16u + stageHalf, p.K, v);
        } else {
            [[unroll]] for (uint j = 0u; j < 16u; ++j) v[j] = 0.0;
        }
        [[unroll]] for (uint j = 0u; j < 16u; ++j) tileW[stageRow][16u * stageHalf + j] = v[j];
        const uint m = m0 + stageRow;
        const uint xo = xBatch + m * p.xNb1 + k0 + 16u * stageHalf;
        [[unroll]] for (uint j = 0u; j < 16u; ++j) {
            const bool inside = m < p.M && k0 + 16u * stageHalf + j < p.K;
            tileX[stageRow][16u * stageHalf + j] = inside ? x[xo + j] : 0.0;
        }
        barrier();
        for (uint k = 0u; k < KSTEP; ++k) {
            float wv[4], xv[4];
            [[unroll]] for (uint a = 0u; a < 4u; ++a) wv[a] = tileW[rn + a][k];
            [[unroll]] for (uint b = 0u; b < 4u; ++b) xv[b] = tileX[rm + b][k];
            [[unroll]] for (uint a = 0u; a < 4u; ++a)
                [[unroll]] for (uint b = 0u; b < 4u; ++b) acc[a][b] += wv[a] * xv[b];
        }
        barrier();
    }
    [[unroll]] for (uint b = 0u; b < 4u; ++b) {
        const uint m = m0 + rm + b;
        if (m >= p.M) break;
        [[unroll]] for (uint a = 0u; a < 4u; ++a) {
            const uint n = n0 + rn + a;
            if (n < p.N) d[p.dBase + n + m * p.dNb1 + i2 * p.dNb2 + i3 * p.dNb3] = acc[a][b];
        }
    }
}
