// Weight look-ups shared by the architectures, and the table of architectures.
#include "inference/llm/arch/architecture.hpp"
#include "inference/util/error.hpp"

namespace atelier::llm {

const Architecture& architectureFor(std::string_view name) {
    for (const Architecture* a : {&kLlama, &kQwen2, &kQwen3, &kPhi3, &kGemma2})
        if (a->name == name) return *a;
    throw Error(ErrorKind::Unsupported,
                "the architecture '" + std::string(name) +
                    "' is not supported (supported: " + supportedArchitectures() + ")");
}

namespace load {

void separateAttention(WeightLoader& l, const HParams& h, int il, Backend& b, LayerWeights& w) {
    const auto name = [il](const char* s) { return layerTensorName(il, s); };
    const std::int64_t E = h.embedding;
    w.attnNorm = l.require(name("attn_norm.weight"), b, {E, 1, 1, 1}, WeightUse::Vector);
    w.wq = l.require(name("attn_q.weight"), b, {E, h.qDim(), 1, 1}, WeightUse::Matrix);
    w.wk = l.require(name("attn_k.weight"), b, {E, h.kDim(), 1, 1}, WeightUse::Matrix);
    w.wv = l.require(name("attn_v.weight"), b, {E, h.vDim(), 1, 1}, WeightUse::Matrix);
    w.bq = l.optional(name("attn_q.bias"), b, {h.qDim(), 1, 1, 1}, WeightUse::Vector);
    w.bk = l.optional(name("attn_k.bias"), b, {h.kDim(), 1, 1, 1}, WeightUse::Vector);
    w.bv = l.optional(name("attn_v.bias"), b, {h.vDim(), 1, 1, 1}, WeightUse::Vector);
    w.wo = l.require(name("attn_output.weight"), b, {h.headDimV * h.heads, E, 1, 1},
                     WeightUse::Matrix);
}

void gatedFeedForward(WeightLoader& l, const HParams& h, int il, Backend& b, LayerWeights& w) {
    const auto name = [il](const char* s) { return layerTensorName(il, s); };
    const std::int64_t E = h.embedding, F = h.feedForward;
    w.ffnNorm = l.require(name("ffn_norm.weight"), b, {E, 1, 1, 1}, WeightUse::Vector);
    w.ffnGate = l.require(name("ffn_gate.weight"), b, {E, F, 1, 1}, WeightUse::Matrix);
    w.ffnUp = l.require(name("ffn_up.weight"), b, {E, F, 1, 1}, WeightUse::Matrix);
    w.ffnDown = l.require(name("ffn_down.weight"), b, {F, E, 1, 1}, WeightUse::Matrix);
}

void ropeFrequencies(WeightLoader& l, const HParams& h, LayerWeights& w) {
    w.ropeFreqs = l.hostVector("rope_freqs.weight", h.ropeDims / 2);
}

} // namespace load
} // namespace atelier::llm
