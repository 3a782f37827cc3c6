// phi3: Phi-3 and Phi-3.5 mini. One fused q/k/v projection ("attn_qkv") and one fused gate/up
// projection ("ffn_up", gate rows first), NeoX rotary embedding. Files with LongRoPE factors
// (rope_factors_long/short, the 128k-context variants) are refused for now.
#include "inference/llm/arch/architecture.hpp"
#include "inference/util/error.hpp"

namespace atelier::llm {
namespace {

void loadLayer(WeightLoader& l, const HParams& h, int il, Backend& b, LayerWeights& w) {
    const auto name = [il](const char* s) { return layerTensorName(il, s); };
    const std::int64_t E = h.embedding, F = h.feedForward;
    if (l.has("rope_factors_long.weight") || l.has(name("rope_factors_long.weight")))
        throw Error(ErrorKind::Unsupported,
                    "phi3 models with LongRoPE scaling (rope_factors_long) are not supported yet");
    w.attnNorm = l.require(name("attn_norm.weight"), b, {E, 1, 1, 1}, WeightUse::Vector);
    w.wqkv = l.require(name("attn_qkv.weight"), b, {E, h.qDim() + h.kDim() + h.vDim(), 1, 1},
                       WeightUse::Matrix);
    w.wo = l.require(name("attn_output.weight"), b, {h.headDimV * h.heads, E, 1, 1},
                     WeightUse::Matrix);
    w.ffnNorm = l.require(name("ffn_norm.weight"), b, {E, 1, 1, 1}, WeightUse::Vector);
    w.ffnUp = l.require(name("ffn_up.weight"), b, {E, 2 * F, 1, 1}, WeightUse::Matrix);
    w.ffnDown = l.require(name("ffn_down.weight"), b, {F, E, 1, 1}, WeightUse::Matrix);
}

void forwardLayer(LayerStep& s, const LayerWeights& w, const Tensor& x, const Tensor& out) {
    const HParams& h = s.hparams();

    // Self-attention: q, k and v are row ranges of one projection.
    Tensor cur = s.rmsNorm(x, w.attnNorm);
    const Tensor qkv = s.linear(*w.wqkv, cur);
    Tensor q = s.heads(s.rows(qkv, 0, h.qDim()), h.headDimK);
    Tensor k = s.heads(s.rows(qkv, h.qDim(), h.kDim()), h.headDimK);
    Tensor v = s.heads(s.rows(qkv, h.qDim() + h.kDim(), h.vDim()), h.headDimV);
    q = s.rope(q);
    k = s.rope(k);
    cur = s.linear(w.wo, s.attend(q, k, v, {}));
    const Tensor afterAttention = s.add(x, cur);

    // Feed-forward with the fused gate/up projection.
    cur = s.rmsNorm(afterAttention, w.ffnNorm);
    cur = s.fusedGatedFeedForward(w.ffnUp, w.ffnDown, cur, compute::Activation::Silu);
    s.add(afterAttention, cur, out);
}

} // namespace

const Architecture kPhi3{"phi3", loadLayer, forwardLayer};

} // namespace atelier::llm
