#include "inference/tokenizer/wpm_encoder.hpp"

#include "inference/tokenizer/flat_hash.hpp"
#include "inference/tokenizer/utf8.hpp"
#include "inference/util/utf8_decode.hpp"

#include <utf8proc.h>

namespace atelier::tokenizer {

namespace {

constexpr std::size_t kMaxCharsPerWord = 100; // Hugging Face's max_input_chars_per_word

bool isWhitespace(char32_t c) {
    if (c == '\t' || c == '\n' || c == '\r' || c == ' ') return true;
    if (c == 0x0B || c == 0x0C || c == 0x85) return true;
    const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
           cat == UTF8PROC_CATEGORY_ZP;
}

// BERT's "control": any Other category (Cc, Cf, Cs, Co, Cn) except tab, newline, return.
bool isControl(char32_t c) {
    if (c == '\t' || c == '\n' || c == '\r') return false;
    switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_CN:
        return true;
    default:
        return false;
    }
}

bool isPunctuation(char32_t c) {
    if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
        (c >= 123 && c <= 126))
        return true;
    switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
        return true;
    default:
        return false;
    }
}

// The CJK blocks BERT isolates (the ranges of its reference implementation).
bool isCjk(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
           (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

void appendStrippedOfAccents(std::u32string& out, char32_t c) {
    utf8proc_int32_t buffer[16];
    int last = 0;
    const auto n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), buffer, 16,
                                           UTF8PROC_DECOMPOSE, &last);
    if (n < 0 || n > 16) {
        out += c;
        return;
    }
    for (utf8proc_ssize_t i = 0; i < n; ++i)
        if (utf8proc_category(buffer[i]) != UTF8PROC_CATEGORY_MN)
            out += static_cast<char32_t>(buffer[i]);
}

} // namespace

WpmEncoder::WpmEncoder(const Vocabulary& vocab, const TokenIndex& index)
    : vocab_(vocab), index_(index) {
    lowercase_ = vocab.lowercase.value_or(true);
    stripAccents_ = vocab.stripAccents.value_or(lowercase_);
    std::size_t hashes = 0, spaces = 0;
    for (const std::string& t : vocab.tokens) {
        if (t.rfind("##", 0) == 0 && t.size() > 2)
            ++hashes;
        else if (t.rfind("\xE2\x96\x81", 0) == 0)
            ++spaces;
    }
    if (hashes > spaces)
        continuationPrefix_ = "##";
    else
        wordPrefix_ = "\xE2\x96\x81";
}

std::vector<std::string> WpmEncoder::words(std::string_view text) const {
    // Normalize: drop controls, unify whitespace, pad CJK, strip accents, lowercase.
    std::u32string normalized;
    normalized.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        const auto byte = static_cast<unsigned char>(text[pos]);
        if (byte < 0x80) { // ASCII, the common case, without table look-ups
            ++pos;
            if (byte == '\t' || byte == '\n' || byte == '\r' || byte == ' ')
                normalized += U' ';
            else if (byte < 0x20 || byte == 0x7F)
                continue; // control characters
            else if (lowercase_ && byte >= 'A' && byte <= 'Z')
                normalized += char32_t(byte + 32);
            else
                normalized += char32_t(byte);
            continue;
        }
        std::size_t n = 0;
        const char32_t c = utf8::decode(text, pos, n);
        pos += n;
        if (c == utf8::kReplacement || isControl(c)) continue;
        if (isWhitespace(c)) {
            normalized += U' ';
            continue;
        }
        const std::size_t first = normalized.size();
        if (isCjk(c)) {
            normalized += U' ';
            normalized += c;
            normalized += U' ';
        } else if (stripAccents_) {
            appendStrippedOfAccents(normalized, c);
        } else {
            normalized += c;
        }
        if (lowercase_)
            for (std::size_t i = first; i < normalized.size(); ++i)
                normalized[i] = static_cast<char32_t>(
                    utf8proc_tolower(static_cast<utf8proc_int32_t>(normalized[i])));
    }

    // Pre-tokenize: whitespace separates words, each punctuation mark is a word of its own.
    std::vector<std::string> result;
    std::string current;
    auto finish = [&] {
        if (!current.empty()) result.push_back(std::move(current));
        current.clear();
    };
    for (char32_t c : normalized) {
        if (c == U' ' || (c >= 0x80 && isWhitespace(c))) {
            finish();
        } else if (isPunctuation(c)) {
            finish();
            utf8::append(current, c);
            finish();
        } else if (c < 0x80) {
            current += static_cast<char>(c);
        } else {
            utf8::append(current, c);
        }
    }
    finish();
    return result;
}

void WpmEncoder::encode(std::string_view text, std::vector<TokenId>& out) const {
    WordCache cache;
    for (const std::string& word : words(text))
        encodeWordCached(cache, word, out, [this](const std::string& w, std::vector<TokenId>& o) {
            encodeWord(w, o);
        });
}

void WpmEncoder::encodeWord(const std::string& word, std::vector<TokenId>& out) const {
    // Character boundaries of the word (pieces never split a character).
    std::vector<std::size_t> bounds;
    for (std::size_t pos = 0; pos < word.size();) {
        bounds.push_back(pos);
        std::size_t n = utf8SequenceLength(word, pos);
        pos += n ? n : 1;
    }
    bounds.push_back(word.size());
    const std::size_t chars = bounds.size() - 1;

    const std::size_t mark = out.size();
    bool ok = chars <= kMaxCharsPerWord;
    std::string candidate;
    for (std::size_t start = 0; ok && start < chars;) {
        const std::string& prefix = start == 0 ? wordPrefix_ : continuationPrefix_;
        TokenId found = -1;
        std::size_t end = chars;
        for (; end > start; --end) {
            candidate.assign(prefix);
            candidate.append(word, bounds[start], bounds[end] - bounds[start]);
            found = index_.find(candidate);
            if (found >= 0) break;
        }
        if (found < 0) {
            ok = false;
            break;
        }
        out.push_back(found);
        start = end;
    }
    if (!ok) {
        out.resize(mark);
        if (vocab_.unk) out.push_back(*vocab_.unk);
    }
}

} // namespace atelier::tokenizer
