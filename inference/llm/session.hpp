#pragma once
// A conversation's worth of state on a loaded model: the KV cache and which tokens it holds.
// generate() reuses the longest cached prefix of the new prompt (a follow-up chat turn only
// processes its new tokens), prefills the rest in chunks, then decodes token by token.
//
// One thread at a time per session (a job-queue worker); several sessions may share a model.
#include "inference/llm/context_window.hpp"
#include "inference/llm/forward.hpp"
#include "inference/llm/kv_cache.hpp"
#include "inference/llm/model.hpp"
#include "inference/llm/sampling/sampling_params.hpp"

#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace atelier::llm {

struct SessionParams {
    int contextLength = 0; // KV cache positions; 0 = the model's, at most 4096
    int batchSize = 256;   // prompt tokens per prefill chunk
};

enum class StopReason {
    EndOfGeneration, // the model produced an end-of-generation token
    StopString,      // one of the request's stop strings
    MaxTokens,       // the request's token limit
    ContextFull,     // no room left in the context
    Cancelled,       // the stop_token was triggered
};
std::string_view
stopReasonName(StopReason reason); // "eog", "stop", "length", "context", "cancelled"

struct GenerationStats {
    std::int64_t promptTokens = 0;    // prompt after fitting into the context
    std::int64_t cachedTokens = 0;    // of those, reused from the cache (not processed again)
    std::int64_t processedTokens = 0; // prompt tokens run through the model
    std::int64_t generatedTokens = 0;
    std::int64_t droppedTokens = 0; // prompt tokens left out to fit the context
    std::int64_t droppedTurns = 0;  // whole turns among them
    double prefillSeconds = 0.0;
    double decodeSeconds = 0.0;   // forward passes and sampling after the first token
    std::int64_t decodeSteps = 0; // forward passes during decode
    double timeToFirstTokenSeconds = 0.0;
    StopReason stopReason = StopReason::MaxTokens;
    std::uint64_t seed = 0; // the sampler's seed (drawn when the request asked for a random one)

    double prefillTokensPerSecond() const;
    double decodeTokensPerSecond() const;
};

// A piece of reply text, whole UTF-8, as it becomes final (never part of a stop string).
struct TokenPiece {
    std::string_view text;
    std::int64_t generatedTokens = 0; // tokens generated so far
};
using TokenSink = std::function<void(const TokenPiece&)>;

struct GenerateRequest {
    std::vector<TokenId> prompt; // must not be empty (start with BOS for an empty text)
    // Context overflow: the first `protectedPrefix` tokens (a system prompt) are always kept;
    // turns (starting at `turnStarts`, ascending positions after the protected prefix) are
    // dropped oldest first, never the last one. See context_window.hpp.
    std::size_t protectedPrefix = 0;
    std::vector<std::size_t> turnStarts;
    int reserveForReply = -1; // room kept for the reply when cutting; -1 = min(maxTokens, ctx/2)

    SamplingParams sampling;
    int maxTokens = 256;
    std::vector<std::string> stopStrings;
    bool stopAtEndOfGeneration = true;
};

struct GenerateResult {
    std::vector<TokenId> tokens; // generated, without an end-of-generation token
    std::string text;            // everything the sink received
    GenerationStats stats;
};

class LlmSession {
public:
    LlmSession(std::shared_ptr<const LlmModel> model, SessionParams params = {});

    const LlmModel& model() const { return *model_; }
    std::int64_t contextLength() const { return cache_.context(); }
    // The tokens whose keys and values the cache holds, position by position.
    const std::vector<TokenId>& cachedTokens() const { return cached_; }
    void clear() { cached_.clear(); }

    GenerateResult generate(const GenerateRequest& request, const TokenSink& sink = {},
                            std::stop_token stop = {});

    // Runs `tokens` (reusing the cached prefix) and returns the logits after the last one.
    // `reused` receives how many tokens came from the cache. Returns an empty vector when
    // cancelled between chunks.
    std::vector<float> evaluate(const std::vector<TokenId>& tokens, std::stop_token stop = {},
                                std::int64_t* reused = nullptr);

private:
    std::shared_ptr<const LlmModel> model_;
    SessionParams params_;
    KvCache cache_;
    ForwardPass forward_;
    std::vector<TokenId> cached_;
    std::vector<float> logits_;
};

} // namespace atelier::llm
