#pragma once
// Hand-made vocabularies small enough to reason about in a test.
#include "inference/tokenizer/byte_level.hpp"
#include "inference/tokenizer/vocabulary.hpp"

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace atelier::tokenizer::test {

inline TokenId addToken(Vocabulary& v, std::string text, TokenType type = TokenType::Normal,
                        float score = 0.0f) {
    v.tokens.push_back(std::move(text));
    v.types.push_back(type);
    v.scores.push_back(score);
    return static_cast<TokenId>(v.tokens.size() - 1);
}

inline TokenId idOf(const Vocabulary& v, const std::string& text) {
    for (std::size_t i = 0; i < v.tokens.size(); ++i)
        if (v.tokens[i] == text) return static_cast<TokenId>(i);
    return -1;
}

// SentencePiece: <unk> <s> </s>, the 256 byte tokens, then scored pieces. The scores make
// "bc" merge before "ab", so "abc" becomes "▁a" "bc".
inline Vocabulary smallSpm() {
    Vocabulary v;
    v.kind = TokenizerKind::SentencePiece;
    v.model = "llama";
    v.source = "small-spm";
    v.unk = addToken(v, "<unk>", TokenType::Unknown);
    v.bos = addToken(v, "<s>", TokenType::Control);
    v.eos = addToken(v, "</s>", TokenType::Control);
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        addToken(v, name, TokenType::Byte);
    }
    const std::pair<const char*, float> pieces[] = {
        {"\xE2\x96\x81", -10},
        {"a", -11},
        {"b", -12},
        {"c", -13},
        {"bc", -1},
        {"ab", -2},
        {"\xE2\x96\x81"
         "a",
         -3},
        {"abc", -4},
        {"\xE2\x96\x81"
         "ab",
         -5},
        {"aa", -6},
        {"\xE2\x96\x81\xE2\x96\x81", -7},
    };
    for (const auto& [text, score] : pieces) addToken(v, text, TokenType::Normal, score);
    addToken(v, "<sep>", TokenType::UserDefined);
    return v;
}

// Byte-level BPE: every byte's alphabet character, then merges in rank order.
inline Vocabulary smallBpe(const std::vector<std::string>& merges, std::string pre = "gpt-2") {
    Vocabulary v;
    v.kind = TokenizerKind::BytePairEncoding;
    v.model = "gpt2";
    v.pre = std::move(pre);
    v.source = "small-bpe";
    const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::instance();
    for (int b = 0; b < 256; ++b) addToken(v, alphabet.encode(static_cast<unsigned char>(b)));
    for (const std::string& m : merges) {
        const std::size_t space = m.find(' ');
        const std::string merged = m.substr(0, space) + m.substr(space + 1);
        if (idOf(v, merged) < 0) addToken(v, merged);
        v.merges.push_back(m);
    }
    v.eos = addToken(v, "<|endoftext|>", TokenType::Control);
    v.bos = v.eos;
    return v;
}

// WordPiece in GGUF spelling ("▁word", continuation pieces bare) or BERT's ("word", "##piece").
inline Vocabulary smallWpm(bool hashConvention) {
    Vocabulary v;
    v.kind = TokenizerKind::WordPiece;
    v.model = "bert";
    v.source = "small-wpm";
    v.pad = addToken(v, "[PAD]", TokenType::Control);
    v.unk = addToken(v, "[UNK]", TokenType::Control);
    v.cls = addToken(v, "[CLS]", TokenType::Control);
    v.sep = addToken(v, "[SEP]", TokenType::Control);
    const std::string word = hashConvention ? "" : "\xE2\x96\x81";
    const std::string cont = hashConvention ? "##" : "";
    for (const char* w : {"hello", "world", "un", ",", "!", "cafe", "\xE4\xB8\xAD", "a"})
        addToken(v, word + w);
    for (const char* c : {"aff", "able", "a"}) addToken(v, cont + c);
    return v;
}

} // namespace atelier::tokenizer::test
