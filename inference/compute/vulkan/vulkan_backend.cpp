// The Vulkan backend's memory side: buffers from the pool, uploads and downloads through
// staging memory (or directly where device memory is mappable and nothing is pending),
// synchronisation, and what the backend supports. Operations live in ops_*.cpp.
#include "inference/compute/vulkan/vulkan_state.hpp"

#include <cmath>
#include <cstring>
#include <vector>

namespace atelier::compute::vulkan {
namespace {

constexpr VkDeviceSize kDeviceBlock = 256ull << 20;
constexpr VkDeviceSize kStagingBlock = 64ull << 20;
constexpr VkDeviceSize kStagingChunk = 32ull << 20; // weights are copied in pieces this size

bool isWeightType(ElementType t) {
    switch (t) {
    case ElementType::F32:
    case ElementType::F16:
    case ElementType::BF16:
    case ElementType::Q4_0:
    case ElementType::Q4_1:
    case ElementType::Q5_0:
    case ElementType::Q5_1:
    case ElementType::Q8_0:
    case ElementType::Q2_K:
    case ElementType::Q3_K:
    case ElementType::Q4_K:
    case ElementType::Q5_K:
    case ElementType::Q6_K:
        return true;
    default:
        return false;
    }
}

std::string mib(std::uint64_t bytes) {
    return std::to_string((bytes + (1u << 20) - 1) >> 20);
}

} // namespace

VulkanBackend::State::State(VulkanBackend& owner, const VulkanOptions& options)
    : device(options), pipelines(device), recorder(device, pipelines),
      pool(
          device, MemoryPool::Kind::Device, options.memoryLimit,
          std::min<VkDeviceSize>(kDeviceBlock, device.limits().maxStorageBufferRange),
          [&owner] { owner.s_->recorder.submitAndWait(); }, options.mapDeviceMemory),
      staging(device, MemoryPool::Kind::Staging, 0, kStagingBlock,
              [&owner] { owner.s_->recorder.submitAndWait(); }),
      bindingLimit(
          options.bindingLimit
              ? std::min<VkDeviceSize>(options.bindingLimit, device.limits().maxStorageBufferRange)
              : device.limits().maxStorageBufferRange) {}

std::int64_t VulkanBackend::State::rowsPerBinding(std::size_t rowBytes) const {
    // Room for the alignment slack bind() adds in front of a tensor.
    const VkDeviceSize usable = bindingLimit - std::min<VkDeviceSize>(bindingLimit / 2, 4096);
    return std::max<std::int64_t>(1, std::int64_t(usable / std::max<std::size_t>(rowBytes, 1)));
}

VulkanBackend::State::~State() {
    try { // staging memory in flight goes back to its pool before the pools go
        recorder.submitAndWait();
    } catch (...) {
    }
}

Binding VulkanBackend::State::bind(const Tensor& t, bool write, std::uint32_t unitBytes,
                                   std::uint32_t& base) const {
    const auto& a = static_cast<const VulkanBuffer*>(t.buffer)->allocation();
    const VkDeviceSize align =
        std::max<VkDeviceSize>(4, device.limits().minStorageBufferOffsetAlignment);
    const VkDeviceSize absolute = a.offset + t.offset;
    const VkDeviceSize start = absolute / align * align;
    const VkDeviceSize inside = absolute - start;
    if (inside % unitBytes != 0)
        throw Error(ErrorKind::Invalid, "vulkan: tensor " + t.describe() + " at offset " +
                                            std::to_string(t.offset) + " is not aligned to " +
                                            std::to_string(unitBytes) + " bytes");
    const VkDeviceSize range = (inside + t.byteSpan() + 3) / 4 * 4;
    if (range > bindingLimit)
        throw Error(ErrorKind::Unsupported, "vulkan (" + device.info().name + "): tensor " +
                                                t.describe() + " spans " + mib(range) +
                                                " MiB, more than the device binds at once (" +
                                                mib(bindingLimit) + " MiB)");
    base = std::uint32_t(inside / unitBytes);
    return {a.buffer, start, range, write};
}

VulkanBackend::VulkanBackend(const VulkanOptions& options)
    : s_(std::make_unique<State>(*this, options)) {
    if (s_->device.features().float64 && options.fma == FmaPath::Auto) {
        s_->fmaRoundsOnce = probeFmaRoundsOnce();
        s_->pool.releaseUnused(); // a backend made to look at it holds no memory
        s_->staging.releaseUnused();
    }
    s_->nativeFma =
        options.fma == FmaPath::Native || (options.fma == FmaPath::Auto && s_->fmaRoundsOnce);
}

// Runs fma() on the device for triples where one rounding and two differ (a * b is 1 + 2^-24
// minus a little, so rounding the product first loses what fma keeps), and compares with the
// host's std::fma.
bool VulkanBackend::probeFmaRoundsOnce() {
    const float one = 1.0f, up = std::nextafter(one, 2.0f), down = std::nextafter(one, 0.0f);
    const std::vector<float> in = {up,        down, -1.0f, -up, down, 1.0f,
                                   3.0f * up, down, -3.0f, up,  up,   -1.0f};
    const std::int64_t count = std::int64_t(in.size() / 3);
    const std::unique_ptr<Buffer> bin = allocate(in.size() * sizeof(float)),
                                  bout = allocate(std::size_t(count) * sizeof(float));
    const Tensor tin =
        Tensor::contiguous(ElementType::F32, {std::int64_t(in.size()), 1, 1, 1}, bin.get(), 0);
    const Tensor tout = Tensor::contiguous(ElementType::F32, {count, 1, 1, 1}, bout.get(), 0);
    upload(tin, in.data());
    struct {
        std::uint32_t count, inBase, outBase;
    } p{std::uint32_t(count), 0, 0};
    const Binding bi = s_->bind(tin, false, 4, p.inBase), bo = s_->bind(tout, true, 4, p.outBase);
    s_->dispatch("fma_probe", {bi, bo}, p, 1);
    std::vector<float> out(static_cast<std::size_t>(count));
    download(tout, out.data());
    for (std::int64_t i = 0; i < count; ++i) {
        const float want = std::fma(in[std::size_t(3 * i)], in[std::size_t(3 * i + 1)],
                                    in[std::size_t(3 * i + 2)]);
        if (std::memcmp(&want, &out[std::size_t(i)], sizeof(float)) != 0) return false;
    }
    return true;
}

VulkanBackend::~VulkanBackend() = default;

std::string VulkanBackend::name() const {
    const auto& f = s_->device.features();
    std::string text =
        "vulkan:" + std::to_string(s_->device.info().index) + " (" + s_->device.info().name;
    text += f.subgroupArithmetic ? ", subgroups of " + std::to_string(f.subgroupSize)
                                 : ", no subgroups";
    text += f.float16Storage ? ", fp16 storage" : ", no fp16 storage";
    // Whether this device computes the CPU backend's bits, and how (fma_exact.glsl).
    if (!f.float64)
        text += ", no float64: close to the CPU, not bit-exact)";
    else if (!s_->nativeFma)
        text += ", CPU-exact with fma in double)";
    else
        text += s_->fmaRoundsOnce ? ", CPU-exact with its own fma)"
                                  : ", its fma rounds twice: close to the CPU, not bit-exact)";
    return text;
}

const DeviceInfo& VulkanBackend::device() const {
    return s_->device.info();
}
VulkanFeatures VulkanBackend::features() const {
    VulkanFeatures f = s_->device.features();
    f.fmaRoundsOnce = s_->fmaRoundsOnce;
    f.nativeFma = f.float64 && s_->nativeFma;
    f.bitExact = f.float64 && (!s_->nativeFma || s_->fmaRoundsOnce);
    return f;
}

std::string VulkanBackend::shaderVariant(const std::string& family) const {
    return s_->pipelines.variantOf(family);
}

VulkanStats VulkanBackend::stats() const {
    VulkanStats st;
    st.submits = s_->recorder.submits();
    st.dispatches = s_->recorder.dispatches();
    st.barriers = s_->recorder.barriers();
    st.memoryBlocks = s_->pool.blockCount();
    st.bytesReserved = s_->pool.reserved();
    st.bytesInUse = s_->pool.inUse();
    st.validationMessages = s_->device.validationMessages();
    return st;
}

std::unique_ptr<Buffer> VulkanBackend::allocate(std::size_t bytes) {
    const Allocation a = s_->pool.allocate(bytes, "a buffer of " + mib(bytes) + " MiB");
    return std::make_unique<VulkanBuffer>(*this, s_->pool, a, bytes, false);
}

std::unique_ptr<Buffer> VulkanBackend::importWeights(std::span<const std::uint8_t> bytes) {
    Allocation a;
    try {
        a = s_->pool.allocate(bytes.size(), "the model");
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::Unsupported) throw;
        // Weights arrive one tensor at a time: say what the model needs so far.
        throw Error(ErrorKind::Unsupported,
                    "vulkan (" + s_->device.info().name + "): the model needs more than " +
                        mib(s_->weightBytes + bytes.size()) + " MiB of device memory (" +
                        mib(s_->weightBytes) + " MiB of weights so far, then " + mib(bytes.size()) +
                        " MiB for the next tensor), the device has " + mib(s_->pool.limit()) +
                        " MiB (" + mib(s_->pool.inUse()) +
                        " MiB in use); keep fewer layers on the GPU (--gpu-layers) or use a "
                        "smaller model");
    }
    auto buffer =
        std::make_unique<VulkanBuffer>(*this, s_->pool, a, bytes.size(), true, &s_->weightBytes);
    // Recorded work may still use memory this allocation reuses: finish it first.
    s_->recorder.submitAndWait();
    if (a.mapped) {
        std::memcpy(a.mapped, bytes.data(), bytes.size());
        return buffer;
    }
    for (std::size_t done = 0; done < bytes.size(); done += kStagingChunk) {
        const std::size_t n = std::min<std::size_t>(kStagingChunk, bytes.size() - done);
        const Allocation st = s_->staging.allocate(n, "copying the model to the device");
        std::memcpy(st.mapped, bytes.data() + done, n);
        s_->recorder.copy({st.buffer, st.offset, n, false}, {a.buffer, a.offset + done, n, true});
        s_->recorder.releaseAfterSubmit(s_->staging, st);
        s_->recorder.submitAndWait();
    }
    return buffer;
}

void VulkanBackend::synchronize() {
    s_->recorder.submitAndWait();
}

void VulkanBackend::runUpload(const Tensor& dst, const void* src) {
    const auto& a = static_cast<const VulkanBuffer*>(dst.buffer)->allocation();
    const std::size_t n = dst.byteSpan();
    if (a.mapped && !s_->recorder.pending()) { // nothing recorded can race with the host write
        std::memcpy(a.mapped + dst.offset, src, n);
        return;
    }
    const Allocation st = s_->staging.allocate(n, "an upload");
    std::memcpy(st.mapped, src, n);
    s_->recorder.copy({st.buffer, st.offset, n, false}, {a.buffer, a.offset + dst.offset, n, true});
    s_->recorder.releaseAfterSubmit(s_->staging, st);
}

void VulkanBackend::runDownload(const Tensor& src, void* dst) {
    const auto& a = static_cast<const VulkanBuffer*>(src.buffer)->allocation();
    const std::size_t n = src.byteSpan();
    if (a.mapped) {
        s_->recorder.submitAndWait();
        std::memcpy(dst, a.mapped + src.offset, n);
        return;
    }
    const Allocation st = s_->staging.allocate(n, "a download");
    s_->recorder.copy({a.buffer, a.offset + src.offset, n, false}, {st.buffer, st.offset, n, true});
    try {
        s_->recorder.submitAndWait();
    } catch (...) {
        s_->staging.free(st);
        throw;
    }
    std::memcpy(dst, st.mapped, n);
    s_->staging.free(st);
}

bool VulkanBackend::supports(Op op, ElementType type) const {
    const bool half = type == ElementType::F16;
    switch (op) {
    case Op::GetRows:
    case Op::Matmul:
        return isWeightType(type);
    case Op::Attention:
    case Op::Conv2d:
        return type == ElementType::F32 || half;
    case Op::Copy:
        return type == ElementType::F32 || half || type == ElementType::BF16;
    case Op::RmsNorm:
    case Op::LayerNorm:
    case Op::GroupNorm:
    case Op::Rope:
    case Op::Softmax:
    case Op::Unary:
    case Op::Glu:
    case Op::Add:
    case Op::Mul:
    case Op::Scale:
    case Op::UpsampleNearest:
    case Op::Concat:
        return type == ElementType::F32;
    }
    return false;
}

} // namespace atelier::compute::vulkan
