#pragma once
// Small UTF-8 helpers shared by the tokenizers. Text is std::string bytes; nothing here assumes
// the bytes are valid, so callers can handle invalid input explicitly. Which bytes are well
// formed is decided by inference/util/utf8_decode.hpp, shared with the template engine.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace atelier::tokenizer::utf8 {

inline constexpr char32_t kReplacement = 0xFFFD;

// Decodes the code point at text[pos]; on invalid bytes returns kReplacement and length 1.
char32_t decode(std::string_view text, std::size_t pos, std::size_t& length);

// Appends the UTF-8 form of a code point (which must be a valid scalar value).
void append(std::string& out, char32_t cp);
std::string encode(char32_t cp);

// True when every byte of text belongs to a well-formed sequence.
bool isValid(std::string_view text);

} // namespace atelier::tokenizer::utf8
