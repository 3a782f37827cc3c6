#pragma once
// Turns a backend name from settings or the command line ("cpu", "vulkan", "vulkan:1") into a
// backend. The one place that knows which backends this build has.
#include "inference/compute/backend.hpp"

#include <memory>
#include <string>

namespace atelier::llm {

struct BackendChoice {
    bool device = false;  // false: the CPU
    int deviceIndex = -1; // vulkan:N; -1 = the default device
    std::string name;     // as given, for messages
};

// Throws atelier::Error (Invalid) for a name that is neither "cpu" nor "vulkan[:N]".
BackendChoice parseBackendName(const std::string& name);

// Whether this build has the Vulkan backend at all.
bool hasVulkanBackend();

std::unique_ptr<compute::Backend> createCpuBackend(int threads);
// Throws atelier::Error (Unsupported) when the build has no Vulkan backend or there is no device.
std::unique_ptr<compute::Backend> createDeviceBackend(const BackendChoice& choice);

} // namespace atelier::llm
