#include "inference/llm/sampling/sampler.hpp"

#include "inference/llm/sampling/candidates.hpp"
#include "inference/llm/sampling/filters.hpp"
#include "inference/util/error.hpp"

namespace atelier::llm {

Sampler::Sampler(const SamplingParams& params)
    : params_(params), seed_(params.seed >= 0 ? std::uint64_t(params.seed)
                                              : (std::uint64_t(std::random_device{}()) << 32) ^
                                                    std::uint64_t(std::random_device{}())),
      rng_(seed_) {
    if (params.topP < 0.0f || params.topP > 1.0f || params.minP < 0.0f || params.minP > 1.0f ||
        params.repeatPenalty <= 0.0f || params.penaltyWindow < 0)
        throw Error(ErrorKind::Invalid, "sampling parameters out of range (top-p and min-p in "
                                        "0..1, repeat penalty > 0, penalty window >= 0)");
}

void Sampler::remember(tokenizer::TokenId id) {
    recent_.push_back(id);
    while (recent_.size() > std::size_t(params_.penaltyWindow)) recent_.pop_front();
}

void Sampler::remember(std::span<const tokenizer::TokenId> ids) {
    for (tokenizer::TokenId id : ids) remember(id);
}

float Sampler::uniform() {
    return float(rng_() >> 40) * (1.0f / float(1u << 24));
}

tokenizer::TokenId Sampler::sample(std::span<const float> logits) {
    if (logits.empty()) throw Error(ErrorKind::Invalid, "sampling from no logits");
    Candidates c(logits);
    filters::logitBias(c, params_.logitBias);
    recentScratch_.assign(recent_.begin(), recent_.end());
    filters::penalties(c, recentScratch_, params_.repeatPenalty, params_.frequencyPenalty,
                       params_.presencePenalty);
    if (params_.temperature <= 0.0f) return c.argmax();

    filters::topK(c, params_.topK);
    filters::topP(c, params_.topP);
    filters::minP(c, params_.minP);
    filters::temperature(c, params_.temperature);
    c.softmax();

    const float u = uniform();
    float cumulative = 0.0f;
    for (const Candidate& item : c.items()) {
        cumulative += item.p;
        if (u < cumulative) return item.id;
    }
    // Rounding left u above the last sum: the last token with any probability.
    for (auto it = c.items().rbegin(); it != c.items().rend(); ++it)
        if (it->p > 0.0f) return it->id;
    return c.argmax();
}

} // namespace atelier::llm
