#pragma once
// Text -> id look-up over a vocabulary, queried with string_views (no allocation per query):
// an open-addressing table of ids whose texts stay in the vocabulary.
#include "inference/tokenizer/flat_hash.hpp"
#include "inference/tokenizer/vocabulary.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace atelier::tokenizer {

struct StringViewHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return hashBytes(s); }
};

// A std::unordered_map keyed by string that accepts string_view look-ups (for cold paths).
template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringViewHash, std::equal_to<>>;

class TokenIndex {
public:
    // Indexes every non-empty token text; when a text repeats, the lowest id wins. The
    // vocabulary must outlive the index.
    explicit TokenIndex(const Vocabulary& vocab);

    // The id of a token text, or -1.
    TokenId find(std::string_view text) const {
        const std::uint64_t h = hashBytes(text);
        const auto tag = static_cast<std::uint32_t>(h >> 32);
        for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
            const Slot& s = slots_[i];
            if (s.id < 0) return -1;
            if (s.tag == tag && (*tokens_)[std::size_t(s.id)] == text) return s.id;
        }
    }

private:
    struct Slot {
        std::uint32_t tag = 0;
        TokenId id = -1;
    };
    const std::vector<std::string>* tokens_;
    std::vector<Slot> slots_;
    std::size_t mask_ = 0;
};

} // namespace atelier::tokenizer
