#pragma once
// GGML tensor element types as stored in GGUF files: numeric ids, names and block layouts.
// A quantized type packs `blockSize` elements into `typeSize` bytes; ne[0] of a tensor must be
// a multiple of the block size.
#include <cstdint>
#include <optional>
#include <string_view>

namespace atelier::gguf {

// The ids are ggml's (ggml_type); the gaps are types ggml has removed.
enum class TensorType : std::uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    IQ2_XXS = 16,
    IQ2_XS = 17,
    IQ3_XXS = 18,
    IQ1_S = 19,
    IQ4_NL = 20,
    IQ3_S = 21,
    IQ2_S = 22,
    IQ4_XS = 23,
    I8 = 24,
    I16 = 25,
    I32 = 26,
    I64 = 27,
    F64 = 28,
    IQ1_M = 29,
    BF16 = 30,
    TQ1_0 = 34,
    TQ2_0 = 35,
    MXFP4 = 39,
    NVFP4 = 40,
    Q1_0 = 41,
};

struct TensorTypeTraits {
    std::string_view name;   // "Q4_K"
    std::uint32_t blockSize; // elements per block (1 for plain types)
    std::uint32_t typeSize;  // bytes per block
    bool quantized;
    bool supportedWeights; // one the engine can run as model weights
};

// Traits of a known type id, or nullopt for an id ggml does not define (or has removed).
std::optional<TensorTypeTraits> tensorTypeTraits(std::uint32_t id);
// Traits of a valid enum value (throws atelier::Error(Invalid) for a value outside the enum).
TensorTypeTraits traitsOf(TensorType type);

std::string_view tensorTypeName(TensorType type);
std::uint32_t blockSize(TensorType type);
std::uint32_t typeSize(TensorType type);
bool isQuantized(TensorType type);
bool isSupportedWeightType(TensorType type);
// Parses a name such as "q4_k" or "F16" (case-insensitive); nullopt if unknown.
std::optional<TensorType> tensorTypeFromName(std::string_view name);

// Bytes of one row of `elements` values, or nullopt when `elements` is not a multiple of the
// block size.
std::optional<std::uint64_t> rowByteSize(TensorType type, std::uint64_t elements);
// Bytes of a tensor with `elements` values in total (same rule as a row: whole blocks).
// nullopt when not a multiple of the block size or when the size overflows 64 bits.
std::optional<std::uint64_t> tensorByteSize(TensorType type, std::uint64_t elements);

} // namespace atelier::gguf
