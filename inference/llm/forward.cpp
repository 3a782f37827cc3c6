#include "inference/llm/forward.hpp"

#include "inference/compute/rope_angles.hpp"
#include "inference/util/error.hpp"

#include <numeric>

namespace atelier::llm {
namespace {

using compute::ElementType;

// Scratch for one chunk: every temporary of one layer (released after it) plus the hidden
// states and the rope angle table, with slack for the arena's 256-byte alignment.
std::size_t arenaBytes(const HParams& h, std::int64_t tokens) {
    const std::int64_t E = h.embedding, F = h.feedForward;
    const std::int64_t qkv = h.qDim() + h.kDim() + h.vDim();
    const std::int64_t perToken =
        16 * E + 4 * qkv + 3 * h.heads * h.headDimV + 6 * F + h.ropeDims /* rope angles */;
    const std::int64_t output = 4 * E + 2 * h.vocabSize;
    return std::size_t(perToken * tokens + output) * sizeof(float) + 128 * 256;
}

} // namespace

ForwardPass::ForwardPass(const LlmModel& model, std::int64_t maxTokens)
    : model_(model), maxTokens_(maxTokens) {
    if (maxTokens < 1) throw Error(ErrorKind::Invalid, "a forward pass needs at least one token");
    // The rope frequency factors go into one angle table per chunk, so every layer must have
    // the same (they are the file's one rope_freqs tensor).
    const std::vector<LayerWeights>& layers = model.weights().layers;
    if (!layers.empty() && layers.front().ropeFreqs) ropeFactors_ = *layers.front().ropeFreqs;
    for (const LayerWeights& l : layers)
        if (l.ropeFreqs ? *l.ropeFreqs != ropeFactors_ : !ropeFactors_.empty())
            throw Error(ErrorKind::Unsupported,
                        model.path() + ": rope frequency factors differ between layers");
    for (compute::Backend* backend : model.backendsInUse()) {
        Scratch s;
        s.backend = backend;
        s.arena =
            std::make_unique<compute::Arena>(*backend, arenaBytes(model.hparams(), maxTokens));
        scratch_.push_back(std::move(s));
    }
}

std::size_t ForwardPass::scratchBytes() const {
    std::size_t total = 0;
    for (const Scratch& s : scratch_) total += s.arena->capacity();
    return total;
}

ForwardPass::Scratch& ForwardPass::scratchFor(const compute::Backend* backend) {
    for (Scratch& s : scratch_)
        if (s.backend == backend) return s;
    throw Error(ErrorKind::Invalid, "forward pass: no scratch for backend " + backend->name());
}

Tensor ForwardPass::moveTo(const Tensor& x, Scratch& to) {
    if (&x.backend() == to.backend) return x;
    hostCopy_.resize(std::size_t(x.elementCount()));
    x.backend().download(x, hostCopy_.data());
    to.backend->upload(to.residual[0], hostCopy_.data());
    return to.residual[0];
}

bool ForwardPass::run(std::span<const TokenId> tokens, std::int64_t past, KvCache& cache,
                      std::vector<float>& logits, std::stop_token stop) {
    const HParams& h = model_.hparams();
    const ModelWeights& w = model_.weights();
    const Architecture& arch = model_.architecture();
    const auto T = std::int64_t(tokens.size());
    if (T < 1 || T > maxTokens_)
        throw Error(ErrorKind::Invalid, "forward pass over " + std::to_string(T) + " tokens (1.." +
                                            std::to_string(maxTokens_) + ")");
    for (TokenId id : tokens)
        if (id < 0 || id >= h.vocabSize)
            throw Error(ErrorKind::Invalid,
                        "token id " + std::to_string(id) + " is outside the vocabulary");
    std::lock_guard lock(model_.computeMutex());

    // The rope angles of these tokens' positions, made once on the host for every layer and
    // backend: each backend rotates with the same floats (compute/rope_angles.hpp), so the CPU
    // and a device give the same bits.
    std::vector<std::int32_t> positions(static_cast<std::size_t>(T));
    std::iota(positions.begin(), positions.end(), std::int32_t(past));
    ropeAngles_.resize(std::size_t(T * h.ropeDims));
    compute::ropeAngles(h.ropeParams(), int(h.headDimK), positions, ropeFactors_, ropeAngles_);

    // Per backend: fresh scratch, the angle table, two hidden-state buffers.
    for (Scratch& s : scratch_) {
        s.arena->reset();
        s.ropeAngles = s.arena->f32({h.ropeDims, T, 1, 1});
        s.backend->upload(s.ropeAngles, ropeAngles_.data());
        s.residual[0] = s.arena->f32({h.embedding, T, 1, 1});
        s.residual[1] = s.arena->f32({h.embedding, T, 1, 1});
    }

    // Token embeddings (scaled by sqrt(n_embd) for gemma).
    Scratch& in = scratchFor(w.inputBackend);
    const Tensor ids = in.arena->tensor(ElementType::I32, {T, 1, 1, 1});
    in.backend->upload(ids, tokens.data());
    Tensor x = in.residual[0];
    if (h.embeddingScale != 1.0f) {
        const Tensor rows = in.arena->f32(x.ne);
        in.backend->getRows(w.tokenEmbedding, ids, rows);
        in.backend->scale(rows, x, {h.embeddingScale, 0.0f});
    } else {
        in.backend->getRows(w.tokenEmbedding, ids, x);
    }

    // The layers, each on its backend; x and out alternate between the two residual buffers.
    for (int il = 0; il < int(h.layers); ++il) {
        if (stop.stop_requested()) return false;
        const LayerWeights& lw = w.layers[std::size_t(il)];
        Scratch& s = scratchFor(lw.backend);
        x = moveTo(x, s);
        const Tensor& out = x.offset == s.residual[0].offset ? s.residual[1] : s.residual[0];
        const std::size_t mark = s.arena->mark();
        LayerStep step(h, il, *s.arena, s.ropeAngles, cache, past, T);
        arch.forwardLayer(step, lw, x, out);
        s.arena->release(mark);
        x = out;
    }

    // Final norm and output projection of the last token only.
    Scratch& o = scratchFor(w.outputBackend);
    x = moveTo(x, o);
    compute::Backend& b = *o.backend;
    const Tensor last = x.slice(1, T - 1, 1);
    const Tensor normed = o.arena->f32(last.ne);
    b.rmsNorm(last, &w.outputNorm, normed, {h.rmsEps});
    Tensor out = o.arena->f32({h.vocabSize, 1, 1, 1});
    b.matmul(w.output, normed, out);
    if (h.finalSoftcap > 0.0f) { // logits = cap * tanh(logits / cap)
        const Tensor scaled = o.arena->f32(out.ne);
        b.scale(out, scaled, {1.0f / h.finalSoftcap, 0.0f});
        b.unary(scaled, out, compute::Activation::Tanh);
        b.scale(out, scaled, {h.finalSoftcap, 0.0f});
        out = scaled;
    }
    logits.resize(std::size_t(h.vocabSize));
    b.download(out, logits.data());
    return true;
}

} // namespace atelier::llm
