// Element-wise and row-wise operations: add / mul with broadcast, activations and their gated
// forms, scale, type-converting copies and softmax.
#include "inference/compute/vulkan/vulkan_state.hpp"

namespace atelier::compute::vulkan {
namespace {

constexpr std::uint32_t kElementsPerGroup = 256; // local size of binary/unary/copy.comp

std::uint32_t u32(std::int64_t v) {
    return std::uint32_t(v);
}

std::uint32_t totalOf(const Tensor& t) {
    if (t.elementCount() > 0xffffffffll)
        throw Error(ErrorKind::Unsupported, "vulkan: " + t.describe() + " has too many elements");
    return std::uint32_t(t.elementCount());
}

struct Strides3 {
    std::uint32_t nb1, nb2, nb3;
};
Strides3 strides(const Tensor& t) {
    return {elementStride(t, 1), elementStride(t, 2), elementStride(t, 3)};
}

std::uint32_t activationId(Activation fn) {
    switch (fn) {
    case Activation::Silu:
        return 0;
    case Activation::Gelu:
        return 1;
    case Activation::GeluTanh:
        return 2;
    case Activation::Relu:
        return 3;
    case Activation::Tanh:
        return 4;
    }
    return 0;
}

struct UnaryPush {
    std::uint32_t mode, fn;
    std::uint32_t ne0, ne1, ne2, ne3;
    std::uint32_t xBase;
    Strides3 x;
    std::uint32_t uBase;
    Strides3 u;
    std::uint32_t dBase;
    Strides3 d;
    std::uint32_t total;
    float scale, bias;
};

void unaryFamily(VulkanBackend::State& s, std::uint32_t mode, std::uint32_t fn, const Tensor& x,
                 const Tensor* up, const Tensor& dst, float scale, float bias) {
    UnaryPush p{};
    p.mode = mode;
    p.fn = fn;
    p.ne0 = u32(x.ne[0]);
    p.ne1 = u32(x.ne[1]);
    p.ne2 = u32(x.ne[2]);
    p.ne3 = u32(x.ne[3]);
    const Binding bx = s.bind(x, false, 4, p.xBase);
    const Binding bu = s.bind(up ? *up : x, false, 4, p.uBase);
    const Binding bd = s.bind(dst, true, 4, p.dBase);
    p.x = strides(x);
    p.u = strides(up ? *up : x);
    p.d = strides(dst);
    p.total = totalOf(dst);
    p.scale = scale;
    p.bias = bias;
    const Grid g = gridFor((p.total + kElementsPerGroup - 1) / kElementsPerGroup);
    s.dispatch(("unary" + std::string(s.exactSuffix())).c_str(), {bx, bu, bd}, p, g.x, g.y);
}

std::uint32_t typeId(ElementType t) {
    return std::uint32_t(t);
}

} // namespace

void VulkanBackend::runBinary(Binary op, const Tensor& a, const Tensor& b, const Tensor& dst) {
    struct {
        std::uint32_t multiply;
        std::uint32_t ne0, ne1, ne2, ne3;
        std::uint32_t aBase;
        Strides3 a;
        std::uint32_t bNe0, bNe1, bNe2, bNe3;
        std::uint32_t bBase;
        Strides3 b;
        std::uint32_t dBase;
        Strides3 d;
        std::uint32_t total;
    } p{};
    p.multiply = op == Binary::Mul;
    p.ne0 = u32(a.ne[0]);
    p.ne1 = u32(a.ne[1]);
    p.ne2 = u32(a.ne[2]);
    p.ne3 = u32(a.ne[3]);
    p.bNe0 = u32(b.ne[0]);
    p.bNe1 = u32(b.ne[1]);
    p.bNe2 = u32(b.ne[2]);
    p.bNe3 = u32(b.ne[3]);
    const Binding ba = s_->bind(a, false, 4, p.aBase);
    const Binding bb = s_->bind(b, false, 4, p.bBase);
    const Binding bd = s_->bind(dst, true, 4, p.dBase);
    p.a = strides(a);
    p.b = strides(b);
    p.d = strides(dst);
    p.total = totalOf(dst);
    const Grid g = gridFor((p.total + kElementsPerGroup - 1) / kElementsPerGroup);
    s_->dispatch("binary", {ba, bb, bd}, p, g.x, g.y);
}

void VulkanBackend::runUnary(const Tensor& x, const Tensor& dst, Activation fn) {
    unaryFamily(*s_, 0, activationId(fn), x, nullptr, dst, 1.0f, 0.0f);
}

void VulkanBackend::runGlu(const Tensor& gate, const Tensor& up, const Tensor& dst, Activation fn) {
    unaryFamily(*s_, 1, activationId(fn), gate, &up, dst, 1.0f, 0.0f);
}

void VulkanBackend::runScale(const Tensor& x, const Tensor& dst, const ScaleParams& sp) {
    unaryFamily(*s_, 2, 0, x, nullptr, dst, sp.scale, sp.bias);
}

void VulkanBackend::runCopy(const Tensor& src, const Tensor& dst) {
    struct {
        std::uint32_t srcType, dstType;
        std::uint32_t ne0, ne1, ne2, ne3;
        std::uint32_t sBase, sNb0, sNb1, sNb2, sNb3;
        std::uint32_t dBase, dNb0, dNb1, dNb2, dNb3;
        std::uint32_t total;
    } p{};
    p.srcType = typeId(src.type);
    p.dstType = typeId(dst.type);
    p.ne0 = u32(src.ne[0]);
    p.ne1 = u32(src.ne[1]);
    p.ne2 = u32(src.ne[2]);
    p.ne3 = u32(src.ne[3]);
    const std::uint32_t srcUnit = std::uint32_t(src.elementOrBlockBytes());
    const std::uint32_t dstUnit = std::uint32_t(dst.elementOrBlockBytes());
    const Binding bs = s_->bind(src, false, srcUnit, p.sBase);
    const Binding bd = s_->bind(dst, true, dstUnit, p.dBase);
    p.sNb0 = elementStride(src, 0);
    p.sNb1 = elementStride(src, 1);
    p.sNb2 = elementStride(src, 2);
    p.sNb3 = elementStride(src, 3);
    p.dNb0 = elementStride(dst, 0);
    p.dNb1 = elementStride(dst, 1);
    p.dNb2 = elementStride(dst, 2);
    p.dNb3 = elementStride(dst, 3);
    p.total = totalOf(dst);
    const Grid g = gridFor((p.total + kElementsPerGroup - 1) / kElementsPerGroup);
    s_->dispatch("copy", {bs, bd}, p, g.x, g.y);
}

void VulkanBackend::runSoftmax(const Tensor& x, const Tensor* mask, const Tensor& dst,
                               const SoftmaxParams& sp) {
    struct {
        std::uint32_t ne0, ne1, ne2, rows, hasMask;
        std::uint32_t xBase;
        Strides3 x;
        std::uint32_t mBase, mNb1;
        std::uint32_t dBase;
        Strides3 d;
        float scale;
    } p{};
    p.ne0 = u32(x.ne[0]);
    p.ne1 = u32(x.ne[1]);
    p.ne2 = u32(x.ne[2]);
    p.rows = u32(x.rowCount());
    p.hasMask = mask != nullptr;
    const Binding bx = s_->bind(x, false, 4, p.xBase);
    const Binding bm = s_->bind(mask ? *mask : x, false, 4, p.mBase);
    const Binding bd = s_->bind(dst, true, 4, p.dBase);
    p.x = strides(x);
    p.mNb1 = mask ? elementStride(*mask, 1) : 0;
    p.d = strides(dst);
    p.scale = sp.scale;
    const Grid g = gridFor(p.rows);
    s_->dispatch(("softmax" + std::string(s_->exactSuffix())).c_str(), {bx, bm, bd}, p, g.x, g.y);
}

} // namespace atelier::compute::vulkan
