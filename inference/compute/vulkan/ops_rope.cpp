// Rotary position embedding (normal and NeoX). rope: angles computed in the shader (linear and
// YaRN scaling, llama3-style frequency factors; the YaRN correction dimensions computed here
// once, as ggml does), close to the CPU but not bit-identical. ropeWithAngles: the host's angle
// table (compute/rope_angles.hpp) rotated exactly as the CPU rotates it.
#include "inference/compute/vulkan/vulkan_state.hpp"

#include <cmath>

namespace atelier::compute::vulkan {
namespace {

std::uint32_t u32(std::int64_t v) {
    return std::uint32_t(v);
}

// The rotated dimension at which `rotations` full turns fit into the original context.
float yarnCorrectionDim(int dims, int originalContext, float rotations, float base) {
    return float(dims) * std::log(float(originalContext) / (rotations * 2.0f * float(M_PI))) /
           (2.0f * std::log(base));
}

} // namespace

void VulkanBackend::runRope(const Tensor& x, const Tensor& positions, const Tensor* freqFactors,
                            const Tensor& dst, const RopeParams& rp) {
    struct {
        std::uint32_t ne0, ne1, ne2, dims, neox, hasFreqFactors;
        std::uint32_t xBase, xNb1, xNb2;
        std::uint32_t pBase, fBase;
        std::uint32_t dBase, dNb1, dNb2;
        std::uint32_t slots, total;
        float freqBase, freqScale, extFactor, attnFactor, corr0, corr1;
    } p{};
    const int dims = rp.dims == 0 ? int(x.ne[0]) : rp.dims;
    p.ne0 = u32(x.ne[0]);
    p.ne1 = u32(x.ne[1]);
    p.ne2 = u32(x.ne[2]);
    p.dims = std::uint32_t(dims);
    p.neox = rp.mode == RopeMode::NeoX;
    p.hasFreqFactors = freqFactors != nullptr;
    const Binding bx = s_->bind(x, false, 4, p.xBase);
    const Binding bp = s_->bind(positions, false, 4, p.pBase);
    const Binding bf = s_->bind(freqFactors ? *freqFactors : x, false, 4, p.fBase);
    const Binding bd = s_->bind(dst, true, 4, p.dBase);
    p.xNb1 = elementStride(x, 1);
    p.xNb2 = elementStride(x, 2);
    p.dNb1 = elementStride(dst, 1);
    p.dNb2 = elementStride(dst, 2);
    p.slots = std::uint32_t(dims / 2 + (x.ne[0] - dims + 1) / 2);
    const std::uint64_t total = std::uint64_t(p.slots) * p.ne1 * p.ne2;
    p.total = std::uint32_t(total);
    p.freqBase = rp.freqBase;
    p.freqScale = rp.freqScale;
    p.extFactor = rp.extFactor;
    p.attnFactor = rp.attnFactor;
    const int ctxOrig = rp.originalContext > 0 ? rp.originalContext : 4096; // as the CPU
    const float start = std::floor(yarnCorrectionDim(dims, ctxOrig, rp.betaFast, rp.freqBase));
    const float end = std::ceil(yarnCorrectionDim(dims, ctxOrig, rp.betaSlow, rp.freqBase));
    p.corr0 = std::max(0.0f, start);
    p.corr1 = std::min(float(dims - 1), end);
    const Grid g = gridFor((total + 63) / 64);
    // With float64 the build whose fma rounds once (shaders/fma_exact.glsl).
    s_->dispatch(("rope" + std::string(s_->exactSuffix())).c_str(), {bx, bp, bf, bd}, p, g.x, g.y);
}

void VulkanBackend::runRopeWithAngles(const Tensor& x, const Tensor& angles, const Tensor& dst,
                                      RopeMode mode) {
    struct {
        std::uint32_t ne0, ne1, ne2, dims, neox;
        std::uint32_t xBase, xNb1, xNb2;
        std::uint32_t aBase, aNb1;
        std::uint32_t dBase, dNb1, dNb2;
        std::uint32_t slots, total;
    } p{};
    const std::int64_t dims = angles.ne[0];
    p.ne0 = u32(x.ne[0]);
    p.ne1 = u32(x.ne[1]);
    p.ne2 = u32(x.ne[2]);
    p.dims = u32(dims);
    p.neox = mode == RopeMode::NeoX;
    const Binding bx = s_->bind(x, false, 4, p.xBase);
    const Binding ba = s_->bind(angles, false, 4, p.aBase);
    const Binding bd = s_->bind(dst, true, 4, p.dBase);
    p.xNb1 = elementStride(x, 1);
    p.xNb2 = elementStride(x, 2);
    p.aNb1 = elementStride(angles, 1);
    p.dNb1 = elementStride(dst, 1);
    p.dNb2 = elementStride(dst, 2);
    p.slots = u32(dims / 2 + (x.ne[0] - dims + 1) / 2);
    const std::uint64_t total = std::uint64_t(p.slots) * p.ne1 * p.ne2;
    p.total = std::uint32_t(total);
    const Grid g = gridFor((total + 63) / 64);
    s_->dispatch(("rope_angles" + std::string(s_->exactSuffix())).c_str(), {bx, ba, bd}, p, g.x,
                 g.y);
}

} // namespace atelier::compute::vulkan
