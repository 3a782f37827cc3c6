#include "inference/compute/cpu/kquant_decode.hpp"

#include "inference/compute/quant/blocks.hpp"
#include "inference/compute/quant/float16.hpp"

namespace atelier::compute::cpu {
using namespace quant;
namespace {

void decodeQ2K(const BlockQ2_K& b, DecodedK& out) {
    const float d = fp16ToFp32(b.d), dmin = fp16ToFp32(b.dmin);
    for (int g = 0; g < 16; ++g) {
        out.scale[g] = d * float(b.scales[g] & 0xF);
        out.min[g] = dmin * float(b.scales[g] >> 4);
    }
    // Value index: half * 128 + (shift / 2) * 32 + l, from bits `shift` of qs[half * 32 + l].
    for (int half = 0; half < 2; ++half)
        for (int s = 0; s < 4; ++s)
            for (int l = 0; l < 32; ++l)
                out.u[half * 128 + s * 32 + l] = std::uint8_t((b.qs[half * 32 + l] >> (2 * s)) & 3);
    out.offset = 0;
}

void decodeQ3K(const BlockQ3_K& b, DecodedK& out) {
    const float d = fp16ToFp32(b.d);
    std::uint8_t scales[16];
    unpackScalesQ3K(b.scales, scales);
    for (int g = 0; g < 16; ++g) {
        out.scale[g] = d * float(int(scales[g]) - 32);
        out.min[g] = 0.0f;
    }
    // hmask bit (half * 4 + s) of byte l set means "no minus 4": u = q2 + 4 * bit.
    for (int half = 0; half < 2; ++half)
        for (int s = 0; s < 4; ++s)
            for (int l = 0; l < 32; ++l) {
                const int q2 = (b.qs[half * 32 + l] >> (2 * s)) & 3;
                const int h = (b.hmask[l] >> (half * 4 + s)) & 1;
                out.u[half * 128 + s * 32 + l] = std::uint8_t(q2 + 4 * h);
            }
    out.offset = 4;
}

template <class Block> void scalesMinsK4(const Block& b, DecodedK& out) {
    const float d = fp16ToFp32(b.d), dmin = fp16ToFp32(b.dmin);
    for (int j = 0; j < 8; ++j) {
        std::uint8_t sc, m;
        unpackScaleMinK4(j, b.scales, sc, m);
        out.scale[2 * j] = out.scale[2 * j + 1] = d * float(sc);
        out.min[2 * j] = out.min[2 * j + 1] = dmin * float(m);
    }
    out.offset = 0;
}

void decodeQ4K(const BlockQ4_K& b, DecodedK& out) {
    scalesMinsK4(b, out);
    for (int chunk = 0; chunk < 4; ++chunk)
        for (int l = 0; l < 32; ++l) {
            out.u[chunk * 64 + l] = b.qs[chunk * 32 + l] & 0xF;
            out.u[chunk * 64 + 32 + l] = b.qs[chunk * 32 + l] >> 4;
        }
}

void decodeQ5K(const BlockQ5_K& b, DecodedK& out) {
    scalesMinsK4(b, out);
    for (int chunk = 0; chunk < 4; ++chunk)
        for (int l = 0; l < 32; ++l) {
            const int hiLo = (b.qh[l] >> (2 * chunk)) & 1, hiHi = (b.qh[l] >> (2 * chunk + 1)) & 1;
            out.u[chunk * 64 + l] = std::uint8_t((b.qs[chunk * 32 + l] & 0xF) | (hiLo << 4));
            out.u[chunk * 64 + 32 + l] = std::uint8_t((b.qs[chunk * 32 + l] >> 4) | (hiHi << 4));
        }
}

void decodeQ6K(const BlockQ6_K& b, DecodedK& out) {
    const float d = fp16ToFp32(b.d);
    for (int g = 0; g < 16; ++g) {
        out.scale[g] = d * float(b.scales[g]);
        out.min[g] = 0.0f;
    }
    for (int half = 0; half < 2; ++half) {
        const std::uint8_t* ql = b.ql + 64 * half;
        const std::uint8_t* qh = b.qh + 32 * half;
        std::uint8_t* u = out.u + 128 * half;
        for (int l = 0; l < 32; ++l) {
            u[l] = std::uint8_t((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4));
            u[l + 32] = std::uint8_t((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4));
            u[l + 64] = std::uint8_t((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4));
            u[l + 96] = std::uint8_t((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4));
        }
    }
    out.offset = 32;
}

} // namespace

void decodeKBlock(ElementType type, const void* row, std::int64_t index, DecodedK& out) {
    switch (type) {
    case ElementType::Q2_K:
        return decodeQ2K(static_cast<const BlockQ2_K*>(row)[index], out);
    case ElementType::Q3_K:
        return decodeQ3K(static_cast<const BlockQ3_K*>(row)[index], out);
    case ElementType::Q4_K:
        return decodeQ4K(static_cast<const BlockQ4_K*>(row)[index], out);
    case ElementType::Q5_K:
        return decodeQ5K(static_cast<const BlockQ5_K*>(row)[index], out);
    case ElementType::Q6_K:
        return decodeQ6K(static_cast<const BlockQ6_K*>(row)[index], out);
    default:
        return;
    }
}

} // namespace atelier::compute::cpu
