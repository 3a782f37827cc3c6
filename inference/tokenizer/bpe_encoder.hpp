#pragma once
// Byte-level BPE ("gpt2" vocabularies): a regex pre-tokenizer cuts the text into words, each
// word's bytes become GPT-2 byte-alphabet symbols, and adjacent pairs merge in merge-list order
// (lowest rank first, ties leftmost). Merges are looked up by token-id pair in a hash map, and
// repeated words within one call reuse their result.
#include "inference/tokenizer/flat_hash.hpp"
#include "inference/tokenizer/pre_tokenizer.hpp"
#include "inference/tokenizer/token_index.hpp"
#include "inference/tokenizer/vocabulary.hpp"

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace atelier::tokenizer {

class BpeEncoder {
public:
    BpeEncoder(const Vocabulary& vocab, const TokenIndex& index, const PreTokenizerPreset& preset);

    void encode(std::string_view text, std::vector<TokenId>& out) const;

    // Encodes one pre-tokenized word (raw bytes).
    void encodeWord(std::string_view word, std::vector<TokenId>& out) const;

private:
    struct Merge {
        std::int32_t rank;
        TokenId result;
    };
    static std::uint64_t pairKey(TokenId left, TokenId right) {
        return (std::uint64_t(std::uint32_t(left)) << 32) | std::uint32_t(right);
    }
    const Merge* findMerge(TokenId left, TokenId right) const {
        return merges_.find(pairKey(left, right));
    }
    // The id of a symbol text: a vocabulary token, or an id past the vocabulary for texts that
    // only occur as merge parts or results; -1 when neither.
    TokenId symbolId(std::string_view text) const;
    TokenId internSymbol(const std::string& text);
    void emitSymbol(TokenId id, std::vector<TokenId>& out) const;

    const Vocabulary& vocab_;
    const TokenIndex& index_;
    RegexSplitter splitter_;
    bool ignoreMerges_ = false;
    U64Map<Merge> merges_;
    std::vector<std::string> extraSymbols_; // texts of ids >= vocab size
    StringMap<TokenId> extraIndex_;
    std::array<TokenId, 256> byteSymbol_{}; // the symbol of each byte's alphabet character
};

} // namespace atelier::tokenizer
