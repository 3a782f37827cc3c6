#include "inference/llm/backend_factory.hpp"

#include "inference/compute/cpu/cpu_backend.hpp"
#include "inference/util/error.hpp"

#if defined(ATELIER_HAVE_VULKAN)
#include "inference/compute/vulkan/vulkan_backend.hpp"
#endif

#include <charconv>

namespace atelier::llm {

BackendChoice parseBackendName(const std::string& name) {
    BackendChoice choice;
    choice.name = name;
    if (name == "cpu") return choice;
    const std::string prefix = "vulkan";
    if (name.rfind(prefix, 0) == 0) {
        choice.device = true;
        if (name.size() == prefix.size()) return choice;
        if (name[prefix.size()] == ':') {
            const char* first = name.data() + prefix.size() + 1;
            const char* last = name.data() + name.size();
            int index = -1;
            const auto [ptr, ec] = std::from_chars(first, last, index);
            if (ec == std::errc() && ptr == last && first != last && index >= 0) {
                choice.deviceIndex = index;
                return choice;
            }
        }
    }
    throw Error(ErrorKind::Invalid, "unknown backend '" + name + "' (use cpu, vulkan or vulkan:N)");
}

bool hasVulkanBackend() {
#if defined(ATELIER_HAVE_VULKAN)
    return true;
#else
    return false;
#endif
}

std::unique_ptr<compute::Backend> createCpuBackend(int threads) {
    compute::cpu::CpuBackendOptions options;
    options.threads = threads;
    return std::make_unique<compute::cpu::CpuBackend>(options);
}

std::unique_ptr<compute::Backend> createDeviceBackend(const BackendChoice& choice) {
#if defined(ATELIER_HAVE_VULKAN)
    compute::vulkan::VulkanOptions options;
    options.deviceIndex = choice.deviceIndex;
    return std::make_unique<compute::vulkan::VulkanBackend>(options);
#else
    throw Error(ErrorKind::Unsupported,
                "backend '" + choice.name + "': this build has no Vulkan backend");
#endif
}

} // namespace atelier::llm
