// RMS norm, layer norm (per row) and group norm (per group of channels of an image).
#include "inference/compute/cpu/cpu_context.hpp"

#include <cmath>

namespace atelier::compute::cpu {

void rmsNorm(CpuContext& ctx, const Tensor& x, const Tensor* weight, const Tensor& dst, float eps) {
    const std::int64_t n = x.ne[0];
    const float* w = weight ? f32RowAt(*weight, 0, 0, 0) : nullptr;
    forEachRow(ctx, x.ne, [&](std::int64_t i1, std::int64_t i2, std::int64_t i3) {
        const float* in = f32RowAt(x, i1, i2, i3);
        float* out = f32RowAt(dst, i1, i2, i3);
        double sum = 0.0;
        for (std::int64_t i = 0; i < n; ++i) sum += double(in[i]) * in[i];
        const float s = 1.0f / std::sqrt(float(sum / double(n)) + eps);
        for (std::int64_t i = 0; i < n; ++i) out[i] = in[i] * s * (w ? w[i] : 1.0f);
    });
}

void layerNorm(CpuContext& ctx, const Tensor& x, const Tensor* weight, const Tensor* bias,
               const Tensor& dst, float eps) {
    const std::int64_t n = x.ne[0];
    const float* w = weight ? f32RowAt(*weight, 0, 0, 0) : nullptr;
    const float* b = bias ? f32RowAt(*bias, 0, 0, 0) : nullptr;
    forEachRow(ctx, x.ne, [&](std::int64_t i1, std::int64_t i2, std::int64_t i3) {
        const float* in = f32RowAt(x, i1, i2, i3);
        float* out = f32RowAt(dst, i1, i2, i3);
        double sum = 0.0;
        for (std::int64_t i = 0; i < n; ++i) sum += in[i];
        const float mean = float(sum / double(n));
        double var = 0.0;
        for (std::int64_t i = 0; i < n; ++i) var += double(in[i] - mean) * (in[i] - mean);
        const float s = 1.0f / std::sqrt(float(var / double(n)) + eps);
        for (std::int64_t i = 0; i < n; ++i)
            out[i] = (in[i] - mean) * s * (w ? w[i] : 1.0f) + (b ? b[i] : 0.0f);
    });
}

void groupNorm(CpuContext& ctx, const Tensor& x, const Tensor* weight, const Tensor* bias,
               const Tensor& dst, int groups, float eps) {
    const std::int64_t W = x.ne[0], H = x.ne[1], C = x.ne[2], N = x.ne[3];
    const std::int64_t perGroup = C / groups;
    const float* w = weight ? f32RowAt(*weight, 0, 0, 0) : nullptr;
    const float* b = bias ? f32RowAt(*bias, 0, 0, 0) : nullptr;
    ctx.pool.parallelFor(N * groups, [&](std::int64_t task, int) {
        const std::int64_t n = task / groups, c0 = (task % groups) * perGroup;
        double sum = 0.0, sumSq = 0.0;
        for (std::int64_t c = c0; c < c0 + perGroup; ++c)
            for (std::int64_t y = 0; y < H; ++y) {
                const float* in = f32RowAt(x, y, c, n);
                for (std::int64_t i = 0; i < W; ++i) {
                    sum += in[i];
                    sumSq += double(in[i]) * in[i];
                }
            }
        const double count = double(perGroup * W * H);
        const double mean = sum / count;
        const double var = std::max(0.0, sumSq / count - mean * mean);
        const float s = float(1.0 / std::sqrt(var + eps));
        for (std::int64_t c = c0; c < c0 + perGroup; ++c) {
            const float gain = s * (w ? w[c] : 1.0f), shift = b ? b[c] : 0.0f;
            for (std::int64_t y = 0; y < H; ++y) {
                const float* in = f32RowAt(x, y, c, n);
                float* out = f32RowAt(dst, y, c, n);
                for (std::int64_t i = 0; i < W; ++i) out[i] = float(in[i] - mean) * gain + shift;
            }
        }
    });
}

} // namespace atelier::compute::cpu
