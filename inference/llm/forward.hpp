#pragma once
// One forward pass of the model over a chunk of tokens: embed, run every layer on its backend
// (activations copied at a CPU/device boundary), final norm, output projection of the last
// token. Owns the per-backend scratch arenas, sized once for the largest chunk.
#include "inference/compute/arena.hpp"
#include "inference/llm/kv_cache.hpp"
#include "inference/llm/model.hpp"

#include <memory>
#include <span>
#include <stop_token>
#include <vector>

namespace atelier::llm {

class ForwardPass {
public:
    // `maxTokens`: the largest chunk run() will be given.
    ForwardPass(const LlmModel& model, std::int64_t maxTokens);

    // Runs `tokens` at positions [past, past + n) (their keys and values go into `cache`) and
    // writes the logits of the last token (vocabulary size) into `logits`. Returns false, with
    // the cache entries of these positions left undefined, when `stop` was requested (checked
    // between layers).
    bool run(std::span<const TokenId> tokens, std::int64_t past, KvCache& cache,
             std::vector<float>& logits, std::stop_token stop = {});

    std::int64_t maxTokens() const { return maxTokens_; }
    std::size_t scratchBytes() const;

private:
    struct Scratch {
        compute::Backend* backend = nullptr;
        std::unique_ptr<compute::Arena> arena;
        Tensor ropeAngles;  // F32 [rope dims, T]: this chunk's rope angle table
        Tensor residual[2]; // ping-pong hidden state [n_embd, T]
    };
    Scratch& scratchFor(const compute::Backend* backend);
    // x as the first residual of `to` (copied through the host when it lives elsewhere).
    Tensor moveTo(const Tensor& x, Scratch& to);

    const LlmModel& model_;
    std::int64_t maxTokens_;
    std::vector<Scratch> scratch_;
    std::vector<float> hostCopy_;
    std::vector<float> ropeFactors_; // llama3 rope_freqs (one set for every layer); empty = none
    std::vector<float> ropeAngles_;  // the host table uploaded to each backend
};

} // namespace atelier::llm
