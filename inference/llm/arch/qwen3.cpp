// qwen3: Qwen 3 (dense). The qwen2 layer without projection biases, with an RMS norm over each
// head of q and of k (QK-norm) before the rotary embedding.
#include "inference/llm/arch/architecture.hpp"

namespace atelier::llm {
namespace {

void loadLayer(WeightLoader& l, const HParams& h, int il, Backend& b, LayerWeights& w) {
    load::separateAttention(l, h, il, b, w);
    load::gatedFeedForward(l, h, il, b, w);
    w.qNorm = l.require(layerTensorName(il, "attn_q_norm.weight"), b, {h.headDimK, 1, 1, 1},
                        WeightUse::Vector);
    w.kNorm = l.require(layerTensorName(il, "attn_k_norm.weight"), b, {h.headDimK, 1, 1, 1},
                        WeightUse::Vector);
}

void forwardLayer(LayerStep& s, const LayerWeights& w, const Tensor& x, const Tensor& out) {
    const HParams& h = s.hparams();

    // Self-attention; q and k normalised per head before the rotation.
    Tensor cur = s.rmsNorm(x, w.attnNorm);
    Tensor q = s.heads(s.linear(*w.wq, cur, w.bq), h.headDimK);
    Tensor k = s.heads(s.linear(*w.wk, cur, w.bk), h.headDimK);
    Tensor v = s.heads(s.linear(*w.wv, cur, w.bv), h.headDimV);
    q = s.rope(s.rmsNorm(q, *w.qNorm));
    k = s.rope(s.rmsNorm(k, *w.kNorm));
    cur = s.linear(w.wo, s.attend(q, k, v, {}));
    const Tensor afterAttention = s.add(x, cur);

    // Feed-forward.
    cur = s.rmsNorm(afterAttention, w.ffnNorm);
    cur = s.gatedFeedForward(*w.ffnGate, w.ffnUp, w.ffnDown, cur, compute::Activation::Silu);
    s.add(afterAttention, cur, out);
}

} // namespace

const Architecture kQwen3{"qwen3", loadLayer, forwardLayer};

} // namespace atelier::llm
