#pragma once
// The sampling filters, one file each. Each changes the candidates in place; the sampler
// (sampler.cpp) applies them in llama.cpp's order: logit bias, penalties, top-k, top-p, min-p,
// temperature.
#include "inference/llm/sampling/candidates.hpp"
#include "inference/llm/sampling/sampling_params.hpp"

#include <span>

namespace atelier::llm::filters {

// logit += bias for each listed token (logit_bias.cpp).
void logitBias(Candidates& c, const std::map<tokenizer::TokenId, float>& bias);
// Repetition, frequency and presence penalties for the tokens in `recent` (penalties.cpp).
void penalties(Candidates& c, std::span<const tokenizer::TokenId> recent, float repeat,
               float frequency, float presence);
// Keeps the k most likely (top_k.cpp). k <= 0 keeps all.
void topK(Candidates& c, int k);
// Keeps the most likely tokens until their probability reaches p, at least one (top_p.cpp).
void topP(Candidates& c, float p);
// Drops tokens whose probability is below minP x the top probability (min_p.cpp).
void minP(Candidates& c, float minP);
// Divides the logits by t > 0 (temperature.cpp).
void temperature(Candidates& c, float t);

} // namespace atelier::llm::filters
