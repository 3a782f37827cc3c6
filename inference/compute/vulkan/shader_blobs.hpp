#pragma once
// The SPIR-V blobs compiled from shaders/*.comp at build time (see CMakeLists.txt), by name:
// "<family>[_<type>][_sg][_h]" where _sg is the subgroup-arithmetic variant and _h the
// 16-bit-storage variant.
#include <cstddef>
#include <cstdint>
#include <span>

namespace atelier::compute::vulkan {

struct ShaderBlob {
    const char* name;
    const std::uint32_t* code;
    std::size_t bytes;
};

std::span<const ShaderBlob> shaderBlobs();

} // namespace atelier::compute::vulkan
