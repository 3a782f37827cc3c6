#include "inference/tokenizer/token_index.hpp"

namespace atelier::tokenizer {

TokenIndex::TokenIndex(const Vocabulary& vocab) : tokens_(&vocab.tokens) {
    slots_.assign(capacityFor(vocab.size()), Slot{});
    mask_ = slots_.size() - 1;
    for (std::size_t id = 0; id < vocab.size(); ++id) {
        const std::string& text = vocab.tokens[id];
        if (text.empty() || find(text) >= 0) continue; // the first of duplicates wins
        const std::uint64_t h = hashBytes(text);
        std::size_t i = h & mask_;
        while (slots_[i].id >= 0) i = (i + 1) & mask_;
        slots_[i] = {static_cast<std::uint32_t>(h >> 32), static_cast<TokenId>(id)};
    }
}

} // namespace atelier::tokenizer
