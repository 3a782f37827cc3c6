// gemma2: Gemma 2. Around the llama layer: RMS norms after attention and after the
// feed-forward as well as before, a GELU (tanh) gated feed-forward, soft-capped attention
// scores, and a sliding attention window on every other layer (even layers slide, odd layers
// see everything). Embedding scaling by sqrt(n_embd) and the final logit soft-capping are
// hyper-parameters applied by the shared forward pass.
#include "inference/llm/arch/architecture.hpp"

namespace atelier::llm {
namespace {

void loadLayer(WeightLoader& l, const HParams& h, int il, Backend& b, LayerWeights& w) {
    load::separateAttention(l, h, il, b, w);
    load::gatedFeedForward(l, h, il, b, w);
    const Shape vec{h.embedding, 1, 1, 1};
    w.attnPostNorm =
        l.require(layerTensorName(il, "post_attention_norm.weight"), b, vec, WeightUse::Vector);
    w.ffnPostNorm =
        l.require(layerTensorName(il, "post_ffw_norm.weight"), b, vec, WeightUse::Vector);
}

void forwardLayer(LayerStep& s, const LayerWeights& w, const Tensor& x, const Tensor& out) {
    const HParams& h = s.hparams();
    const bool sliding = s.layer() % 2 == 0;

    // Self-attention, normalised before and after.
    Tensor cur = s.rmsNorm(x, w.attnNorm);
    Tensor q = s.heads(s.linear(*w.wq, cur), h.headDimK);
    Tensor k = s.heads(s.linear(*w.wk, cur), h.headDimK);
    Tensor v = s.heads(s.linear(*w.wv, cur), h.headDimV);
    q = s.rope(q);
    k = s.rope(k);
    AttentionOptions options;
    options.slidingWindow = sliding ? h.slidingWindow : 0;
    options.softcap = h.attnSoftcap;
    cur = s.linear(w.wo, s.attend(q, k, v, options));
    cur = s.rmsNorm(cur, *w.attnPostNorm);
    const Tensor afterAttention = s.add(x, cur);

    // Feed-forward, normalised before and after.
    cur = s.rmsNorm(afterAttention, w.ffnNorm);
    cur = s.gatedFeedForward(*w.ffnGate, w.ffnUp, w.ffnDown, cur, compute::Activation::GeluTanh);
    cur = s.rmsNorm(cur, *w.ffnPostNorm);
    s.add(afterAttention, cur, out);
}

} // namespace

const Architecture kGemma2{"gemma2", loadLayer, forwardLayer};

} // namespace atelier::llm
