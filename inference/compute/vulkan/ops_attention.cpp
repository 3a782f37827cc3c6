// Attention over an F32 or F16 KV cache: causal or not, grouped-query, soft-capping, sliding
// window, optional additive mask. One workgroup per (query row, head, batch).
#include "inference/compute/vulkan/vulkan_state.hpp"

#include <cmath>
#include <string>

namespace atelier::compute::vulkan {
namespace {
constexpr std::int64_t kMaxHeadDim = 512; // MAX_HEAD in attention.comp
constexpr std::int64_t kMaxScores = 2048; // MAX_SCORES in attention.comp
std::uint32_t u32(std::int64_t v) {
    return std::uint32_t(v);
}
} // namespace

void VulkanBackend::runAttention(const Tensor& q, const Tensor& k, const Tensor& v,
                                 const Tensor* mask, const Tensor& dst, const AttentionParams& ap) {
    if (q.ne[0] > kMaxHeadDim || v.ne[0] > kMaxHeadDim)
        throw Error(ErrorKind::Unsupported, "vulkan: attention supports head sizes up to " +
                                                std::to_string(kMaxHeadDim) + ", not " +
                                                q.describe() + " / " + v.describe());
    struct {
        std::uint32_t D, Dv, Hq, Hkv, Nkv;
        std::uint32_t qBase, qNb1, qNb2, qNb3;
        std::uint32_t kBase, kNb1, kNb2, kNb3;
        std::uint32_t vBase, vNb1, vNb2, vNb3;
        std::uint32_t mBase, mNb1;
        std::uint32_t dBase, dNb1, dNb2, dNb3;
        std::uint32_t flags;
        std::int32_t firstPosition, window;
        float scale, softcap;
    } p{};
    p.D = u32(q.ne[0]);
    p.Dv = u32(v.ne[0]);
    p.Hq = u32(q.ne[1]);
    p.Hkv = u32(k.ne[1]);
    p.Nkv = u32(k.ne[2]);
    const Binding bq = s_->bind(q, false, 4, p.qBase);
    const Binding bk = s_->bind(k, false, std::uint32_t(k.elementOrBlockBytes()), p.kBase);
    const Binding bv = s_->bind(v, false, std::uint32_t(v.elementOrBlockBytes()), p.vBase);
    const Binding bm = s_->bind(mask ? *mask : q, false, 4, p.mBase);
    const Binding bd = s_->bind(dst, true, 4, p.dBase);
    p.qNb1 = elementStride(q, 1);
    p.qNb2 = elementStride(q, 2);
    p.qNb3 = elementStride(q, 3);
    p.kNb1 = elementStride(k, 1);
    p.kNb2 = elementStride(k, 2);
    p.kNb3 = elementStride(k, 3);
    p.vNb1 = elementStride(v, 1);
    p.vNb2 = elementStride(v, 2);
    p.vNb3 = elementStride(v, 3);
    p.mNb1 = mask ? elementStride(*mask, 1) : 0;
    p.dNb1 = elementStride(dst, 1);
    p.dNb2 = elementStride(dst, 2);
    p.dNb3 = elementStride(dst, 3);
    p.flags = (ap.causal ? 1u : 0u) | (mask ? 2u : 0u) | (k.type == ElementType::F16 ? 4u : 0u) |
              (v.type == ElementType::F16 ? 8u : 0u);
    p.firstPosition = std::int32_t(ap.firstQueryPosition);
    p.window = std::int32_t(ap.slidingWindow);
    p.scale = ap.scale != 0.0f ? ap.scale : 1.0f / std::sqrt(float(q.ne[0]));
    p.softcap = ap.softcap;
    // With float64 the build that is bit-identical to the CPU backend (exactSuffix()). The
    // shader's compile-time switches (specialization constant, see attention.comp): 1 = K and V
    // are F16, 2 = the visible keys fit MAX_SCORES, 4 = soft cap. Compiled out, unused paths
    // cost nothing (lavapipe would otherwise run both sides of every branch).
    const std::uint32_t switches =
        (k.type == ElementType::F16 && v.type == ElementType::F16 ? 1u : 0u) |
        (k.ne[2] <= kMaxScores ? 2u : 0u) | (ap.softcap > 0.0f ? 4u : 0u);
    const std::string family =
        "attention" + std::string(s_->exactSuffix()) + "#" + std::to_string(switches);
    s_->dispatch(family.c_str(), {bq, bk, bv, bm, bd}, p, u32(q.ne[2]), p.Hq, u32(q.ne[3]));
}

} // namespace atelier::compute::vulkan
