#include "inference/tokenizer/utf8.hpp"

#include "inference/util/utf8_append.hpp"

namespace atelier::tokenizer::utf8 {

namespace {
bool isContinuation(unsigned char b) {
    return (b & 0xC0) == 0x80;
}

// The allowed range of the second byte for a lead byte (RFC 3629 table): excludes overlong
// forms, surrogates and code points above U+10FFFF.
void secondByteRange(unsigned char lead, unsigned char& lo, unsigned char& hi) {
    lo = 0x80;
    hi = 0xBF;
    if (lead == 0xE0)
        lo = 0xA0;
    else if (lead == 0xED)
        hi = 0x9F;
    else if (lead == 0xF0)
        lo = 0x90;
    else if (lead == 0xF4)
        hi = 0x8F;
}
} // namespace

std::size_t sequenceLengthFromLead(unsigned char lead) {
    if (lead < 0x80) return 1;
    if (lead < 0xC2) return 0; // continuation byte or overlong 2-byte lead
    if (lead < 0xE0) return 2;
    if (lead < 0xF0) return 3;
    if (lead < 0xF5) return 4;
    return 0;
}

std::size_t validSequenceLength(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) return 0;
    const auto lead = static_cast<unsigned char>(text[pos]);
    const std::size_t n = sequenceLengthFromLead(lead);
    if (n <= 1) return n;
    if (pos + n > text.size()) return 0;
    unsigned char lo = 0, hi = 0;
    secondByteRange(lead, lo, hi);
    const auto second = static_cast<unsigned char>(text[pos + 1]);
    if (second < lo || second > hi) return 0;
    for (std::size_t i = 2; i < n; ++i)
        if (!isContinuation(static_cast<unsigned char>(text[pos + i]))) return 0;
    return n;
}

char32_t decode(std::string_view text, std::size_t pos, std::size_t& length) {
    length = validSequenceLength(text, pos);
    if (length == 0) {
        length = 1;
        return kReplacement;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(text.data() + pos);
    switch (length) {
    case 1:
        return p[0];
    case 2:
        return (char32_t(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    case 3:
        return (char32_t(p[0] & 0x0F) << 12) | (char32_t(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    default:
        return (char32_t(p[0] & 0x07) << 18) | (char32_t(p[1] & 0x3F) << 12) |
               (char32_t(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    }
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
        const std::size_t n = validSequenceLength(text, pos);
        if (n == 0) return false;
        pos += n;
    }
    return true;
}

std::size_t incompleteTailLength(std::string_view text) {
    // Look back at most 3 bytes for a lead byte whose sequence is not finished yet.
    const std::size_t limit = text.size() < 3 ? text.size() : 3;
    for (std::size_t back = 1; back <= limit; ++back) {
        const std::size_t start = text.size() - back;
        const auto b = static_cast<unsigned char>(text[start]);
        if (isContinuation(b)) continue;
        const std::size_t n = sequenceLengthFromLead(b);
        if (n <= back) return 0; // complete (or invalid) already: nothing to wait for
        // The bytes present must be a well-formed prefix.
        if (back >= 2) {
            unsigned char lo = 0, hi = 0;
            secondByteRange(b, lo, hi);
            const auto second = static_cast<unsigned char>(text[start + 1]);
            if (second < lo || second > hi) return 0;
        }
        return back;
    }
    return 0;
}

} // namespace atelier::tokenizer::utf8
