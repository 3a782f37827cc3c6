#include "inference/tokenizer/bpe_encoder.hpp"

#include "inference/tokenizer/byte_level.hpp"

#include <algorithm>
#include <string>

namespace atelier::tokenizer {

namespace {

struct Symbol {
    TokenId id;
    std::int32_t prev;
    std::int32_t next;
};

struct Candidate {
    std::int32_t rank;
    std::int32_t left;
    TokenId leftId;
    TokenId rightId;
};

// Heap order: lowest rank on top, then the leftmost.
struct LowerPriority {
    bool operator()(const Candidate& a, const Candidate& b) const {
        return a.rank > b.rank || (a.rank == b.rank && a.left > b.left);
    }
};

// Words up to this many symbols are merged with a linear scan, longer ones with a heap; both
// pick the same pair (lowest rank, then leftmost) at every step.
constexpr std::size_t kLinearScanLimit = 48;

} // namespace

BpeEncoder::BpeEncoder(const Vocabulary& vocab, const TokenIndex& index,
                       const PreTokenizerPreset& preset)
    : vocab_(vocab), index_(index), splitter_(preset.patterns), ignoreMerges_(preset.ignoreMerges) {
    const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::instance();
    for (int b = 0; b < 256; ++b) byteSymbol_[b] = index_.find(alphabet.encode(b));

    merges_.reserve(vocab.merges.size());
    for (std::size_t rank = 0; rank < vocab.merges.size(); ++rank) {
        const std::string& m = vocab.merges[rank];
        // "left right"; the search starts at 1 so that a left part may itself be a space.
        const std::size_t space = m.find(' ', 1);
        if (space == std::string::npos || space + 1 >= m.size()) continue;
        const std::string left = m.substr(0, space);
        const std::string right = m.substr(space + 1);
        const TokenId l = internSymbol(left);
        const TokenId r = internSymbol(right);
        const TokenId result = internSymbol(left + right);
        // The first (best-ranked) occurrence of a pair wins.
        merges_.insert(pairKey(l, r), Merge{static_cast<std::int32_t>(rank), result});
    }
    // A byte whose character is no token may still be a merge part.
    for (int b = 0; b < 256; ++b)
        if (byteSymbol_[b] < 0) byteSymbol_[b] = symbolId(alphabet.encode(b));
}

TokenId BpeEncoder::symbolId(std::string_view text) const {
    const TokenId id = index_.find(text);
    if (id >= 0) return id;
    auto it = extraIndex_.find(text);
    return it == extraIndex_.end() ? -1 : it->second;
}

TokenId BpeEncoder::internSymbol(const std::string& text) {
    const TokenId id = symbolId(text);
    if (id >= 0) return id;
    const auto extra = static_cast<TokenId>(vocab_.size() + extraSymbols_.size());
    extraSymbols_.push_back(text);
    extraIndex_.emplace(text, extra);
    return extra;
}

void BpeEncoder::emitSymbol(TokenId id, std::vector<TokenId>& out) const {
    if (id >= 0 && std::size_t(id) < vocab_.size()) {
        out.push_back(id);
        return;
    }
    if (id >= 0) {
        // A merge produced a text the vocabulary lacks: spell it with single characters.
        const std::string& text = extraSymbols_[std::size_t(id) - vocab_.size()];
        for (std::size_t pos = 0; pos < text.size();) {
            std::size_t n = 1;
            while (pos + n < text.size() &&
                   (static_cast<unsigned char>(text[pos + n]) & 0xC0) == 0x80)
                ++n;
            const TokenId single = index_.find(std::string_view(text).substr(pos, n));
            if (single >= 0)
                out.push_back(single);
            else if (vocab_.unk)
                out.push_back(*vocab_.unk);
            pos += n;
        }
        return;
    }
    if (vocab_.unk) out.push_back(*vocab_.unk);
}

void BpeEncoder::encode(std::string_view text, std::vector<TokenId>& out) const {
    std::vector<std::string_view> words;
    splitter_.split(text, words);
    WordCache cache;
    for (std::string_view word : words)
        encodeWordCached(cache, word, out,
                         [this](std::string_view w, std::vector<TokenId>& o) { encodeWord(w, o); });
}

void BpeEncoder::encodeWord(std::string_view word, std::vector<TokenId>& out) const {
    if (word.empty()) return;
    if (ignoreMerges_) {
        std::string encoded;
        ByteLevelAlphabet::instance().encodeInto(encoded, word);
        const TokenId whole = index_.find(encoded);
        if (whole >= 0) {
            out.push_back(whole);
            return;
        }
    }
    if (word.size() == 1) {
        emitSymbol(byteSymbol_[static_cast<unsigned char>(word[0])], out);
        return;
    }

    std::vector<Symbol> symbols(word.size());
    for (std::size_t i = 0; i < word.size(); ++i)
        symbols[i] = {byteSymbol_[static_cast<unsigned char>(word[i])],
                      static_cast<std::int32_t>(i) - 1, static_cast<std::int32_t>(i) + 1};
    symbols.back().next = -1;

    auto mergeInto = [&](std::int32_t left, TokenId result) {
        Symbol& l = symbols[left];
        Symbol& r = symbols[l.next];
        l.id = result;
        l.next = r.next;
        if (l.next >= 0) symbols[l.next].prev = left;
        r.id = -1;
    };

    if (symbols.size() <= kLinearScanLimit) {
        for (;;) {
            std::int32_t bestLeft = -1;
            const Merge* best = nullptr;
            for (std::int32_t i = 0; symbols[i].next >= 0; i = symbols[i].next) {
                const Symbol& s = symbols[i];
                if (s.id < 0 || symbols[s.next].id < 0) continue;
                const Merge* m = findMerge(s.id, symbols[s.next].id);
                if (m && (!best || m->rank < best->rank)) {
                    best = m;
                    bestLeft = i;
                }
            }
            if (!best) break;
            mergeInto(bestLeft, best->result);
        }
    } else {
        std::vector<Candidate> heap;
        auto tryPair = [&](std::int32_t left) {
            if (left < 0) return;
            const std::int32_t right = symbols[left].next;
            if (right < 0 || symbols[left].id < 0 || symbols[right].id < 0) return;
            if (const Merge* m = findMerge(symbols[left].id, symbols[right].id)) {
                heap.push_back({m->rank, left, symbols[left].id, symbols[right].id});
                std::push_heap(heap.begin(), heap.end(), LowerPriority{});
            }
        };
        for (std::int32_t i = 0; i + 1 < static_cast<std::int32_t>(symbols.size()); ++i) tryPair(i);
        while (!heap.empty()) {
            std::pop_heap(heap.begin(), heap.end(), LowerPriority{});
            const Candidate c = heap.back();
            heap.pop_back();
            const Symbol& l = symbols[c.left];
            // Stale when either side changed since the pair was queued.
            if (l.id != c.leftId || l.next < 0 || symbols[l.next].id != c.rightId) continue;
            mergeInto(c.left, findMerge(c.leftId, c.rightId)->result);
            tryPair(symbols[c.left].prev);
            tryPair(c.left);
        }
    }

    for (std::int32_t i = 0; i >= 0; i = symbols[i].next) emitSymbol(symbols[i].id, out);
}

} // namespace atelier::tokenizer
