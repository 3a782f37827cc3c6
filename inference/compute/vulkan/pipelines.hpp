#pragma once
// Compute pipelines built lazily from the embedded SPIR-V. Every pipeline shares one layout:
// kMaxBindings storage buffers in set 0 and kPushBytes of push constants, so that one
// descriptor-set layout and one pool serve every operation.
#include "inference/compute/vulkan/device.hpp"

#include <map>
#include <string>

namespace atelier::compute::vulkan {

constexpr std::uint32_t kMaxBindings = 6;
constexpr std::uint32_t kPushBytes = 128;

class Pipelines {
public:
    explicit Pipelines(const Device& device);
    ~Pipelines();
    Pipelines(const Pipelines&) = delete;
    Pipelines& operator=(const Pipelines&) = delete;

    // The best variant of `family` this device runs: "<family>_sg_h", "_sg", "_h" or plain,
    // as subgroup arithmetic and 16-bit storage allow. Throws if no blob has that name.
    VkPipeline get(const std::string& family);
    // Whether a blob of that family exists (some shader in the build).
    static bool exists(const std::string& family);
    // Which blob get(family) uses (for tests and logs).
    std::string variantOf(const std::string& family) const;

    VkPipelineLayout layout() const { return layout_; }
    VkDescriptorSetLayout setLayout() const { return setLayout_; }

private:
    const Device& device_;
    VkDescriptorSetLayout setLayout_ = VK_NULL_HANDLE;
    VkPipelineLayout layout_ = VK_NULL_HANDLE;
    std::map<std::string, VkPipeline> cache_;
};

} // namespace atelier::compute::vulkan
