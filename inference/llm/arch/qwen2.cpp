// qwen2: Qwen 2 and 2.5. The llama layer with biases on the q, k and v projections and rotary
// embedding of the two halves of each head (NeoX style).
#include "inference/llm/arch/architecture.hpp"

namespace atelier::llm {
namespace {

void loadLayer(WeightLoader& l, const HParams& h, int il, Backend& b, LayerWeights& w) {
    load::separateAttention(l, h, il, b, w); // picks up attn_q/k/v.bias
    load::gatedFeedForward(l, h, il, b, w);
}

void forwardLayer(LayerStep& s, const LayerWeights& w, const Tensor& x, const Tensor& out) {
    const HParams& h = s.hparams();

    // Self-attention with biased projections.
    Tensor cur = s.rmsNorm(x, w.attnNorm);
    Tensor q = s.heads(s.linear(*w.wq, cur, w.bq), h.headDimK);
    Tensor k = s.heads(s.linear(*w.wk, cur, w.bk), h.headDimK);
    Tensor v = s.heads(s.linear(*w.wv, cur, w.bv), h.headDimV);
    q = s.rope(q);
    k = s.rope(k);
    cur = s.linear(w.wo, s.attend(q, k, v, {}));
    const Tensor afterAttention = s.add(x, cur);

    // Feed-forward.
    cur = s.rmsNorm(afterAttention, w.ffnNorm);
    cur = s.gatedFeedForward(*w.ffnGate, w.ffnUp, w.ffnDown, cur, compute::Activation::Silu);
    s.add(afterAttention, cur, out);
}

} // namespace

const Architecture kQwen2{"qwen2", loadLayer, forwardLayer};

} // namespace atelier::llm
