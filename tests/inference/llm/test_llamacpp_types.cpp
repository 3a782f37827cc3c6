// Conformance against llama.cpp, one weight type at a time: a tiny random-weight llama model per
// type, every matrix (token_embd and output included) in that type, made by llama.cpp's own
// quantizer, and what llama.cpp computed on it (tools/llama_reference/type_fixtures.py ->
// fixtures/types/, reference/types/). Each runs on the CPU and on Vulkan (lavapipe in CI; rows
// skip where there is no Vulkan device): tokenizer ids, teacher-forced top-10 logits, greedy.
//
// Tolerance per type (rule in llamacpp_fixture.hpp), relative to the row's largest |logit|:
// stated in kTypes beside the worst error measured when it was set. Quantized types differ
// from llama.cpp mostly through activation quantization (both engines round activations to
// 8 bits for quantized dot products, not always in the same blocks) and summation order.
#include "llamacpp_fixture.hpp"

using namespace atelier::llm;
using namespace llamacpp;

namespace {

struct TypeCase {
    const char* name;
    double tolerance;
};

// Worst error measured on 2026-11-25 (CPU AVX2 / lavapipe) in the comments. The CPU backend
// rounds activations to 8 bits as llama.cpp's CPU build does and matches it to 1e-5 on most
// types. The Vulkan shaders keep activations in F32: their error on every quantized type equals,
// to 5 digits, how far a float64 numpy reference on the same file (tools/make_models/
// reference.py) is from llama.cpp -- llama.cpp's own activation rounding, not a shader error.
constexpr TypeCase kTypes[] = {
    {"F32", 0.001},  // 0.00008 / 0.00017
    {"F16", 0.002},  // 0.00019 / 0.00044
    {"BF16", 0.005}, // 0.00183 / 0.00227
    {"Q4_0", 0.025}, // 0.00648 / 0.00996
    {"Q4_1", 0.025}, // 0.00000 / 0.01153
    {"Q5_0", 0.025}, // 0.00000 / 0.01209
    {"Q5_1", 0.025}, // 0.00000 / 0.00955
    {"Q8_0", 0.025}, // 0.00000 / 0.01064
    {"Q2_K", 0.025}, // 0.00000 / 0.01004
    {"Q3_K", 0.025}, // 0.00000 / 0.01156
    {"Q4_K", 0.025}, // 0.00000 / 0.01131
    {"Q5_K", 0.025}, // 0.00724 / 0.00953
    {"Q6_K", 0.025}, // 0.00000 / 0.01321
};

std::string modelPath(const QString& type) {
    return sourcePath("fixtures/types/llama-" + type.toStdString() + ".gguf");
}

QJsonObject typeFixture(const QString& type) {
    return readFixture("types/llama-" + type.toStdString());
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
        runShortCases(loadModel(modelPath(type), backend.toStdString()), typeFixture(type),
                      tolerance, type + "/" + backend);
    }
};

QTEST_GUILESS_MAIN(TestLlamaCppTypes)
#include "test_llamacpp_types.moc"
