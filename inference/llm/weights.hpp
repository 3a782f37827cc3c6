#pragma once
// The weight tensors of a model, found by their GGUF names (llama.cpp's naming:
// "blk.3.attn_q.weight"), checked for shape and type, and placed on the backend that runs their
// layer. Optional members are absent for architectures that do not have them.
#include "inference/compute/backend.hpp"
#include "inference/compute/tensor.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace atelier::gguf {
class GgufFile;
struct TensorInfo;
} // namespace atelier::gguf

namespace atelier::llm {

using compute::Backend;
using compute::Shape;
using compute::Tensor;

struct LayerWeights {
    Backend* backend = nullptr; // where this layer runs

    Tensor attnNorm;
    std::optional<Tensor> wq, wk, wv;   // separate projections
    std::optional<Tensor> wqkv;         // fused [n_embd, q + k + v] (phi3)
    std::optional<Tensor> bq, bk, bv;   // projection biases (qwen2)
    std::optional<Tensor> qNorm, kNorm; // per-head RMS norms of q and k (qwen3)
    Tensor wo;
    std::optional<Tensor> attnPostNorm; // gemma2
    // llama3 "rope_freqs" (a host copy: the forward pass folds the factors into its rope angle
    // table, see compute/rope_angles.hpp); the same for every layer.
    std::optional<std::vector<float>> ropeFreqs;

    Tensor ffnNorm;
    std::optional<Tensor> ffnGate; // absent when ffnUp is fused gate+up [n_embd, 2 n_ff] (phi3)
    Tensor ffnUp;
    Tensor ffnDown;
    std::optional<Tensor> ffnPostNorm; // gemma2
};

struct ModelWeights {
    Backend* inputBackend = nullptr;  // runs get_rows on the token embedding
    Backend* outputBackend = nullptr; // runs the final norm and the output projection
    Tensor tokenEmbedding;            // [n_embd, vocab] on inputBackend
    Tensor outputNorm;                // on outputBackend
    Tensor output;                    // [n_embd, vocab]; the token embedding when tied
    bool tiedEmbeddings = false;
    std::vector<LayerWeights> layers;
};

// What a weight is used for decides which element types are acceptable.
enum class WeightUse {
    Matrix, // a matmul weight: any type the backend's matmul supports
    Table,  // rows gathered by get_rows
    Vector, // norms and biases: F32
};

// Finds tensors by name, checks them, and imports each once per backend (the CPU backend uses
// the memory-mapped bytes in place). Keeps the buffers alive; errors name the file and tensor.
class WeightLoader {
public:
    explicit WeightLoader(const gguf::GgufFile& file) : file_(file) {}

    bool has(const std::string& name) const;
    Tensor require(const std::string& name, Backend& backend, Shape shape, WeightUse use);
    std::optional<Tensor> optional(const std::string& name, Backend& backend, Shape shape,
                                   WeightUse use);
    // The values of an F32 vector of `length` copied to the host (what the host computes with,
    // e.g. rope frequency factors); nullopt when the file has no such tensor.
    std::optional<std::vector<float>> hostVector(const std::string& name,
                                                 std::int64_t length) const;

    // The buffers imported so far (the model keeps them).
    std::vector<std::unique_ptr<compute::Buffer>> takeBuffers() { return std::move(buffers_); }
    std::uint64_t importedBytes() const { return importedBytes_; }

private:
    // The tensor's entry, its shape and type checked for `use` (on `backend`, which Matrix and
    // Table uses need); null when absent.
    const gguf::TensorInfo* find(const std::string& name, Shape shape, WeightUse use,
                                 const Backend* backend) const;

    const gguf::GgufFile& file_;
    std::map<std::pair<std::string, Backend*>, Tensor> imported_;
    std::vector<std::unique_ptr<compute::Buffer>> buffers_;
    std::uint64_t importedBytes_ = 0;
};

// "blk.<layer>.<suffix>"
std::string layerTensorName(int layer, const char* suffix);

} // namespace atelier::llm
