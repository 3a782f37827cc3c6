#pragma once
// Open-addressing hash tables for the tokenizers' hot loops (token look-up, merge-rank look-up,
// the per-call word cache). std::unordered_map spends most of its time chasing nodes there.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace atelier::tokenizer {

// A fast, well-mixing hash of a byte string (8 bytes per step, multiply-xorshift).
inline std::uint64_t hashBytes(std::string_view s) {
    std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (s.size() * 0xC2B2AE3D27D4EB4Full);
    const char* p = s.data();
    std::size_t n = s.size();
    while (n >= 8) {
        std::uint64_t v;
        std::memcpy(&v, p, 8);
        h = (h ^ v) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
        p += 8;
        n -= 8;
    }
    std::uint64_t v = 0;
    std::memcpy(&v, p, n);
    h = (h ^ v) * 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 29;
    h *= 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 32);
}

inline std::uint64_t mixU64(std::uint64_t x) {
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDull;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ull;
    return x ^ (x >> 33);
}

inline std::size_t capacityFor(std::size_t count) {
    std::size_t cap = 16;
    while (cap < count * 2) cap <<= 1;
    return cap;
}

// uint64 key -> Value, for keys that are never ~0 (the empty marker). Insert keeps the first
// value given for a key.
template <typename Value> class U64Map {
public:
    void reserve(std::size_t count) { rehash(capacityFor(count)); }

    bool insert(std::uint64_t key, const Value& value) {
        if ((size_ + 1) * 2 > slots_.size()) rehash(capacityFor(size_ + 1) * 2);
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = mixU64(key) & mask;; i = (i + 1) & mask) {
            if (slots_[i].key == kEmpty) {
                slots_[i] = {key, value};
                ++size_;
                return true;
            }
            if (slots_[i].key == key) return false;
        }
    }

    const Value* find(std::uint64_t key) const {
        if (slots_.empty()) return nullptr;
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = mixU64(key) & mask;; i = (i + 1) & mask) {
            if (slots_[i].key == key) return &slots_[i].value;
            if (slots_[i].key == kEmpty) return nullptr;
        }
    }

private:
    static constexpr std::uint64_t kEmpty = ~std::uint64_t(0);
    struct Slot {
        std::uint64_t key = kEmpty;
        Value value{};
    };
    void rehash(std::size_t capacity) {
        if (capacity <= slots_.size()) return;
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(capacity, Slot{});
        size_ = 0;
        for (const Slot& s : old)
            if (s.key != kEmpty) insert(s.key, s.value);
    }
    std::vector<Slot> slots_;
    std::size_t size_ = 0;
};

// Word -> [begin, end) range in an output vector: remembers the ids of words already encoded
// during one encode() call. Owns copies of the words.
class WordCache {
public:
    using Range = std::pair<std::uint32_t, std::uint32_t>;

    const Range* find(std::string_view word) const {
        if (slots_.empty()) return nullptr;
        const std::uint64_t h = hashBytes(word);
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            const Slot& s = slots_[i];
            if (s.length == kEmpty) return nullptr;
            if (s.hash == h && s.length == word.size() &&
                std::memcmp(arena_.data() + s.offset, word.data(), word.size()) == 0)
                return &s.range;
        }
    }

    void insert(std::string_view word, Range range) {
        if ((size_ + 1) * 2 > slots_.size()) grow();
        const std::uint64_t h = hashBytes(word);
        const std::size_t mask = slots_.size() - 1;
        std::size_t i = h & mask;
        while (slots_[i].length != kEmpty) i = (i + 1) & mask;
        slots_[i] = {h, static_cast<std::uint32_t>(arena_.size()),
                     static_cast<std::uint32_t>(word.size()), range};
        arena_.append(word);
        ++size_;
    }

private:
    static constexpr std::uint32_t kEmpty = ~std::uint32_t(0);
    struct Slot {
        std::uint64_t hash = 0;
        std::uint32_t offset = 0;
        std::uint32_t length = kEmpty;
        Range range{};
    };
    void grow() {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(old.empty() ? 256 : old.size() * 2, Slot{});
        const std::size_t mask = slots_.size() - 1;
        for (const Slot& s : old) {
            if (s.length == kEmpty) continue;
            std::size_t i = s.hash & mask;
            while (slots_[i].length != kEmpty) i = (i + 1) & mask;
            slots_[i] = s;
        }
    }
    std::vector<Slot> slots_;
    std::string arena_;
    std::size_t size_ = 0;
};

// Appends out[range.first, range.second) to out again (the ids of a repeated word).
template <typename T> void repeatRange(std::vector<T>& out, WordCache::Range range) {
    out.reserve(out.size() + (range.second - range.first));
    for (std::uint32_t i = range.first; i < range.second; ++i) {
        const T value = out[i];
        out.push_back(value);
    }
}

// Appends the ids of one word: the ids it got earlier in this encode() call when the cache has
// them, else those encodeWord(word, out) appends, remembered for the next time. Long words
// (rarely repeated) are not cached, nor anything once out outgrows the cache's 32-bit ranges.
template <typename Word, typename T, typename EncodeWord>
void encodeWordCached(WordCache& cache, const Word& word, std::vector<T>& out,
                      EncodeWord&& encodeWord) {
    const bool cacheable = word.size() <= 64 && out.size() < 0x7FFFFFFF;
    if (const WordCache::Range* r = cacheable ? cache.find(word) : nullptr) {
        repeatRange(out, *r);
        return;
    }
    const std::size_t begin = out.size();
    encodeWord(word, out);
    if (cacheable)
        cache.insert(word,
                     {static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(out.size())});
}

} // namespace atelier::tokenizer
