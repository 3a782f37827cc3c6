#pragma once
// Small UTF-8 helpers shared by the tokenizers. Text is std::string bytes; nothing here assumes
// the bytes are valid, so callers can handle invalid input explicitly.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace atelier::tokenizer::utf8 {

inline constexpr char32_t kReplacement = 0xFFFD;

// Length of the well-formed UTF-8 sequence starting at text[pos], or 0 when the bytes there are
// not one (stray continuation byte, overlong form, surrogate, truncated sequence, > U+10FFFF).
std::size_t validSequenceLength(std::string_view text, std::size_t pos);

// Decodes the code point at text[pos]; on invalid bytes returns kReplacement and length 1.
char32_t decode(std::string_view text, std::size_t pos, std::size_t& length);

// Appends the UTF-8 form of a code point (which must be a valid scalar value).
void append(std::string& out, char32_t cp);
std::string encode(char32_t cp);

// True when every byte of text belongs to a well-formed sequence.
bool isValid(std::string_view text);

// How many bytes a sequence starting with this lead byte claims (1..4), 0 for continuation
// bytes and bytes that can never start a sequence.
std::size_t sequenceLengthFromLead(unsigned char lead);

// Length of the longest suffix of `text` that is an incomplete but so far well-formed prefix of
// a multi-byte sequence (0..3): the bytes a streaming decoder must hold back.
std::size_t incompleteTailLength(std::string_view text);

} // namespace atelier::tokenizer::utf8
