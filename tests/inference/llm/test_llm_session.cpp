// Generation on the tiny fixtures: determinism, seeds, prefix reuse read from the statistics,
// context overflow, stop strings, max tokens, cancellation, and chat prompts through the
// model's template.
#include "inference/llm/chat_prompt.hpp"
#include "inference/llm/context_window.hpp"
#include "inference/llm/session.hpp"
#include "inference/util/error.hpp"
#include "llm_test_support.hpp"

#include <thread>

using namespace atelier;
using namespace atelier::llm;

namespace {

std::vector<TokenId> someTokens(std::size_t n, TokenId first = 40) {
    std::vector<TokenId> out{1}; // BOS
    for (std::size_t i = 1; i < n; ++i) out.push_back(TokenId(first + (i * 37) % 250));
    return out;
}

GenerateRequest greedy(std::vector<TokenId> prompt, int maxTokens) {
    GenerateRequest r;
    r.prompt = std::move(prompt);
    r.sampling.temperature = 0.0f;
    r.maxTokens = maxTokens;
    r.stopAtEndOfGeneration = false;
    return r;
}

} // namespace

class TestLlmSession : public QObject {
    Q_OBJECT

private slots:
    void greedyIsDeterministic() {
        LlmSession a(llmtest::model("qwen2"), {.contextLength = 128});
        LlmSession b(llmtest::model("qwen2"), {.contextLength = 128});
        const auto r1 = a.generate(greedy(someTokens(12), 16));
        const auto r2 = b.generate(greedy(someTokens(12), 16));
        QCOMPARE(r1.tokens.size(), std::size_t(16));
        QCOMPARE(r1.tokens, r2.tokens);
        QCOMPARE(r1.text, r2.text);
        QCOMPARE(r1.stats.stopReason, StopReason::MaxTokens);
        // The same session again (everything cached but the last prompt token) agrees too.
        const auto r3 = a.generate(greedy(someTokens(12), 16));
        QCOMPARE(r3.tokens, r1.tokens);
        QCOMPARE(r3.stats.cachedTokens, 11);
    }

    void seedsAreReproducible() {
        LlmSession s(llmtest::model("phi3"), {.contextLength = 128});
        GenerateRequest r = greedy(someTokens(8), 24);
        r.sampling = {.temperature = 1.5f, .topK = 0, .topP = 1.0f, .minP = 0.0f};
        r.sampling.seed = 1234;
        const auto first = s.generate(r);
        const auto again = s.generate(r);
        QCOMPARE(first.stats.seed, std::uint64_t(1234));
        QCOMPARE(again.tokens, first.tokens);
        r.sampling.seed = 4321;
        QVERIFY(s.generate(r).tokens != first.tokens);
    }

    void followUpProcessesOnlyNewTokens() {
        LlmSession s(llmtest::model("llama"), {.contextLength = 128, .batchSize = 8});
        const std::vector<TokenId> first = someTokens(30);
        const auto r1 = s.generate(greedy(first, 4));
        QCOMPARE(r1.stats.cachedTokens, 0);
        QCOMPARE(r1.stats.processedTokens, 30); // in chunks of 8
        // The cache now holds the prompt and the reply but its last token.
        QCOMPARE(s.cachedTokens().size(), std::size_t(30 + 3));

        // Next turn: the conversation so far plus new tokens.
        std::vector<TokenId> second = first;
        second.insert(second.end(), r1.tokens.begin(), r1.tokens.end());
        for (TokenId t : {300, 301, 302, 303, 304}) second.push_back(t);
        const auto r2 = s.generate(greedy(second, 6));
        QCOMPARE(r2.stats.cachedTokens, 33);
        QCOMPARE(r2.stats.processedTokens, std::int64_t(second.size()) - 33);

        // Reuse gives what a fresh session computes from scratch.
        LlmSession fresh(llmtest::model("llama"), {.contextLength = 128});
        QCOMPARE(fresh.generate(greedy(second, 6)).tokens, r2.tokens);

        // A different conversation shares only BOS: everything else is processed again.
        const auto r3 = s.generate(greedy(someTokens(10, 90), 2));
        QCOMPARE(r3.stats.cachedTokens, 1);
    }

    void fitPromptDropsOldTurnsAndKeepsTheSystemPrompt() {
        std::vector<TokenId> prompt(40);
        for (std::size_t i = 0; i < prompt.size(); ++i) prompt[i] = TokenId(i);
        // Protected 0..3, turns at 4, 14, 24, 34; budget 28 -> drop 12: two whole turns.
        const FittedPrompt f = fitPrompt(prompt, 4, {4, 14, 24, 34}, 28);
        QCOMPARE(f.droppedTurns, 2);
        QCOMPARE(f.droppedTokens, 20);
        std::vector<TokenId> want{0, 1, 2, 3};
        for (TokenId t = 24; t < 40; ++t) want.push_back(t);
        QCOMPARE(f.tokens, want);
        // Without turns: just enough tokens after the protected prefix.
        const FittedPrompt g = fitPrompt(prompt, 4, {}, 30);
        QCOMPARE(g.droppedTokens, 10);
        QCOMPARE(g.tokens[4], TokenId(14));
        QCOMPARE(g.tokens.size(), std::size_t(30));
        // It fits: unchanged.
        QCOMPARE(fitPrompt(prompt, 4, {4, 14}, 40).tokens, prompt);
        // The protected part alone is too long.
        QVERIFY_THROWS_EXCEPTION(Error, fitPrompt(prompt, 30, {}, 20));
    }

    void contextOverflowIsReported() {
        LlmSession s(llmtest::model("qwen3"), {.contextLength = 32});
        GenerateRequest r = greedy(someTokens(40), 4);
        r.protectedPrefix = 4;
        r.turnStarts = {4, 14, 24, 34};
        const auto result = s.generate(r);
        QCOMPARE(result.stats.droppedTurns, 2);
        QCOMPARE(result.stats.droppedTokens, 20);
        QCOMPARE(result.stats.promptTokens, 20);
        QCOMPARE(result.tokens.size(), std::size_t(4));
        // Generation that reaches the end of the context stops there.
        GenerateRequest longer = greedy(someTokens(20), 100);
        longer.reserveForReply = 0;
        const auto full = s.generate(longer);
        QCOMPARE(full.stats.stopReason, StopReason::ContextFull);
        QCOMPARE(s.cachedTokens().size(), std::size_t(32));
    }

    void stopStringsEndTheReplyBeforeThem() {
        LlmSession s(llmtest::model("qwen2"), {.contextLength = 128});
        const auto plain = s.generate(greedy(someTokens(6), 24));
        // The first ASCII letter after the start of the reply becomes the stop string.
        std::size_t at = 1;
        while (at < plain.text.size() && !std::isalpha(static_cast<unsigned char>(plain.text[at])))
            ++at;
        QVERIFY2(at < plain.text.size(), "the reply has no ASCII letter to stop at");
        const std::string stop = plain.text.substr(at, 1);
        GenerateRequest r = greedy(someTokens(6), 24);
        r.stopStrings = {stop, "never-appears"};
        std::string streamed;
        const auto result = s.generate(r, [&streamed](const TokenPiece& p) { streamed += p.text; });
        QCOMPARE(result.stats.stopReason, StopReason::StopString);
        QCOMPARE(result.text, plain.text.substr(0, plain.text.find(stop)));
        QCOMPARE(streamed, result.text);
    }

    void maxTokensAndEndOfGeneration() {
        LlmSession s(llmtest::model("gemma2"), {.contextLength = 64});
        QCOMPARE(s.generate(greedy(someTokens(5), 3)).tokens.size(), std::size_t(3));
        QCOMPARE(s.generate(greedy(someTokens(5), 0)).tokens.size(), std::size_t(0));
        // Ban everything but EOS: the reply ends at once, EOS not included.
        GenerateRequest r = greedy(someTokens(5), 10);
        r.stopAtEndOfGeneration = true;
        for (TokenId id = 0; id < TokenId(llmtest::model("gemma2")->hparams().vocabSize); ++id)
            if (id != 2) r.sampling.logitBias[id] = -1e30f;
        const auto result = s.generate(r);
        QCOMPARE(result.stats.stopReason, StopReason::EndOfGeneration);
        QVERIFY(result.tokens.empty());
    }

    void cancellationStopsBetweenTokens() {
        LlmSession s(llmtest::model("phi3"), {.contextLength = 128});
        std::stop_source stop;
        GenerateRequest r = greedy(someTokens(6), 50);
        std::int64_t pieces = 0, tokensWhenStopped = -1;
        const auto result = s.generate(
            r,
            [&](const TokenPiece& p) {
                if (++pieces == 2) {
                    stop.request_stop();
                    tokensWhenStopped = p.generatedTokens;
                }
            },
            stop.get_token());
        QCOMPARE(result.stats.stopReason, StopReason::Cancelled);
        // Not one more token after the request; the partial reply is kept.
        QCOMPARE(std::int64_t(result.tokens.size()), tokensWhenStopped);
        QVERIFY(!result.text.empty());
        QVERIFY(s.cachedTokens().size() <= 6 + result.tokens.size());

        std::stop_source before;
        before.request_stop();
        const auto none = s.generate(greedy(someTokens(6, 70), 5), {}, before.get_token());
        QCOMPARE(none.stats.stopReason, StopReason::Cancelled);
        QVERIFY(none.tokens.empty());
    }

    void streamedPiecesAreTheWholeText() {
        LlmSession s(llmtest::model("llama"), {.contextLength = 64});
        std::string streamed;
        GenerateRequest r = greedy(someTokens(4), 20);
        r.sampling = {.temperature = 1.0f, .topK = 0, .topP = 1.0f, .minP = 0.0f, .seed = 7};
        const auto result = s.generate(r, [&](const TokenPiece& p) {
            QVERIFY(!p.text.empty());
            streamed += p.text;
        });
        QCOMPARE(streamed, result.text);
        QCOMPARE(result.stats.generatedTokens, 20);
    }

    void sessionsOnOneModelRunOnTwoThreads() {
        const auto model = llmtest::model("gemma2");
        LlmSession alone(model, {.contextLength = 64});
        const auto want = alone.generate(greedy(someTokens(10), 12)).tokens;
        std::vector<TokenId> got[2];
        {
            std::jthread workers[2];
            for (int i = 0; i < 2; ++i)
                workers[i] = std::jthread([&, i] {
                    LlmSession s(model, {.contextLength = 64});
                    got[i] = s.generate(greedy(someTokens(10), 12)).tokens;
                });
        }
        QCOMPARE(got[0], want);
        QCOMPARE(got[1], want);
    }

    void chatPromptUsesTheTemplateAndDropsOldMessages() {
        const auto model = llmtest::model("qwen2"); // ChatML template, <|im_start|> tokens
        const ChatPromptBuilder builder(*model);
        std::vector<chat::ChatMessage> messages{{"system", "the cat"}};
        for (int i = 0; i < 6; ++i) {
            messages.push_back({"user", "hello world " + std::to_string(i)});
            messages.push_back({"assistant", "once upon a time"});
        }
        messages.push_back({"user", "the dog"});
        const ChatPrompt all = builder.build(messages, 10000);
        QCOMPARE(all.droppedMessages, std::size_t(0));
        QVERIFY(all.text.rfind("<|im_start|>system\nthe cat<|im_end|>\n", 0) == 0);
        QVERIFY(all.text.ends_with("<|im_start|>user\nthe dog<|im_end|>\n<|im_start|>assistant\n"));
        QCOMPARE(all.tokens[0], TokenId(1)); // BOS, as the metadata asks
        QVERIFY(all.protectedPrefix > 3);

        const ChatPrompt fitted = builder.build(messages, all.tokens.size() / 2);
        QVERIFY(fitted.droppedMessages >= 2);
        QCOMPARE(fitted.droppedMessages % 2, std::size_t(0)); // user + assistant pairs
        QVERIFY(fitted.tokens.size() <= all.tokens.size() / 2);
        QVERIFY(fitted.text.rfind("<|im_start|>system\nthe cat<|im_end|>\n<|im_start|>user\n", 0) ==
                0);
        QVERIFY(
            fitted.text.ends_with("<|im_start|>user\nthe dog<|im_end|>\n<|im_start|>assistant\n"));

        // A chat turn, then the next one reuses the cached conversation.
        LlmSession s(model, {.contextLength = 256});
        GenerateRequest r;
        r.prompt = all.tokens;
        r.protectedPrefix = all.protectedPrefix;
        r.maxTokens = 4;
        r.sampling.temperature = 0.0f;
        const auto reply = s.generate(r);
        messages.push_back({"assistant", reply.text});
        messages.push_back({"user", "a girl named lily"});
        r.prompt = builder.build(messages, 10000).tokens;
        const auto next = s.generate(r);
        QVERIFY(next.stats.cachedTokens >= std::int64_t(all.tokens.size()));
    }
};

QTEST_GUILESS_MAIN(TestLlmSession)
#include "test_llm_session.moc"
