#pragma once
// Pre-tokenization for byte-level BPE: the text is cut into pieces by a sequence of regular
// expressions (PCRE2, UTF + Unicode properties, JIT when available), chosen by the
// tokenizer.ggml.pre name. Each expression splits the pieces of the one before, keeping both the
// matches and the text between them, as Hugging Face's Split(behavior=Isolated) does.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atelier::tokenizer {

// A step that is not a regex: Hugging Face's Digits pre-tokenizer applied after ByteLevel, i.e.
// runs of bytes whose GPT-2 alphabet character is numeric (ASCII digits, and the bytes that
// stand for the characters superscript 1-3 and the fractions 1/4, 1/2, 3/4) are isolated.
inline constexpr std::string_view kByteLevelDigitsStep = "<byte-level digits>";

struct PreTokenizerPreset {
    std::string name;                  // the canonical name of the preset that was chosen
    std::vector<std::string> patterns; // applied in order (regexes, or kByteLevelDigitsStep)
    bool ignoreMerges = false;         // a piece that is a whole token is not merged
    std::optional<bool> addBos;        // the preset's default for adding BOS
    bool known = true;                 // false: the requested name was unknown, default used
};

// The preset for a tokenizer.ggml.pre value ("" and unknown names give the default one, with
// known = false for unknown names).
PreTokenizerPreset preTokenizerPreset(std::string_view preName);

// The names preTokenizerPreset() recognises (for documentation and tests).
std::vector<std::string> knownPreTokenizers();

class RegexSplitter {
public:
    // Compiles the patterns; throws atelier::Error (Invalid) with PCRE2's message on a bad one.
    explicit RegexSplitter(const std::vector<std::string>& patterns);
    ~RegexSplitter();
    RegexSplitter(RegexSplitter&&) noexcept;
    RegexSplitter& operator=(RegexSplitter&&) noexcept;

    // Appends the pieces of `text` to `pieces` (views into `text`, in order, covering all of it).
    // Bytes that are not valid UTF-8 become one-byte pieces of their own.
    void split(std::string_view text, std::vector<std::string_view>& pieces) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace atelier::tokenizer
