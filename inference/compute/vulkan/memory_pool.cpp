#include "inference/compute/vulkan/memory_pool.hpp"

#include "inference/compute/vulkan/vk_check.hpp"

#include <algorithm>

namespace atelier::compute::vulkan {
namespace {

constexpr VkBufferUsageFlags kUsage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT |
                                      VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                                      VK_BUFFER_USAGE_TRANSFER_DST_BIT;

std::uint64_t mib(std::uint64_t bytes) {
    return (bytes + (1u << 20) - 1) >> 20;
}

// Device: a device-local type on the largest device-local heap, mappable if such a type
// exists there (UMA, lavapipe). Staging: host-visible and coherent, cached if possible.
std::uint32_t chooseMemoryType(const VkPhysicalDeviceMemoryProperties& mem, MemoryPool::Kind kind) {
    const auto flags = [&](std::uint32_t t) { return mem.memoryTypes[t].propertyFlags; };
    constexpr VkMemoryPropertyFlags mappable =
        VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    int best = -1, bestScore = -1;
    if (kind == MemoryPool::Kind::Device) {
        VkDeviceSize largest = 0;
        for (std::uint32_t h = 0; h < mem.memoryHeapCount; ++h)
            if (mem.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT)
                largest = std::max(largest, mem.memoryHeaps[h].size);
        for (std::uint32_t t = 0; t < mem.memoryTypeCount; ++t) {
            const bool local = flags(t) & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
            const bool onLargest = mem.memoryHeaps[mem.memoryTypes[t].heapIndex].size == largest;
            const int score = (local && onLargest ? 4
                               : local            ? 2
                                                  : 0) +
                              ((flags(t) & mappable) == mappable && local && onLargest ? 1 : 0);
            if (score > bestScore) best = int(t), bestScore = score;
        }
    } else {
        for (std::uint32_t t = 0; t < mem.memoryTypeCount; ++t) {
            if ((flags(t) & mappable) != mappable) continue;
            const int score = (flags(t) & VK_MEMORY_PROPERTY_HOST_CACHED_BIT) ? 2 : 1;
            if (score > bestScore) best = int(t), bestScore = score;
        }
    }
    if (best < 0)
        throw Error(ErrorKind::Unsupported, "vulkan: the device has no host-visible memory");
    return std::uint32_t(best);
}

} // namespace

MemoryPool::MemoryPool(const Device& device, Kind kind, std::uint64_t limit, VkDeviceSize blockSize,
                       std::function<void()> waitIdle, bool map)
    : device_(device), kind_(kind), blockSize_(blockSize), waitIdle_(std::move(waitIdle)) {
    const auto& mem = device.memory();
    memoryType_ = chooseMemoryType(mem, kind);
    const auto flags = mem.memoryTypes[memoryType_].propertyFlags;
    hostVisible_ = map && (flags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) &&
                   (flags & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
    const std::uint64_t heap = mem.memoryHeaps[mem.memoryTypes[memoryType_].heapIndex].size;
    limit_ = limit ? std::min<std::uint64_t>(limit, heap) : heap;
    alignment_ = std::max<VkDeviceSize>(256, device.limits().minStorageBufferOffsetAlignment);
}

MemoryPool::~MemoryPool() {
    for (auto& b : blocks_) {
        vkDestroyBuffer(device_.handle(), b->buffer, nullptr);
        vkFreeMemory(device_.handle(), b->memory, nullptr);
    }
}

void MemoryPool::outOfMemory(VkDeviceSize bytes, const std::string& purpose) const {
    const std::string where = kind_ == Kind::Device ? "device" : "staging (host)";
    throw Error(ErrorKind::Unsupported,
                "vulkan (" + device_.info().name + "): " + purpose + " needs " +
                    std::to_string(mib(bytes)) + " MiB of " + where +
                    " memory, but the device has " + std::to_string(mib(limit_)) + " MiB and " +
                    std::to_string(mib(inUse_)) +
                    " MiB are already in use; keep fewer layers on the GPU (--gpu-layers) or use "
                    "a smaller model");
}

MemoryPool::Block* MemoryPool::newBlock(VkDeviceSize size, bool dedicated,
                                        const std::string& purpose) {
    auto block = std::make_unique<Block>();
    block->size = size;
    block->dedicated = dedicated;
    block->serial = nextSerial_++;
    VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    info.size = size;
    info.usage = kUsage;
    info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    vkCheck(vkCreateBuffer(device_.handle(), &info, nullptr, &block->buffer), "creating a buffer");
    VkMemoryRequirements req;
    vkGetBufferMemoryRequirements(device_.handle(), block->buffer, &req);
    VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
    alloc.allocationSize = req.size;
    alloc.memoryTypeIndex = memoryType_;
    const VkResult r = (req.memoryTypeBits & (1u << memoryType_))
                           ? vkAllocateMemory(device_.handle(), &alloc, nullptr, &block->memory)
                           : VK_ERROR_FEATURE_NOT_PRESENT;
    if (r != VK_SUCCESS) {
        vkDestroyBuffer(device_.handle(), block->buffer, nullptr);
        if (r == VK_ERROR_OUT_OF_DEVICE_MEMORY || r == VK_ERROR_OUT_OF_HOST_MEMORY)
            outOfMemory(size, purpose);
        vkCheck(r, "allocating device memory");
    }
    vkCheck(vkBindBufferMemory(device_.handle(), block->buffer, block->memory, 0),
            "binding buffer memory");
    if (hostVisible_) {
        void* p = nullptr;
        vkCheck(vkMapMemory(device_.handle(), block->memory, 0, VK_WHOLE_SIZE, 0, &p),
                "mapping memory");
        block->mapped = static_cast<std::uint8_t*>(p);
    }
    block->freeRanges.emplace(0, size);
    reserved_ += size;
    blocks_.push_back(std::move(block));
    return blocks_.back().get();
}

Allocation MemoryPool::allocate(VkDeviceSize bytes, const std::string& purpose) {
    const VkDeviceSize size =
        std::max<VkDeviceSize>(alignment_, (bytes + alignment_ - 1) / alignment_ * alignment_);
    Block* chosen = nullptr;
    VkDeviceSize at = 0;
    for (auto& b : blocks_) {
        if (b->dedicated) continue;
        for (auto& [offset, length] : b->freeRanges)
            if (length >= size) {
                chosen = b.get();
                at = offset;
                break;
            }
        if (chosen) break;
    }
    if (!chosen) {
        if (reserved_ + size > limit_) outOfMemory(size, purpose);
        const bool dedicated = size > blockSize_;
        // A fresh standard block, or what the budget has left when that is less.
        const VkDeviceSize blockBytes =
            dedicated ? size
                      : std::min<VkDeviceSize>(blockSize_,
                                               (limit_ - reserved_) / alignment_ * alignment_);
        chosen = newBlock(blockBytes, dedicated, purpose);
        at = 0;
    }
    auto it = chosen->freeRanges.find(at);
    const VkDeviceSize rest = it->second - size;
    chosen->freeRanges.erase(it);
    if (rest) chosen->freeRanges.emplace(at + size, rest);
    inUse_ += size;
    Allocation a;
    a.buffer = chosen->buffer;
    a.offset = at;
    a.size = size;
    a.mapped = chosen->mapped ? chosen->mapped + at : nullptr;
    a.blockSerial = chosen->serial;
    return a;
}

void MemoryPool::free(const Allocation& a) {
    for (auto& b : blocks_) {
        if (b->serial != a.blockSerial) continue;
        inUse_ -= a.size;
        auto [it, inserted] = b->freeRanges.emplace(a.offset, a.size);
        (void)inserted;
        auto next = std::next(it);
        if (next != b->freeRanges.end() && it->first + it->second == next->first) {
            it->second += next->second;
            b->freeRanges.erase(next);
        }
        if (it != b->freeRanges.begin()) {
            auto prev = std::prev(it);
            if (prev->first + prev->second == it->first) {
                prev->second += it->second;
                b->freeRanges.erase(it);
            }
        }
        if (b->dedicated && b->freeRanges.begin()->second == b->size) release(b.get());
        return;
    }
}

void MemoryPool::releaseUnused() {
    std::vector<Block*> unused;
    for (auto& b : blocks_)
        if (b->freeRanges.size() == 1 && b->freeRanges.begin()->second == b->size)
            unused.push_back(b.get());
    for (Block* b : unused) release(b);
}

void MemoryPool::release(Block* block) {
    if (waitIdle_) waitIdle_();
    vkDestroyBuffer(device_.handle(), block->buffer, nullptr);
    vkFreeMemory(device_.handle(), block->memory, nullptr);
    reserved_ -= block->size;
    std::erase_if(blocks_, [&](const auto& b) { return b.get() == block; });
}

} // namespace atelier::compute::vulkan
