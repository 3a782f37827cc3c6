#version 450
// dst[n, m] = w[:, n] . x[:, m] for Q4_K, Q5_K and Q6_K weights against activations quantized to
// Q8_K blocks (round_activations.comp MODE 6), summed as the CPU backend sums them (Q4_K, Q6_K:
// kernels_x86_tiles.inl tileQ4_K / tileQ6_K, whatever their tile shape; Q5_K: kernels_x86.inl
// dotK4Cols), so that both backends give the same bits. Per super-block of 256 values, 8 lanes
// of exact integer sums:
//   Q4_K lane L: values 64c + 4L .. +3 (scale 2c) and 64c + 32 + 4L .. +3 (scale 2c + 1),
//                c = 0..3; its min term (bsum 2L + bsum 2L + 1) * min L;
//                acc[L] = fma(d_w * d_x, sum, acc[L]), then fma(-(dmin_w * d_x), mins, acc[L])
//   Q5_K lane L: as Q4_K with the fifth bit; its min terms go to one scalar instead:
//                off = fma(d_x * dmin_w, sum_j min j (bsum 2j + bsum 2j + 1), off), and the
//                result below less off
//   Q6_K lane L: values 128h + 32k + 4L .. +3 times scale (128h + 32k + 4L) / 16, h = 0..1,
//                k = 0..3, less 32 (bsum 2L scale 2L + bsum 2L + 1 scale 2L + 1);
//                acc[L] = fma(d_w * d_x, sum, acc[L])
//   result = ((acc0 + acc4) + (acc2 + acc6)) + ((acc1 + acc5) + (acc3 + acc7))
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
#if WTYPE == 12
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

    precise float acc[MT][8];
    precise float off[MT]; // Q5_K's min terms
    [[unroll]] for (uint m = 0u; m < MT; ++m) {
        [[unroll]] for (uint j = 0u; j < 8u; ++j) acc[m][j] = 0.0;
        off[m] = 0.0;
    }

    for (uint i = 0u; i < blocks; ++i) {
        const uint blk = rowByte + i * BLOCK_BYTES;
#if WTYPE == 12 || WTYPE == 13
        const float dw = rdF16(blk), dminw = rdF16(blk + 2u);
        int sc[8], mn[8];
        [[unroll]] for (uint j = 0u; j < 8u; ++j) {
            float s, mv;
            scaleMinK4(blk + 4u, j, s, mv);
            sc[j] = int(s);
            mn[j] = int(mv);
        }
#else
        const float dw = rdF16(blk + 208u);
        int sc[16];
        [[unroll]] for (uint j = 0u; j < 16u; ++j)
            sc[j] = bitfieldExtract(int(rdU8(blk + 192u + j)), 0, 8);
#endif
        [[unroll]] for (uint m = 0u; m < MT; ++m) {
            if (m >= mCount) break;
            const uint a = actRow0 + (m * blocks + i) * ACT_BLOCK_WORDS;
            const float dx = uintBitsToFloat(xq[a + 64u]);
#if WTYPE == 12 || WTYPE == 13
            precise const float scale = dw * dx, minScale = dminw * dx;
#else
            precise const float scale = dw * dx;
#endif
            int minSum = 0; // Q5_K
            [[unroll]] for (uint L = 0u; L < 8u; ++L) {
                int sum = 0;
#if WTYPE == 12 || WTYPE == 13
#if WTYPE == 13
                const uint qh = rdU32(blk + 16u + 4u * L); // fifth bits: bit 2c / 2c + 1 per byte
#endif
                [[unroll]] for (uint c = 0u; c < 4u; ++c) {
                    const uint q4 = rdU32(blk + (WTYPE == 12 ? 16u : 48u) + 32u * c + 4u * L);
                    uint lo = q4 & 0x0f0f0f0fu, hi = (q4 >> 4) & 0x0f0f0f0fu;
#if WTYPE == 13
                    lo |= ((qh >> (2u * c)) & 0x01010101u) << 4;
                    hi |= ((qh >> (2u * c + 1u)) & 0x01010101u) << 4;
#endif
                    sum += sc[2u * c] * dot4(lo, xq[a + 16u * c + L]);
                    sum += sc[2u * c + 1u] * dot4(hi, xq[a + 16u * c + 8u + L]);
                }
                int bsum = 0; // bsum 2L + bsum 2L + 1: values 32L .. 32L + 31
                [[unroll]] for (uint w = 0u; w < 8u; ++w) bsum += bytesSum(xq[a + 8u * L + w]);
                acc[m][L] = fmaExact(scale, float(sum), acc[m][L]);
#if WTYPE == 12
                acc[m][L] = fmaExact(-minScale, float(bsum * mn[L]), acc[m][L]);
#else
                minSum += bsum * mn[L];
#endif
#else
                [[unroll]] for (uint h = 0u; h < 2u; ++h) {
                    const uint qlA = rdU32(blk + 64u * h + 4u * L);
                    const uint qlB = rdU32(blk + 64u * h + 32u + 4u * L);
                    const uint qh = rdU32(blk + 128u + 32u * h + 4u * L);
                    const uint g = 8u * h + (L >= 4u ? 1u : 0u); // scale of k = 0
                    const uint q0 = (qlA & 0x0f0f0f0fu) | ((qh & 0x03030303u) << 4);
                    const uint q1 = (qlB & 0x0f0f0f0fu) | (((qh >> 2) & 0x03030303u) << 4);
                    const uint q2 = ((qlA >> 4) & 0x0f0f0f0fu) | (((qh >> 4) & 0x03030303u) << 4);
                    const uint q3 = ((qlB >> 4) & 0x0f0f0f0fu) | (((qh >> 6) & 0x03030303u) << 4);
                    const uint x0 = a + 32u * h + L;
                    sum += sc[g] * dot4(q0, xq[x0]) + sc[g + 2u] * dot4(q1, xq[x0 + 8u]) +
                           sc[g + 4u] * dot4(q2, xq[x0 + 16u]) + sc[g + 6u] * dot4(q3, xq[x0 + 24u]);
                }
                int b0 = 0, b1 = 0; // bsums 2L and 2L + 1
                [[unroll]] for (uint w = 0u; w < 4u; ++w) {
                    b0 += bytesSum(xq[a + 8u * L + w]);
                    b1 += bytesSum(xq[a + 8u * L + 4u + w]);
                }
                sum -= 32 * (b0 * sc[2u * L] + b1 * sc[2u * L + 1u]);
                acc[m][L] = fmaExact(scale, float(sum), acc[m][L]);
#endif
            }
#if WTYPE == 13
            off[m] = fmaExact(minScale, float(minSum), off[m]);
#endif
        }
    }
    [[unroll]] for (uint m = 0u; m < MT; ++m) {
        if (m >= mCount) break;
        precise const float s04 = acc[m][0] + acc[m][4];
        precise const float s26 = acc[m][2] + acc[m][6];
        precise const float s15 = acc[m][1] + acc[m][5];
        precise const float s37 = acc[m][3] + acc[m][7];
        precise const float total = (s04 + s26) + (s15 + s37) - off[m];
        d[p.dBase + n + (m0 + m) * p.dNb1 + i2 * p.dNb2 + i3 * p.dNb3] = total;
    }
}
