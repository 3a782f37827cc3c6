// Portable kernels: integer dot products block by block (as the formats are defined), never a
// dequantized matrix. Always built; the reference the SIMD kernels are tested against.
#include "inference/compute/cpu/kernels.hpp"
#include "inference/compute/cpu/kquant_decode.hpp"
#include "inference/compute/quant/blocks.hpp"
#include "inference/compute/quant/float16.hpp"
#include "inference/compute/quant/reference.hpp"

#include <cstring>

namespace atelier::compute::cpu {
using namespace quant;
namespace {

std::uint32_t loadU32(const std::uint8_t* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

float dotF32(std::int64_t n, const void* w, const void* a) {
    const auto* x = static_cast<const float*>(w);
    const auto* y = static_cast<const float*>(a);
    float sum = 0.0f;
    for (std::int64_t i = 0; i < n; ++i) sum += x[i] * y[i];
    return sum;
}

float dotF16(std::int64_t n, const void* w, const void* a) {
    const auto* x = static_cast<const std::uint16_t*>(w);
    const auto* y = static_cast<const std::uint16_t*>(a);
    float sum = 0.0f;
    for (std::int64_t i = 0; i < n; ++i) sum += fp16ToFp32(x[i]) * fp16ToFp32(y[i]);
    return sum;
}

float dotBF16(std::int64_t n, const void* w, const void* a) {
    const auto* x = static_cast<const std::uint16_t*>(w);
    const auto* y = static_cast<const std::uint16_t*>(a);
    float sum = 0.0f;
    for (std::int64_t i = 0; i < n; ++i) sum += bf16ToFp32(x[i]) * bf16ToFp32(y[i]);
    return sum;
}

float dotQ4_0(std::int64_t n, const void* w, const void* a) {
    const auto* x = static_cast<const BlockQ4_0*>(w);
    const auto* y = static_cast<const BlockQ8_0*>(a);
    float sum = 0.0f;
    for (std::int64_t i = 0; i < n / kBlock; ++i) {
        int sumi = 0;
        for (int j = 0; j < 16; ++j)
            sumi +=
                ((x[i].qs[j] & 0xF) - 8) * y[i].qs[j] + ((x[i].qs[j] >> 4) - 8) * y[i].qs[j + 16];
        sum += float(sumi) * fp16ToFp32(x[i].d) * fp16ToFp32(y[i].d);
    }
    return sum;
}

float dotQ4_1(std::int64_t n, const void* w, const void* a) {
    const auto* x = static_cast<const BlockQ4_1*>(w);
    const auto* y = static_cast<const BlockQ8_1*>(a);
    float sum = 0.0f;
    for (std::int64_t i = 0; i < n / kBlock; ++i) {
        int sumi = 0;
        for (int j = 0; j < 16; ++j)
            sumi += (x[i].qs[j] & 0xF) * y[i].qs[j] + (x[i].qs[j] >> 4) * y[i].qs[j + 16];
        sum += float(sumi) * fp16ToFp32(x[i].d) * fp16ToFp32(y[i].d) +
               fp16ToFp32(x[i].m) * fp16ToFp32(y[i].s);
    }
    return sum;
}

float dotQ5_0(std::int64_t n, const void* w, const void* a) {
    const auto* x = static_cast<const BlockQ5_0*>(w);
    const auto* y = static_cast<const BlockQ8_0*>(a);
    float sum = 0.0f;
    for (std::int64_t i = 0; i < n / kBlock; ++i) {
        const std::uint32_t qh = loadU32(x[i].qh);
        int sumi = 0;
        for (int j = 0; j < 16; ++j) {
            const int lo = (x[i].qs[j] & 0xF) | int(((qh >> j) & 1u) << 4);
            const int hi = (x[i].qs[j] >> 4) | int(((qh >> (j + 16)) & 1u) << 4);
            sumi += (lo - 16) * y[i].qs[j] + (hi - 16) * y[i].qs[j + 16];
        }
        sum += float(sumi) * fp16ToFp32(x[i].d) * fp16ToFp32(y[i].d);
    }
    return sum;
}

float dotQ5_1(std::int64_t n, const void* w, const void* a) {
    const auto* x = static_cast<const BlockQ5_1*>(w);
    const auto* y = static_cast<const BlockQ8_1*>(a);
    float sum = 0.0f;
    for (std::int64_t i = 0; i < n / kBlock; ++i) {
        const std::uint32_t qh = loadU32(x[i].qh);
        int sumi = 0;
        for (int j = 0; j < 16; ++j) {
            const int lo = (x[i].qs[j] & 0xF) | int(((qh >> j) & 1u) << 4);
            const int hi = (x[i].qs[j] >> 4) | int(((qh >> (j + 16)) & 1u) << 4);
            sumi += lo * y[i].qs[j] + hi * y[i].qs[j + 16];
        }
        sum += float(sumi) * fp16ToFp32(x[i].d) * fp16ToFp32(y[i].d) +
               fp16ToFp32(x[i].m) * fp16ToFp32(y[i].s);
    }
    return sum;
}

float dotQ8_0(std::int64_t n, const void* w, const void* a) {
    const auto* x = static_cast<const BlockQ8_0*>(w);
    const auto* y = static_cast<const BlockQ8_0*>(a);
    float sum = 0.0f;
    for (std::int64_t i = 0; i < n / kBlock; ++i) {
        int sumi = 0;
        for (int j = 0; j < kBlock; ++j) sumi += x[i].qs[j] * y[i].qs[j];
        sum += float(sumi) * fp16ToFp32(x[i].d) * fp16ToFp32(y[i].d);
    }
    return sum;
}

// Every k-quant through its uniform decoded form (kquant_decode.hpp).
template <ElementType Type> float dotK(std::int64_t n, const void* w, const void* a) {
    const auto* y = static_cast<const BlockQ8_K*>(a);
    DecodedK blk;
    float sum = 0.0f;
    for (std::int64_t i = 0; i < n / kSuper; ++i) {
        decodeKBlock(Type, w, i, blk);
        float blockSum = 0.0f;
        for (int g = 0; g < 16; ++g) {
            int sumi = 0;
            for (int l = 0; l < 16; ++l) sumi += int(blk.u[16 * g + l]) * y[i].qs[16 * g + l];
            const int bsum = y[i].bsums[g];
            blockSum += blk.scale[g] * float(sumi - blk.offset * bsum) - blk.min[g] * float(bsum);
        }
        sum += y[i].d * blockSum;
    }
    return sum;
}

template <ElementType Type> void quantizeAs(const float* src, void* dst, std::int64_t n) {
    quantizeRow(Type, src, dst, n);
}

float dotF32F32(std::int64_t n, const float* a, const float* b) {
    return dotF32(n, a, b);
}

float dotF16F32(std::int64_t n, const std::uint16_t* a, const float* b) {
    float sum = 0.0f;
    for (std::int64_t i = 0; i < n; ++i) sum += fp16ToFp32(a[i]) * b[i];
    return sum;
}

void axpyF32(std::int64_t n, float alpha, const float* x, float* y) {
    for (std::int64_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

void axpyF16(std::int64_t n, float alpha, const std::uint16_t* x, float* y) {
    for (std::int64_t i = 0; i < n; ++i) y[i] += alpha * fp16ToFp32(x[i]);
}

void scaleF32(std::int64_t n, float alpha, float* y) {
    for (std::int64_t i = 0; i < n; ++i) y[i] *= alpha;
}

void f16ToF32(const std::uint16_t* src, float* dst, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) dst[i] = fp16ToFp32(src[i]);
}

void f32ToF16(const float* src, std::uint16_t* dst, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) dst[i] = fp32ToFp16(src[i]);
}

Kernels makeScalarKernels() {
    Kernels k;
    k.level = SimdLevel::Scalar;
    auto slot = [](ElementType t) { return int(t); };
    k.dot[slot(ElementType::F32)] = dotF32;
    k.dot[slot(ElementType::F16)] = dotF16;
    k.dot[slot(ElementType::BF16)] = dotBF16;
    k.dot[slot(ElementType::Q4_0)] = dotQ4_0;
    k.dot[slot(ElementType::Q4_1)] = dotQ4_1;
    k.dot[slot(ElementType::Q5_0)] = dotQ5_0;
    k.dot[slot(ElementType::Q5_1)] = dotQ5_1;
    k.dot[slot(ElementType::Q8_0)] = dotQ8_0;
    k.dot[slot(ElementType::Q2_K)] = dotK<ElementType::Q2_K>;
    k.dot[slot(ElementType::Q3_K)] = dotK<ElementType::Q3_K>;
    k.dot[slot(ElementType::Q4_K)] = dotK<ElementType::Q4_K>;
    k.dot[slot(ElementType::Q5_K)] = dotK<ElementType::Q5_K>;
    k.dot[slot(ElementType::Q6_K)] = dotK<ElementType::Q6_K>;
    k.quantize[slot(ElementType::F32)] = quantizeAs<ElementType::F32>;
    k.quantize[slot(ElementType::F16)] = quantizeAs<ElementType::F16>;
    k.quantize[slot(ElementType::BF16)] = quantizeAs<ElementType::BF16>;
    k.quantize[slot(ElementType::Q8_0)] = quantizeAs<ElementType::Q8_0>;
    k.quantize[slot(ElementType::Q8_1)] = quantizeAs<ElementType::Q8_1>;
    k.quantize[slot(ElementType::Q8_K)] = quantizeAs<ElementType::Q8_K>;
    k.dotF32 = dotF32F32;
    k.dotF16F32 = dotF16F32;
    k.axpyF32 = axpyF32;
    k.axpyF16 = axpyF16;
    k.scaleF32 = scaleF32;
    k.f16ToF32 = f16ToF32;
    k.f32ToF16 = f32ToF16;
    return k;
}

} // namespace

const Kernels& scalarKernels() {
    static const Kernels kernels = makeScalarKernels();
    return kernels;
}

} // namespace atelier::compute::cpu
