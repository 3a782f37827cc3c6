#include "inference/llm/sampling/filters.hpp"

namespace atelier::llm::filters {

void temperature(Candidates& c, float t) {
    if (t <= 0.0f || t == 1.0f) return;
    for (Candidate& item : c.items()) item.logit /= t;
}

} // namespace atelier::llm::filters
