#pragma once
// The tokens still in the running while sampling, with their logits and (after softmax())
// probabilities. Filters shrink the list; sorted() says whether it is ordered by logit,
// most likely first.
#include "inference/tokenizer/vocabulary.hpp"

#include <span>
#include <vector>

namespace atelier::llm {

struct Candidate {
    tokenizer::TokenId id = 0;
    float logit = 0.0f;
    float p = 0.0f;
};

class Candidates {
public:
    explicit Candidates(std::span<const float> logits);

    std::vector<Candidate>& items() { return items_; }
    const std::vector<Candidate>& items() const { return items_; }
    std::size_t size() const { return items_.size(); }
    const Candidate& operator[](std::size_t i) const { return items_[i]; }

    // Orders by logit, most likely first (stable: ties keep the lower id first).
    void sortByLogit();
    bool sorted() const { return sorted_; }
    // Probabilities from the logits (numerically safe; -inf logits get 0).
    void softmax();
    // Keeps the first n (after sortByLogit()).
    void keepFirst(std::size_t n);
    // The id of the highest logit (the lowest id among equals).
    tokenizer::TokenId argmax() const;

private:
    std::vector<Candidate> items_;
    bool sorted_ = false;
};

} // namespace atelier::llm
