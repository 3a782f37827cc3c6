#pragma once
// Finds special tokens written literally in text and cuts the text around them. Control and
// unknown tokens are recognised only when the caller asks for special parsing; user-defined
// tokens always are (Hugging Face splits added tokens out before the model sees the text).
// Matching is leftmost, then longest.
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
    };
    std::array<std::vector<Entry>, 256> byFirstByte_; // each longest first
};

} // namespace atelier::tokenizer
