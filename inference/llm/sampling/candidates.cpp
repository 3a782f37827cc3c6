#include "inference/llm/sampling/candidates.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace atelier::llm {

Candidates::Candidates(std::span<const float> logits) {
    items_.reserve(logits.size());
    for (std::size_t i = 0; i < logits.size(); ++i)
        items_.push_back({tokenizer::TokenId(i), logits[i], 0.0f});
}

void Candidates::sortByLogit() {
    if (sorted_) return;
    std::stable_sort(items_.begin(), items_.end(),
                     [](const Candidate& a, const Candidate& b) { return a.logit > b.logit; });
    sorted_ = true;
}

void Candidates::softmax() {
    float top = -std::numeric_limits<float>::infinity();
    for (const Candidate& c : items_) top = std::max(top, c.logit);
    double sum = 0.0;
    for (Candidate& c : items_) {
        c.p = std::isinf(top) ? 0.0f : std::exp(c.logit - top);
        sum += c.p;
    }
    for (Candidate& c : items_) c.p = sum > 0.0 ? float(c.p / sum) : 0.0f;
}

void Candidates::keepFirst(std::size_t n) {
    if (n < items_.size()) items_.resize(n);
}

tokenizer::TokenId Candidates::argmax() const {
    const Candidate* best = &items_.front();
    for (const Candidate& c : items_)
        if (c.logit > best->logit || (c.logit == best->logit && c.id < best->id)) best = &c;
    return best->id;
}

} // namespace atelier::llm
