// Min-p: keeps the tokens whose probability is at least minP times that of the most likely one
// (in logits: logit >= top + log(minP)).
#include "inference/llm/sampling/filters.hpp"

#include <algorithm>
#include <cmath>

namespace atelier::llm::filters {

void minP(Candidates& c, float minP) {
    if (minP <= 0.0f || c.size() <= 1) return;
    c.sortByLogit();
    const float threshold = c[0].logit + std::log(minP);
    std::size_t keep = 1;
    while (keep < c.size() && c[keep].logit >= threshold) ++keep;
    c.keepFirst(keep);
}

} // namespace atelier::llm::filters
