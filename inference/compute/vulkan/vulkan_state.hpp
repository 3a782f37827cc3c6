#pragma once
// What the Vulkan backend's files share: the device, the memory pools, the pipelines, the
// recorder, and how a Tensor becomes a shader binding.
#include "inference/compute/buffer.hpp"
#include "inference/compute/vulkan/command_recorder.hpp"
#include "inference/compute/vulkan/device.hpp"
#include "inference/compute/vulkan/memory_pool.hpp"
#include "inference/compute/vulkan/pipelines.hpp"
#include "inference/compute/vulkan/vulkan_backend.hpp"
#include "inference/util/error.hpp"

#include <algorithm>
#include <string>

namespace atelier::compute::vulkan {

// A range of the device pool.
class VulkanBuffer final : public Buffer {
public:
    // `tally`: a byte count this buffer adds itself to while it lives (the weights total).
    VulkanBuffer(Backend& backend, MemoryPool& pool, const Allocation& a, std::size_t size,
                 bool readOnly, std::uint64_t* tally = nullptr)
        : Buffer(backend, size, readOnly), pool_(pool), allocation_(a), tally_(tally) {
        if (tally_) *tally_ += size;
    }
    ~VulkanBuffer() override {
        if (tally_) *tally_ -= size();
        pool_.free(allocation_);
    }
    const Allocation& allocation() const { return allocation_; }

private:
    MemoryPool& pool_;
    Allocation allocation_;
    std::uint64_t* tally_;
};

struct VulkanBackend::State {
    explicit State(VulkanBackend& owner, const VulkanOptions& options);
    ~State();

    Device device;
    Pipelines pipelines;
    CommandRecorder recorder;
    MemoryPool pool;               // device memory: weights, activations, KV cache
    MemoryPool staging;            // host-visible memory for copies to and from the device
    VkDeviceSize bindingLimit;     // bytes one binding may span
    std::uint64_t weightBytes = 0; // imported weights alive now
    bool fmaRoundsOnce = false;    // probed at start (fma_probe.comp)
    bool nativeFma = false;        // the exact builds in use are the "_xf" ones

    // The suffix of the exact build of a shader family that has them: "" (no float64), "_x"
    // (fma in double) or "_xf" (the device's fma()).
    const char* exactSuffix() const {
        return !device.features().float64 ? "" : nativeFma ? "_xf" : "_x";
    }

    // Rows of `rowBytes` each that fit in one binding.
    std::int64_t rowsPerBinding(std::size_t rowBytes) const;

    // A binding of the memory `t` spans. The binding starts at an offset the device accepts;
    // `base` receives where the tensor starts inside it, in units of `unitBytes` (4 for an F32
    // tensor read as float[], 2 for halves, 1 for bytes of quantized blocks).
    Binding bind(const Tensor& t, bool write, std::uint32_t unitBytes, std::uint32_t& base) const;
    // Records a dispatch of `family` (the device's best variant of it).
    template <class Push>
    void dispatch(const char* family, std::initializer_list<Binding> bindings, const Push& push,
                  std::uint32_t groupsX, std::uint32_t groupsY = 1, std::uint32_t groupsZ = 1) {
        static_assert(sizeof(Push) <= kPushBytes);
        recorder.dispatch(pipelines.get(family), std::span(bindings.begin(), bindings.size()),
                          &push, sizeof(Push), groupsX, groupsY, groupsZ);
    }
};

// Element strides of a tensor in units of its element size (float tensors only).
inline std::uint32_t elementStride(const Tensor& t, int dim) {
    return std::uint32_t(t.nb[dim] / t.elementOrBlockBytes());
}

// Splits `groups` workgroups over x and y (x at most 65535, the guaranteed limit); shaders
// take gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x and skip ids past the count.
struct Grid {
    std::uint32_t x = 1, y = 1;
};
inline Grid gridFor(std::uint64_t groups) {
    Grid g;
    g.x = std::uint32_t(std::min<std::uint64_t>(std::max<std::uint64_t>(groups, 1), 65535));
    g.y = std::uint32_t((groups + g.x - 1) / g.x);
    return g;
}

} // namespace atelier::compute::vulkan
