// llama: Llama 2 and 3.x, Mistral, TinyLlama, SmolLM. Pre-norm (RMS) attention with rotary
// embedding of adjacent pairs (llama3 files add per-frequency factors), grouped-query
// attention, and a SwiGLU feed-forward.
#include "inference/llm/arch/architecture.hpp"

namespace atelier::llm {
namespace {

void loadLayer(WeightLoader& l, const HParams& h, int il, Backend& b, LayerWeights& w) {
    load::separateAttention(l, h, il, b, w);
    load::gatedFeedForward(l, h, il, b, w);
    load::ropeFrequencies(l, h, w);
}

void forwardLayer(LayerStep& s, const LayerWeights& w, const Tensor& x, const Tensor& out) {
    const HParams& h = s.hparams();

    // Self-attention.
    Tensor cur = s.rmsNorm(x, w.attnNorm);
    Tensor q = s.heads(s.linear(*w.wq, cur, w.bq), h.headDimK);
    Tensor k = s.heads(s.linear(*w.wk, cur, w.bk), h.headDimK);
    Tensor v = s.heads(s.linear(*w.wv, cur, w.bv), h.headDimV);
    q = s.rope(q); // with the file's rope_freqs, when it has them (in the step's angle table)
    k = s.rope(k);
    cur = s.linear(w.wo, s.attend(q, k, v, {}));
    const Tensor afterAttention = s.add(x, cur);

    // Feed-forward.
    cur = s.rmsNorm(afterAttention, w.ffnNorm);
    cur = s.gatedFeedForward(*w.ffnGate, w.ffnUp, w.ffnDown, cur, compute::Activation::Silu);
    s.add(afterAttention, cur, out);
}

} // namespace

const Architecture kLlama{"llama", loadLayer, forwardLayer};

} // namespace atelier::llm
