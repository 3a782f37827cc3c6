#pragma once
// The hyper-parameters of a decoder-only transformer, read from GGUF metadata
// ("<arch>.embedding_length", "<arch>.attention.head_count", ...). Everything the forward pass
// needs to know about the shape of a model comes from here, never from guesses in model code.
#include "inference/compute/ops.hpp"

#include <cstdint>
#include <string>

namespace atelier::gguf {
class GgufFile;
}

namespace atelier::llm {

enum class RopeScaling { None, Linear, Yarn };

struct HParams {
    std::string architecture; // general.architecture: "llama", "qwen2", ...
    std::string name;         // general.name, for messages and statistics

    std::int64_t contextLength = 0; // the context the model was trained with
    std::int64_t embedding = 0;     // n_embd
    std::int64_t layers = 0;        // n_layer
    std::int64_t feedForward = 0;   // n_ff
    std::int64_t heads = 0;         // query heads
    std::int64_t kvHeads = 0;       // key/value heads (grouped-query attention when fewer)
    std::int64_t headDimK = 0;      // attention.key_length (default n_embd / heads)
    std::int64_t headDimV = 0;      // attention.value_length (default n_embd / heads)
    std::int64_t vocabSize = 0;     // rows of token_embd

    float rmsEps = 1e-5f;

    // Rotary embedding.
    compute::RopeMode ropeMode = compute::RopeMode::Normal;
    std::int64_t ropeDims = 0; // rope.dimension_count (default: the whole head)
    float ropeFreqBase = 10000.0f;
    RopeScaling ropeScaling = RopeScaling::None;
    float ropeScaleFactor = 1.0f;         // rope.scaling.factor
    std::int64_t ropeOriginalContext = 0; // rope.scaling.original_context_length (YaRN)

    // Gemma 2 and friends.
    float attnSoftcap = 0.0f;       // attn_logit_softcapping (0 = none)
    float finalSoftcap = 0.0f;      // final_logit_softcapping (0 = none)
    std::int64_t slidingWindow = 0; // attention.sliding_window (0 = none)
    float embeddingScale = 1.0f;    // token embeddings multiplied by this (sqrt(n_embd) for gemma)
    float attentionScale = 0.0f;    // 0 = 1 / sqrt(headDimK)

    std::int64_t qDim() const { return heads * headDimK; }
    std::int64_t kDim() const { return kvHeads * headDimK; }
    std::int64_t vDim() const { return kvHeads * headDimV; }
    // The rope parameters every attention layer of this model uses.
    compute::RopeParams ropeParams() const;
};

// The architectures this engine runs, by general.architecture.
bool isSupportedArchitecture(const std::string& architecture);
std::string supportedArchitectures(); // "llama, qwen2, qwen3, phi3, gemma2"

// Reads and checks the hyper-parameters. Throws atelier::Error naming the file: Unsupported for
// an architecture this engine does not run (with its name), Format for missing or absurd values.
HParams readHParams(const gguf::GgufFile& file);

} // namespace atelier::llm
