// RMS norm and layer norm (per row), group norm (per group of channels of an image).
#include "inference/compute/vulkan/vulkan_state.hpp"

namespace atelier::compute::vulkan {
namespace {

std::uint32_t u32(std::int64_t v) {
    return std::uint32_t(v);
}

void rowNorm(VulkanBackend::State& s, std::uint32_t mode, const Tensor& x, const Tensor* weight,
             const Tensor* bias, const Tensor& dst, float eps) {
    struct {
        std::uint32_t mode, hasWeight, hasBias;
        std::uint32_t ne0, ne1, ne2, rows;
        std::uint32_t xBase, xNb1, xNb2, xNb3;
        std::uint32_t wBase, bBase;
        std::uint32_t dBase, dNb1, dNb2, dNb3;
        float eps;
    } p{};
    p.mode = mode;
    p.hasWeight = weight != nullptr;
    p.hasBias = bias != nullptr;
    p.ne0 = u32(x.ne[0]);
    p.ne1 = u32(x.ne[1]);
    p.ne2 = u32(x.ne[2]);
    p.rows = u32(x.rowCount());
    const Binding bx = s.bind(x, false, 4, p.xBase);
    const Binding bw = s.bind(weight ? *weight : x, false, 4, p.wBase);
    const Binding bb = s.bind(bias ? *bias : x, false, 4, p.bBase);
    const Binding bd = s.bind(dst, true, 4, p.dBase);
    p.xNb1 = elementStride(x, 1);
    p.xNb2 = elementStride(x, 2);
    p.xNb3 = elementStride(x, 3);
    p.dNb1 = elementStride(dst, 1);
    p.dNb2 = elementStride(dst, 2);
    p.dNb3 = elementStride(dst, 3);
    p.eps = eps;
    const Grid g = gridFor(p.rows);
    // With float64 the build that sums as the CPU does (bit-identical results).
    s.dispatch(s.device.features().float64 ? "norm_x" : "norm", {bx, bw, bb, bd}, p, g.x, g.y);
}

} // namespace

void VulkanBackend::runRmsNorm(const Tensor& x, const Tensor* weight, const Tensor& dst,
                               const RmsNormParams& p) {
    rowNorm(*s_, 0, x, weight, nullptr, dst, p.eps);
}

void VulkanBackend::runLayerNorm(const Tensor& x, const Tensor* weight, const Tensor* bias,
                                 const Tensor& dst, const LayerNormParams& p) {
    rowNorm(*s_, 1, x, weight, bias, dst, p.eps);
}

void VulkanBackend::runGroupNorm(const Tensor& x, const Tensor* weight, const Tensor* bias,
                                 const Tensor& dst, const GroupNormParams& gp) {
    struct {
        std::uint32_t width, height, channels, groups, hasWeight, hasBias;
        std::uint32_t xBase, xNb1, xNb2, xNb3;
        std::uint32_t wBase, bBase;
        std::uint32_t dBase, dNb1, dNb2, dNb3;
        float eps;
    } p{};
    p.width = u32(x.ne[0]);
    p.height = u32(x.ne[1]);
    p.channels = u32(x.ne[2]);
    p.groups = std::uint32_t(gp.groups);
    p.hasWeight = weight != nullptr;
    p.hasBias = bias != nullptr;
    const Binding bx = s_->bind(x, false, 4, p.xBase);
    const Binding bw = s_->bind(weight ? *weight : x, false, 4, p.wBase);
    const Binding bb = s_->bind(bias ? *bias : x, false, 4, p.bBase);
    const Binding bd = s_->bind(dst, true, 4, p.dBase);
    p.xNb1 = elementStride(x, 1);
    p.xNb2 = elementStride(x, 2);
    p.xNb3 = elementStride(x, 3);
    p.dNb1 = elementStride(dst, 1);
    p.dNb2 = elementStride(dst, 2);
    p.dNb3 = elementStride(dst, 3);
    p.eps = gp.eps;
    s_->dispatch("group_norm", {bx, bw, bb, bd}, p, p.groups, u32(x.ne[3]));
}

} // namespace atelier::compute::vulkan
