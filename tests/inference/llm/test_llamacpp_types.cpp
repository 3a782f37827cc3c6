// Conformance against llama.cpp, one weight type at a time: a tiny random-weight llama model per
// type, every matrix (token_embd and output included) in that type, made by llama.cpp's own
// quantizer, and what llama.cpp computed on it (tools/llama_reference/type_fixtures.py ->
// fixtures/types/, reference/types/). Each runs on the CPU and on Vulkan (lavapipe in CI; rows
// skip where there is no Vulkan device): tokenizer ids, teacher-forced top-10 logits, greedy.
//
// Tolerances per type (rule in llamacpp_fixture.hpp), relative to the row's largest |logit|,
// are in kTypes beside the worst errors measured when they were set. Besides llama.cpp, each
// case is checked with the same tolerance against a float64 reference that never rounds
// activations (numpy_top_logits: tools/make_models/reference.py on the same file), so an
// error shared with llama.cpp (a misread block layout in both, say) cannot hide either.
#include "llamacpp_fixture.hpp"

using namespace atelier::llm;
using namespace llamacpp;

namespace {

struct TypeCase {
    const char* name;
    double tolerance; // against llama.cpp and the float64 reference, every backend
};

// Measured on 2026-11-25 (CPU AVX-512 / lavapipe), in the comments: worst error against
// llama.cpp on the CPU and on Vulkan; then against the float64 reference (both backends).
// Both backends round activations as llama.cpp's CPU build does (8-bit blocks for quantized
// weights, F16/BF16 for those) and match it to 1e-5 at most steps; the exceptions are single
// steps where one rounding falls the other way. That rounding is also why everything is ~1%
// from the float64 reference.
constexpr TypeCase kTypes[] = {
    {"F32", 0.001},  // 0.00008 / 0.00001; 0.00018
    {"F16", 0.002},  // 0.00019 / 0.00024; 0.00052
    {"BF16", 0.005}, // 0.00183 / 0.00094; 0.00227
    {"Q4_0", 0.025}, // 0.00467 / 0.00648; 0.01255
    {"Q4_1", 0.025}, // 0.00000 / 0.00000; 0.01151
    {"Q5_0", 0.025}, // 0.00000 / 0.00000; 0.01204
    {"Q5_1", 0.025}, // 0.00000 / 0.00678; 0.00960
    {"Q8_0", 0.025}, // 0.00000 / 0.00000; 0.01064
    {"Q2_K", 0.025}, // 0.00000 / 0.00565; 0.01007
    {"Q3_K", 0.025}, // 0.00000 / 0.00111; 0.01156
    {"Q4_K", 0.025}, // 0.00800 / 0.00800; 0.01128
    {"Q5_K", 0.025}, // 0.00516 / 0.00756; 0.00952
    {"Q6_K", 0.025}, // 0.00000 / 0.00000; 0.01319
};

std::string modelPath(const QString& type) {
    return sourcePath("fixtures/types/llama-" + type.toStdString() + ".gguf");
}

QJsonObject typeFixture(const QString& type) {
    return readFixture("types/llama-" + type.toStdString());
}

// Teacher-forced like the llama.cpp comparison, against the case's numpy_top_logits.
double floatReferenceError(const std::shared_ptr<const LlmModel>& model, const QJsonObject& f) {
    double worst = 0.0;
    for (const auto value : f["cases"].toArray()) {
        const QJsonObject c = value.toObject();
        const QJsonArray tops = c["numpy_top_logits"].toArray();
        if (tops.isEmpty()) return HUGE_VAL; // a fixture without the reference fails
        const auto greedy = ids(c["greedy"]);
        std::vector<TokenId> tokens = ids(c["prompt_tokens"]);
        LlmSession session(model, {.contextLength = f["settings"]["n_ctx"].toInt()});
        for (qsizetype s = 0; s < tops.size(); ++s) {
            worst = std::max(worst, stepError(session.evaluate(tokens), tops[s].toObject()));
            tokens.push_back(greedy.at(std::size_t(s)));
        }
    }
    return worst;
}

} // namespace

class TestLlamaCppTypes : public QObject {
    Q_OBJECT

private slots:
    void modelUnchanged_data() {
        QTest::addColumn<QString>("type");
        for (const TypeCase& t : kTypes) QTest::newRow(t.name) << QString(t.name);
    }
    void modelUnchanged() {
        QFETCH(QString, type);
        QVERIFY2(sameModel(modelPath(type), typeFixture(type)),
                 "the type fixture changed since llama.cpp's reference was recorded: run "
                 "tools/llama_reference/type_fixtures.py");
    }

    void typeCases_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("backend");
        QTest::addColumn<double>("tolerance");
        for (const TypeCase& t : kTypes)
            for (const char* b : kBackends)
                QTest::addRow("%s/%s", t.name, b) << QString(t.name) << QString(b) << t.tolerance;
    }
    void typeCases() {
        QFETCH(QString, type);
        QFETCH(QString, backend);
        QFETCH(double, tolerance);
        if (skipUnavailable(backend)) QSKIP("no Vulkan backend or device here");
        const auto model = loadModel(modelPath(type), backend.toStdString());
        const QJsonObject f = typeFixture(type);
        runShortCases(model, f, tolerance, type + "/" + backend);
        if (QTest::currentTestFailed()) return;
        const double err = floatReferenceError(model, f);
        qInfo("%s/%s: worst relative top-logit error against the float64 reference %.5f "
              "(tolerance %.3f)",
              qPrintable(type), qPrintable(backend), err, tolerance);
        QVERIFY2(err < tolerance, "too far from the float64 numpy reference");
    }
};

QTEST_GUILESS_MAIN(TestLlamaCppTypes)
#include "test_llamacpp_types.moc"
