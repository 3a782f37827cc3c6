#pragma once
// Device memory in a few large blocks (VkDeviceMemory + one VkBuffer spanning it), handed out
// by a first-fit sub-allocator; freed ranges are coalesced and reused. A request larger than
// the block size gets a block of its own, released as soon as it is free.
#include "inference/compute/vulkan/device.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace atelier::compute::vulkan {

struct Allocation {
    VkBuffer buffer = VK_NULL_HANDLE; // the block's buffer; the allocation starts at `offset`
    VkDeviceSize offset = 0;
    VkDeviceSize size = 0;
    std::uint8_t* mapped = nullptr; // host address of `offset` when the memory is mappable
    std::uint64_t blockSerial = 0;  // which block (for tests of reuse)
};

class MemoryPool {
public:
    enum class Kind {
        Device,  // device-local memory (host-visible too on UMA devices and lavapipe)
        Staging, // host-visible, coherent memory for uploads and downloads
    };
    // `limit`: bytes this pool may reserve at most (0 = the heap size). `waitIdle` is called
    // before a block is released, so that no recorded work still uses it.
    MemoryPool(const Device& device, Kind kind, std::uint64_t limit, VkDeviceSize blockSize,
               std::function<void()> waitIdle, bool map = true);
    ~MemoryPool();
    MemoryPool(const MemoryPool&) = delete;
    MemoryPool& operator=(const MemoryPool&) = delete;

    // Throws atelier::Error (Unsupported) naming `purpose`, the sizes and the device when the
    // memory is not there.
    Allocation allocate(VkDeviceSize bytes, const std::string& purpose);
    void free(const Allocation& allocation);
    // Gives back the blocks nothing is allocated from (after a start-up probe, say).
    void releaseUnused();

    bool hostVisible() const { return hostVisible_; }
    std::uint64_t blockCount() const { return blocks_.size(); }
    std::uint64_t reserved() const { return reserved_; }
    std::uint64_t inUse() const { return inUse_; }
    std::uint64_t limit() const { return limit_; }

private:
    struct Block {
        VkDeviceMemory memory = VK_NULL_HANDLE;
        VkBuffer buffer = VK_NULL_HANDLE;
        VkDeviceSize size = 0;
        std::uint8_t* mapped = nullptr;
        std::uint64_t serial = 0;
        bool dedicated = false;
        std::map<VkDeviceSize, VkDeviceSize> freeRanges; // offset -> size
    };
    Block* newBlock(VkDeviceSize size, bool dedicated, const std::string& purpose);
    void release(Block* block);
    [[noreturn]] void outOfMemory(VkDeviceSize bytes, const std::string& purpose) const;

    const Device& device_;
    Kind kind_;
    std::uint32_t memoryType_ = 0;
    bool hostVisible_ = false;
    std::uint64_t limit_ = 0;
    VkDeviceSize blockSize_;
    VkDeviceSize alignment_;
    std::function<void()> waitIdle_;
    std::vector<std::unique_ptr<Block>> blocks_;
    std::uint64_t reserved_ = 0, inUse_ = 0, nextSerial_ = 1;
};

} // namespace atelier::compute::vulkan
