#version 450
// dst[n, m] = w[:, n] . x[:, m] for the 32-value block types (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0)
// against activations quantized to Q8 blocks (round_activations.comp MODE 5), summed in exactly
// the order of the CPU backend's dot product (kernels_x86.inl dotLegacyCols, which is also
// llama.cpp's AVX2 order), so that both backends give bit-identical results:
//   per block i and lane j (values 4j .. 4j+3):  isum = the 4 integer products (exact),
//   acc[j] = fma(d_w * d_x, float(isum), acc[j]);  with a min: off = fma(m_w, s_x, off);
// (fma rounded once: fma_once.glsl, since GLSL's fma() may round twice, as lavapipe's does)
//   result = ((acc0 + acc4) + (acc2 + acc6)) + ((acc1 + acc5) + (acc3 + acc7)) + off.
// Each invocation owns one lane of one weight row for up to MT activation rows; 8 rows x 8
// lanes per workgroup; lane 0 adds the lanes up in the fixed order above.
#define MT 8u
layout(local_size_x = 64) in;

layout(binding = 0) readonly buffer Weights { uint w_words[]; };
// Per activation row, per block: 8 words of int8 values, then d and s as float bits.
layout(binding = 1) readonly buffer X { uint xq[]; };
layout(binding = 2) writeonly buffer Dst { float d[]; };

layout(push_constant) uniform Params {
    uint K, N, M;
    uint wBase, wNb1, wNb2, wNb3; // bytes
    uint xBase, xRows2, unused0, unused1; // words; activation rows per i2 index (x.ne[1])
    uint dBase, dNb1, dNb2, dNb3; // floats
    uint ne2, rep2, rep3;         // x.ne[2]; x.ne[2] / w.ne[2]; x.ne[3] / w.ne[3]
    uint mTiles, groups, unused2;
} p;

#include "common.glsl"
#include "quant_decode.glsl"
#include "fma_once.glsl"

#define ACT_BLOCK_WORDS 10u

#if WTYPE == 2
#define BLOCK_BYTES 18u
#elif WTYPE == 3
#define BLOCK_BYTES 20u
#elif WTYPE == 6
#define BLOCK_BYTES 22u
#elif WTYPE == 7
#define BLOCK_BYTES 24u
#else
#define BLOCK_BYTES 34u
#endif
#if WTYPE == 3 || WTYPE == 7
#define HAS_MIN
#endif

shared float partial[64][MT];

// The 4 weight values of `lane` in the block at byte `off`, as signed ints (Q4_1/Q5_1: unsigned
// values; their min is the separate m * s term, as on the CPU).
ivec4 weightLane(uint off, uint lane) {
    const uint low = lane & 3u, shift = 4u * (lane >> 2);
#if WTYPE == 2 || WTYPE == 3
    const uint word = rdU32(off + (WTYPE == 2 ? 2u : 4u) + 4u * low) >> shift;
    ivec4 v = ivec4(word & 15u, (word >> 8) & 15u, (word >> 16) & 15u, (word >> 24) & 15u);
#if WTYPE == 2
    v -= 8;
#endif
    return v;
#elif WTYPE == 6 || WTYPE == 7
    const uint qh = rdU32(off + (WTYPE == 6 ? 2u : 4u));
    const uint word = rdU32(off + (WTYPE == 6 ? 6u : 8u) + 4u * low) >> shift;
    const uint hb = qh >> (4u * lane); // the fifth bits of values 4 lane .. 4 lane + 3
    ivec4 v = ivec4((word & 15u) | ((hb & 1u) << 4), ((word >> 8) & 15u) | ((hb & 2u) << 3),
                    ((word >> 16) & 15u) | ((hb & 4u) << 2), ((word >> 24) & 15u) | ((hb & 8u) << 1));
#if WTYPE == 6
    v -= 16;
#endif
    return v;
#else
    const uint word = rdU32(off + 2u + 4u * lane);
    return ivec4(bitfieldExtract(int(word), 0, 8), bitfieldExtract(int(word), 8, 8),
                 bitfieldExtract(int(word), 16, 8), bitfieldExtract(int(word), 24, 8));
#endif
}

ivec4 actLane(uint word) {
    return ivec4(bitfieldExtract(int(word), 0, 8), bitfieldExtract(int(word), 8, 8),
                 bitfieldExtract(int(word), 16, 8), bitfieldExtract(int(word), 24, 8));
}

void main() {
    const uint gid = linearGroup();
    if (gid >= p.groups) return; // the whole workgroup leaves together
    const uint tid = gl_LocalInvocationIndex;
    const uint lane = tid & 7u, rowInGroup = tid >> 3;
    const uint nGroups = (p.N + 7u) / 8u;
    const uint n = (gid % nGroups) * 8u + rowInGroup;
    const uint mt = (gid / nGroups) % p.mTiles;
    const uint batch = gid / (nGroups * p.mTiles);
    const uint i2 = batch % p.ne2, i3 = batch / p.ne2;
    const uint m0 = mt * MT;
    const uint mCount = min(MT, p.M - m0);
    const uint blocks = p.K / 32u;
    const bool rowValid = n < p.N;

    precise float acc[MT];
    precise float off[MT];
    [[unroll]] for (uint m = 0u; m < MT; ++m) {
        acc[m] = 0.0;
        off[m] = 0.0;
    }
    if (rowValid) {
        const uint rowByte =
            p.wBase + n * p.wNb1 + (i2 / p.rep2) * p.wNb2 + (i3 / p.rep3) * p.wNb3;
        // Activation row r = m + M * batch, each `blocks` blocks long.
        const uint actRow0 = p.xBase + (m0 + p.M * batch) * blocks * ACT_BLOCK_WORDS;
        for (uint i = 0u; i < blocks; ++i) {
            const uint wOff = rowByte + i * BLOCK_BYTES;
            const ivec4 wv = weightLane(wOff, lane);
            const float dw = rdF16(wOff);
#ifdef HAS_MIN
            const float mw = rdF16(wOff + 2u);
#endif
            for (uint m = 0u; m < mCount; ++m) {
                const uint a = actRow0 + (m * blocks + i) * ACT_BLOCK_WORDS;
                const ivec4 av = actLane(xq[a + lane]);
                const int isum = wv.x * av.x + wv.y * av.y + wv.z * av.z + wv.w * av.w;
                precise const float scale = dw * uintBitsToFloat(xq[a + 8u]);
                acc[m] = fmaRoundedOnce(scale, float(isum), acc[m]);
#ifdef HAS_MIN
                off[m] = fmaRoundedOnce(mw, uintBitsToFloat(xq[a + 9u]), off[m]);
#endif
            }
        }
    }
    [[unroll]] for (uint m = 0u; m < MT; ++m) partial[tid][m] = acc[m];
    barrier();
    if (lane != 0u || !rowValid) return;
    for (uint m = 0u; m < mCount; ++m) {
        precise const float s04 = partial[tid][m] + partial[tid + 4u][m];
        precise const float s26 = partial[tid + 2u][m] + partial[tid + 6u][m];
        precise const float s15 = partial[tid + 1u][m] + partial[tid + 5u][m];
        precise const float s37 = partial[tid + 3u][m] + partial[tid + 7u][m];
        precise const float total = ((s04 + s26) + (s15 + s37)) + off[m];
        d[p.dBase + n + (m0 + m) * p.dNb1 + i2 * p.dNb2 + i3 * p.dNb3] = total;
    }
}
