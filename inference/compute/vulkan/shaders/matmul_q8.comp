#version 450
// dst[n, m] = w[:, n] . x[:, m] for the 32-value block types (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0)
// against activations quantized to Q8 blocks (round_activations.comp MODE 5), summed in exactly
// the order of the CPU backend's dot product (kernels_x86.inl dotLegacyCols, which is also
// llama.cpp's AVX2 order), so that both backends give bit-identical results:
//   per block i and lane j (values 4j .. 4j+3):  isum = the 4 integer products (exact),
//   acc[j] = fma(d_w * d_x, float(isum), acc[j]);  with a min: off = fma(m_w, s_x, off);
// (fma rounded once: fma_exact.glsl; exact in the "_x" builds for devices with float64)
//   result = ((acc0 + acc4) + (acc2 + acc6)) + ((acc1 + acc5) + (acc3 + acc7)) + off.
// Each invocation owns one weight row for up to MT activation rows and keeps the 8 lanes of each
// in registers (64 rows per workgroup): no shared memory, every rounding as on the CPU.
#define MT 4u
layout(local_size_x = 64) in;

layout(binding = 0) readonly buffer Weights { uint w_words[]; };
// Per activation row, per block: 8 words of int8 values, then d and s as float bits.
layout(binding = 1) readonly buffer X { uint xq[]; };
layout(binding = 2) writeonly buffer Dst { float d[]; };

layout(push_constant) uniform Params {
    uint K, N, M;
    uint wBase, wNb1, wNb2, wNb3; // bytes
    uint xBase, xNb1, xNb2, xNb3; // words; the strides are unused: the blocks are packed
    uint dBase, dNb1, dNb2, dNb3; // floats
    uint ne2, rep2, rep3;         // x.ne[2]; x.ne[2] / w.ne[2]; x.ne[3] / w.ne[3]
    uint mTiles, groups, unused2;
} p;

#include "common.glsl"
#include "quant_decode.glsl"
#include "fma_exact.glsl"

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


// The block's values in lane order (lane j = values 4j .. 4j+3) as 8 words of 4 signed bytes:
// Q4_0/Q5_0 with their offset taken off, Q4_1/Q5_1 unsigned (the min is the separate m * s term,
// as on the CPU), Q8_0 as stored.
void weightLanes(uint off, out uint lanes[8]) {
#if WTYPE == 8
    [[unroll]] for (uint j = 0u; j < 8u; ++j) lanes[j] = rdU32(off + 2u + 4u * j);
#else
#if WTYPE == 2 || WTYPE == 3
    const uint qs = off + (WTYPE == 2 ? 2u : 4u);
#elif WTYPE == 6
    const uint qh = rdU32(off + 2u), qs = off + 6u;
#else
    const uint qh = rdU32(off + 4u), qs = off + 8u;
#endif
    [[unroll]] for (uint j = 0u; j < 4u; ++j) {
        const uint word = rdU32(qs + 4u * j);
        uint low = word & 0x0f0f0f0fu, high = (word >> 4) & 0x0f0f0f0fu;
#if WTYPE == 6 || WTYPE == 7
        // The fifth bit of value v is bit v of qh: spread 4 bits to bit 4 of each byte.
        const uint hl = (qh >> (4u * j)) & 15u, hh = (qh >> (4u * j + 16u)) & 15u;
        low |= ((hl & 1u) << 4) | ((hl & 2u) << 11) | ((hl & 4u) << 18) | ((hl & 8u) << 25);
        high |= ((hh & 1u) << 4) | ((hh & 2u) << 11) | ((hh & 4u) << 18) | ((hh & 8u) << 25);
#endif
        lanes[j] = low;
        lanes[j + 4u] = high;
    }
#endif
}

int byteOf(uint word, int k, bool signedBytes) {
    return signedBytes ? bitfieldExtract(int(word), 8 * k, 8) : int((word >> (8 * k)) & 0xffu);
}

// Sum of the 4 products of a weight lane and an activation lane (exact integers).
int laneDot(uint w, uint a) {
#if WTYPE == 2
    const int off = 8;
#elif WTYPE == 6
    const int off = 16;
#else
    const int off = 0;
#endif
    const bool signedW = WTYPE == 8;
    int sum = 0;
    [[unroll]] for (int k = 0; k < 4; ++k)
        sum += (byteOf(w, k, signedW) - off) * byteOf(a, k, true);
    return sum;
}

void main() {
    const uint gid = linearGroup();
    if (gid >= p.groups) return;
    const uint nGroups = (p.N + 63u) / 64u;
    const uint n = (gid % nGroups) * 64u + gl_LocalInvocationIndex;
    if (n >= p.N) return;
    const uint mt = (gid / nGroups) % p.mTiles;
    const uint batch = gid / (nGroups * p.mTiles);
    const uint i2 = batch % p.ne2, i3 = batch / p.ne2;
    const uint m0 = mt * MT;
    const uint mCount = min(MT, p.M - m0);
    const uint blocks = p.K / 32u;
    const uint rowByte = p.wBase + n * p.wNb1 + (i2 / p.rep2) * p.wNb2 + (i3 / p.rep3) * p.wNb3;
    // Activation row r = m + M * batch, each `blocks` blocks long.
    const uint actRow0 = p.xBase + (m0 + p.M * batch) * blocks * ACT_BLOCK_WORDS;

    precise float acc[MT][8];
    precise float off[MT];
    [[unroll]] for (uint m = 0u; m < MT; ++m) {
        [[unroll]] for (uint j = 0u; j < 8u; ++j) acc[m][j] = 0.0;
        off[m] = 0.0;
    }
    for (uint i = 0u; i < blocks; ++i) {
        const uint wOff = rowByte + i * BLOCK_BYTES;
        uint wl[8];
        weightLanes(wOff, wl);
        const float dw = rdF16(wOff);
#ifdef HAS_MIN
        const float mw = rdF16(wOff + 2u);
#endif
        // Unrolled with constant indices so that acc and off stay in registers.
        [[unroll]] for (uint m = 0u; m < MT; ++m) {
            if (m >= mCount) break;
            const uint a = actRow0 + (m * blocks + i) * ACT_BLOCK_WORDS;
            precise const float scale = dw * uintBitsToFloat(xq[a + 8u]);
            [[unroll]] for (uint j = 0u; j < 8u; ++j)
                acc[m][j] = fmaExact(scale, float(laneDot(wl[j], xq[a + j])), acc[m][j]);
#ifdef HAS_MIN
            off[m] = fmaExact(mw, uintBitsToFloat(xq[a + 9u]), off[m]);
#endif
        }
    }
    [[unroll]] for (uint m = 0u; m < MT; ++m) {
        if (m >= mCount) break;
        precise const float s04 = acc[m][0] + acc[m][4];
        precise const float s26 = acc[m][2] + acc[m][6];
        precise const float s15 = acc[m][1] + acc[m][5];
        precise const float s37 = acc[m][3] + acc[m][7];
        precise const float total = ((s04 + s26) + (s15 + s37)) + off[m];
        d[p.dBase + n + (m0 + m) * p.dNb1 + i2 * p.dNb2 + i3 * p.dNb3] = total;
    }
}
