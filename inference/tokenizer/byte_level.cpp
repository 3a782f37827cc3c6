#include "inference/tokenizer/byte_level.hpp"

#include "inference/tokenizer/utf8.hpp"
#include "inference/util/utf8_decode.hpp"

namespace atelier::tokenizer {

namespace {
// Bytes GPT-2 considered printable keep their own code point.
bool keepsOwnCodePoint(int b) {
    return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
}
} // namespace

const ByteLevelAlphabet& ByteLevelAlphabet::instance() {
    static const ByteLevelAlphabet alphabet;
    return alphabet;
}

ByteLevelAlphabet::ByteLevelAlphabet() {
    decoded_.fill(-1);
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
        const char32_t cp = keepsOwnCodePoint(b) ? char32_t(b) : next++;
        encoded_[b] = utf8::encode(cp);
        decoded_[cp] = static_cast<short>(b);
    }
}

void ByteLevelAlphabet::encodeInto(std::string& out, std::string_view bytes) const {
    for (unsigned char b : bytes) out += encoded_[b];
}

void ByteLevelAlphabet::decodeInto(std::string& out, std::string_view text) const {
    for (std::size_t pos = 0; pos < text.size();) {
        std::size_t len = 0;
        const char32_t cp = utf8::decode(text, pos, len);
        const int b = (utf8SequenceLength(text, pos) != 0) ? decode(cp) : -1;
        if (b >= 0)
            out += static_cast<char>(b);
        else
            out.append(text.substr(pos, len));
        pos += len;
    }
}

} // namespace atelier::tokenizer
