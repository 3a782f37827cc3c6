#include "inference/llm/sampling/filters.hpp"

namespace atelier::llm::filters {

void topK(Candidates& c, int k) {
    if (k <= 0 || std::size_t(k) >= c.size()) return;
    c.sortByLogit();
    c.keepFirst(std::size_t(k));
}

} // namespace atelier::llm::filters
