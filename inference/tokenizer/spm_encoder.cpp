#include "inference/tokenizer/spm_encoder.hpp"

#include "inference/tokenizer/flat_hash.hpp"
#include "inference/util/utf8_decode.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
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

// A pair waiting to merge: the token's score rank (0 = best), the left symbol, and the pair's
// byte length when queued (symbols only grow, so a different length now means it is stale).
struct Bigram {
    std::uint32_t rank;
    std::int32_t left;
    std::uint32_t length;
};

// Both queues hand out the pair with the best score, leftmost first.

// One binary heap: best for short texts (words).
class HeapQueue {
public:
    explicit HeapQueue(std::size_t expected) { heap_.reserve(expected); }
    void add(const Bigram& b) { heap_.push_back({key(b), b.length}); } // before start()
    void start() { std::make_heap(heap_.begin(), heap_.end(), Later{}); }
    void push(const Bigram& b) {
        heap_.push_back({key(b), b.length});
        std::push_heap(heap_.begin(), heap_.end(), Later{});
    }
    bool pop(Bigram& b) {
        if (heap_.empty()) return false;
        std::pop_heap(heap_.begin(), heap_.end(), Later{});
        const Entry e = heap_.back();
        heap_.pop_back();
        b = {std::uint32_t(e.key >> 32), std::int32_t(e.key & 0xFFFFFFFFu), e.length};
        return true;
    }

private:
    struct Entry {
        std::uint64_t key;
        std::uint32_t length;
    };
    struct Later { // a function object, so that the heap algorithms inline it
        bool operator()(const Entry& a, const Entry& b) const { return a.key > b.key; }
    };
    static std::uint64_t key(const Bigram& b) {
        return (std::uint64_t(b.rank) << 32) | std::uint32_t(b.left);
    }
    std::vector<Entry> heap_;
};

// One small heap of positions per score rank plus a heap of the ranks that have pairs: long
// texts without spaces queue a pair per character, and one big heap would be a cache miss per
// level; most pops here stay inside the current rank's small heap.
class BucketQueue {
public:
    explicit BucketQueue(std::size_t ranks) : buckets_(ranks) {}
    void add(const Bigram& b) { push(b); }
    void start() {}
    void push(const Bigram& b) {
        std::vector<std::uint64_t>& bucket = buckets_[b.rank];
        if (bucket.empty()) {
            ranks_.push_back(b.rank);
            std::push_heap(ranks_.begin(), ranks_.end(), std::greater<>{});
        }
        bucket.push_back((std::uint64_t(std::uint32_t(b.left)) << 32) | b.length);
        std::push_heap(bucket.begin(), bucket.end(), std::greater<>{});
    }
    bool pop(Bigram& b) {
        if (ranks_.empty()) return false;
        const std::uint32_t rank = ranks_.front();
        std::vector<std::uint64_t>& bucket = buckets_[rank];
        std::pop_heap(bucket.begin(), bucket.end(), std::greater<>{});
        const std::uint64_t e = bucket.back();
        bucket.pop_back();
        if (bucket.empty()) {
            std::pop_heap(ranks_.begin(), ranks_.end(), std::greater<>{});
            ranks_.pop_back();
        }
        b = {rank, std::int32_t(e >> 32), std::uint32_t(e & 0xFFFFFFFFu)};
        return true;
    }

private:
    std::vector<std::vector<std::uint64_t>> buckets_;
    std::vector<std::uint32_t> ranks_;
};

// Texts with more symbols than this use the BucketQueue.
constexpr std::size_t kBucketQueueFrom = 4096;

// Merges adjacent symbols, best pair first. `pairOf(left, right, bigram)` says whether the two
// symbols form a token and fills the bigram.
template <typename Queue, typename PairOf>
void mergeSymbols(std::vector<Symbol>& symbols, Queue& queue, PairOf pairOf) {
    for (std::int32_t i = 1; i < static_cast<std::int32_t>(symbols.size()); ++i) {
        Bigram bigram;
        if (pairOf(i - 1, i, bigram)) queue.add(bigram);
    }
    queue.start();
    auto tryPair = [&](std::int32_t left, std::int32_t right) {
        Bigram bigram;
        if (left >= 0 && right >= 0 && pairOf(left, right, bigram)) queue.push(bigram);
    };
    Bigram top;
    while (queue.pop(top)) {
        Symbol& left = symbols[top.left];
        if (left.length == 0 || left.next < 0) continue;
        Symbol& right = symbols[left.next];
        if (left.length + right.length != top.length) continue; // stale
        left.length += right.length;
        right.length = 0;
        left.next = right.next;
        if (left.next >= 0) symbols[left.next].prev = top.left;
        tryPair(left.prev, top.left);
        tryPair(top.left, left.next);
    }
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
    // Rank the scores once so that the merge queue compares integers.
    std::vector<TokenId> order(vocab.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<TokenId>(i);
    std::stable_sort(order.begin(), order.end(),
                     [&](TokenId a, TokenId b) { return vocab.score(a) > vocab.score(b); });
    scoreRank_.assign(vocab.size(), 0);
    std::uint32_t rank = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
        if (i > 0 && vocab.score(order[i]) != vocab.score(order[i - 1])) ++rank;
        scoreRank_[std::size_t(order[i])] = rank;
    }
    rankCount_ = std::size_t(rank) + 1;
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
    WordCache cache;
    const std::string_view all = escaped;
    std::size_t wordStart = 0;
    auto flush = [&](std::size_t end) {
        if (end == wordStart) return;
        const std::string_view word = all.substr(wordStart, end - wordStart);
        wordStart = end;
        encodeWordCached(cache, word, out, [this](std::string_view w, std::vector<TokenId>& o) {
            encodeEscaped(w, o);
        });
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
        std::size_t n = utf8SequenceLength(text, pos);
        if (n == 0) n = 1;
        const auto index = static_cast<std::int32_t>(symbols.size());
        symbols.push_back(
            {static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(n), index - 1, index + 1});
        pos += n;
    }
    symbols.back().next = -1;

    auto pairOf = [&](std::int32_t left, std::int32_t right, Bigram& bigram) {
        const std::uint32_t length = symbols[left].length + symbols[right].length;
        const TokenId id = mergeable(text.substr(symbols[left].start, length));
        if (id < 0) return false;
        bigram = {scoreRank_[std::size_t(id)], left, length};
        return true;
    };
    if (symbols.size() < kBucketQueueFrom) {
        HeapQueue queue(symbols.size());
        mergeSymbols(symbols, queue, pairOf);
    } else {
        BucketQueue queue(rankCount_);
        mergeSymbols(symbols, queue, pairOf);
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
