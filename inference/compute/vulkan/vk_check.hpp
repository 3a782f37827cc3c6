#pragma once
// Turns a failed Vulkan call into an atelier::Error that says what was being done.
#include "inference/util/error.hpp"

#include <string>
#include <vulkan/vulkan.h>

namespace atelier::compute::vulkan {

const char* resultName(VkResult result);

inline void vkCheck(VkResult result, const char* what) {
    if (result == VK_SUCCESS) return;
    const bool memory =
        result == VK_ERROR_OUT_OF_DEVICE_MEMORY || result == VK_ERROR_OUT_OF_HOST_MEMORY;
    throw Error(memory ? ErrorKind::Unsupported : ErrorKind::Io,
                std::string("vulkan: ") + what + " failed (" + resultName(result) + ")");
}

} // namespace atelier::compute::vulkan
