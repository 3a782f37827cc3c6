#pragma once
// The angles of rotary position embedding, computed on the host in one place so that every
// backend rotates with the same floats (Backend::ropeWithAngles). For each token and rotated
// pair i the table holds {cos(angle_i) * magnitude, sin(angle_i) * magnitude}, rounded as
// ggml's CPU rope rounds them: theta by repeated multiplication (theta *= base^(-2/dims)) and
// the C library's float cos and sin. A shader cannot reproduce libm's cosf/sinf bit for bit,
// which is why the angles are made here rather than on the device.
#include "inference/compute/ops.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

namespace atelier::compute {

// The rotated dimensions of a head of `headDim`: p.dims, or the whole head when 0.
inline int ropeDims(const RopeParams& p, int headDim) {
    return p.dims == 0 ? headDim : p.dims;
}

// Writes the table for `positions` into `out` (positions.size() * dims floats, token after
// token: cos, sin of pair 0, then pair 1, ...; an F32 tensor [dims, tokens]). `freqFactors`
// is empty or has dims / 2 values that divide each frequency (llama3 "rope_freqs"). Linear
// scaling (p.freqScale) and YaRN (p.extFactor != 0) as ggml defines them; p.mode does not
// matter here (it says which elements a pair rotates). Throws atelier::Error on wrong sizes.
void ropeAngles(const RopeParams& p, int headDim, std::span<const std::int32_t> positions,
                std::span<const float> freqFactors, std::span<float> out);

} // namespace atelier::compute
