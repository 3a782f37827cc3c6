// llama.cpp's penalties: a token seen n > 0 times in the window has its logit divided by the
// repetition penalty when positive (multiplied when negative), then reduced by
// n x frequency + presence.
#include "inference/llm/sampling/filters.hpp"

#include <unordered_map>

namespace atelier::llm::filters {

void penalties(Candidates& c, std::span<const tokenizer::TokenId> recent, float repeat,
               float frequency, float presence) {
    if (recent.empty() || (repeat == 1.0f && frequency == 0.0f && presence == 0.0f)) return;
    std::unordered_map<tokenizer::TokenId, int> counts;
    for (tokenizer::TokenId id : recent) ++counts[id];
    for (Candidate& item : c.items()) {
        const auto it = counts.find(item.id);
        if (it == counts.end()) continue;
        if (item.logit > 0.0f)
            item.logit /= repeat;
        else
            item.logit *= repeat;
        item.logit -= float(it->second) * frequency + presence;
    }
}

} // namespace atelier::llm::filters
