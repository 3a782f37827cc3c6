#pragma once
// Every backend (and every code path of a backend) the operation tests run on. A new backend
// adds its entries here and is then held to the same references and thresholds.
#include "inference/compute/backend.hpp"
#include "inference/compute/cpu/cpu_backend.hpp"

#include <functional>
#include <memory>
#include <string>
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
    return cases;
}

} // namespace atelier::compute::testing
