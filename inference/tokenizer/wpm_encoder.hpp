#pragma once
// WordPiece ("bert" vocabularies) with BERT's normalization: control characters removed,
// whitespace unified, CJK ideographs and punctuation split off, accents stripped (NFD, drop
// nonspacing marks) and lowercase when the vocabulary asks for it (the default for "bert").
// Each word is then cut greedily into the longest vocabulary pieces; a word that cannot be cut,
// or is longer than 100 characters, becomes the unknown token.
#include "inference/tokenizer/token_index.hpp"
#include "inference/tokenizer/vocabulary.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace atelier::tokenizer {

class WpmEncoder {
public:
    WpmEncoder(const Vocabulary& vocab, const TokenIndex& index);

    void encode(std::string_view text, std::vector<TokenId>& out) const;

    // The words BERT's normalizer and pre-tokenizer make of `text` (exposed for tests).
    std::vector<std::string> words(std::string_view text) const;

    // How word-initial and continuation pieces are spelled in this vocabulary: GGUF files use
    // "▁word" / "piece", original BERT vocabularies "word" / "##piece".
    const std::string& wordPrefix() const { return wordPrefix_; }
    const std::string& continuationPrefix() const { return continuationPrefix_; }

private:
    void encodeWord(const std::string& word, std::vector<TokenId>& out) const;

    const Vocabulary& vocab_;
    const TokenIndex& index_;
    bool lowercase_ = true;
    bool stripAccents_ = true;
    std::string wordPrefix_;
    std::string continuationPrefix_;
};

} // namespace atelier::tokenizer
