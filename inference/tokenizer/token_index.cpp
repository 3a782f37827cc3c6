#include "inference/tokenizer/token_index.hpp"

namespace atelier::tokenizer {

TokenIndex::TokenIndex(const Vocabulary& vocab) {
    map_.reserve(vocab.size());
    for (std::size_t i = 0; i < vocab.size(); ++i)
        if (!vocab.tokens[i].empty()) map_.emplace(vocab.tokens[i], static_cast<TokenId>(i));
}

} // namespace atelier::tokenizer
