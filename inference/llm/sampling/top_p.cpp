// Nucleus sampling: the smallest set of most likely tokens whose probabilities sum to at
// least p (at least one token is kept).
#include "inference/llm/sampling/filters.hpp"

namespace atelier::llm::filters {

void topP(Candidates& c, float p) {
    if (p >= 1.0f || c.size() <= 1) return;
    c.sortByLogit();
    c.softmax();
    double sum = 0.0;
    std::size_t keep = c.size();
    for (std::size_t i = 0; i < c.size(); ++i) {
        sum += c[i].p;
        if (sum >= double(p)) {
            keep = i + 1;
            break;
        }
    }
    c.keepFirst(keep);
}

} // namespace atelier::llm::filters
