// Loading: hyper-parameters from the metadata of each architecture's fixture, weights found and
// placed, end-of-generation tokens, and clear refusals (unknown architecture, missing tensor,
// unknown backend).
#include "inference/llm/backend_factory.hpp"
#include "inference/llm/kv_cache.hpp"
#include "inference/util/error.hpp"
#include "llm_test_support.hpp"

#include <QTemporaryDir>

using namespace atelier;
using namespace atelier::llm;

namespace {

// A copy of a fixture with `from` replaced by `to` (same length) once, in a temporary folder.
std::string patchedFixture(const QTemporaryDir& dir, const std::string& arch, QByteArray from,
                           QByteArray to) {
    QFile in(QString::fromStdString(llmtest::fixturePath(arch)));
    if (!in.open(QIODevice::ReadOnly)) qFatal("cannot read fixture");
    QByteArray bytes = in.readAll();
    const qsizetype at = bytes.indexOf(from);
    if (at < 0 || from.size() != to.size()) qFatal("patch target not found");
    bytes.replace(at, from.size(), to);
    const QString path = dir.filePath("patched.gguf");
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size()) qFatal("cannot write");
    return path.toStdString();
}

} // namespace

class TestLlmModel : public QObject {
    Q_OBJECT

private slots:
    void hyperParameters() {
        const HParams& gemma = llmtest::model("gemma2")->hparams();
        QCOMPARE(gemma.architecture, std::string("gemma2"));
        QCOMPARE(gemma.embedding, 32);
        QCOMPARE(gemma.layers, 3);
        QCOMPARE(gemma.heads, 2);
        QCOMPARE(gemma.kvHeads, 1);
        QCOMPARE(gemma.headDimK, 16); // key_length, not n_embd / n_head
        QCOMPARE(gemma.slidingWindow, 6);
        QCOMPARE(gemma.attnSoftcap, 50.0f);
        QCOMPARE(gemma.finalSoftcap, 30.0f);
        QCOMPARE(gemma.ropeMode, compute::RopeMode::NeoX);
        QVERIFY(std::abs(gemma.embeddingScale - std::sqrt(32.0f)) < 1e-6f);

        const HParams& llama = llmtest::model("llama")->hparams();
        QCOMPARE(llama.ropeMode, compute::RopeMode::Normal);
        QCOMPARE(llama.ropeFreqBase, 500000.0f);
        QCOMPARE(llama.headDimK, 8);
        QCOMPARE(llama.contextLength, 256);
        QCOMPARE(llama.rmsEps, 1e-6f);
        QCOMPARE(llama.slidingWindow, 0);
    }

    void kvCacheSize() {
        // gemma2 fixture: 3 layers x (K + V) x 16 dims x 1 kv head x 100 positions x 2 bytes.
        QCOMPARE(KvCache::bytesFor(llmtest::model("gemma2")->hparams(), 100),
                 std::size_t(3 * 2 * 16 * 1 * 100 * 2));
    }

    void weightsPerArchitecture() {
        const ModelWeights& llama = llmtest::model("llama")->weights();
        QVERIFY(llama.tiedEmbeddings);
        QVERIFY(llama.layers[0].ropeFreqs.has_value());
        QCOMPARE(llama.layers[0].wq->type, compute::ElementType::Q8_0);

        const ModelWeights& qwen2 = llmtest::model("qwen2")->weights();
        QVERIFY(!qwen2.tiedEmbeddings);
        QVERIFY(qwen2.layers[1].bq && qwen2.layers[1].bk && qwen2.layers[1].bv);

        const ModelWeights& qwen3 = llmtest::model("qwen3")->weights();
        QVERIFY(qwen3.layers[0].qNorm && qwen3.layers[0].kNorm && !qwen3.layers[0].bq);

        const ModelWeights& phi3 = llmtest::model("phi3")->weights();
        QVERIFY(phi3.layers[0].wqkv && !phi3.layers[0].wq && !phi3.layers[0].ffnGate);
        QCOMPARE(phi3.layers[0].ffnUp.ne[1], 2 * 64);

        const ModelWeights& gemma = llmtest::model("gemma2")->weights();
        QVERIFY(gemma.layers[2].attnPostNorm && gemma.layers[2].ffnPostNorm);
    }

    void weightsStayInTheMappedFileOnTheCpu() {
        const auto model = llmtest::model("qwen2");
        const gguf::TensorInfo* info = model->file().findTensor("blk.0.attn_q.weight");
        const Tensor& wq = *model->weights().layers[0].wq;
        QVERIFY(wq.buffer->readOnly());
        QCOMPARE(static_cast<const void*>(wq.buffer->hostData() + wq.offset),
                 static_cast<const void*>(info->data));
    }

    void endOfGenerationTokens() {
        const auto model = llmtest::model("qwen2");
        const auto imEnd =
            model->tokenizer().encode("<|im_end|>", {.addBos = false, .parseSpecial = true});
        QCOMPARE(imEnd.size(), std::size_t(1));
        QVERIFY(model->isEndOfGeneration(2)); // eos
        QVERIFY(model->isEndOfGeneration(imEnd[0]));
        QVERIFY(!model->isEndOfGeneration(1)); // bos
    }

    void unknownArchitectureIsRefusedByName() {
        QTemporaryDir dir;
        // general.architecture's value "qwen3" (5 bytes) -> "mamba".
        QFile in(QString::fromStdString(llmtest::fixturePath("qwen3")));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray bytes = in.readAll();
        const QByteArray key("general.architecture");
        const qsizetype at = bytes.indexOf(key);
        QVERIFY(at > 0);
        // key, u32 type (8 = string), u64 length 5, then the value.
        const qsizetype value = at + key.size() + 4 + 8;
        QCOMPARE(bytes.mid(value, 5), QByteArray("qwen3"));
        bytes.replace(value, 5, "mamba");
        const QString patched = dir.filePath("mamba.gguf");
        QFile out(patched);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(bytes);
        out.close();
        try {
            LlmEngine::load({patched.toStdString()});
            QFAIL("an unknown architecture was loaded");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Unsupported);
            QVERIFY2(std::string(e.what()).find("'mamba'") != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find("mamba.gguf") != std::string::npos, e.what());
        }
    }

    void missingTensorIsNamed() {
        QTemporaryDir dir;
        const std::string path =
            patchedFixture(dir, "llama", "blk.1.ffn_up.weight", "blk.1.ffn_xx.weight");
        try {
            LlmEngine::load({path});
            QFAIL("a model with a missing tensor was loaded");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Format);
            QVERIFY2(std::string(e.what()).find("blk.1.ffn_up.weight is missing") !=
                         std::string::npos,
                     e.what());
        }
    }

    void unknownBackendIsRefused() {
        QVERIFY_THROWS_EXCEPTION(
            Error, LlmEngine::load({llmtest::fixturePath("llama")}, {.backend = "cuda:0"}));
        QCOMPARE(parseBackendName("vulkan:2").deviceIndex, 2);
        QVERIFY(parseBackendName("vulkan").device);
        QVERIFY(!parseBackendName("cpu").device);
        QVERIFY_THROWS_EXCEPTION(Error, parseBackendName("vulkan:x"));
        if (!hasVulkanBackend())
            QVERIFY_THROWS_EXCEPTION(
                Error, LlmEngine::load({llmtest::fixturePath("llama")}, {.backend = "vulkan"}));
    }

    void loadReportsProgressAndCanBeCancelled() {
        std::vector<double> seen;
        LlmEngine::load({llmtest::fixturePath("gemma2")}, {},
                        [&seen](double f, std::string_view) { seen.push_back(f); });
        QVERIFY(seen.size() >= 3);
        QCOMPARE(seen.back(), 1.0);

        std::stop_source stop;
        stop.request_stop();
        QVERIFY_THROWS_EXCEPTION(
            OperationCancelled,
            LlmEngine::load({llmtest::fixturePath("gemma2")}, {}, {}, stop.get_token()));
    }
};

QTEST_GUILESS_MAIN(TestLlmModel)
#include "test_llm_model.moc"
