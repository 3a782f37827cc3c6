#pragma once
// Decodes UTF-8 (RFC 3629): the one place that knows which byte sequences are well formed.
// Shared by the tokenizers and the template engine; each decides what an invalid byte becomes
// (U+FFFD in the tokenizers, the byte itself in templates), so nothing here throws or replaces.
#include <cstddef>
#include <string_view>

namespace atelier {
namespace utf8_detail {

// How many bytes a sequence starting with this lead byte claims (1..4), 0 for continuation
// bytes and bytes that can never start a sequence.
inline std::size_t leadLength(unsigned char lead) {
    if (lead < 0x80) return 1;
    if (lead < 0xC2) return 0; // continuation byte or overlong 2-byte lead
    if (lead < 0xE0) return 2;
    if (lead < 0xF0) return 3;
    if (lead < 0xF5) return 4;
    return 0;
}

inline bool isContinuation(unsigned char b) {
    return (b & 0xC0) == 0x80;
}

// The allowed range of the second byte after a multi-byte lead (RFC 3629 table): excludes
// overlong forms, surrogates and code points above U+10FFFF.
inline void secondByteRange(unsigned char lead, unsigned char& lo, unsigned char& hi) {
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

} // namespace utf8_detail

// Length of the well-formed UTF-8 sequence starting at text[pos], or 0 when the bytes there are
// not one (stray continuation byte, overlong form, surrogate, truncated sequence, > U+10FFFF).
inline std::size_t utf8SequenceLength(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) return 0;
    const auto lead = static_cast<unsigned char>(text[pos]);
    const std::size_t n = utf8_detail::leadLength(lead);
    if (n <= 1) return n;
    if (pos + n > text.size()) return 0;
    unsigned char lo = 0, hi = 0;
    utf8_detail::secondByteRange(lead, lo, hi);
    const auto second = static_cast<unsigned char>(text[pos + 1]);
    if (second < lo || second > hi) return 0;
    for (std::size_t i = 2; i < n; ++i)
        if (!utf8_detail::isContinuation(static_cast<unsigned char>(text[pos + i]))) return 0;
    return n;
}

// Decodes the well-formed sequence at text[pos] into cp and returns its length; returns 0 and
// leaves cp alone when the bytes there are not one.
inline std::size_t decodeUtf8(std::string_view text, std::size_t pos, char32_t& cp) {
    const std::size_t n = utf8SequenceLength(text, pos);
    if (n == 0) return 0;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data() + pos);
    switch (n) {
    case 1:
        cp = p[0];
        break;
    case 2:
        cp = (char32_t(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
        break;
    case 3:
        cp = (char32_t(p[0] & 0x0F) << 12) | (char32_t(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        break;
    default:
        cp = (char32_t(p[0] & 0x07) << 18) | (char32_t(p[1] & 0x3F) << 12) |
             (char32_t(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
        break;
    }
    return n;
}

// Length of the longest suffix of `text` that is an incomplete but so far well-formed prefix of
// a multi-byte sequence (0..3): the bytes a streaming decoder must hold back.
inline std::size_t utf8IncompleteTailLength(std::string_view text) {
    // Look back at most 3 bytes for a lead byte whose sequence is not finished yet.
    const std::size_t limit = text.size() < 3 ? text.size() : 3;
    for (std::size_t back = 1; back <= limit; ++back) {
        const std::size_t start = text.size() - back;
        const auto b = static_cast<unsigned char>(text[start]);
        if (utf8_detail::isContinuation(b)) continue;
        const std::size_t n = utf8_detail::leadLength(b);
        if (n <= back) return 0; // complete (or invalid) already: nothing to wait for
        // The bytes present must be a well-formed prefix.
        if (back >= 2) {
            unsigned char lo = 0, hi = 0;
            utf8_detail::secondByteRange(b, lo, hi);
            const auto second = static_cast<unsigned char>(text[start + 1]);
            if (second < lo || second > hi) return 0;
        }
        return back;
    }
    return 0;
}

} // namespace atelier
