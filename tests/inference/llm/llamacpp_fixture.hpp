#pragma once
// Shared by the llama.cpp conformance tests: reading the fixtures tools/llama_reference
// recorded (format in tools/llama_reference/README.md) and comparing the engine's greedy tokens
// and logits with them.
//
// Tolerance rule: for each step and each of llama.cpp's top-10 ids, |ours - llama.cpp| divided
// by the row's largest |logit| stays below the stated tolerance. Greedy tokens must be equal,
// except where llama.cpp's own top-2 margin at that step is inside the tolerance (a near tie
// either engine may break either way); the comparison stops at such a step.
#include "inference/llm/session.hpp"
#include "llm_test_support.hpp"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <algorithm>
#include <cmath>
#include <optional>

namespace llamacpp {

using atelier::llm::GenerateRequest;
using atelier::llm::LlmModel;
using atelier::llm::LlmSession;
using atelier::llm::SessionParams;
using atelier::llm::TokenId;

inline std::string sourcePath(const std::string& relative) {
    return std::string(ATELIER_SOURCE_DIR) + "/tests/inference/llm/" + relative;
}

// reference/<name>.llamacpp.json
inline QJsonObject readFixture(const std::string& name) {
    QFile file(QString::fromStdString(sourcePath("reference/" + name + ".llamacpp.json")));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open the llama.cpp fixture %s", name.c_str());
    return QJsonDocument::fromJson(file.readAll()).object();
}

// Loaded once per test executable, file and backend (the test functions share them).
inline std::shared_ptr<const LlmModel> loadModel(const std::string& path,
                                                 const std::string& backend) {
    static std::map<std::string, std::shared_ptr<const LlmModel>> cache;
    auto& slot = cache[path + "/" + backend];
    if (!slot) {
        atelier::llm::LoadParams params;
        params.threads = 2;
        params.backend = backend;
        slot = atelier::llm::LlmEngine::load({path}, params);
    }
    return slot;
}

// Whether the file is still the one llama.cpp's reference was recorded on.
inline bool sameModel(const std::string& path, const QJsonObject& fixture) {
    QFile model(QString::fromStdString(path));
    if (!model.open(QIODevice::ReadOnly)) return false;
    const QByteArray digest =
        QCryptographicHash::hash(model.readAll(), QCryptographicHash::Sha256).toHex();
    return digest == fixture["model_sha256"].toString().toLatin1();
}

// The backends every case runs on: the CPU always, Vulkan where the build and machine have it
// (rows skip otherwise, so a missing device shows in the log).
inline const char* kBackends[] = {"cpu", "vulkan"};

inline bool skipUnavailable(const QString& backend) {
    return backend != "cpu" && !llmtest::vulkanAvailable();
}

inline std::vector<TokenId> ids(const QJsonValue& v) {
    std::vector<TokenId> out;
    for (const auto x : v.toArray()) out.push_back(TokenId(x.toInt()));
    return out;
}

inline std::vector<std::size_t> positions(const QJsonValue& v) {
    std::vector<std::size_t> out;
    for (const auto x : v.toArray()) out.push_back(std::size_t(x.toInt()));
    return out;
}

inline QJsonObject caseNamed(const QJsonObject& f, const QString& name) {
    for (const auto v : f["cases"].toArray())
        if (v.toObject()["name"].toString() == name) return v.toObject();
    qFatal("fixture has no case %s", qPrintable(name));
}

// Largest relative difference at llama.cpp's top ids of one step.
inline double stepError(const std::vector<float>& ours, const QJsonObject& top) {
    const QJsonArray topIds = top["ids"].toArray(), values = top["values"].toArray();
    const double scale = top["max_abs"].toDouble();
    double worst = 0.0;
    for (qsizetype i = 0; i < topIds.size(); ++i) {
        const auto id = std::size_t(topIds[i].toInt());
        worst = std::max(worst, std::abs(double(ours.at(id)) - values[i].toDouble()) / scale);
    }
    return worst;
}

inline double topMargin(const QJsonObject& top) {
    const QJsonArray values = top["values"].toArray();
    return (values[0].toDouble() - values[1].toDouble()) / top["max_abs"].toDouble();
}

// Greedy tokens equal up to the first step where llama.cpp itself had a near tie.
inline void compareGreedy(const std::vector<TokenId>& ours, const QJsonObject& c, double tol,
                          const QString& what) {
    const auto want = ids(c["greedy"]);
    const QJsonArray tops = c["top_logits"].toArray();
    QCOMPARE(ours.size(), want.size());
    for (std::size_t s = 0; s < want.size(); ++s) {
        if (ours[s] == want[s]) continue;
        const bool nearTie =
            qsizetype(s) < tops.size() && topMargin(tops[qsizetype(s)].toObject()) < tol;
        QVERIFY2(nearTie, qPrintable(QString("%1: greedy token %2 is %3, llama.cpp chose %4")
                                         .arg(what)
                                         .arg(s)
                                         .arg(ours[s])
                                         .arg(want[s])));
        qInfo("%s: near tie at step %zu (llama.cpp margin below tolerance); stopped there",
              qPrintable(what), s);
        return;
    }
}

// Teacher-forced logits: after the prompt and after each of llama.cpp's greedy tokens.
inline double compareLogits(LlmSession& session, std::vector<TokenId> tokens, const QJsonObject& c,
                            double tol, const QString& what) {
    const auto greedy = ids(c["greedy"]);
    const QJsonArray tops = c["top_logits"].toArray();
    double worst = 0.0;
    for (qsizetype s = 0; s < tops.size(); ++s) {
        const std::vector<float> logits = session.evaluate(tokens);
        const double err = stepError(logits, tops[s].toObject());
        worst = std::max(worst, err);
        if (err >= tol)
            QTest::qFail(qPrintable(QString("%1 step %2: relative logit error %3 >= %4")
                                        .arg(what)
                                        .arg(s)
                                        .arg(err)
                                        .arg(tol)),
                         __FILE__, __LINE__);
        tokens.push_back(greedy.at(std::size_t(s)));
    }
    return worst;
}

inline GenerateRequest greedyRequest(std::vector<TokenId> prompt, int maxTokens) {
    GenerateRequest r;
    r.prompt = std::move(prompt);
    r.sampling.temperature = 0.0f;
    r.maxTokens = maxTokens;
    r.stopAtEndOfGeneration = false;
    return r;
}

// The text, id and long-prefill cases of a fixture: tokenizer ids, teacher-forced top logits,
// then a free greedy run. Returns the worst relative top-logit error.
inline double runShortCases(const std::shared_ptr<const LlmModel>& model, const QJsonObject& f,
                            double tol, const QString& label) {
    double worst = 0.0;
    for (const auto value : f["cases"].toArray()) {
        const QJsonObject c = value.toObject();
        const QString kind = c["kind"].toString(), what = label + "/" + c["name"].toString();
        if (kind != "text" && kind != "ids" && kind != "long_prefill") continue;
        const auto prompt = ids(c["prompt_tokens"]);
        if (kind == "text") {
            const std::string text = c["prompt_text"].toString().toStdString();
            std::vector<TokenId> ours = model->tokenizer().encode(text);
            if (ours.empty()) ours.push_back(*model->tokenizer().bos());
            if (ours != prompt) {
                QTest::qFail(qPrintable(what + ": our tokenizer's ids differ from llama.cpp's"),
                             __FILE__, __LINE__);
                return worst;
            }
        }
        const int ctx = c.contains("n_ctx") ? c["n_ctx"].toInt() : f["settings"]["n_ctx"].toInt();
        QElapsedTimer timer;
        timer.start();
        LlmSession session(model, {.contextLength = ctx});
        const double err = compareLogits(session, prompt, c, tol, what);
        worst = std::max(worst, err);
        if (QTest::currentTestFailed()) return worst;
        // The free greedy run in a fresh session; but the 1,100-token prompt is already in this
        // session's cache, and a second long prefill takes seconds on lavapipe: there generate()
        // reuses the cached prompt (prefix reuse has its own test).
        const bool reuse = kind == "long_prefill";
        std::optional<LlmSession> fresh;
        if (!reuse) fresh.emplace(model, SessionParams{.contextLength = ctx});
        const auto steps = int(ids(c["greedy"]).size());
        const auto result = (reuse ? session : *fresh).generate(greedyRequest(prompt, steps));
        if (reuse && result.stats.cachedTokens + 1 < std::int64_t(prompt.size())) {
            QTest::qFail(qPrintable(what + ": the cached prompt was not reused"), __FILE__,
                         __LINE__);
            return worst;
        }
        compareGreedy(result.tokens, c, tol, what);
        qInfo("%s: %zu prompt tokens, worst relative top-logit error %.5f (%lld ms)",
              qPrintable(what), prompt.size(), err, timer.elapsed());
        if (QTest::currentTestFailed()) return worst;
    }
    qInfo("%s: worst relative top-logit error %.5f (tolerance %.3f)", qPrintable(label), worst,
          tol);
    return worst;
}

} // namespace llamacpp
