#include "inference/llm/session.hpp"

#include "inference/llm/sampling/sampler.hpp"
#include "inference/llm/stop_strings.hpp"
#include "inference/tokenizer/stream_decoder.hpp"
#include "inference/util/error.hpp"

#include <algorithm>
#include <chrono>

namespace atelier::llm {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::int64_t contextFor(const LlmModel& model, const SessionParams& p) {
    if (p.contextLength < 0) throw Error(ErrorKind::Invalid, "negative context length");
    if (p.contextLength > 0) return p.contextLength;
    return std::min<std::int64_t>(model.hparams().contextLength, 4096);
}

std::vector<Backend*> layerBackends(const LlmModel& model) {
    std::vector<Backend*> out;
    for (const LayerWeights& l : model.weights().layers) out.push_back(l.backend);
    return out;
}

} // namespace

std::string_view stopReasonName(StopReason reason) {
    switch (reason) {
    case StopReason::EndOfGeneration:
        return "eog";
    case StopReason::StopString:
        return "stop";
    case StopReason::MaxTokens:
        return "length";
    case StopReason::ContextFull:
        return "context";
    case StopReason::Cancelled:
        return "cancelled";
    }
    return "unknown";
}

double GenerationStats::prefillTokensPerSecond() const {
    return prefillSeconds > 0.0 ? double(processedTokens) / prefillSeconds : 0.0;
}

double GenerationStats::decodeTokensPerSecond() const {
    return decodeSeconds > 0.0 ? double(decodeSteps) / decodeSeconds : 0.0;
}

LlmSession::LlmSession(std::shared_ptr<const LlmModel> model, SessionParams params)
    : model_(std::move(model)), params_(params),
      cache_(model_->hparams(), layerBackends(*model_), contextFor(*model_, params)),
      forward_(*model_, std::max(1, std::min<int>(params.batchSize, int(cache_.context())))) {
    if (params.batchSize < 1) throw Error(ErrorKind::Invalid, "the batch size must be at least 1");
}

std::vector<float> LlmSession::evaluate(const std::vector<TokenId>& tokens, std::stop_token stop,
                                        std::int64_t* reused) {
    if (tokens.empty()) throw Error(ErrorKind::Invalid, "nothing to evaluate: no tokens");
    if (std::int64_t(tokens.size()) > cache_.context())
        throw Error(ErrorKind::Invalid, std::to_string(tokens.size()) +
                                            " tokens do not fit a context of " +
                                            std::to_string(cache_.context()));
    // The longest cached prefix is kept; at least the last token is run to get its logits.
    std::size_t common = 0;
    while (common < cached_.size() && common < tokens.size() && cached_[common] == tokens[common])
        ++common;
    if (common == tokens.size()) --common;
    cached_.resize(common);
    if (reused) *reused = std::int64_t(common);

    const std::size_t chunk = std::size_t(forward_.maxTokens());
    for (std::size_t at = common; at < tokens.size(); at += chunk) {
        if (stop.stop_requested()) return {};
        const std::size_t n = std::min(chunk, tokens.size() - at);
        if (!forward_.run(std::span(tokens).subspan(at, n), std::int64_t(at), cache_, logits_,
                          stop))
            return {};
        cached_.insert(cached_.end(), tokens.begin() + std::ptrdiff_t(at),
                       tokens.begin() + std::ptrdiff_t(at + n));
    }
    return logits_;
}

GenerateResult LlmSession::generate(const GenerateRequest& request, const TokenSink& sink,
                                    std::stop_token stop) {
    if (request.prompt.empty())
        throw Error(ErrorKind::Invalid, "the prompt is empty (start it with the BOS token)");
    if (request.maxTokens < 0) throw Error(ErrorKind::Invalid, "negative max tokens");
    const auto start = Clock::now();
    const std::int64_t ctx = cache_.context();
    GenerateResult result;
    GenerationStats& stats = result.stats;

    // Fit the prompt, keeping room for the reply.
    const std::int64_t reserve = request.reserveForReply >= 0
                                     ? request.reserveForReply
                                     : std::min<std::int64_t>(request.maxTokens, ctx / 2);
    const std::size_t budget = std::size_t(std::max<std::int64_t>(1, ctx - reserve));
    const FittedPrompt fitted =
        fitPrompt(request.prompt, request.protectedPrefix, request.turnStarts, budget);
    stats.promptTokens = std::int64_t(fitted.tokens.size());
    stats.droppedTokens = fitted.droppedTokens;
    stats.droppedTurns = fitted.droppedTurns;

    // Prefill.
    Sampler sampler(request.sampling);
    stats.seed = sampler.seed();
    std::vector<float> logits = evaluate(fitted.tokens, stop, &stats.cachedTokens);
    stats.processedTokens = std::int64_t(cached_.size()) - stats.cachedTokens;
    stats.prefillSeconds = secondsSince(start);
    if (logits.empty()) {
        stats.stopReason = StopReason::Cancelled;
        return result;
    }
    const std::size_t window = std::size_t(std::max(0, request.sampling.penaltyWindow));
    const std::size_t tail = std::min(window, fitted.tokens.size());
    sampler.remember(std::span(fitted.tokens).last(tail));

    // Decode: sample, show, run the token, repeat.
    tokenizer::StreamingDecoder decoder(model_->tokenizer());
    StopStringFilter stops(request.stopStrings);
    auto emit = [&](const std::string& text) {
        if (text.empty()) return;
        result.text += text;
        if (sink) sink({text, std::int64_t(result.tokens.size())});
    };
    const auto decodeStart = Clock::now();
    stats.stopReason = StopReason::MaxTokens;
    while (std::int64_t(result.tokens.size()) < request.maxTokens) {
        if (stop.stop_requested()) {
            stats.stopReason = StopReason::Cancelled;
            break;
        }
        const TokenId token = sampler.sample(logits);
        if (result.tokens.empty()) stats.timeToFirstTokenSeconds = secondsSince(start);
        if (request.stopAtEndOfGeneration && model_->isEndOfGeneration(token)) {
            stats.stopReason = StopReason::EndOfGeneration;
            break;
        }
        result.tokens.push_back(token);
        sampler.remember(token);
        emit(stops.push(decoder.push(token)));
        if (stops.stopped()) {
            stats.stopReason = StopReason::StopString;
            break;
        }
        if (std::int64_t(result.tokens.size()) >= request.maxTokens) break;
        if (std::int64_t(cached_.size()) >= ctx) {
            stats.stopReason = StopReason::ContextFull;
            break;
        }
        if (stop.stop_requested()) {
            stats.stopReason = StopReason::Cancelled;
            break;
        }
        const std::int64_t position = std::int64_t(cached_.size());
        if (!forward_.run(std::span(&token, 1), position, cache_, logits, stop)) {
            stats.stopReason = StopReason::Cancelled;
            break;
        }
        cached_.push_back(token);
        ++stats.decodeSteps;
    }
    if (stats.stopReason != StopReason::StopString)
        emit(stops.push(decoder.finish()) + stops.finish());
    stats.generatedTokens = std::int64_t(result.tokens.size());
    stats.decodeSeconds = secondsSince(decodeStart);
    return result;
}

} // namespace atelier::llm
