#pragma once
// Every backend (and every code path of a backend) the operation tests run on. A new backend
// adds its entries here and is then held to the same references and thresholds.
#include "inference/compute/backend.hpp"
#include "inference/compute/cpu/cpu_backend.hpp"
#ifdef ATELIER_HAVE_VULKAN
#include "inference/compute/vulkan/vulkan_backend.hpp"
#endif

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace atelier::compute::testing {

struct BackendCase {
    std::string name;
    std::function<std::unique_ptr<Backend>()> make;
};

inline std::vector<BackendCase> backendsUnderTest() {
    using namespace cpu;
    std::vector<BackendCase> cases;
    cases.push_back(
        {"cpu-scalar", [] {
             return std::make_unique<CpuBackend>(CpuBackendOptions{2, SimdLevel::Scalar});
         }});
    cases.push_back(
        {"cpu-scalar-1thread", [] {
             return std::make_unique<CpuBackend>(CpuBackendOptions{1, SimdLevel::Scalar});
         }});
    if (detectSimdLevel() >= SimdLevel::Avx2)
        cases.push_back(
            {"cpu-avx2", [] {
                 return std::make_unique<CpuBackend>(CpuBackendOptions{2, SimdLevel::Avx2});
             }});
    if (detectSimdLevel() >= SimdLevel::Avx512Vnni)
        cases.push_back(
            {"cpu-avx512-vnni", [] {
                 return std::make_unique<CpuBackend>(CpuBackendOptions{2, SimdLevel::Avx512Vnni});
             }});
#ifdef ATELIER_HAVE_VULKAN
    // Vulkan on the default device (lavapipe in CI), and again with the fallback shaders
    // (shared-memory reductions, halves packed in 32-bit words) that devices without subgroup
    // arithmetic or 16-bit storage run, copying through staging buffers as on a discrete GPU.
    static const bool haveVulkan = !vulkan::listDevices().empty();
    static bool told = false;
    if (!haveVulkan && !std::exchange(told, true))
        std::fprintf(stderr, "NOTE: no Vulkan device found: the Vulkan backend is NOT tested\n");
    if (haveVulkan) {
        cases.push_back({"vulkan", [] { return std::make_unique<vulkan::VulkanBackend>(); }});
        cases.push_back({"vulkan-fallback-shaders", [] {
                             vulkan::VulkanOptions o;
                             o.useSubgroups = false;
                             o.useFloat16Storage = false;
                             o.mapDeviceMemory = false;
                             return std::make_unique<vulkan::VulkanBackend>(o);
                         }});
    }
#else
    static bool told = false;
    if (!std::exchange(told, true))
        std::fprintf(stderr, "NOTE: built without Vulkan: the Vulkan backend is NOT tested\n");
#endif
    return cases;
}

} // namespace atelier::compute::testing
