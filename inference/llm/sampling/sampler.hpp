#pragma once
// Chooses each next token: the filters of filters.hpp in order, then a draw from the remaining
// probabilities with the sampler's own random generator (seeded: the same seed and logits give
// the same tokens), or the most likely token at temperature 0.
#include "inference/llm/sampling/sampling_params.hpp"

#include <cstdint>
#include <deque>
#include <random>
#include <span>

namespace atelier::llm {

class Sampler {
public:
    explicit Sampler(const SamplingParams& params);

    // Tokens the penalties look at (the prompt's tail, then each accepted token).
    void remember(tokenizer::TokenId id);
    void remember(std::span<const tokenizer::TokenId> ids);

    // The next token for these logits (one per vocabulary entry). Does not remember it.
    tokenizer::TokenId sample(std::span<const float> logits);

    std::uint64_t seed() const { return seed_; } // the seed in use (drawn when params said -1)

private:
    float uniform(); // [0, 1), from the generator's bits (portable across standard libraries)

    SamplingParams params_;
    std::uint64_t seed_;
    std::mt19937_64 rng_;
    std::deque<tokenizer::TokenId> recent_;
    std::vector<tokenizer::TokenId> recentScratch_;
};

} // namespace atelier::llm
