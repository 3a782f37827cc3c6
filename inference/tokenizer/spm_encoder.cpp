#include "inference/tokenizer/spm_encoder.hpp"

#include "inference/tokenizer/utf8.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

namespace atelier::tokenizer {

namespace {

constexpr std::string_view kSpace = "\xE2\x96\x81"; // U+2581, SentencePiece's visible space

bool canBeMerged(TokenType type) {
    // SentencePiece merges into normal and user-defined pieces only; control, unknown, byte and
    // unused pieces are never produced by merging.
    return type == TokenType::Normal || type == TokenType::UserDefined ||
           type == TokenType::Undefined;
}

struct Symbol {
    std::uint32_t start;
    std::uint32_t length;
    std::int32_t prev;
    std::int32_t next;
};

struct Bigram {
    float score;
    std::int32_t left;
    std::uint32_t length; // left.length + right.length when queued; stale when different
};

// Heap order: best score on top, then the leftmost.
bool lowerPriority(const Bigram& a, const Bigram& b) {
    return a.score < b.score || (a.score == b.score && a.left > b.left);
}

} // namespace

SpmEncoder::SpmEncoder(const Vocabulary& vocab, const TokenIndex& index)
    : vocab_(vocab), index_(index) {
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        byteTokens_[b] = index_.find(name);
    }
    removeExtraWhitespaces_ = vocab.removeExtraWhitespaces.value_or(false);
    for (std::size_t i = 0; i < vocab.size() && wordsAreIndependent_; ++i) {
        if (!canBeMerged(vocab.type(static_cast<TokenId>(i)))) continue;
        const std::string& t = vocab.tokens[i];
        for (std::size_t p = t.find(kSpace, 1); p != std::string::npos; p = t.find(kSpace, p + 1)) {
            if (p < kSpace.size() || t.compare(p - kSpace.size(), kSpace.size(), kSpace) != 0) {
                wordsAreIndependent_ = false;
                break;
            }
        }
    }
}

TokenId SpmEncoder::mergeable(std::string_view text) const {
    const TokenId id = index_.find(text);
    return (id >= 0 && canBeMerged(vocab_.type(id))) ? id : -1;
}

void SpmEncoder::byteFallback(std::string_view symbol, std::vector<TokenId>& out) const {
    bool allBytes = true;
    for (unsigned char b : symbol) allBytes = allBytes && byteTokens_[b] >= 0;
    if (allBytes) {
        for (unsigned char b : symbol) out.push_back(byteTokens_[b]);
    } else if (vocab_.unk) {
        out.push_back(*vocab_.unk); // a vocabulary without byte tokens: one unknown per symbol
    }
}

void SpmEncoder::encode(std::string_view text, bool prefixSpace, std::vector<TokenId>& out) const {
    std::string source;
    if (removeExtraWhitespaces_) {
        // SentencePiece's normalizer: no leading, trailing or repeated spaces.
        for (char c : text) {
            if (c == ' ' && (source.empty() || source.back() == ' ')) continue;
            source += c;
        }
        while (!source.empty() && source.back() == ' ') source.pop_back();
        text = source;
    }
    std::string escaped;
    escaped.reserve(text.size() + text.size() / 4 + kSpace.size());
    if (prefixSpace) escaped += kSpace;
    for (char c : text) {
        if (c == ' ')
            escaped += kSpace;
        else
            escaped += c;
    }
    if (!wordsAreIndependent_) {
        encodeEscaped(escaped, out);
        return;
    }
    // Cut before each "▁" that follows something else, and reuse the result of repeated words.
    StringMap<std::pair<std::size_t, std::size_t>> cache; // word -> [begin, end) in out
    const std::string_view all = escaped;
    std::size_t wordStart = 0;
    auto flush = [&](std::size_t end) {
        if (end == wordStart) return;
        const std::string_view word = all.substr(wordStart, end - wordStart);
        wordStart = end;
        auto it = word.size() <= 64 ? cache.find(word) : cache.end();
        if (it != cache.end()) {
            const auto [b, e] = it->second;
            for (std::size_t i = b; i < e; ++i) out.push_back(out[i]);
            return;
        }
        const std::size_t begin = out.size();
        encodeEscaped(word, out);
        if (word.size() <= 64) cache.emplace(std::string(word), std::make_pair(begin, out.size()));
    };
    for (std::size_t pos = 0; pos < all.size();) {
        if (all.compare(pos, kSpace.size(), kSpace) == 0) {
            const bool afterSpace = pos >= kSpace.size() &&
                                    all.compare(pos - kSpace.size(), kSpace.size(), kSpace) == 0;
            if (!afterSpace) flush(pos);
            pos += kSpace.size();
        } else {
            ++pos;
        }
    }
    flush(all.size());
}

void SpmEncoder::encodeEscaped(std::string_view text, std::vector<TokenId>& out) const {
    if (text.empty()) return;
    std::vector<Symbol> symbols;
    symbols.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        // A malformed byte is a symbol of its own (it will fall back to its byte token).
        std::size_t n = utf8::validSequenceLength(text, pos);
        if (n == 0) n = 1;
        const auto index = static_cast<std::int32_t>(symbols.size());
        symbols.push_back(
            {static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(n), index - 1, index + 1});
        pos += n;
    }
    symbols.back().next = -1;

    std::vector<Bigram> heap;
    heap.reserve(symbols.size());
    auto tryPair = [&](std::int32_t left, std::int32_t right) {
        if (left < 0 || right < 0) return;
        const std::uint32_t length = symbols[left].length + symbols[right].length;
        const TokenId id = mergeable(text.substr(symbols[left].start, length));
        if (id < 0) return;
        heap.push_back({vocab_.score(id), left, length});
        std::push_heap(heap.begin(), heap.end(), lowerPriority);
    };
    for (std::int32_t i = 1; i < static_cast<std::int32_t>(symbols.size()); ++i) tryPair(i - 1, i);

    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), lowerPriority);
        const Bigram top = heap.back();
        heap.pop_back();
        Symbol& left = symbols[top.left];
        if (left.length == 0 || left.next < 0) continue;
        Symbol& right = symbols[left.next];
        // Symbols only grow, so a changed total length means the pair is stale.
        if (left.length + right.length != top.length) continue;
        left.length += right.length;
        right.length = 0;
        left.next = right.next;
        if (left.next >= 0) symbols[left.next].prev = top.left;
        tryPair(left.prev, top.left);
        tryPair(top.left, left.next);
    }

    for (std::int32_t i = 0; i >= 0; i = symbols[i].next) {
        const std::string_view piece = text.substr(symbols[i].start, symbols[i].length);
        const TokenId id = mergeable(piece);
        if (id >= 0)
            out.push_back(id);
        else
            byteFallback(piece, out);
    }
}

} // namespace atelier::tokenizer
