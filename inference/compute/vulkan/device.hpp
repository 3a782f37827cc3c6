#pragma once
// The Vulkan instance, the chosen physical device, its features and one compute queue.
#include "inference/compute/vulkan/vulkan_backend.hpp"

#include <atomic>
#include <vulkan/vulkan.h>

namespace atelier::compute::vulkan {

class Device {
public:
    explicit Device(const VulkanOptions& options);
    ~Device();
    Device(const Device&) = delete;
    Device& operator=(const Device&) = delete;

    VkDevice handle() const { return device_; }
    VkPhysicalDevice physical() const { return physical_; }
    VkQueue queue() const { return queue_; }
    std::uint32_t queueFamily() const { return queueFamily_; }
    const DeviceInfo& info() const { return info_; }
    const VulkanFeatures& features() const { return features_; }
    const VkPhysicalDeviceLimits& limits() const { return limits_; }
    const VkPhysicalDeviceMemoryProperties& memory() const { return memory_; }
    std::uint64_t validationMessages() const { return validationMessages_; }

private:
    void destroyMessenger();
    static VKAPI_ATTR VkBool32 VKAPI_CALL onValidationMessage(
        VkDebugUtilsMessageSeverityFlagBitsEXT severity, VkDebugUtilsMessageTypeFlagsEXT types,
        const VkDebugUtilsMessengerCallbackDataEXT* data, void* self);

    VkInstance instance_ = VK_NULL_HANDLE;
    VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
    std::atomic<std::uint64_t> validationMessages_{0};
    VkPhysicalDevice physical_ = VK_NULL_HANDLE;
    VkDevice device_ = VK_NULL_HANDLE;
    VkQueue queue_ = VK_NULL_HANDLE;
    std::uint32_t queueFamily_ = 0;
    DeviceInfo info_;
    VulkanFeatures features_;
    VkPhysicalDeviceLimits limits_{};
    VkPhysicalDeviceMemoryProperties memory_{};
};

} // namespace atelier::compute::vulkan
