// Rotary position embedding, normal (adjacent pairs) and NeoX (halves). The angles come from
// compute/rope_angles.cpp (linear scaling, per-frequency factors and YaRN's ramp, rounded as
// ggml's CPU rope does); this file only rotates, so rope() and ropeWithAngles() share the code
// and the Vulkan shader given the same table gives the same bits.
#include "inference/compute/cpu/cpu_context.hpp"
#include "inference/compute/rope_angles.hpp"

#include <cmath>

namespace atelier::compute::cpu {
namespace {

// Rotates the first `dims` values of every head of x; token t's {cos, sin} * magnitude pairs
// start at angles + t * tokenStride. The rest of each head is copied.
void rotate(CpuContext& ctx, const Tensor& x, const float* angles, std::size_t tokenStride,
            int dims, RopeMode mode, const Tensor& dst) {
    const int headDim = int(x.ne[0]);
    const bool neox = mode == RopeMode::NeoX;
    forEachRow(
        ctx, x.ne,
        [&](std::int64_t head, std::int64_t token, std::int64_t i3) {
            const float* in = f32RowAt(x, head, token, i3);
            float* out = f32RowAt(dst, head, token, i3);
            const float* cs = angles + std::size_t(token) * tokenStride;
            for (int i = 0; i < dims / 2; ++i) {
                const float c = cs[2 * i], s = cs[2 * i + 1];
                const int a = neox ? i : 2 * i, b = neox ? i + dims / 2 : 2 * i + 1;
                const float x0 = in[a], x1 = in[b];
                // Fused as ggml's compiled rotation is (the same rounding as llama.cpp).
                out[a] = std::fma(x0, c, -(x1 * s));
                out[b] = std::fma(x0, s, x1 * c);
            }
            for (int i = dims; i < headDim; ++i) out[i] = in[i];
        },
        1024);
}

} // namespace

void rope(CpuContext& ctx, const Tensor& x, const Tensor& positions, const Tensor* freqFactors,
          const Tensor& dst, const compute::RopeParams& p) {
    const int headDim = int(x.ne[0]);
    const int dims = ropeDims(p, headDim);
    const std::int64_t tokens = x.ne[2];
    // The angle table in the reusable scratch (no allocation once warm).
    auto* table = reinterpret_cast<float*>(
        ctx.scratch.get(std::size_t(tokens) * std::size_t(dims) * sizeof(float)));
    std::span<const float> factors;
    if (freqFactors) factors = {f32RowAt(*freqFactors, 0, 0, 0), std::size_t(dims / 2)};
    const auto* pos = reinterpret_cast<const std::int32_t*>(tensorBase(positions));
    for (std::int64_t t = 0; t < tokens; ++t)
        ropeAngles(p, headDim, {pos + std::size_t(t) * positions.nb[0] / 4, 1}, factors,
                   {table + std::size_t(t) * std::size_t(dims), std::size_t(dims)});
    rotate(ctx, x, table, std::size_t(dims), dims, p.mode, dst);
}

void ropeWithAngles(CpuContext& ctx, const Tensor& x, const Tensor& angles, const Tensor& dst,
                    RopeMode mode) {
    rotate(ctx, x, f32RowAt(angles, 0, 0, 0), angles.nb[1] / sizeof(float), int(angles.ne[0]), mode,
           dst);
}

} // namespace atelier::compute::cpu
