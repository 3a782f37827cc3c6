// Row-wise and element-wise operations: get_rows, softmax, activations and their gated forms,
// add / mul with broadcasting, scale, and type-converting copies.
#include "inference/compute/cpu/cpu_context.hpp"
#include "inference/compute/cpu/exp_shared.hpp"
#include "inference/compute/quant/float16.hpp"
#include "inference/compute/quant/reference.hpp"

#include <cmath>
#include <cstring>
#include <limits>

namespace atelier::compute::cpu {
namespace {

// Calls body(f) with f the activation as a callable of its own type, so that each activation
// gets its own loop with the function inlined (forEachIndex's FMA build needs that). The
// exp-based ones compute in the operation order that the Vulkan shaders repeat
// (exp_shared.hpp), so that both backends agree to the bit.
template <class Body> void withActivation(Activation fn, Body body) {
    switch (fn) {
    case Activation::Silu:
        return body([](float x) { return siluShared(x); });
    case Activation::Gelu:
        return body([](float x) { return geluErfShared(x); });
    case Activation::GeluTanh:
        return body([](float x) { return geluTanhShared(x); });
    case Activation::Relu:
        return body([](float x) { return x > 0.0f ? x : 0.0f; });
    case Activation::Tanh:
        return body([](float x) { return tanhShared(x); });
    }
}

} // namespace

void getRows(CpuContext& ctx, const Tensor& table, const Tensor& ids, const Tensor& dst) {
    const std::int64_t vocab = table.ne[1];
    forEachRow(ctx, dst.ne, [&](std::int64_t i1, std::int64_t i2, std::int64_t i3) {
        const auto id = *reinterpret_cast<const std::int32_t*>(
            tensorBase(ids) + std::size_t(i1) * ids.nb[0] + std::size_t(i2) * ids.nb[1] +
            std::size_t(i3) * ids.nb[2]);
        float* out = f32RowAt(dst, i1, i2, i3);
        if (id < 0 || id >= vocab) { // never read outside the table; a caller bug shows as NaN
            std::fill(out, out + dst.ne[0], std::numeric_limits<float>::quiet_NaN());
            return;
        }
        quant::dequantizeRow(table.type, rowAt(table, id, 0, 0), out, table.ne[0]);
    });
}

void softmax(CpuContext& ctx, const Tensor& x, const Tensor* mask, const Tensor& dst, float scale) {
    const std::int64_t n = x.ne[0];
    forEachRow(ctx, x.ne, [&](std::int64_t i1, std::int64_t i2, std::int64_t i3) {
        const float* in = f32RowAt(x, i1, i2, i3);
        const float* m = mask ? f32RowAt(*mask, i1, 0, 0) : nullptr;
        float* out = f32RowAt(dst, i1, i2, i3);
        float max = -std::numeric_limits<float>::infinity();
        for (std::int64_t i = 0; i < n; ++i) {
            out[i] = in[i] * scale + (m ? m[i] : 0.0f);
            max = std::max(max, out[i]);
        }
        if (max == -std::numeric_limits<float>::infinity()) { // everything masked
            std::fill(out, out + n, 0.0f);
            return;
        }
        double sum = 0.0; // in double: Vulkan's tree order then rounds float(1 / sum) the same
        forEachIndex(n, [&](std::int64_t i) { out[i] = expShared(out[i] - max); });
        for (std::int64_t i = 0; i < n; ++i) sum += out[i];
        ctx.k.scaleF32(n, float(1.0 / sum), out);
    });
}

void unary(CpuContext& ctx, const Tensor& x, const Tensor& dst, Activation fn) {
    forEachRow(ctx, x.ne, [&](std::int64_t i1, std::int64_t i2, std::int64_t i3) {
        const float* in = f32RowAt(x, i1, i2, i3);
        float* out = f32RowAt(dst, i1, i2, i3);
        withActivation(
            fn, [&](auto f) { forEachIndex(x.ne[0], [&](std::int64_t i) { out[i] = f(in[i]); }); });
    });
}

void glu(CpuContext& ctx, const Tensor& gate, const Tensor& up, const Tensor& dst, Activation fn) {
    forEachRow(ctx, gate.ne, [&](std::int64_t i1, std::int64_t i2, std::int64_t i3) {
        const float* g = f32RowAt(gate, i1, i2, i3);
        const float* u = f32RowAt(up, i1, i2, i3);
        float* out = f32RowAt(dst, i1, i2, i3);
        withActivation(fn, [&](auto f) {
            forEachIndex(gate.ne[0], [&](std::int64_t i) { out[i] = f(g[i]) * u[i]; });
        });
    });
}

void addOrMul(CpuContext& ctx, bool multiply, const Tensor& a, const Tensor& b, const Tensor& dst) {
    const std::int64_t n = a.ne[0], nb0 = b.ne[0];
    forEachRow(ctx, a.ne, [&](std::int64_t i1, std::int64_t i2, std::int64_t i3) {
        const float* x = f32RowAt(a, i1, i2, i3);
        const float* y = f32RowAt(b, i1 % b.ne[1], i2 % b.ne[2], i3 % b.ne[3]);
        float* out = f32RowAt(dst, i1, i2, i3);
        if (multiply) {
            for (std::int64_t i = 0; i < n; ++i) out[i] = x[i] * y[nb0 == n ? i : i % nb0];
        } else {
            for (std::int64_t i = 0; i < n; ++i) out[i] = x[i] + y[nb0 == n ? i : i % nb0];
        }
    });
}

void scale(CpuContext& ctx, const Tensor& x, const Tensor& dst, float s, float bias) {
    forEachRow(ctx, x.ne, [&](std::int64_t i1, std::int64_t i2, std::int64_t i3) {
        const float* in = f32RowAt(x, i1, i2, i3);
        float* out = f32RowAt(dst, i1, i2, i3);
        for (std::int64_t i = 0; i < x.ne[0]; ++i) out[i] = in[i] * s + bias;
    });
}

void copy(CpuContext& ctx, const Tensor& src, const Tensor& dst) {
    const std::int64_t n = src.ne[0];
    forEachRow(ctx, src.ne, [&](std::int64_t i1, std::int64_t i2, std::int64_t i3) {
        const std::uint8_t* in = rowAt(src, i1, i2, i3);
        std::uint8_t* out = rowAt(dst, i1, i2, i3);
        if (src.type == dst.type) {
            std::memmove(out, in, src.rowBytes());
        } else if (src.type == ElementType::F32 && dst.type == ElementType::F16) {
            ctx.k.f32ToF16(reinterpret_cast<const float*>(in),
                           reinterpret_cast<std::uint16_t*>(out), n);
        } else if (src.type == ElementType::F16 && dst.type == ElementType::F32) {
            ctx.k.f16ToF32(reinterpret_cast<const std::uint16_t*>(in),
                           reinterpret_cast<float*>(out), n);
        } else { // through F32, a value at a time (BF16 and F16 <-> BF16)
            for (std::int64_t i = 0; i < n; ++i) {
                float v;
                quant::dequantizeRow(src.type, in + std::size_t(i) * src.nb[0], &v, 1);
                quant::quantizeRow(dst.type, &v, out + std::size_t(i) * dst.nb[0], 1);
            }
        }
    });
}

} // namespace atelier::compute::cpu
