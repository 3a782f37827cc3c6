#version 450
// dst[n, m] = w[:, n] . x[:, m] for the k-quant weights (Q2_K .. Q6_K) against activations
// quantized to Q8_K blocks (round_activations.comp MODE 6), summed as the CPU backend sums them
// (Q4_K, Q6_K: kernels_x86_tiles.inl tileQ4_K / tileQ6_K, whatever their tile shape; Q2_K, Q3_K,
// Q5_K: kernels_x86.inl dotK2Cols / dotK4Cols), so that both backends give the same bits. Per
// super-block of 256 values, 8 lanes of exact integer sums:
//   Q4_K lane L: values 64c + 4L .. +3 (scale 2c) and 64c + 32 + 4L .. +3 (scale 2c + 1),
//                c = 0..3; its min term (bsum 2L + bsum 2L + 1) * min L;
//                acc[L] = fma(d_w * d_x, sum, acc[L]), then fma(-(dmin_w * d_x), mins, acc[L])
//   Q5_K lane L: as Q4_K with the fifth bit; its min terms go to one scalar instead:
//                off = fma(d_x * dmin_w, sum_j min j (bsum 2j + bsum 2j + 1), off), and the
//                result below less off
//   Q6_K lane L: values 128h + 32k + 4L .. +3 times scale (128h + 32k + 4L) / 16, h = 0..1,
//                k = 0..3, less 32 (bsum 2L scale 2L + bsum 2L + 1 scale 2L + 1);
//                acc[L] = fma(d_w * d_x, sum, acc[L])
//   Q2_K, Q3_K lane L: values 128h + 32s + 4L .. +3 (2- or 3-bit, unsigned) times scale
//                8h + 2s + (L >= 4), h = 0..1, s = 0..3; acc[L] = fma(d_w * d_x, sum, acc[L]);
//                off = fma(d_x * c, sum_g weight g * bsum g, off) with c, weight = dmin, the
//                mins (Q2_K) or 4 d_w, the scales (Q3_K: the offset 4 of every value)
//   result = ((acc0 + acc4) + (acc2 + acc6)) + ((acc1 + acc5) + (acc3 + acc7)) - off
// (fma rounded once: fma_exact.glsl). One invocation per weight row and up to MT activation rows.
#define MT 4u
layout(local_size_x = 64) in;

layout(binding = 0) readonly buffer Weights { uint w_words[]; };
// Per activation row, per super-block: 64 words of int8 values, then d as float bits.
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

#define ACT_BLOCK_WORDS 65u
#if WTYPE == 10
#define BLOCK_BYTES 84u
#elif WTYPE == 11
#define BLOCK_BYTES 110u
#elif WTYPE == 12
#define BLOCK_BYTES 144u
#elif WTYPE == 13
#define BLOCK_BYTES 176u
#else
#define BLOCK_BYTES 210u
#endif

// Sum of the 4 products of 4 unsigned weight bytes and 4 signed activation bytes.
int dot4(uint w, uint a) {
    int sum = 0;
    [[unroll]] for (int k = 0; k < 4; ++k)
        sum += int((w >> (8 * k)) & 0xffu) * bitfieldExtract(int(a), 8 * k, 8);
    return sum;
}

// Sum of the 4 signed activation bytes of a word.
int bytesSum(uint a) {
    return bitfieldExtract(int(a), 0, 8) + bitfieldExtract(int(a), 8, 8) +
           bitfieldExtract(int(a), 16, 8) + bitfieldExtract(int(a), 24, 8);
}

// Sum of the activation values 16 g .. 16 g + 15 of the block at word a (Q8_K's bsums).
int bsum(uint a, uint g) {
    return bytesSum(xq[a + 4u * g]) + bytesSum(xq[a + 4u * g + 1u]) +
           bytesSum(xq[a + 4u * g + 2u]) + bytesSum(xq[a + 4u * g + 3u]);
}

// One weight super-block (at byte blk) against one activation block (at word a): the lanes'
// fma steps into acc, the separate min / offset chain into off.
void superBlock(uint blk, uint a, inout float acc[8], inout float off) {
    const float dx = uintBitsToFloat(xq[a + 64u]);
#if WTYPE == 10 || WTYPE == 11
#if WTYPE == 10
    const float dw = rdF16(blk + 80u);
    precise const float offScale = dx * rdF16(blk + 82u);
    int sc[16], weight[16];
    [[unroll]] for (uint j = 0u; j < 16u; ++j) {
        sc[j] = int(rdU8(blk + j) & 15u);
        weight[j] = int(rdU8(blk + j) >> 4);
    }
    const uint qs = blk + 16u;
#else
    const float dw = rdF16(blk + 108u);
    precise const float fourD = 4.0 * dw;
    precise const float offScale = dx * fourD;
    const uint a0 = rdU32(blk + 96u), a1 = rdU32(blk + 100u), a2 = rdU32(blk + 104u);
    const uint packed[4] = uint[4](
        (a0 & 0x0f0f0f0fu) | ((a2 & 0x03030303u) << 4),
        (a1 & 0x0f0f0f0fu) | (((a2 >> 2) & 0x03030303u) << 4),
        ((a0 >> 4) & 0x0f0f0f0fu) | (((a2 >> 4) & 0x03030303u) << 4),
        ((a1 >> 4) & 0x0f0f0f0fu) | (((a2 >> 6) & 0x03030303u) << 4));
    int sc[16];
    [[unroll]] for (uint j = 0u; j < 16u; ++j)
        sc[j] = int((packed[j >> 2] >> (8u * (j & 3u))) & 0xffu) - 32;
    const uint qs = blk + 32u;
#endif
    precise const float scale = dx * dw;
    [[unroll]] for (uint L = 0u; L < 8u; ++L) {
        int sum = 0;
#if WTYPE == 11
        const uint hm = rdU32(blk + 4u * L); // third bits: bit 4h + s of each byte
#endif
        [[unroll]] for (uint h = 0u; h < 2u; ++h) {
            const uint q2 = rdU32(qs + 32u * h + 4u * L);
            [[unroll]] for (uint s = 0u; s < 4u; ++s) {
                uint u = (q2 >> (2u * s)) & 0x03030303u;
#if WTYPE == 11
                u |= ((hm >> (4u * h + s)) & 0x01010101u) << 2;
#endif
                sum += sc[8u * h + 2u * s + (L >= 4u ? 1u : 0u)] * dot4(u, xq[a + 32u * h + 8u * s + L]);
            }
        }
        acc[L] = fmaExact(scale, float(sum), acc[L]);
    }
    int correction = 0;
    [[unroll]] for (uint g = 0u; g < 16u; ++g)
#if WTYPE == 10
        correction += weight[g] * bsum(a, g);
#else
        correction += sc[g] * bsum(a, g);
#endif
    off = fmaExact(offScale, float(correction), off);
#elif WTYPE == 12 || WTYPE == 13
    const float dw = rdF16(blk), dminw = rdF16(blk + 2u);
    int sc[8], mn[8];
    [[unroll]] for (uint j = 0u; j < 8u; ++j) {
        float s, mv;
        scaleMinK4(blk + 4u, j, s, mv);
        sc[j] = int(s);
        mn[j] = int(mv);
    }
    precise const float scale = dw * dx, minScale = dminw * dx;
#if WTYPE == 13
    const uint q = blk + 48u;
#else
    const uint q = blk + 16u;
#endif
    int minSum = 0; // Q5_K
    [[unroll]] for (uint L = 0u; L < 8u; ++L) {
        int sum = 0;
#if WTYPE == 13
        const uint qh = rdU32(blk + 16u + 4u * L); // fifth bits: bit 2c / 2c + 1 of each byte
#endif
        [[unroll]] for (uint c = 0u; c < 4u; ++c) {
            const uint q4 = rdU32(q + 32u * c + 4u * L);
            uint lo = q4 & 0x0f0f0f0fu, hi = (q4 >> 4) & 0x0f0f0f0fu;
#if WTYPE == 13
            lo |= ((qh >> (2u * c)) & 0x01010101u) << 4;
            hi |= ((qh >> (2u * c + 1u)) & 0x01010101u) << 4;
#endif
            sum += sc[2u * c] * dot4(lo, xq[a + 16u * c + L]);
            sum += sc[2u * c + 1u] * dot4(hi, xq[a + 16u * c + 8u + L]);
        }
        const int mins = (bsum(a, 2u * L) + bsum(a, 2u * L + 1u)) * mn[L];
        acc[L] = fmaExact(scale, float(sum), acc[L]);
#if WTYPE == 12
        acc[L] = fmaExact(-minScale, float(mins), acc[L]);
#else
        minSum += mins;
#endif
    }
#if WTYPE == 13
    off = fmaExact(minScale, float(minSum), off);
#endif
#else // Q6_K
    const float dw = rdF16(blk + 208u);
    int sc[16];
    [[unroll]] for (uint j = 0u; j < 16u; ++j)
        sc[j] = bitfieldExtract(int(rdU8(blk + 192u + j)), 0, 8);
    precise const float scale = dw * dx;
    [[unroll]] for (uint L = 0u; L < 8u; ++L) {
        int sum = 0;
        [[unroll]] for (uint h = 0u; h < 2u; ++h) {
            const uint qlA = rdU32(blk + 64u * h + 4u * L);
            const uint qlB = rdU32(blk + 64u * h + 32u + 4u * L);
            const uint qh = rdU32(blk + 128u + 32u * h + 4u * L);
            const uint g = 8u * h + (L >= 4u ? 1u : 0u); // the scale of k = 0
            const uint q0 = (qlA & 0x0f0f0f0fu) | ((qh & 0x03030303u) << 4);
            const uint q1 = (qlB & 0x0f0f0f0fu) | (((qh >> 2) & 0x03030303u) << 4);
            const uint q2 = ((qlA >> 4) & 0x0f0f0f0fu) | (((qh >> 4) & 0x03030303u) << 4);
            const uint q3 = ((qlB >> 4) & 0x0f0f0f0fu) | (((qh >> 6) & 0x03030303u) << 4);
            const uint x0 = a + 32u * h + L;
            sum += sc[g] * dot4(q0, xq[x0]) + sc[g + 2u] * dot4(q1, xq[x0 + 8u]) +
                   sc[g + 4u] * dot4(q2, xq[x0 + 16u]) + sc[g + 6u] * dot4(q3, xq[x0 + 24u]);
        }
        sum -= 32 * (bsum(a, 2u * L) * sc[2u * L] + bsum(a, 2u * L + 1u) * sc[2u * L + 1u]);
        acc[L] = fmaExact(scale, float(sum), acc[L]);
    }
#endif
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
    const uint blocks = p.K / 256u;
    const uint rowByte = p.wBase + n * p.wNb1 + (i2 / p.rep2) * p.wNb2 + (i3 / p.rep3) * p.wNb3;
    const uint actRow0 = p.xBase + (m0 + p.M * batch) * blocks * ACT_BLOCK_WORDS;
    [[unroll]] for (uint m = 0u; m < MT; ++m) {
        if (m >= mCount) break;
        precise float acc[8] = float[8](0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        precise float off = 0.0;
        for (uint i = 0u; i < blocks; ++i)
            superBlock(rowByte + i * BLOCK_BYTES, actRow0 + (m * blocks + i) * ACT_BLOCK_WORDS,
                       acc, off);
        precise const float s04 = acc[0] + acc[4];
        precise const float s26 = acc[2] + acc[6];
        precise const float s15 = acc[1] + acc[5];
        precise const float s37 = acc[3] + acc[7];
        precise const float total = (s04 + s26) + (s15 + s37) - off;
        d[p.dBase + n + (m0 + m) * p.dNb1 + i2 * p.dNb2 + i3 * p.dNb3] = total;
    }
}
