#pragma once
// GPT-2's byte-level alphabet: every byte 0..255 has a printable Unicode stand-in (printable
// Latin-1 bytes stand for themselves, the others map to U+0100 and up in order), so byte-level
// BPE vocabularies hold only printable text ("Ġ" is the space byte).
#include <array>
#include <string>
#include <string_view>

namespace atelier::tokenizer {

class ByteLevelAlphabet {
public:
    static const ByteLevelAlphabet& instance();

    // The UTF-8 form of the stand-in for `byte`.
    const std::string& encode(unsigned char byte) const { return encoded_[byte]; }
    // Appends the stand-ins of all bytes of `bytes`.
    void encodeInto(std::string& out, std::string_view bytes) const;
    // The byte a stand-in code point represents, or -1 when it is not in the alphabet.
    int decode(char32_t cp) const { return cp < decoded_.size() ? decoded_[cp] : -1; }
    // Appends the bytes a byte-level text stands for; code points outside the alphabet are
    // copied through as their own UTF-8.
    void decodeInto(std::string& out, std::string_view text) const;

private:
    ByteLevelAlphabet();
    std::array<std::string, 256> encoded_;
    std::array<short, 324> decoded_{}; // stand-ins are all below U+0144
};

} // namespace atelier::tokenizer
