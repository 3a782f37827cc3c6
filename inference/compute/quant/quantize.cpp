// Reference quantization for the types whose encoding is a direct formula (the legacy 32-value
// blocks, F16/BF16, and the Q8_K activation format). The rounding follows ggml's reference
// code so that activations quantize as llama.cpp's do.
#include "inference/compute/quant/blocks.hpp"
#include "inference/compute/quant/float16.hpp"
#include "inference/compute/quant/reference.hpp"
#include "inference/util/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace atelier::compute::quant {
namespace {

float absMax(const float* x, int n) {
    float amax = 0.0f;
    for (int j = 0; j < n; ++j) amax = std::max(amax, std::fabs(x[j]));
    return amax;
}

// The value of largest magnitude, with its sign (first one wins on ties).
float signedMax(const float* x, int n) {
    float amax = 0.0f, max = 0.0f;
    for (int j = 0; j < n; ++j)
        if (std::fabs(x[j]) > amax) {
            amax = std::fabs(x[j]);
            max = x[j];
        }
    return max;
}

void quantQ4_0(const float* x, BlockQ4_0* b, std::int64_t blocks) {
    for (std::int64_t i = 0; i < blocks; ++i, x += kBlock) {
        const float d = signedMax(x, kBlock) / -8.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        b[i].d = fp32ToFp16(d);
        for (int j = 0; j < kBlock / 2; ++j) {
            const int lo = std::min(15, int(std::int8_t(x[j] * id + 8.5f)));
            const int hi = std::min(15, int(std::int8_t(x[j + 16] * id + 8.5f)));
            b[i].qs[j] = std::uint8_t(lo | (hi << 4));
        }
    }
}

void quantQ4_1(const float* x, BlockQ4_1* b, std::int64_t blocks) {
    for (std::int64_t i = 0; i < blocks; ++i, x += kBlock) {
        const float min = *std::min_element(x, x + kBlock), max = *std::max_element(x, x + kBlock);
        const float d = (max - min) / 15.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        b[i].d = fp32ToFp16(d);
        b[i].m = fp32ToFp16(min);
        for (int j = 0; j < kBlock / 2; ++j) {
            const int lo = std::min(15, int(std::int8_t((x[j] - min) * id + 0.5f)));
            const int hi = std::min(15, int(std::int8_t((x[j + 16] - min) * id + 0.5f)));
            b[i].qs[j] = std::uint8_t(lo | (hi << 4));
        }
    }
}

void quantQ5_0(const float* x, BlockQ5_0* b, std::int64_t blocks) {
    for (std::int64_t i = 0; i < blocks; ++i, x += kBlock) {
        const float d = signedMax(x, kBlock) / -16.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        b[i].d = fp32ToFp16(d);
        std::uint32_t qh = 0;
        for (int j = 0; j < kBlock / 2; ++j) {
            const int lo = std::min(31, int(std::int8_t(x[j] * id + 16.5f)));
            const int hi = std::min(31, int(std::int8_t(x[j + 16] * id + 16.5f)));
            b[i].qs[j] = std::uint8_t((lo & 0xF) | ((hi & 0xF) << 4));
            qh |= std::uint32_t((lo >> 4) & 1) << j;
            qh |= std::uint32_t((hi >> 4) & 1) << (j + 16);
        }
        std::memcpy(b[i].qh, &qh, 4);
    }
}

void quantQ5_1(const float* x, BlockQ5_1* b, std::int64_t blocks) {
    for (std::int64_t i = 0; i < blocks; ++i, x += kBlock) {
        const float min = *std::min_element(x, x + kBlock), max = *std::max_element(x, x + kBlock);
        const float d = (max - min) / 31.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        b[i].d = fp32ToFp16(d);
        b[i].m = fp32ToFp16(min);
        std::uint32_t qh = 0;
        for (int j = 0; j < kBlock / 2; ++j) {
            const int lo = std::min(31, int(std::uint8_t((x[j] - min) * id + 0.5f)));
            const int hi = std::min(31, int(std::uint8_t((x[j + 16] - min) * id + 0.5f)));
            b[i].qs[j] = std::uint8_t((lo & 0xF) | ((hi & 0xF) << 4));
            qh |= std::uint32_t((lo >> 4) & 1) << j;
            qh |= std::uint32_t((hi >> 4) & 1) << (j + 16);
        }
        std::memcpy(b[i].qh, &qh, 4);
    }
}

// Activation blocks (Q8_0, Q8_1) are rounded as llama.cpp's SIMD code rounds them: scale
// 127 / amax and ties to even. Its scalar reference rounds ties away from zero instead; the
// SIMD form is what llama.cpp computes on every x86 and ARM machine, and a tie rounded the other
// way moves a real model's logits by up to ~0.1%, enough to flip greedy text at near-ties.
float activationInverseScale(float amax) {
    return amax != 0.0f ? 127.0f / amax : 0.0f;
}

void quantQ8_0(const float* x, BlockQ8_0* b, std::int64_t blocks) {
    for (std::int64_t i = 0; i < blocks; ++i, x += kBlock) {
        const float amax = absMax(x, kBlock), d = amax / 127.0f;
        const float id = activationInverseScale(amax);
        b[i].d = fp32ToFp16(d);
        for (int j = 0; j < kBlock; ++j) b[i].qs[j] = std::int8_t(std::nearbyint(x[j] * id));
    }
}

void quantQ8_1(const float* x, BlockQ8_1* b, std::int64_t blocks) {
    for (std::int64_t i = 0; i < blocks; ++i, x += kBlock) {
        const float amax = absMax(x, kBlock), d = amax / 127.0f;
        const float id = activationInverseScale(amax);
        b[i].d = fp32ToFp16(d);
        int sum = 0;
        for (int j = 0; j < kBlock; ++j) {
            b[i].qs[j] = std::int8_t(std::nearbyint(x[j] * id));
            sum += b[i].qs[j];
        }
        b[i].s = fp32ToFp16(float(sum) * d);
    }
}

void quantQ8_K(const float* x, BlockQ8_K* b, std::int64_t blocks) {
    for (std::int64_t i = 0; i < blocks; ++i, x += kSuper) {
        const float max = signedMax(x, kSuper);
        if (max == 0.0f) {
            std::memset(&b[i], 0, sizeof(BlockQ8_K));
            continue;
        }
        const float iscale = -127.0f / max;
        for (int j = 0; j < kSuper; ++j)
            b[i].qs[j] = std::int8_t(std::min(127L, std::lrint(iscale * x[j])));
        for (int g = 0; g < kSuper / 16; ++g) {
            int sum = 0;
            for (int l = 0; l < 16; ++l) sum += b[i].qs[16 * g + l];
            b[i].bsums[g] = std::int16_t(sum);
        }
        b[i].d = 1.0f / iscale;
    }
}

} // namespace

bool canQuantize(ElementType type) {
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
    case ElementType::Q8_K:
        return true;
    default:
        return false;
    }
}

void quantizeRow(ElementType type, const float* src, void* dst, std::int64_t n) {
    const std::int64_t blocks32 = n / kBlock, blocks256 = n / kSuper;
    switch (type) {
    case ElementType::F32:
        std::memcpy(dst, src, std::size_t(n) * 4);
        return;
    case ElementType::F16: {
        auto* d = static_cast<std::uint16_t*>(dst);
        for (std::int64_t i = 0; i < n; ++i) d[i] = fp32ToFp16(src[i]);
        return;
    }
    case ElementType::BF16: {
        auto* d = static_cast<std::uint16_t*>(dst);
        for (std::int64_t i = 0; i < n; ++i) d[i] = fp32ToBf16(src[i]);
        return;
    }
    case ElementType::Q4_0:
        return quantQ4_0(src, static_cast<BlockQ4_0*>(dst), blocks32);
    case ElementType::Q4_1:
        return quantQ4_1(src, static_cast<BlockQ4_1*>(dst), blocks32);
    case ElementType::Q5_0:
        return quantQ5_0(src, static_cast<BlockQ5_0*>(dst), blocks32);
    case ElementType::Q5_1:
        return quantQ5_1(src, static_cast<BlockQ5_1*>(dst), blocks32);
    case ElementType::Q8_0:
        return quantQ8_0(src, static_cast<BlockQ8_0*>(dst), blocks32);
    case ElementType::Q8_1:
        return quantQ8_1(src, static_cast<BlockQ8_1*>(dst), blocks32);
    case ElementType::Q8_K:
        return quantQ8_K(src, static_cast<BlockQ8_K*>(dst), blocks256);
    default:
        throw Error(ErrorKind::Unsupported, "no reference quantizer for tensor type " +
                                                std::string(gguf::tensorTypeName(type)));
    }
}

} // namespace atelier::compute::quant
