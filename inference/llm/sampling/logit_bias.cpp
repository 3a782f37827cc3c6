#include "inference/llm/sampling/filters.hpp"

namespace atelier::llm::filters {

void logitBias(Candidates& c, const std::map<tokenizer::TokenId, float>& bias) {
    if (bias.empty()) return;
    for (Candidate& item : c.items())
        if (auto it = bias.find(item.id); it != bias.end()) item.logit += it->second;
}

} // namespace atelier::llm::filters
