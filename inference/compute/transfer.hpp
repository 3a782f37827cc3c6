#pragma once
// Moving activations between backends (a model split between GPU and CPU layers): the source
// backend finishes its work and downloads, the destination uploads. `staging` is the caller's
// reusable host buffer, so a forward pass does not allocate per boundary crossing.
#include "inference/compute/backend.hpp"

#include <cstdint>
#include <vector>

namespace atelier::compute {

// src and dst: contiguous, same type and shape, each on its own backend (may be the same one).
void copyAcross(const Tensor& src, const Tensor& dst, std::vector<std::uint8_t>& staging);

} // namespace atelier::compute
