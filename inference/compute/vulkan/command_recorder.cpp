#include "inference/compute/vulkan/command_recorder.hpp"

#include "inference/compute/vulkan/vk_check.hpp"

namespace atelier::compute::vulkan {
namespace {
constexpr std::uint32_t kSetsPerPool = 512;
}

CommandRecorder::CommandRecorder(const Device& device, Pipelines& pipelines)
    : device_(device), pipelines_(pipelines) {
    VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    poolInfo.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
    poolInfo.queueFamilyIndex = device.queueFamily();
    vkCheck(vkCreateCommandPool(device.handle(), &poolInfo, nullptr, &commandPool_),
            "creating a command pool");
    VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    alloc.commandPool = commandPool_;
    alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    alloc.commandBufferCount = 1;
    vkCheck(vkAllocateCommandBuffers(device.handle(), &alloc, &commands_),
            "allocating a command buffer");
    VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    vkCheck(vkCreateFence(device.handle(), &fenceInfo, nullptr, &fence_), "creating a fence");
}

CommandRecorder::~CommandRecorder() {
    try {
        submitAndWait();
    } catch (...) { // a lost device at shutdown: nothing left to do but free
    }
    for (VkDescriptorPool p : descriptorPools_)
        vkDestroyDescriptorPool(device_.handle(), p, nullptr);
    vkDestroyFence(device_.handle(), fence_, nullptr);
    vkDestroyCommandPool(device_.handle(), commandPool_, nullptr);
}

void CommandRecorder::begin() {
    if (recording_) return;
    VkCommandBufferBeginInfo info{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    info.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    vkCheck(vkBeginCommandBuffer(commands_, &info), "beginning a command buffer");
    recording_ = true;
}

void CommandRecorder::orderAfterEarlierWork(std::span<const Binding> accesses) {
    bool hazard = false;
    for (const Binding& b : accesses) {
        const VkDeviceSize end = b.offset + b.range;
        for (const Access& a : sinceBarrier_)
            if (a.buffer == b.buffer && a.begin < end && b.offset < a.end && (a.write || b.write))
                hazard = true;
    }
    if (hazard) {
        VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
        barrier.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT |
                                VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_TRANSFER_READ_BIT;
        barrier.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT |
                                VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
        const VkPipelineStageFlags stages =
            VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
        vkCmdPipelineBarrier(commands_, stages, stages, 0, 1, &barrier, 0, nullptr, 0, nullptr);
        ++barriers_;
        sinceBarrier_.clear();
    }
    for (const Binding& b : accesses)
        sinceBarrier_.push_back({b.buffer, b.offset, b.offset + b.range, b.write});
}

VkDescriptorSet CommandRecorder::newDescriptorSet() {
    for (;; ++currentPool_) {
        if (currentPool_ == descriptorPools_.size()) {
            VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                                      kSetsPerPool * kMaxBindings};
            VkDescriptorPoolCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
            info.maxSets = kSetsPerPool;
            info.poolSizeCount = 1;
            info.pPoolSizes = &size;
            VkDescriptorPool pool = VK_NULL_HANDLE;
            vkCheck(vkCreateDescriptorPool(device_.handle(), &info, nullptr, &pool),
                    "creating a descriptor pool");
            descriptorPools_.push_back(pool);
        }
        VkDescriptorSetLayout layout = pipelines_.setLayout();
        VkDescriptorSetAllocateInfo alloc{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
        alloc.descriptorPool = descriptorPools_[currentPool_];
        alloc.descriptorSetCount = 1;
        alloc.pSetLayouts = &layout;
        VkDescriptorSet set = VK_NULL_HANDLE;
        const VkResult r = vkAllocateDescriptorSets(device_.handle(), &alloc, &set);
        if (r == VK_SUCCESS) return set;
        if (r != VK_ERROR_OUT_OF_POOL_MEMORY && r != VK_ERROR_FRAGMENTED_POOL)
            vkCheck(r, "allocating a descriptor set");
    }
}

void CommandRecorder::dispatch(VkPipeline pipeline, std::span<const Binding> bindings,
                               const void* push, std::uint32_t pushBytes, std::uint32_t groupsX,
                               std::uint32_t groupsY, std::uint32_t groupsZ) {
    if (bindings.empty() || bindings.size() > kMaxBindings || pushBytes > kPushBytes)
        throw Error(ErrorKind::Invalid, "vulkan: bad dispatch layout");
    if (groupsX == 0 || groupsY == 0 || groupsZ == 0) return;
    begin();
    orderAfterEarlierWork(bindings);

    VkDescriptorSet set = newDescriptorSet();
    VkDescriptorBufferInfo infos[kMaxBindings];
    VkWriteDescriptorSet writes[kMaxBindings];
    for (std::uint32_t i = 0; i < kMaxBindings; ++i) {
        const Binding& b = i < bindings.size() ? bindings[i] : bindings[0]; // unused slots alias 0
        infos[i] = {b.buffer, b.offset, b.range};
        writes[i] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
        writes[i].dstSet = set;
        writes[i].dstBinding = i;
        writes[i].descriptorCount = 1;
        writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
        writes[i].pBufferInfo = &infos[i];
    }
    vkUpdateDescriptorSets(device_.handle(), kMaxBindings, writes, 0, nullptr);
    vkCmdBindPipeline(commands_, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
    vkCmdBindDescriptorSets(commands_, VK_PIPELINE_BIND_POINT_COMPUTE, pipelines_.layout(), 0, 1,
                            &set, 0, nullptr);
    if (pushBytes)
        vkCmdPushConstants(commands_, pipelines_.layout(), VK_SHADER_STAGE_COMPUTE_BIT, 0,
                           pushBytes, push);
    vkCmdDispatch(commands_, groupsX, groupsY, groupsZ);
    ++dispatches_;
}

void CommandRecorder::copy(const Binding& src, const Binding& dst) {
    begin();
    const Binding both[2] = {{src.buffer, src.offset, dst.range, false},
                             {dst.buffer, dst.offset, dst.range, true}};
    orderAfterEarlierWork(both);
    VkBufferCopy region{src.offset, dst.offset, dst.range};
    vkCmdCopyBuffer(commands_, src.buffer, dst.buffer, 1, &region);
}

void CommandRecorder::releaseAfterSubmit(MemoryPool& pool, const Allocation& staging) {
    stagingInFlight_.emplace_back(&pool, staging);
}

void CommandRecorder::submitAndWait() {
    if (recording_) {
        recording_ = false;
        // Make every device write visible to the host that reads mapped memory after the wait.
        VkMemoryBarrier toHost{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
        toHost.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
        toHost.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
        vkCmdPipelineBarrier(commands_,
                             VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                             VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &toHost, 0, nullptr, 0, nullptr);
        vkCheck(vkEndCommandBuffer(commands_), "ending the command buffer");
        VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
        submit.commandBufferCount = 1;
        submit.pCommandBuffers = &commands_;
        vkCheck(vkQueueSubmit(device_.queue(), 1, &submit, fence_), "submitting work");
        ++submits_;
        vkCheck(vkWaitForFences(device_.handle(), 1, &fence_, VK_TRUE, UINT64_MAX),
                "waiting for the device");
        vkCheck(vkResetFences(device_.handle(), 1, &fence_), "resetting a fence");
        vkCheck(vkResetCommandPool(device_.handle(), commandPool_, 0), "resetting commands");
        for (VkDescriptorPool p : descriptorPools_) vkResetDescriptorPool(device_.handle(), p, 0);
        currentPool_ = 0;
        sinceBarrier_.clear();
    }
    // Taken out first: freeing may release a block, which waits for idle, which calls back here.
    auto done = std::move(stagingInFlight_);
    stagingInFlight_.clear();
    for (auto& [pool, allocation] : done) pool->free(allocation);
}

} // namespace atelier::compute::vulkan
