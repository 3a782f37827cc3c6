#pragma once
// Text -> id look-up over a vocabulary, queried with string_views (no allocation per query).
#include "inference/tokenizer/vocabulary.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace atelier::tokenizer {

struct StringViewHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};

template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringViewHash, std::equal_to<>>;

class TokenIndex {
public:
    // Indexes every non-empty token text; when a text repeats, the lowest id wins.
    explicit TokenIndex(const Vocabulary& vocab);

    // The id of a token text, or -1.
    TokenId find(std::string_view text) const {
        auto it = map_.find(text);
        return it == map_.end() ? -1 : it->second;
    }

private:
    StringMap<TokenId> map_;
};

} // namespace atelier::tokenizer
