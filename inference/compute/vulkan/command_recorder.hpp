#pragma once
// Records every operation of a forward pass into ONE command buffer: dispatches with descriptor
// sets from a pool and push constants, buffer copies, and a pipeline barrier only where a
// command touches memory that earlier, unbarriered commands wrote (or reads what it writes).
// submitAndWait() is the only place that submits; the host calls it when it needs data.
#include "inference/compute/vulkan/memory_pool.hpp"
#include "inference/compute/vulkan/pipelines.hpp"

#include <span>
#include <vector>

namespace atelier::compute::vulkan {

// One storage buffer range a dispatch reads or writes.
struct Binding {
    VkBuffer buffer = VK_NULL_HANDLE;
    VkDeviceSize offset = 0;
    VkDeviceSize range = 0;
    bool write = false;
};

class CommandRecorder {
public:
    CommandRecorder(const Device& device, Pipelines& pipelines);
    ~CommandRecorder();
    CommandRecorder(const CommandRecorder&) = delete;
    CommandRecorder& operator=(const CommandRecorder&) = delete;

    void dispatch(VkPipeline pipeline, std::span<const Binding> bindings, const void* push,
                  std::uint32_t pushBytes, std::uint32_t groupsX, std::uint32_t groupsY = 1,
                  std::uint32_t groupsZ = 1);
    void copy(const Binding& src, const Binding& dst); // dst.range bytes
    // Frees `staging` once the recorded work that uses it has finished.
    void releaseAfterSubmit(MemoryPool& pool, const Allocation& staging);

    bool pending() const { return recording_; }
    // Submits what was recorded (if anything), waits for it, recycles descriptor sets and
    // staging memory.
    void submitAndWait();

    std::uint64_t submits() const { return submits_; }
    std::uint64_t dispatches() const { return dispatches_; }
    std::uint64_t barriers() const { return barriers_; }

private:
    struct Access {
        VkBuffer buffer;
        VkDeviceSize begin, end;
        bool write;
    };
    void begin();
    void orderAfterEarlierWork(std::span<const Binding> accesses);
    VkDescriptorSet newDescriptorSet();

    const Device& device_;
    Pipelines& pipelines_;
    VkCommandPool commandPool_ = VK_NULL_HANDLE;
    VkCommandBuffer commands_ = VK_NULL_HANDLE;
    VkFence fence_ = VK_NULL_HANDLE;
    std::vector<VkDescriptorPool> descriptorPools_;
    std::size_t currentPool_ = 0;
    std::vector<Access> sinceBarrier_;
    std::vector<std::pair<MemoryPool*, Allocation>> stagingInFlight_;
    bool recording_ = false;
    std::uint64_t submits_ = 0, dispatches_ = 0, barriers_ = 0;
};

} // namespace atelier::compute::vulkan
