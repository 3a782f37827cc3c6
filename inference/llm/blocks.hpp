#pragma once
// The building blocks every architecture's layer is made of (norms, projections, rotary
// embedding, attention over the KV cache, gated feed-forward), as calls on the layer's backend.
// A LayerStep allocates its results from the backend's scratch arena; the caller releases them
// after the layer. Activations are [features, tokens] (ne[0] = features).
#include "inference/compute/arena.hpp"
#include "inference/llm/hparams.hpp"
#include "inference/llm/kv_cache.hpp"
#include "inference/llm/weights.hpp"

#include <optional>

namespace atelier::llm {

struct AttentionOptions {
    std::int64_t slidingWindow = 0; // 0 = attend to the whole past
    float softcap = 0.0f;           // 0 = no soft-capping of the scores
};

class LayerStep {
public:
    // `ropeAngles`: the rope angle table of the step's tokens on the arena's backend (F32
    // [rope dims, T], see compute/rope_angles.hpp).
    LayerStep(const HParams& h, int layer, compute::Arena& arena, const Tensor& ropeAngles,
              KvCache& cache, std::int64_t past, std::int64_t tokens);

    const HParams& hparams() const { return h_; }
    int layer() const { return layer_; }

    // x / rms(x) * weight over each row of x.
    Tensor rmsNorm(const Tensor& x, const Tensor& weight);
    // w^T x (+ bias): [in, T] -> [out, T].
    Tensor linear(const Tensor& w, const Tensor& x, const std::optional<Tensor>& bias = {});
    // Views a [headDim * heads, T] activation (or a column range of one, see split) as
    // [headDim, heads, T] without copying.
    Tensor heads(const Tensor& x, std::int64_t headDim) const;
    // Rows [first, first + count) of every column of x (a strided view; fused projections).
    Tensor rows(const Tensor& x, std::int64_t first, std::int64_t count) const;
    // Rotary position embedding of [headDim, heads, T] at the step's positions (the angle table
    // made on the host, so every backend gives the same bits).
    Tensor rope(const Tensor& x);
    // Stores k and v in the cache, then attends q [Dk, Hq, T] over every cached position
    // (causal). Returns [Dv * Hq, T].
    Tensor attend(const Tensor& q, const Tensor& k, const Tensor& v, AttentionOptions options);
    // down(fn(gate x) * up x).
    Tensor gatedFeedForward(const Tensor& gate, const Tensor& up, const Tensor& down,
                            const Tensor& x, compute::Activation fn);
    // The same with gate and up fused into one [n_embd, 2 n_ff] matrix (gate first).
    Tensor fusedGatedFeedForward(const Tensor& gateUp, const Tensor& down, const Tensor& x,
                                 compute::Activation fn);
    // dst = a + b (dst may be a caller's buffer, e.g. the layer's output).
    void add(const Tensor& a, const Tensor& b, const Tensor& dst);
    Tensor add(const Tensor& a, const Tensor& b);

private:
    Tensor like(const Tensor& x) { return arena_.f32(x.ne); }

    const HParams& h_;
    int layer_;
    compute::Arena& arena_;
    Backend& backend_;
    const Tensor& ropeAngles_;
    KvCache& cache_;
    std::int64_t past_, tokens_;
};

} // namespace atelier::llm
