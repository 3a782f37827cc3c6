#pragma once
// The LLM engine's public face (DESIGN.md "engine APIs"): plain parameter structs with defaults,
// per-call callbacks, std::stop_token, no globals.
//
//   auto model = LlmEngine::load({"model.gguf"}, {.backend = "cpu"}, progress, stop);
//   LlmSession session(model, {.contextLength = 4096});
//   GenerateResult r = session.generate(request, [](const TokenPiece& p) { ... }, stop);
//
// A model is immutable once loaded and may be shared by several sessions (they take turns on
// its backends). A session belongs to one thread at a time (a job-queue worker).
#include "inference/llm/model.hpp"

#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>

namespace atelier::llm {

struct ModelSpec {
    std::string path; // a .gguf file
};

struct LoadParams {
    std::string backend = "cpu"; // "cpu", "vulkan" or "vulkan:N" (device N)
    // With a device backend: how many layers run on it (the last ones; the first layers stay on
    // the CPU, activations are copied at the boundary). -1 = all.
    int gpuLayers = -1;
    int threads = 0; // CPU threads; 0 = physical cores
};

// fraction in [0, 1] and what is happening ("layer 3 of 22").
using LoadProgress = std::function<void(double fraction, std::string_view stage)>;

class LlmEngine {
public:
    // Reads the file, checks every tensor, places the weights. Throws atelier::Error naming the
    // file (Unsupported for an architecture or type we do not run, Format for a broken file,
    // Invalid for bad parameters) or OperationCancelled when `stop` was requested.
    static std::shared_ptr<const LlmModel> load(const ModelSpec& spec,
                                                const LoadParams& params = {},
                                                const LoadProgress& progress = {},
                                                std::stop_token stop = {});
};

} // namespace atelier::llm
