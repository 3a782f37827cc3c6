// Rotary position embedding, normal (adjacent pairs) and NeoX (halves), with linear scaling,
// per-frequency factors and YaRN's ramp, following ggml's definitions of the parameters.
#include "inference/compute/cpu/cpu_context.hpp"

#include <cmath>
#include <numbers>

namespace atelier::compute::cpu {
namespace {

// The dimension at which `rotations` full turns fit the original context (YaRN).
float yarnCorrectionDim(int dims, int originalContext, float rotations, float base) {
    return float(dims) *
           std::log(float(originalContext) / (rotations * 2.0f * std::numbers::pi_v<float>)) /
           (2.0f * std::log(base));
}

float yarnRamp(float low, float high, int i0) {
    const float y = (float(i0 / 2) - low) / std::max(0.001f, high - low);
    return 1.0f - std::min(1.0f, std::max(0.0f, y));
}

} // namespace

void rope(CpuContext& ctx, const Tensor& x, const Tensor& positions, const Tensor* freqFactors,
          const Tensor& dst, const compute::RopeParams& p) {
    const int headDim = int(x.ne[0]);
    const int dims = p.dims == 0 ? headDim : p.dims;
    const float thetaScale = std::pow(p.freqBase, -2.0f / float(dims));
    float corrLow = 0.0f, corrHigh = 0.0f;
    if (p.extFactor != 0.0f) {
        const int ctxOrig = p.originalContext > 0 ? p.originalContext : 4096;
        corrLow =
            std::max(0.0f, std::floor(yarnCorrectionDim(dims, ctxOrig, p.betaFast, p.freqBase)));
        corrHigh = std::min(float(dims - 1),
                            std::ceil(yarnCorrectionDim(dims, ctxOrig, p.betaSlow, p.freqBase)));
    }
    const float* factors = freqFactors ? f32RowAt(*freqFactors, 0, 0, 0) : nullptr;
    const auto* pos = reinterpret_cast<const std::int32_t*>(tensorBase(positions));
    const bool neox = p.mode == RopeMode::NeoX;

    forEachRow(
        ctx, x.ne,
        [&](std::int64_t head, std::int64_t token, std::int64_t i3) {
            const float* in = f32RowAt(x, head, token, i3);
            float* out = f32RowAt(dst, head, token, i3);
            float theta = float(pos[std::size_t(token) * positions.nb[0] / 4]);
            for (int i0 = 0; i0 < dims; i0 += 2, theta *= thetaScale) {
                const float extrapolated = theta / (factors ? factors[i0 / 2] : 1.0f);
                const float interpolated = p.freqScale * extrapolated;
                float angle = interpolated, magnitude = p.attnFactor;
                if (p.extFactor != 0.0f) {
                    const float mix = yarnRamp(corrLow, corrHigh, i0) * p.extFactor;
                    angle = interpolated * (1.0f - mix) + extrapolated * mix;
                    magnitude *= 1.0f + 0.1f * std::log(1.0f / p.freqScale);
                }
                const float c = std::cos(angle) * magnitude, s = std::sin(angle) * magnitude;
                const int a = neox ? i0 / 2 : i0, b = neox ? i0 / 2 + dims / 2 : i0 + 1;
                const float x0 = in[a], x1 = in[b];
                // Fused as ggml's compiled rotation is (the same rounding as llama.cpp).
                out[a] = std::fma(x0, c, -(x1 * s));
                out[b] = std::fma(x0, s, x1 * c);
            }
            for (int i = dims; i < headDim; ++i) out[i] = in[i];
        },
        1024);
}

} // namespace atelier::compute::cpu
