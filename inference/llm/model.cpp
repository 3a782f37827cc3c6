#include "inference/llm/model.hpp"

#include <algorithm>

namespace atelier::llm {

LlmModel::~LlmModel() = default;

bool LlmModel::isEndOfGeneration(TokenId id) const {
    return std::find(endTokens_.begin(), endTokens_.end(), id) != endTokens_.end();
}

std::vector<compute::Backend*> LlmModel::backendsInUse() const {
    std::vector<compute::Backend*> out;
    auto note = [&out](compute::Backend* b) {
        if (b && std::find(out.begin(), out.end(), b) == out.end()) out.push_back(b);
    };
    note(weights_.inputBackend);
    for (const LayerWeights& l : weights_.layers) note(l.backend);
    note(weights_.outputBackend);
    return out;
}

std::string LlmModel::backendDescription() const {
    if (!device_ || gpuLayers_ == 0) return cpu_->name();
    const std::string layers = std::to_string(gpuLayers_) + "/" + std::to_string(hparams_.layers);
    if (gpuLayers_ >= hparams_.layers) return device_->name() + " (" + layers + " layers)";
    return device_->name() + " (" + layers + " layers) + " + cpu_->name();
}

} // namespace atelier::llm
