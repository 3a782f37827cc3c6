// atelier-cli generate / chat / bench as a user runs them (subprocesses): greedy output equals
// what the engine and the numpy reference give, statistics on stderr only, exit codes for bad
// input, prefix reuse between chat turns, one JSON line from bench.
#include "inference/llm/session.hpp"
#include "llm_test_support.hpp"
#include "tests/support/cli_run.hpp"

namespace {

using Result = atelier::testing::CliRun;
using atelier::testing::runCli;

QString fixture(const char* arch) {
    return QString::fromStdString(llmtest::fixturePath(arch));
}

} // namespace

class TestLlmCli : public QObject {
    Q_OBJECT

private slots:
    void generateGreedyPrintsOnlyTheReply() {
        // The reference prompt starts with BOS and holds ordinary tokens; as text, the tokenizer
        // gives the same ids back only for some, so compare with the engine on the same text.
        const auto model = llmtest::model("qwen2");
        const std::string prompt = "the cat sat on the mat";
        const Result r = runCli({"generate", "-m", fixture("qwen2"), "-p",
                                 QString::fromStdString(prompt), "-n", "12", "--temp", "0"});
        QCOMPARE(r.exitCode, 0);

        atelier::llm::LlmSession session(model, {.contextLength = 64});
        atelier::llm::GenerateRequest request;
        request.prompt = model->tokenizer().encode(prompt, {.parseSpecial = true});
        request.sampling.temperature = 0.0f;
        request.maxTokens = 12;
        const auto expected = session.generate(request);
        QCOMPARE(r.out.toStdString(), expected.text);
        QVERIFY2(r.err.contains("generated 12 tokens") || r.err.contains("stop: eog"),
                 r.err.constData());
    }

    void emptyPromptStartsFromBos() {
        const Result r = runCli({"generate", "-m", fixture("llama"), "-n", "4", "--seed", "5"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("prompt 1 tokens"), r.err.constData());
        QVERIFY2(r.err.contains("seed 5"), r.err.constData());
    }

    void badInputGivesExitCodes() {
        QCOMPARE(runCli({"generate", "-m", fixture("llama"), "--backend", "gpu"}).exitCode, 2);
        QCOMPARE(runCli({"generate", "-m", fixture("llama"), "--top-p", "7"}).exitCode, 2);
        QCOMPARE(runCli({"generate"}).exitCode, 2);
        const Result missing = runCli({"generate", "-m", "/nonexistent/model.gguf"});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("/nonexistent/model.gguf"));
    }

    void chatReusesTheConversation() {
        const Result r = runCli(
            {"chat", "-m", fixture("qwen2"), "--system", "the cat", "-n", "6", "--temp", "0"},
            "hello world\nthe dog is on the mat\n");
        QCOMPARE(r.exitCode, 0);
        const QList<QByteArray> stats = [&] {
            QList<QByteArray> lines;
            for (const QByteArray& line : r.err.split('\n'))
                if (line.contains("cached")) lines.push_back(line);
            return lines;
        }();
        QCOMPARE(stats.size(), 2);
        QVERIFY2(stats[0].contains("(0 cached"), stats[0].constData());
        QVERIFY2(!stats[1].contains("(0 cached"), stats[1].constData());
    }

    void benchPrintsOneJsonLine() {
        const Result r = runCli({"bench", "-m", fixture("phi3"), "-p", "16", "-n", "4", "--reps",
                                 "2", "--threads", "2"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.count('\n'), 1);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["threads"].toInt(), 2);
        QCOMPARE(o["reps"].toInt(), 2);
        QVERIFY(o["prefill_tps_mean"].toDouble() > 0);
        QVERIFY(o["decode_tps_mean"].toDouble() > 0);
        QVERIFY(o.contains("prefill_tps_stddev") && o.contains("decode_tps_stddev"));
        QVERIFY(o["peak_rss_bytes"].toDouble() > 1e6);
        QVERIFY(o["backend"].toString().startsWith("cpu"));
    }
};

QTEST_GUILESS_MAIN(TestLlmCli)
#include "test_llm_cli.moc"
