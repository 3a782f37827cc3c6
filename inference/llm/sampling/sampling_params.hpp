#pragma once
// How the next token is chosen from the logits. Defaults match the app's "Balanced" preset
// and llama.cpp's usual settings; temperature 0 is greedy (the most likely token).
#include "inference/tokenizer/vocabulary.hpp"

#include <cstdint>
#include <map>

namespace atelier::llm {

struct SamplingParams {
    float temperature = 0.8f; // <= 0: greedy
    int topK = 40;            // keep the k most likely (0 = off)
    float topP = 0.95f;       // keep the smallest set whose probability reaches p (1 = off)
    float minP = 0.05f;       // drop tokens below minP x the top probability (0 = off)

    // Penalties over the last `penaltyWindow` tokens of prompt and reply (llama.cpp's rules).
    float repeatPenalty = 1.0f;    // divide positive / multiply negative logits (1 = off)
    float frequencyPenalty = 0.0f; // minus count x this
    float presencePenalty = 0.0f;  // minus this once a token appeared
    int penaltyWindow = 64;

    std::map<tokenizer::TokenId, float> logitBias; // added to the logits (-inf bans a token)

    std::int64_t seed = -1; // -1: random; otherwise the same seed gives the same reply
};

} // namespace atelier::llm
