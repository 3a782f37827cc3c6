#pragma once
// SentencePiece-style BPE ("llama" vocabularies): the text, with spaces written as "▁", starts
// as one symbol per character; the adjacent pair whose concatenation is the best-scoring token
// merges first (ties: leftmost), until no pair is a token. Characters left without a token fall
// back to their bytes' <0xXX> tokens. O(n log n) in the text length.
#include "inference/tokenizer/token_index.hpp"
#include "inference/tokenizer/vocabulary.hpp"

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace atelier::tokenizer {

class SpmEncoder {
public:
    SpmEncoder(const Vocabulary& vocab, const TokenIndex& index);

    // Encodes one fragment of raw text. `prefixSpace` adds the leading "▁" SentencePiece puts
    // before a text (add_space_prefix).
    void encode(std::string_view text, bool prefixSpace, std::vector<TokenId>& out) const;

    // Encodes text already in SentencePiece form ("▁" for spaces) as one merge run.
    void encodeEscaped(std::string_view text, std::vector<TokenId>& out) const;

private:
    TokenId mergeable(std::string_view text) const; // id of a token merges may produce, or -1
    void byteFallback(std::string_view symbol, std::vector<TokenId>& out) const;

    const Vocabulary& vocab_;
    const TokenIndex& index_;
    std::array<TokenId, 256> byteTokens_{};
    std::vector<std::uint32_t> scoreRank_; // 0 for the best score; equal scores, equal ranks
    std::size_t rankCount_ = 0;
    bool removeExtraWhitespaces_ = false;
    // True when no token glues a character to a following "▁" ("a▁"): then the text can be
    // cut before every word's "▁" without changing the result, and the pieces cached.
    bool wordsAreIndependent_ = true;
};

} // namespace atelier::tokenizer
