// Rope angles on the host (see rope_angles.hpp). The float expressions below are the ones
// ggml's CPU rope evaluates, in the same order: changing one (even to a more accurate form)
// changes the rounding and with it greedy text at near-ties.
#include "inference/compute/rope_angles.hpp"

#include "inference/util/error.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace atelier::compute {
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

void ropeAngles(const RopeParams& p, int headDim, std::span<const std::int32_t> positions,
                std::span<const float> freqFactors, std::span<float> out) {
    const int dims = ropeDims(p, headDim);
    if (dims <= 0 || dims % 2 != 0 || dims > headDim)
        throw Error(ErrorKind::Invalid, "rope angles: rotated dims " + std::to_string(dims) +
                                            " of a head of " + std::to_string(headDim));
    if (!freqFactors.empty() && freqFactors.size() != std::size_t(dims / 2))
        throw Error(ErrorKind::Invalid, "rope angles: " + std::to_string(freqFactors.size()) +
                                            " frequency factors for " + std::to_string(dims) +
                                            " rotated dims");
    if (out.size() != positions.size() * std::size_t(dims))
        throw Error(ErrorKind::Invalid, "rope angles: the table has " + std::to_string(out.size()) +
                                            " floats, expected " +
                                            std::to_string(positions.size() * std::size_t(dims)));

    const float thetaScale = std::pow(p.freqBase, -2.0f / float(dims));
    float corrLow = 0.0f, corrHigh = 0.0f;
    if (p.extFactor != 0.0f) {
        const int ctxOrig = p.originalContext > 0 ? p.originalContext : 4096;
        corrLow =
            std::max(0.0f, std::floor(yarnCorrectionDim(dims, ctxOrig, p.betaFast, p.freqBase)));
        corrHigh = std::min(float(dims - 1),
                            std::ceil(yarnCorrectionDim(dims, ctxOrig, p.betaSlow, p.freqBase)));
    }
    const float* factors = freqFactors.empty() ? nullptr : freqFactors.data();

    for (std::size_t t = 0; t < positions.size(); ++t) {
        float* row = out.data() + t * std::size_t(dims);
        float theta = float(positions[t]);
        for (int i0 = 0; i0 < dims; i0 += 2, theta *= thetaScale) {
            const float extrapolated = theta / (factors ? factors[i0 / 2] : 1.0f);
            const float interpolated = p.freqScale * extrapolated;
            float angle = interpolated, magnitude = p.attnFactor;
            if (p.extFactor != 0.0f) {
                const float mix = yarnRamp(corrLow, corrHigh, i0) * p.extFactor;
                angle = interpolated * (1.0f - mix) + extrapolated * mix;
                magnitude *= 1.0f + 0.1f * std::log(1.0f / p.freqScale);
            }
            row[i0] = std::cos(angle) * magnitude;
            row[i0 + 1] = std::sin(angle) * magnitude;
        }
    }
}

} // namespace atelier::compute
