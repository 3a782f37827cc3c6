// Decodes 16 consecutive values of one weight row, for the weight type WTYPE (ggml's type id),
// from the GGUF block layouts byte for byte (quant/blocks.hpp). The including shader declares
// the weights as a word array `w_words` (any device reads 32-bit words; blocks of 18, 22 or
// 110 bytes are not word-aligned, so bytes are picked out of words).
//   decode16(rowByte, c, K, v): values 16c .. 16c+15 of the row starting at byte rowByte;
//   values past K (float types only) read as zero.

uint rdU8(uint off) {
    return (w_words[off >> 2] >> ((off & 3u) * 8u)) & 0xffu;
}
uint rdU16(uint off) { // off even
    return (w_words[off >> 2] >> ((off & 2u) * 8u)) & 0xffffu;
}
uint rdU32(uint off) { // off even
    return (off & 3u) == 0u ? w_words[off >> 2] : rdU16(off) | (rdU16(off + 2u) << 16);
}
float rdF16(uint off) {
    return unpackHalf2x16(rdU16(off)).x;
}
// Byte j (0..15) of the 16 bytes at `off`, read as four words first.
#define LOAD16BYTES(off, q)                                                                    \
    [[unroll]] for (uint i_ = 0u; i_ < 4u; ++i_) q[i_] = rdU32((off) + 4u * i_);
#define BYTE_OF(q, j) ((q[(j) >> 2] >> (((j) & 3u) * 8u)) & 0xffu)

#if WTYPE == 0 // F32
const uint BLOCK_VALUES = 1u;
void decode16(uint rowByte, uint c, uint K, out float v[16]) {
    [[unroll]] for (uint j = 0u; j < 16u; ++j) {
        const uint e = 16u * c + j;
        v[j] = e < K ? uintBitsToFloat(w_words[(rowByte >> 2) + e]) : 0.0;
    }
}
#elif WTYPE == 1 || WTYPE == 30 // F16, BF16
const uint BLOCK_VALUES = 1u;
void decode16(uint rowByte, uint c, uint K, out float v[16]) {
    [[unroll]] for (uint j = 0u; j < 16u; ++j) {
        const uint e = 16u * c + j;
#if WTYPE == 1
        v[j] = e < K ? rdF16(rowByte + 2u * e) : 0.0;
#else
        v[j] = e < K ? uintBitsToFloat(rdU16(rowByte + 2u * e) << 16) : 0.0;
#endif
    }
}
#elif WTYPE == 2 || WTYPE == 3 // Q4_0, Q4_1: 16 low nibbles then 16 high nibbles
const uint BLOCK_VALUES = 32u;
void decode16(uint rowByte, uint c, uint K, out float v[16]) {
#if WTYPE == 2
    const uint off = rowByte + (c >> 1) * 18u;
    const float d = rdF16(off), m = -8.0 * d;
    const uint qs = off + 2u;
#else
    const uint off = rowByte + (c >> 1) * 20u;
    const float d = rdF16(off), m = rdF16(off + 2u);
    const uint qs = off + 4u;
#endif
    const uint shift = (c & 1u) * 4u;
    uint q[4];
    LOAD16BYTES(qs, q)
    [[unroll]] for (uint j = 0u; j < 16u; ++j) v[j] = d * float((BYTE_OF(q, j) >> shift) & 15u) + m;
}
#elif WTYPE == 6 || WTYPE == 7 // Q5_0, Q5_1: a fifth bit per value in the 32-bit qh
const uint BLOCK_VALUES = 32u;
void decode16(uint rowByte, uint c, uint K, out float v[16]) {
#if WTYPE == 6
    const uint off = rowByte + (c >> 1) * 22u;
    const float d = rdF16(off), m = -16.0 * d;
    const uint qh = rdU32(off + 2u), qs = off + 6u;
#else
    const uint off = rowByte + (c >> 1) * 24u;
    const float d = rdF16(off), m = rdF16(off + 2u);
    const uint qh = rdU32(off + 4u), qs = off + 8u;
#endif
    const uint half_ = c & 1u;
    uint q[4];
    LOAD16BYTES(qs, q)
    [[unroll]] for (uint j = 0u; j < 16u; ++j) {
        const uint low = (BYTE_OF(q, j) >> (4u * half_)) & 15u;
        const uint high = (qh >> (j + 16u * half_)) & 1u;
        v[j] = d * float(low | (high << 4)) + m;
    }
}
#elif WTYPE == 8 // Q8_0
const uint BLOCK_VALUES = 32u;
void decode16(uint rowByte, uint c, uint K, out float v[16]) {
    const uint off = rowByte + (c >> 1) * 34u;
    const float d = rdF16(off);
    uint q[4];
    LOAD16BYTES(off + 2u + 16u * (c & 1u), q)
    [[unroll]] for (uint j = 0u; j < 16u; ++j) v[j] = d * float(int(BYTE_OF(q, j) << 24) >> 24);
}
#elif WTYPE == 10 || WTYPE == 11 // Q2_K, Q3_K: 2-bit planes walked as in dequantize.cpp
const uint BLOCK_VALUES = 256u;
void decode16(uint rowByte, uint c, uint K, out float v[16]) {
    const uint g = c & 15u; // group of 16 within the super-block
    const uint half_ = g >> 3, shift = 2u * ((g & 7u) >> 1), part = g & 1u;
#if WTYPE == 10
    const uint off = rowByte + (c >> 4) * 84u;
    const uint sc = rdU8(off + g);
    const float dl = rdF16(off + 80u) * float(sc & 15u);
    const float ml = rdF16(off + 82u) * float(sc >> 4);
    uint q[4];
    LOAD16BYTES(off + 16u + 32u * half_ + 16u * part, q)
    [[unroll]] for (uint j = 0u; j < 16u; ++j) v[j] = dl * float((BYTE_OF(q, j) >> shift) & 3u) - ml;
#else
    const uint off = rowByte + (c >> 4) * 110u;
    const uint low = g < 8u ? (rdU8(off + 96u + g) & 15u) : (rdU8(off + 96u + g - 8u) >> 4);
    const uint high = (rdU8(off + 96u + 8u + (g & 3u)) >> (2u * (g >> 2))) & 3u;
    const float dl = rdF16(off + 108u) * float(int(low | (high << 4)) - 32);
    const uint bit = 4u * half_ + (shift >> 1);
    uint q[4], h[4];
    LOAD16BYTES(off + 32u + 32u * half_ + 16u * part, q)
    LOAD16BYTES(off + 16u * part, h)
    [[unroll]] for (uint j = 0u; j < 16u; ++j) {
        const int value = int((BYTE_OF(q, j) >> shift) & 3u) - (((BYTE_OF(h, j) >> bit) & 1u) != 0u ? 0 : 4);
        v[j] = dl * float(value);
    }
#endif
}
#elif WTYPE == 12 || WTYPE == 13 // Q4_K, Q5_K: 8 sub-blocks of 32, 6-bit scales and mins
const uint BLOCK_VALUES = 256u;
void scaleMinK4(uint scales, uint j, out float sc, out float mn) {
    if (j < 4u) {
        sc = float(rdU8(scales + j) & 63u);
        mn = float(rdU8(scales + j + 4u) & 63u);
    } else {
        sc = float((rdU8(scales + j + 4u) & 15u) | ((rdU8(scales + j - 4u) >> 6) << 4));
        mn = float((rdU8(scales + j + 4u) >> 4) | ((rdU8(scales + j) >> 6) << 4));
    }
}
void decode16(uint rowByte, uint c, uint K, out float v[16]) {
    const uint sub = (c & 15u) >> 1; // sub-block of 32
    const uint l0 = 16u * (c & 1u);
#if WTYPE == 12
    const uint off = rowByte + (c >> 4) * 144u;
    const uint qs = off + 16u;
#else
    const uint off = rowByte + (c >> 4) * 176u;
    const uint qs = off + 48u;
    uint h[4];
    LOAD16BYTES(off + 16u + l0, h)
#endif
    float sc, mn;
    scaleMinK4(off + 4u, sub, sc, mn);
    const float d = rdF16(off) * sc, m = rdF16(off + 2u) * mn;
    uint q[4];
    LOAD16BYTES(qs + 32u * (sub >> 1) + l0, q)
    const uint shift = 4u * (sub & 1u);
    [[unroll]] for (uint j = 0u; j < 16u; ++j) {
        uint value = (BYTE_OF(q, j) >> shift) & 15u;
#if WTYPE == 13
        value |= ((BYTE_OF(h, j) >> sub) & 1u) << 4;
#endif
        v[j] = d * float(value) - m;
    }
}
#elif WTYPE == 14 // Q6_K: low 4 bits in ql, high 2 in qh, signed 8-bit scales per 16
const uint BLOCK_VALUES = 256u;
void decode16(uint rowByte, uint c, uint K, out float v[16]) {
    const uint off = rowByte + (c >> 4) * 210u;
    const uint g = c & 15u;
    const uint half_ = g >> 3, quarter = (g >> 1) & 3u, l0 = 16u * (g & 1u);
    const int scale = int(rdU8(off + 192u + 8u * half_ + (g & 1u) + 2u * quarter) << 24) >> 24;
    const float d = rdF16(off + 208u) * float(scale);
    uint ql[4], qh[4];
    LOAD16BYTES(off + 64u * half_ + l0 + 32u * (quarter & 1u), ql)
    LOAD16BYTES(off + 128u + 32u * half_ + l0, qh)
    const uint lowShift = 4u * (quarter >> 1), highShift = 2u * quarter;
    [[unroll]] for (uint j = 0u; j < 16u; ++j) {
        const uint value = ((BYTE_OF(ql, j) >> lowShift) & 15u) | (((BYTE_OF(qh, j) >> highShift) & 3u) << 4);
        v[j] = d * float(int(value) - 32);
    }
}
#else
#error "unknown WTYPE"
#endif
