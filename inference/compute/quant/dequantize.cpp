// Reference dequantization of every GGUF block layout (see blocks.hpp for the formulas).
#include "inference/compute/quant/blocks.hpp"
#include "inference/compute/quant/float16.hpp"
#include "inference/compute/quant/reference.hpp"
#include "inference/util/error.hpp"

#include <cstring>
#include <string>

namespace atelier::compute::quant {
namespace {

std::uint32_t loadU32(const std::uint8_t* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v; // GGUF is little-endian, as is every host we build for
}

void dequantQ4_0(const BlockQ4_0* b, float* y, std::int64_t blocks) {
    for (std::int64_t i = 0; i < blocks; ++i, y += kBlock) {
        const float d = fp16ToFp32(b[i].d);
        for (int j = 0; j < kBlock / 2; ++j) {
            y[j] = d * float((b[i].qs[j] & 0xF) - 8);
            y[j + 16] = d * float((b[i].qs[j] >> 4) - 8);
        }
    }
}

void dequantQ4_1(const BlockQ4_1* b, float* y, std::int64_t blocks) {
    for (std::int64_t i = 0; i < blocks; ++i, y += kBlock) {
        const float d = fp16ToFp32(b[i].d), m = fp16ToFp32(b[i].m);
        for (int j = 0; j < kBlock / 2; ++j) {
            y[j] = d * float(b[i].qs[j] & 0xF) + m;
            y[j + 16] = d * float(b[i].qs[j] >> 4) + m;
        }
    }
}

void dequantQ5_0(const BlockQ5_0* b, float* y, std::int64_t blocks) {
    for (std::int64_t i = 0; i < blocks; ++i, y += kBlock) {
        const float d = fp16ToFp32(b[i].d);
        const std::uint32_t qh = loadU32(b[i].qh);
        for (int j = 0; j < kBlock / 2; ++j) {
            const int lo = (b[i].qs[j] & 0xF) | int(((qh >> j) & 1u) << 4);
            const int hi = (b[i].qs[j] >> 4) | int(((qh >> (j + 16)) & 1u) << 4);
            y[j] = d * float(lo - 16);
            y[j + 16] = d * float(hi - 16);
        }
    }
}

void dequantQ5_1(const BlockQ5_1* b, float* y, std::int64_t blocks) {
    for (std::int64_t i = 0; i < blocks; ++i, y += kBlock) {
        const float d = fp16ToFp32(b[i].d), m = fp16ToFp32(b[i].m);
        const std::uint32_t qh = loadU32(b[i].qh);
        for (int j = 0; j < kBlock / 2; ++j) {
            const int lo = (b[i].qs[j] & 0xF) | int(((qh >> j) & 1u) << 4);
            const int hi = (b[i].qs[j] >> 4) | int(((qh >> (j + 16)) & 1u) << 4);
            y[j] = d * float(lo) + m;
            y[j + 16] = d * float(hi) + m;
        }
    }
}

void dequantQ8_0(const BlockQ8_0* b, float* y, std::int64_t blocks) {
    for (std::int64_t i = 0; i < blocks; ++i, y += kBlock) {
        const float d = fp16ToFp32(b[i].d);
        for (int j = 0; j < kBlock; ++j) y[j] = d * float(b[i].qs[j]);
    }
}

void dequantQ8_1(const BlockQ8_1* b, float* y, std::int64_t blocks) {
    for (std::int64_t i = 0; i < blocks; ++i, y += kBlock) {
        const float d = fp16ToFp32(b[i].d);
        for (int j = 0; j < kBlock; ++j) y[j] = d * float(b[i].qs[j]);
    }
}

// Q2_K: values come in two halves of 128; in each, byte l of qs (32 bytes) carries 4 values
// (bits 0-1, 2-3, 4-5, 6-7) for 4 consecutive groups of 32, each group with two scales.
void dequantQ2_K(const BlockQ2_K* b, float* y, std::int64_t blocks) {
    for (std::int64_t i = 0; i < blocks; ++i) {
        const float d = fp16ToFp32(b[i].d), dmin = fp16ToFp32(b[i].dmin);
        const std::uint8_t* q = b[i].qs;
        int group = 0;
        for (int half = 0; half < 2; ++half, q += 32) {
            for (int shift = 0; shift < 8; shift += 2) {
                for (int part = 0; part < 2; ++part, ++group) {
                    const std::uint8_t sc = b[i].scales[group];
                    const float dl = d * float(sc & 0xF), ml = dmin * float(sc >> 4);
                    for (int l = 0; l < 16; ++l)
                        *y++ = dl * float((q[l + 16 * part] >> shift) & 3) - ml;
                }
            }
        }
    }
}

// Q3_K: the same 2-bit walk as Q2_K; a cleared hmask bit subtracts 4 (the high bit plane m
// moves one bit per 32 values).
void dequantQ3_K(const BlockQ3_K* b, float* y, std::int64_t blocks) {
    for (std::int64_t i = 0; i < blocks; ++i) {
        const float d = fp16ToFp32(b[i].d);
        std::uint8_t scales[16];
        unpackScalesQ3K(b[i].scales, scales);
        const std::uint8_t* q = b[i].qs;
        std::uint8_t m = 1;
        int group = 0;
        for (int half = 0; half < 2; ++half, q += 32) {
            for (int shift = 0; shift < 8; shift += 2, m = std::uint8_t(m << 1)) {
                for (int part = 0; part < 2; ++part, ++group) {
                    const float dl = d * float(int(scales[group]) - 32);
                    for (int l = 0; l < 16; ++l) {
                        const int k = l + 16 * part;
                        const int v = ((q[k] >> shift) & 3) - ((b[i].hmask[k] & m) ? 0 : 4);
                        *y++ = dl * float(v);
                    }
                }
            }
        }
    }
}

// Q4_K: 4 chunks of 64 values; low nibbles of 32 bytes, then their high nibbles.
void dequantQ4_K(const BlockQ4_K* b, float* y, std::int64_t blocks) {
    for (std::int64_t i = 0; i < blocks; ++i) {
        const float d = fp16ToFp32(b[i].d), dmin = fp16ToFp32(b[i].dmin);
        const std::uint8_t* q = b[i].qs;
        for (int chunk = 0; chunk < 4; ++chunk, q += 32) {
            std::uint8_t s0, m0, s1, m1;
            unpackScaleMinK4(2 * chunk, b[i].scales, s0, m0);
            unpackScaleMinK4(2 * chunk + 1, b[i].scales, s1, m1);
            for (int l = 0; l < 32; ++l) *y++ = d * s0 * float(q[l] & 0xF) - dmin * m0;
            for (int l = 0; l < 32; ++l) *y++ = d * s1 * float(q[l] >> 4) - dmin * m1;
        }
    }
}

void dequantQ5_K(const BlockQ5_K* b, float* y, std::int64_t blocks) {
    for (std::int64_t i = 0; i < blocks; ++i) {
        const float d = fp16ToFp32(b[i].d), dmin = fp16ToFp32(b[i].dmin);
        const std::uint8_t* q = b[i].qs;
        for (int chunk = 0; chunk < 4; ++chunk, q += 32) {
            std::uint8_t s0, m0, s1, m1;
            unpackScaleMinK4(2 * chunk, b[i].scales, s0, m0);
            unpackScaleMinK4(2 * chunk + 1, b[i].scales, s1, m1);
            const std::uint8_t bitLo = std::uint8_t(1u << (2 * chunk));
            const std::uint8_t bitHi = std::uint8_t(2u << (2 * chunk));
            for (int l = 0; l < 32; ++l)
                *y++ = d * s0 * float((q[l] & 0xF) + ((b[i].qh[l] & bitLo) ? 16 : 0)) - dmin * m0;
            for (int l = 0; l < 32; ++l)
                *y++ = d * s1 * float((q[l] >> 4) + ((b[i].qh[l] & bitHi) ? 16 : 0)) - dmin * m1;
        }
    }
}

// Q6_K: two halves of 128; in each, ql byte l / l+32 and qh byte l hold 4 values 32 apart.
void dequantQ6_K(const BlockQ6_K* b, float* y, std::int64_t blocks) {
    for (std::int64_t i = 0; i < blocks; ++i) {
        const float d = fp16ToFp32(b[i].d);
        const std::uint8_t* ql = b[i].ql;
        const std::uint8_t* qh = b[i].qh;
        const std::int8_t* sc = b[i].scales;
        for (int half = 0; half < 2; ++half, ql += 64, qh += 32, sc += 8, y += 128) {
            for (int l = 0; l < 32; ++l) {
                const int g = l / 16;
                const int q1 = ((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                const int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                y[l] = d * float(sc[g]) * float(q1);
                y[l + 32] = d * float(sc[g + 2]) * float(q2);
                y[l + 64] = d * float(sc[g + 4]) * float(q3);
                y[l + 96] = d * float(sc[g + 6]) * float(q4);
            }
        }
    }
}

void dequantQ8_K(const BlockQ8_K* b, float* y, std::int64_t blocks) {
    for (std::int64_t i = 0; i < blocks; ++i)
        for (int j = 0; j < kSuper; ++j) *y++ = b[i].d * float(b[i].qs[j]);
}

} // namespace

bool canDequantize(ElementType type) {
    switch (type) {
    case ElementType::F32:
    case ElementType::F16:
    case ElementType::BF16:
    case ElementType::Q4_0:
    case ElementType::Q4_1:
    case ElementType::Q5_0:
    case ElementType::Q5_1:
    case ElementType::Q8_0:
    case ElementType::Q8_1:
    case ElementType::Q2_K:
    case ElementType::Q3_K:
    case ElementType::Q4_K:
    case ElementType::Q5_K:
    case ElementType::Q6_K:
    case ElementType::Q8_K:
        return true;
    default:
        return false;
    }
}

void dequantizeRow(ElementType type, const void* src, float* dst, std::int64_t n) {
    const std::int64_t blocks32 = n / kBlock, blocks256 = n / kSuper;
    switch (type) {
    case ElementType::F32:
        std::memcpy(dst, src, std::size_t(n) * 4);
        return;
    case ElementType::F16: {
        const auto* s = static_cast<const std::uint16_t*>(src);
        for (std::int64_t i = 0; i < n; ++i) dst[i] = fp16ToFp32(s[i]);
        return;
    }
    case ElementType::BF16: {
        const auto* s = static_cast<const std::uint16_t*>(src);
        for (std::int64_t i = 0; i < n; ++i) dst[i] = bf16ToFp32(s[i]);
        return;
    }
    case ElementType::Q4_0:
        return dequantQ4_0(static_cast<const BlockQ4_0*>(src), dst, blocks32);
    case ElementType::Q4_1:
        return dequantQ4_1(static_cast<const BlockQ4_1*>(src), dst, blocks32);
    case ElementType::Q5_0:
        return dequantQ5_0(static_cast<const BlockQ5_0*>(src), dst, blocks32);
    case ElementType::Q5_1:
        return dequantQ5_1(static_cast<const BlockQ5_1*>(src), dst, blocks32);
    case ElementType::Q8_0:
        return dequantQ8_0(static_cast<const BlockQ8_0*>(src), dst, blocks32);
    case ElementType::Q8_1:
        return dequantQ8_1(static_cast<const BlockQ8_1*>(src), dst, blocks32);
    case ElementType::Q2_K:
        return dequantQ2_K(static_cast<const BlockQ2_K*>(src), dst, blocks256);
    case ElementType::Q3_K:
        return dequantQ3_K(static_cast<const BlockQ3_K*>(src), dst, blocks256);
    case ElementType::Q4_K:
        return dequantQ4_K(static_cast<const BlockQ4_K*>(src), dst, blocks256);
    case ElementType::Q5_K:
        return dequantQ5_K(static_cast<const BlockQ5_K*>(src), dst, blocks256);
    case ElementType::Q6_K:
        return dequantQ6_K(static_cast<const BlockQ6_K*>(src), dst, blocks256);
    case ElementType::Q8_K:
        return dequantQ8_K(static_cast<const BlockQ8_K*>(src), dst, blocks256);
    default:
        throw Error(ErrorKind::Unsupported,
                    "cannot dequantize tensor type " + std::string(gguf::tensorTypeName(type)));
    }
}

} // namespace atelier::compute::quant
