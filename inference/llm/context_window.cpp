#include "inference/llm/context_window.hpp"

#include "inference/util/error.hpp"

#include <string>

namespace atelier::llm {

FittedPrompt fitPrompt(const std::vector<tokenizer::TokenId>& prompt, std::size_t protectedPrefix,
                       const std::vector<std::size_t>& turnStarts, std::size_t budget) {
    FittedPrompt out;
    if (protectedPrefix > prompt.size())
        throw Error(ErrorKind::Invalid, "the protected prefix is longer than the prompt");
    for (std::size_t i = 0; i < turnStarts.size(); ++i)
        if (turnStarts[i] < protectedPrefix || turnStarts[i] >= prompt.size() ||
            (i > 0 && turnStarts[i] <= turnStarts[i - 1]))
            throw Error(ErrorKind::Invalid, "turn starts must be ascending positions in the prompt "
                                            "after the protected prefix");
    if (prompt.size() <= budget) {
        out.tokens = prompt;
        return out;
    }
    if (protectedPrefix + 1 > budget)
        throw Error(ErrorKind::Invalid, "the protected part of the prompt (" +
                                            std::to_string(protectedPrefix) +
                                            " tokens) leaves no room in a budget of " +
                                            std::to_string(budget) + " tokens");

    const std::size_t excess = prompt.size() - budget;
    // Whole turns first: drop turns [0, j) for the smallest j that frees enough, keeping the last.
    std::size_t cutEnd = protectedPrefix; // tokens [protectedPrefix, cutEnd) are dropped
    for (std::size_t j = 1; j < turnStarts.size(); ++j) {
        cutEnd = turnStarts[j];
        out.droppedTurns = std::int64_t(j);
        if (cutEnd - protectedPrefix >= excess) break;
    }
    if (cutEnd - protectedPrefix < excess) cutEnd = protectedPrefix + excess; // then tokens

    out.tokens.assign(prompt.begin(), prompt.begin() + std::ptrdiff_t(protectedPrefix));
    out.tokens.insert(out.tokens.end(), prompt.begin() + std::ptrdiff_t(cutEnd), prompt.end());
    out.droppedTokens = std::int64_t(cutEnd - protectedPrefix);
    return out;
}

} // namespace atelier::llm
