#include "inference/tokenizer/utf8.hpp"

#include "inference/util/utf8_append.hpp"
#include "inference/util/utf8_decode.hpp"

namespace atelier::tokenizer::utf8 {

char32_t decode(std::string_view text, std::size_t pos, std::size_t& length) {
    char32_t cp = kReplacement;
    length = decodeUtf8(text, pos, cp);
    if (length == 0) length = 1; // cp stays kReplacement
    return cp;
}

void append(std::string& out, char32_t cp) {
    appendUtf8(out, cp);
}

std::string encode(char32_t cp) {
    std::string s;
    append(s, cp);
    return s;
}

bool isValid(std::string_view text) {
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t n = utf8SequenceLength(text, pos);
        if (n == 0) return false;
        pos += n;
    }
    return true;
}

} // namespace atelier::tokenizer::utf8
