#pragma once
// The CPU backend's inner kernels as a table of function pointers, filled once per SIMD level
// (scalar always; AVX2 when the CPU has it). Operation files call through the table, so the
// scalar and SIMD paths run the same operation code and are tested side by side.
#include "inference/compute/tensor.hpp"

#include <cstdint>

namespace atelier::compute::cpu {

enum class SimdLevel { Scalar, Avx2, Avx512Vnni }; // each level includes the ones before
const char* simdLevelName(SimdLevel level);
// The best level this CPU runs (CPUID and OS support checked).
SimdLevel detectSimdLevel();

// dot(n, weightRow, activationRow): one weight row of any supported type against one
// activation row already converted to the weight's partner format (activationTypeFor).
using DotFn = float (*)(std::int64_t n, const void* weight, const void* activation);
// One weight row against 4 activation rows at act, act + stride, ... (prefill): out[0..3].
using Dot4Fn = void (*)(std::int64_t n, const void* weight, const void* activations,
                        std::size_t stride, float* out);
// A tile of rows x cols dot products: weight rows w, w + wStride, ... against activation rows
// a, a + aStride, ...; the result of weight row r and activation row c goes to
// out[c * outStride + r]. Weight blocks are unpacked once per tile and activation blocks loaded
// once per tile, which is where these beat one row at a time. `side` (stride sideStride per
// activation row) is what the tile's ActSideFn made from each activation row, when it has one.
using DotTileFn = void (*)(std::int64_t n, const void* w, std::size_t wStride, const void* a,
                           std::size_t aStride, const std::uint8_t* side, std::size_t sideStride,
                           float* out, std::size_t outStride);
// Per activation row, once per matmul: what a tile kernel would otherwise recompute for every
// weight row (block scales and sums), written to side (actSideBytes(n) bytes).
using ActSideFn = void (*)(std::int64_t n, const void* act, std::uint8_t* side);
constexpr std::size_t actSideBytes(std::int64_t n) {
    return std::size_t((n / 32 + 1) / 2) * 128; // 128 bytes per pair of 32-value blocks
}
struct DotTile {
    DotTileFn fn = nullptr;
    int rows = 0, cols = 0;
    ActSideFn side = nullptr; // optional
};
// Converts one F32 row of n values (a multiple of the block size) to an activation format.
using QuantizeFn = void (*)(const float* src, void* dst, std::int64_t n);

constexpr int kTypeSlots = 40; // indexed by the ggml type id

struct Kernels {
    SimdLevel level = SimdLevel::Scalar;
    DotFn dot[kTypeSlots] = {};           // by weight type
    Dot4Fn dot4[kTypeSlots] = {};         // optional, by weight type: else 4 x dot
    DotTile vecTile[kTypeSlots] = {};     // optional: several weight rows x 1 column (decode)
    DotTile matTile[kTypeSlots] = {};     // optional: weight rows x activation rows (prefill)
    QuantizeFn quantize[kTypeSlots] = {}; // by activation type (F32, F16, BF16, Q8_0, Q8_1, Q8_K)

    // Float helpers for attention and element-wise work.
    float (*dotF32)(std::int64_t n, const float* a, const float* b) = nullptr;
    float (*dotF16F32)(std::int64_t n, const std::uint16_t* a, const float* b) = nullptr;
    void (*axpyF32)(std::int64_t n, float alpha, const float* x, float* y) = nullptr; // y += a x
    void (*axpyF16)(std::int64_t n, float alpha, const std::uint16_t* x, float* y) = nullptr;
    void (*scaleF32)(std::int64_t n, float alpha, float* y) = nullptr;
    void (*f16ToF32)(const std::uint16_t* src, float* dst, std::int64_t n) = nullptr;
    void (*f32ToF16)(const float* src, std::uint16_t* dst, std::int64_t n) = nullptr;
};

// The activation format a weight type's dot product takes (as llama.cpp pairs them).
ElementType activationTypeFor(ElementType weight);
bool hasDotKernel(ElementType weight);

const Kernels& scalarKernels();
// Kernels for `level`, falling back to scalar entries where a level has no special version.
// Throws atelier::Error (Unsupported) when the CPU lacks the level.
const Kernels& kernelsFor(SimdLevel level);

// Filled by kernels_avx2.cpp / kernels_avx512.cpp (built with their flags): override entries.
void installAvx2Kernels(Kernels& k);
void installAvx512VnniKernels(Kernels& k);

} // namespace atelier::compute::cpu
