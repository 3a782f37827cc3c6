// Image operations for the diffusion engine: direct conv2d, nearest upsampling, concat.
#include "inference/compute/vulkan/vulkan_state.hpp"

namespace atelier::compute::vulkan {
namespace {

std::uint32_t u32(std::int64_t v) {
    return std::uint32_t(v);
}

struct ResamplePush {
    std::uint32_t mode, factor, dim;
    std::uint32_t ne0, ne1, ne2, ne3;
    std::uint32_t aNe0, aNe1, aNe2, aNe3;
    std::uint32_t aBase, aNb1, aNb2, aNb3;
    std::uint32_t bBase, bNb1, bNb2, bNb3;
    std::uint32_t dBase, dNb1, dNb2, dNb3;
    std::uint32_t total;
};

void resample(VulkanBackend::State& s, ResamplePush& p, const Tensor& a, const Tensor& b,
              const Tensor& dst) {
    p.ne0 = u32(dst.ne[0]);
    p.ne1 = u32(dst.ne[1]);
    p.ne2 = u32(dst.ne[2]);
    p.ne3 = u32(dst.ne[3]);
    p.aNe0 = u32(a.ne[0]);
    p.aNe1 = u32(a.ne[1]);
    p.aNe2 = u32(a.ne[2]);
    p.aNe3 = u32(a.ne[3]);
    const Binding ba = s.bind(a, false, 4, p.aBase);
    const Binding bb = s.bind(b, false, 4, p.bBase);
    const Binding bd = s.bind(dst, true, 4, p.dBase);
    p.aNb1 = elementStride(a, 1);
    p.aNb2 = elementStride(a, 2);
    p.aNb3 = elementStride(a, 3);
    p.bNb1 = elementStride(b, 1);
    p.bNb2 = elementStride(b, 2);
    p.bNb3 = elementStride(b, 3);
    p.dNb1 = elementStride(dst, 1);
    p.dNb2 = elementStride(dst, 2);
    p.dNb3 = elementStride(dst, 3);
    p.total = u32(dst.elementCount());
    const Grid g = gridFor((std::uint64_t(p.total) + 255) / 256);
    s.dispatch("resample", {ba, bb, bd}, p, g.x, g.y);
}

} // namespace

void VulkanBackend::runConv2d(const Tensor& input, const Tensor& kernel, const Tensor* bias,
                              const Tensor& dst, const Conv2dParams& cp) {
    struct {
        std::uint32_t W, H, Cin, outW, outH, Cout, KW, KH;
        std::uint32_t sBase, sNb1, sNb2, sNb3;
        std::uint32_t kBase, kNb1, kNb2, kNb3;
        std::uint32_t bBase, dBase, dNb1, dNb2, dNb3;
        std::uint32_t flags;
        std::int32_t strideX, strideY, padX, padY, dilX, dilY;
        std::uint32_t total;
    } p{};
    p.W = u32(input.ne[0]);
    p.H = u32(input.ne[1]);
    p.Cin = u32(input.ne[2]);
    p.outW = u32(dst.ne[0]);
    p.outH = u32(dst.ne[1]);
    p.Cout = u32(dst.ne[2]);
    p.KW = u32(kernel.ne[0]);
    p.KH = u32(kernel.ne[1]);
    const Binding bs = s_->bind(input, false, 4, p.sBase);
    const Binding bk =
        s_->bind(kernel, false, std::uint32_t(kernel.elementOrBlockBytes()), p.kBase);
    const Binding bb = s_->bind(bias ? *bias : input, false, 4, p.bBase);
    const Binding bd = s_->bind(dst, true, 4, p.dBase);
    p.sNb1 = elementStride(input, 1);
    p.sNb2 = elementStride(input, 2);
    p.sNb3 = elementStride(input, 3);
    p.kNb1 = elementStride(kernel, 1);
    p.kNb2 = elementStride(kernel, 2);
    p.kNb3 = elementStride(kernel, 3);
    p.dNb1 = elementStride(dst, 1);
    p.dNb2 = elementStride(dst, 2);
    p.dNb3 = elementStride(dst, 3);
    p.flags = (bias ? 1u : 0u) | (kernel.type == ElementType::F16 ? 2u : 0u);
    p.strideX = cp.strideX;
    p.strideY = cp.strideY;
    p.padX = cp.padX;
    p.padY = cp.padY;
    p.dilX = cp.dilationX;
    p.dilY = cp.dilationY;
    p.total = u32(dst.elementCount());
    const Grid g = gridFor((std::uint64_t(p.total) + 63) / 64);
    s_->dispatch("conv2d", {bs, bk, bb, bd}, p, g.x, g.y);
}

void VulkanBackend::runUpsampleNearest(const Tensor& x, const Tensor& dst,
                                       const UpsampleParams& up) {
    ResamplePush p{};
    p.mode = 0;
    p.factor = std::uint32_t(up.factor);
    resample(*s_, p, x, x, dst);
}

void VulkanBackend::runConcat(const Tensor& a, const Tensor& b, const Tensor& dst,
                              const ConcatParams& cp) {
    ResamplePush p{};
    p.mode = 1;
    p.factor = 1;
    p.dim = std::uint32_t(cp.dim);
    resample(*s_, p, a, b, dst);
}

} // namespace atelier::compute::vulkan
