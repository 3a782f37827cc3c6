#pragma once
// Finds special tokens written literally in text and cuts the text around them. Control and
// unknown tokens are recognised only when the caller asks for special parsing; user-defined
// tokens always are (Hugging Face splits added tokens out before the model sees the text).
// Matching is leftmost, then longest. Some models' special tokens swallow the whitespace after
// them ("rstrip" in their Hugging Face configuration, which GGUF does not carry): for Phi-3
// this is applied by model name, as llama.cpp does.
#include "inference/tokenizer/vocabulary.hpp"

#include <array>
#include <string_view>
#include <vector>

namespace atelier::tokenizer {

struct Fragment {
    std::string_view text; // raw text when token < 0
    TokenId token = -1;    // a special token found in the text
};

class SpecialTokenMatcher {
public:
    explicit SpecialTokenMatcher(const Vocabulary& vocab);

    // Appends the fragments of `text` in order; empty text yields none.
    void split(std::string_view text, bool parseSpecial, std::vector<Fragment>& out) const;

private:
    struct Entry {
        std::string_view text; // a view into the vocabulary, which outlives the matcher
        TokenId id;
        bool alwaysParsed; // user-defined
        bool rstrip;       // the whitespace that follows belongs to the token
    };
    std::array<std::vector<Entry>, 256> byFirstByte_; // each longest first
};

} // namespace atelier::tokenizer
