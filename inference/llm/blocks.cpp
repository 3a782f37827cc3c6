#include "inference/llm/blocks.hpp"

namespace atelier::llm {

LayerStep::LayerStep(const HParams& h, int layer, compute::Arena& arena, const Tensor& ropeAngles,
                     KvCache& cache, std::int64_t past, std::int64_t tokens)
    : h_(h), layer_(layer), arena_(arena), backend_(arena.backend()), ropeAngles_(ropeAngles),
      cache_(cache), past_(past), tokens_(tokens) {}

Tensor LayerStep::rmsNorm(const Tensor& x, const Tensor& weight) {
    Tensor out = like(x);
    backend_.rmsNorm(x, &weight, out, {h_.rmsEps});
    return out;
}

Tensor LayerStep::linear(const Tensor& w, const Tensor& x, const std::optional<Tensor>& bias) {
    Tensor out = arena_.f32({w.ne[1], x.ne[1], x.ne[2], x.ne[3]});
    backend_.matmul(w, x, out);
    if (!bias) return out;
    Tensor biased = like(out);
    backend_.add(out, *bias, biased);
    return biased;
}

Tensor LayerStep::heads(const Tensor& x, std::int64_t headDim) const {
    const std::int64_t count = x.ne[0] / headDim;
    return x.view({headDim, count, x.ne[1], 1}, {x.nb[0], x.nb[0] * std::size_t(headDim), x.nb[1],
                                                 x.nb[1] * std::size_t(x.ne[1])});
}

Tensor LayerStep::rows(const Tensor& x, std::int64_t first, std::int64_t count) const {
    return x.slice(0, first, count);
}

Tensor LayerStep::rope(const Tensor& x) {
    Tensor out = like(x);
    backend_.ropeWithAngles(x, ropeAngles_, out, h_.ropeMode);
    return out;
}

Tensor LayerStep::attend(const Tensor& q, const Tensor& k, const Tensor& v,
                         AttentionOptions options) {
    cache_.write(layer_, k, v, past_);
    const std::int64_t visible = past_ + tokens_;
    Tensor out = arena_.f32({h_.headDimV, q.ne[1], tokens_, 1});
    compute::AttentionParams p;
    p.scale = h_.attentionScale;
    p.causal = true;
    p.firstQueryPosition = past_;
    p.slidingWindow = options.slidingWindow;
    p.softcap = options.softcap;
    backend_.attention(q, cache_.keys(layer_, visible), cache_.values(layer_, visible), nullptr,
                       out, p);
    return out.reshaped({h_.headDimV * q.ne[1], tokens_, 1, 1});
}

Tensor LayerStep::gatedFeedForward(const Tensor& gate, const Tensor& up, const Tensor& down,
                                   const Tensor& x, compute::Activation fn) {
    const Tensor g = linear(gate, x);
    const Tensor u = linear(up, x);
    Tensor act = like(g);
    backend_.glu(g, u, act, fn);
    return linear(down, act);
}

Tensor LayerStep::fusedGatedFeedForward(const Tensor& gateUp, const Tensor& down, const Tensor& x,
                                        compute::Activation fn) {
    const Tensor both = linear(gateUp, x);
    const std::int64_t nff = both.ne[0] / 2;
    Tensor act = arena_.f32({nff, x.ne[1], 1, 1});
    backend_.glu(rows(both, 0, nff), rows(both, nff, nff), act, fn);
    return linear(down, act);
}

void LayerStep::add(const Tensor& a, const Tensor& b, const Tensor& dst) {
    backend_.add(a, b, dst);
}

Tensor LayerStep::add(const Tensor& a, const Tensor& b) {
    Tensor out = like(a);
    backend_.add(a, b, out);
    return out;
}

} // namespace atelier::llm
