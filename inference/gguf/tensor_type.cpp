#include "inference/gguf/tensor_type.hpp"

#include "inference/util/error.hpp"

#include <array>
#include <cctype>
#include <limits>
#include <string>

namespace atelier::gguf {
namespace {

struct Entry {
    std::uint32_t id;
    TensorTypeTraits traits;
};

constexpr std::uint32_t kQK = 32;    // elements in a legacy quantization block
constexpr std::uint32_t kQK_K = 256; // elements in a k-quant super-block

// Block sizes in bytes follow ggml's block structs (fp16 scales are 2 bytes):
//   Q4_0  d + 16 nibbles                      = 2 + 16
//   Q4_1  d, m + 16 nibbles                   = 4 + 16
//   Q5_0  d + 4 high bits + 16 nibbles        = 2 + 4 + 16
//   Q5_1  d, m + 4 + 16                       = 4 + 4 + 16
//   Q8_0  d + 32 int8                         = 2 + 32
//   Q8_1  d, s + 32 int8                      = 4 + 32 (fp16 d and s, as ggml has them now)
//   Q2_K  16 scales + 64 quants + d, dmin     = 16 + 64 + 4
//   Q3_K  32 hmask + 64 quants + 12 scales + d = 32 + 64 + 12 + 2
//   Q4_K  d, dmin + 12 scales + 128 quants    = 4 + 12 + 128
//   Q5_K  d, dmin + 12 scales + 32 qh + 128   = 4 + 12 + 32 + 128
//   Q6_K  128 ql + 64 qh + 16 scales + d      = 128 + 64 + 16 + 2
//   Q8_K  float d + 256 int8 + 16 int16 sums  = 4 + 256 + 32
constexpr std::array<Entry, 34> kTypes{{
    {0, {"F32", 1, 4, false, true}},           {1, {"F16", 1, 2, false, true}},
    {2, {"Q4_0", kQK, 18, true, true}},        {3, {"Q4_1", kQK, 20, true, true}},
    {6, {"Q5_0", kQK, 22, true, true}},        {7, {"Q5_1", kQK, 24, true, true}},
    {8, {"Q8_0", kQK, 34, true, true}},        {9, {"Q8_1", kQK, 36, true, false}},
    {10, {"Q2_K", kQK_K, 84, true, true}},     {11, {"Q3_K", kQK_K, 110, true, true}},
    {12, {"Q4_K", kQK_K, 144, true, true}},    {13, {"Q5_K", kQK_K, 176, true, true}},
    {14, {"Q6_K", kQK_K, 210, true, true}},    {15, {"Q8_K", kQK_K, 292, true, false}},
    {16, {"IQ2_XXS", kQK_K, 66, true, false}}, {17, {"IQ2_XS", kQK_K, 74, true, false}},
    {18, {"IQ3_XXS", kQK_K, 98, true, false}}, {19, {"IQ1_S", kQK_K, 50, true, false}},
    {20, {"IQ4_NL", kQK, 18, true, false}},    {21, {"IQ3_S", kQK_K, 110, true, false}},
    {22, {"IQ2_S", kQK_K, 82, true, false}},   {23, {"IQ4_XS", kQK_K, 136, true, false}},
    {24, {"I8", 1, 1, false, false}},          {25, {"I16", 1, 2, false, false}},
    {26, {"I32", 1, 4, false, false}},         {27, {"I64", 1, 8, false, false}},
    {28, {"F64", 1, 8, false, false}},         {29, {"IQ1_M", kQK_K, 56, true, false}},
    {30, {"BF16", 1, 2, false, true}},         {34, {"TQ1_0", kQK_K, 54, true, false}},
    {35, {"TQ2_0", kQK_K, 66, true, false}},   {39, {"MXFP4", kQK, 17, true, false}},
    {40, {"NVFP4", 64, 36, true, false}},      {41, {"Q1_0", 128, 18, true, false}},
}};

} // namespace

std::optional<TensorTypeTraits> tensorTypeTraits(std::uint32_t id) {
    for (const Entry& e : kTypes)
        if (e.id == id) return e.traits;
    return std::nullopt;
}

TensorTypeTraits traitsOf(TensorType type) {
    auto t = tensorTypeTraits(static_cast<std::uint32_t>(type));
    if (!t)
        throw Error(ErrorKind::Invalid,
                    "unknown tensor type id " + std::to_string(static_cast<std::uint32_t>(type)));
    return *t;
}

std::string_view tensorTypeName(TensorType type) {
    auto t = tensorTypeTraits(static_cast<std::uint32_t>(type));
    return t ? t->name : std::string_view("unknown");
}

std::uint32_t blockSize(TensorType type) {
    return traitsOf(type).blockSize;
}
std::uint32_t typeSize(TensorType type) {
    return traitsOf(type).typeSize;
}
bool isQuantized(TensorType type) {
    return traitsOf(type).quantized;
}

bool isSupportedWeightType(TensorType type) {
    auto t = tensorTypeTraits(static_cast<std::uint32_t>(type));
    return t && t->supportedWeights;
}

std::optional<TensorType> tensorTypeFromName(std::string_view name) {
    for (const Entry& e : kTypes) {
        if (e.traits.name.size() != name.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < name.size() && same; ++i)
            same = std::toupper(static_cast<unsigned char>(name[i])) == e.traits.name[i];
        if (same) return static_cast<TensorType>(e.id);
    }
    return std::nullopt;
}

std::optional<std::uint64_t> rowByteSize(TensorType type, std::uint64_t elements) {
    return tensorByteSize(type, elements);
}

std::optional<std::uint64_t> tensorByteSize(TensorType type, std::uint64_t elements) {
    auto t = tensorTypeTraits(static_cast<std::uint32_t>(type));
    if (!t || elements % t->blockSize != 0) return std::nullopt;
    const std::uint64_t blocks = elements / t->blockSize;
    if (blocks > std::numeric_limits<std::uint64_t>::max() / t->typeSize) return std::nullopt;
    return blocks * t->typeSize;
}

} // namespace atelier::gguf
