#pragma once
// One model architecture: how to find a layer's weights and how a layer transforms the hidden
// state. Everything around the layers (token embedding, the final norm, the output projection,
// logit soft-capping) is shared and driven by HParams (see forward.cpp). One file per
// architecture: llama.cpp, qwen2.cpp, qwen3.cpp, phi3.cpp, gemma2.cpp.
#include "inference/llm/blocks.hpp"
#include "inference/llm/hparams.hpp"
#include "inference/llm/weights.hpp"

#include <string_view>

namespace atelier::llm {

struct Architecture {
    std::string_view name; // general.architecture
    // Finds layer `layer`'s tensors and places them on `backend`.
    void (*loadLayer)(WeightLoader& loader, const HParams& h, int layer, Backend& backend,
                      LayerWeights& w);
    // out = layer(x); x and out are [n_embd, T] on the layer's backend.
    void (*forwardLayer)(LayerStep& step, const LayerWeights& w, const Tensor& x,
                         const Tensor& out);
};

// Throws atelier::Error (Unsupported) naming the architecture when there is none.
const Architecture& architectureFor(std::string_view name);

extern const Architecture kLlama;
extern const Architecture kQwen2;
extern const Architecture kQwen3;
extern const Architecture kPhi3;
extern const Architecture kGemma2;

// Loading pieces several architectures share (layer_loading.cpp).
namespace load {
// attn_norm, attn_q/k/v (+ biases when present), attn_output.
void separateAttention(WeightLoader& l, const HParams& h, int layer, Backend& b, LayerWeights& w);
// ffn_norm, ffn_gate, ffn_up, ffn_down.
void gatedFeedForward(WeightLoader& l, const HParams& h, int layer, Backend& b, LayerWeights& w);
// rope_freqs.weight when the file has one (llama3-style frequency factors), read to the host:
// the forward pass folds them into its rope angle table.
void ropeFrequencies(WeightLoader& l, const HParams& h, LayerWeights& w);
} // namespace load

} // namespace atelier::llm
