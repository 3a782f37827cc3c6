#pragma once
// Fitting a prompt into the context: the protected prefix (the system prompt) always stays;
// older turns are dropped whole, oldest first, but never the last (the newest request); if that
// is still too long, tokens right after the protected prefix are cut until it fits.
#include "inference/tokenizer/vocabulary.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace atelier::llm {

struct FittedPrompt {
    std::vector<tokenizer::TokenId> tokens;
    std::int64_t droppedTokens = 0;
    std::int64_t droppedTurns = 0;
};

// Throws atelier::Error (Invalid) when the protected prefix alone exceeds `budget`, or when
// turnStarts are not ascending positions inside the prompt after the protected prefix.
FittedPrompt fitPrompt(const std::vector<tokenizer::TokenId>& prompt, std::size_t protectedPrefix,
                       const std::vector<std::size_t>& turnStarts, std::size_t budget);

} // namespace atelier::llm
