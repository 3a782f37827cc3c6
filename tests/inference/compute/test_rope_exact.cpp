// Rope with a host-made angle table (compute/rope_angles.hpp, Backend::ropeWithAngles): on every
// backend against the scalar reference, and bit for bit the same on every backend given the same
// table (what makes the CPU and Vulkan backends' greedy text agree at near-ties).
#include "inference/compute/rope_angles.hpp"
#include "inference/llm/forward.hpp"
#include "inference/llm/llm_engine.hpp"
#include "inference/util/error.hpp"
#include "reference_ops.hpp"
#include "test_support.hpp"

#include <QTest>
#include <cstring>

using namespace atelier::compute;
using namespace atelier::compute::testing;

namespace {

// The angles are libm's float cos/sin of angles made by repeated multiplication (as ggml's),
// so they differ from the double reference by float rounding growing with the pair index.
constexpr double kRope = 1e-4;

struct Case {
    const char* name;
    RopeParams p;
    bool factors;
};

const Case kCases[] = {
    {"normal", {RopeMode::Normal}, false},
    {"neox", {RopeMode::NeoX, 0, 1e6f}, false},
    {"neox partial dims", {RopeMode::NeoX, 32, 10000.0f}, false},
    {"normal partial dims", {RopeMode::Normal, 16, 10000.0f}, false},
    {"linear scaling", {RopeMode::Normal, 0, 10000.0f, 0.25f}, false},
    {"freq factors", {RopeMode::NeoX, 0, 500000.0f}, true},
    {"freq factors normal", {RopeMode::Normal, 0, 500000.0f, 0.125f}, true},
    {"yarn", {RopeMode::NeoX, 0, 10000.0f, 0.25f, 4096, 1.0f, 1.0f, 32.0f, 1.0f}, false},
};

std::vector<float> factorsFor(const Case& c, int half) {
    std::vector<float> f;
    for (int i = 0; c.factors && i < half; ++i) f.push_back(1.0f + float(i % 5) * 0.75f);
    return f;
}

std::vector<float> table(const RopeParams& p, int headDim, const std::vector<std::int32_t>& pos,
                         const std::vector<float>& factors) {
    std::vector<float> t(pos.size() * std::size_t(ropeDims(p, headDim)));
    ropeAngles(p, headDim, pos, factors, t);
    return t;
}

bool sameBits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * 4) == 0;
}

// How many floats of a and b differ in their bits (for the failure message).
std::size_t differing(const std::vector<float>& a, const std::vector<float>& b) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        n += std::memcmp(&a[i], &b[i], 4) != 0;
    return n;
}

} // namespace

class TestRopeExact : public QObject {
    Q_OBJECT
private slots:
    // The table op on every backend, against the double reference (as test_ops' rope).
    void againstReference() {
        const std::int64_t D = 64, heads = 3, tokens = 5;
        const std::vector<std::int32_t> pos = {0, 1, 7, 30, 99};
        for (const auto& bc : backendsUnderTest()) {
            Device dev(bc);
            const auto x = randomFloats(std::size_t(D * heads * tokens), 7);
            const Tensor xt = dev.f32({D, heads, tokens, 1}, x);
            for (const Case& c : kCases) {
                const int dims = ropeDims(c.p, int(D));
                const auto factors = factorsFor(c, dims / 2);
                const Tensor at = dev.f32({dims, tokens, 1, 1}, table(c.p, int(D), pos, factors));
                Tensor out = dev.out({D, heads, tokens, 1});
                dev.backend().ropeWithAngles(xt, at, out, c.p.mode);
                const double e =
                    normalisedError(dev.read(out), ref::rope(x, pos, factors, D, heads, c.p));
                QVERIFY2(
                    e < kRope,
                    qPrintable(QString("%1 %2: error %3").arg(dev.name().c_str(), c.name).arg(e)));
            }
        }
    }

    // In place on a strided view (q of a fused qkv row): the other heads keep their values.
    void inPlaceView() {
        const std::int64_t D = 32, heads = 2, tokens = 3;
        const std::vector<std::int32_t> pos = {5, 6, 7};
        const RopeParams p{RopeMode::NeoX};
        const auto angles = table(p, int(D), pos, {});
        for (const auto& bc : backendsUnderTest()) {
            Device dev(bc);
            const Tensor fused = dev.f32({D, 2 * heads, tokens, 1},
                                         randomFloats(std::size_t(D * 2 * heads * tokens), 8));
            const Tensor qView =
                fused.view({D, heads, tokens, 1}, {4, fused.nb[1], fused.nb[2], fused.nb[3]});
            const auto before = dev.read(fused);
            dev.backend().ropeWithAngles(qView, dev.f32({D, tokens, 1, 1}, angles), qView, p.mode);
            const auto after = dev.read(fused);
            std::vector<float> q, qAfter;
            for (std::int64_t t = 0; t < tokens; ++t)
                for (std::int64_t h = 0; h < 2 * heads; ++h) {
                    const std::size_t at = std::size_t((t * 2 * heads + h) * D);
                    if (h >= heads) { // k: untouched
                        QVERIFY(std::equal(before.begin() + at, before.begin() + at + D,
                                           after.begin() + at));
                        continue;
                    }
                    q.insert(q.end(), before.begin() + at, before.begin() + at + D);
                    qAfter.insert(qAfter.end(), after.begin() + at, after.begin() + at + D);
                }
            QVERIFY2(normalisedError(qAfter, ref::rope(q, pos, {}, D, heads, p)) < kRope,
                     dev.name().c_str());
        }
    }

    // Every backend rotates the same table to the same bits as the first CPU backend, at
    // positions and magnitudes a long context reaches; and the CPU's positions-based rope is
    // the table op (one code path), so it gives the same bits too.
    void bitIdenticalAcrossBackends() {
        const std::int64_t D = 128, heads = 4, tokens = 9;
        const std::vector<std::int32_t> pos = {0, 1, 2, 17, 511, 1000, 4095, 30001, 131071};
        const auto cases = backendsUnderTest();
        QVERIFY(!cases.empty());
        std::vector<float> x = randomFloats(std::size_t(D * heads * tokens), 11, 4.0f);
        for (std::size_t i = 0; i < x.size(); i += 7) x[i] *= 1000.0f; // wide exponents
        for (const Case& c : kCases) {
            const int dims = ropeDims(c.p, int(D));
            const auto factors = factorsFor(c, dims / 2);
            const auto angles = table(c.p, int(D), pos, factors);
            std::vector<float> want;
            for (const auto& bc : cases) {
                Device dev(bc);
                const Tensor xt = dev.f32({D, heads, tokens, 1}, x);
                Tensor out = dev.out({D, heads, tokens, 1});
                dev.backend().ropeWithAngles(xt, dev.f32({dims, tokens, 1, 1}, angles), out,
                                             c.p.mode);
                const auto got = dev.read(out);
                if (want.empty()) {
                    want = got;
                    // The positions form on the CPU: the same bits.
                    const Tensor ft = c.factors ? dev.f32({dims / 2, 1, 1, 1}, factors) : Tensor{};
                    Tensor byPos = dev.out({D, heads, tokens, 1});
                    dev.backend().rope(xt, dev.ids(pos, {tokens, 1, 1, 1}),
                                       c.factors ? &ft : nullptr, byPos, c.p);
                    const auto viaPositions = dev.read(byPos);
                    QVERIFY2(sameBits(viaPositions, want),
                             qPrintable(QString("%1 %2: rope by positions differs in %3 values")
                                            .arg(bc.name.c_str(), c.name)
                                            .arg(differing(viaPositions, want))));
                    continue;
                }
                QVERIFY2(sameBits(got, want),
                         qPrintable(QString("%1 %2: %3 of %4 values differ from %5")
                                        .arg(bc.name.c_str(), c.name)
                                        .arg(differing(got, want))
                                        .arg(want.size())
                                        .arg(cases.front().name.c_str())));
            }
        }
    }

    // Many rotations with arbitrary tables and values spread over many exponents, where a
    // multiply-then-add would round differently from the fused rotation in a few percent.
    void bitIdenticalRandomTables() {
        const std::int64_t D = 256, heads = 8, tokens = 64;
        std::mt19937 rng(5);
        std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
        std::uniform_int_distribution<int> exponent(-20, 20);
        std::vector<float> x(std::size_t(D * heads * tokens)), angles(std::size_t(D * tokens));
        for (float& v : x) v = std::ldexp(unit(rng), exponent(rng));
        for (float& v : angles) v = unit(rng);
        for (const RopeMode mode : {RopeMode::Normal, RopeMode::NeoX}) {
            std::vector<float> want;
            for (const auto& bc : backendsUnderTest()) {
                Device dev(bc);
                const Tensor xt = dev.f32({D, heads, tokens, 1}, x);
                Tensor out = dev.out({D, heads, tokens, 1});
                dev.backend().ropeWithAngles(xt, dev.f32({D, tokens, 1, 1}, angles), out, mode);
                const auto got = dev.read(out);
                if (want.empty()) want = got;
                QVERIFY2(sameBits(got, want), qPrintable(QString("%1: %2 of %3 values differ")
                                                             .arg(bc.name.c_str())
                                                             .arg(differing(got, want))
                                                             .arg(want.size())));
            }
        }
    }

    // A whole forward pass at positions up to 400 on the CPU and on Vulkan, compared bit for
    // bit: with the host's angle table both backends rotate alike (with angles made in the
    // shader every logit differed, by up to 1%). Needs every other operation exact as well: the
    // block types whose matmuls are (Q4_1, Q5_0, Q5_1) and a device with shaderFloat64 (the
    // exact norms, softmax and attention).
    void forwardPassBitIdentical_data() {
        QTest::addColumn<QString>("type");
        for (const char* t : {"Q4_1", "Q5_0", "Q5_1"}) QTest::newRow(t) << QString(t);
    }
    void forwardPassBitIdentical() {
#ifdef ATELIER_HAVE_VULKAN
        QFETCH(QString, type);
        if (vulkan::listDevices().empty()) QSKIP("no Vulkan device");
        if (!vulkan::VulkanBackend().features().float64)
            QSKIP("the device has no shaderFloat64: norms and attention are not exact there");
        using namespace atelier::llm;
        const std::string path = std::string(ATELIER_SOURCE_DIR) +
                                 "/tests/inference/llm/fixtures/types/llama-" + type.toStdString() +
                                 ".gguf";
        std::vector<float> logits[2];
        const char* backends[2] = {"cpu", "vulkan"};
        std::vector<TokenId> prompt;
        for (int i = 0; i < 400; ++i) prompt.push_back(TokenId((i * 37 + 11) % 400));
        for (int b = 0; b < 2; ++b) {
            LoadParams params;
            params.threads = 2;
            params.backend = backends[b];
            const auto model = LlmEngine::load({path}, params);
            std::vector<Backend*> layerBackends;
            for (const LayerWeights& l : model->weights().layers)
                layerBackends.push_back(l.backend);
            KvCache cache(model->hparams(), layerBackends, 512);
            ForwardPass pass(*model, 512);
            std::vector<float> out;
            std::vector<TokenId> chunk = prompt;
            std::int64_t past = 0;
            for (int step = 0; step < 3; ++step) { // the prompt, then two greedy tokens
                QVERIFY(pass.run(chunk, past, cache, out));
                past += std::int64_t(chunk.size());
                logits[b].insert(logits[b].end(), out.begin(), out.end());
                chunk = {TokenId(std::max_element(out.begin(), out.end()) - out.begin())};
            }
        }
        QVERIFY2(sameBits(logits[1], logits[0]),
                 qPrintable(QString("%1: %2 of %3 logits differ")
                                .arg(type)
                                .arg(differing(logits[1], logits[0]))
                                .arg(logits[0].size())));
#else
        QSKIP("built without Vulkan");
#endif
    }

    // The table itself: {cos, sin} * magnitude per pair, close to the double definition, and
    // its sizes checked.
    void angleTable() {
        const RopeParams p{RopeMode::Normal, 8, 10000.0f};
        const std::vector<std::int32_t> pos = {0, 3, 1000};
        const auto t = table(p, 16, pos, {});
        QCOMPARE(t.size(), std::size_t(3 * 8));
        QCOMPARE(t[0], 1.0f); // position 0: cos 0, sin 0
        QCOMPARE(t[1], 0.0f);
        for (std::size_t k = 0; k < pos.size(); ++k)
            for (int i = 0; i < 4; ++i) {
                const double angle = pos[k] * std::pow(10000.0, -2.0 * i / 8);
                QVERIFY(std::abs(t[k * 8 + 2 * i] - std::cos(angle)) < 1e-4);
                QVERIFY(std::abs(t[k * 8 + 2 * i + 1] - std::sin(angle)) < 1e-4);
            }
        std::vector<float> wrong(5);
        QVERIFY_THROWS_EXCEPTION(atelier::Error, ropeAngles(p, 16, pos, {}, wrong));
        std::vector<float> right(24), fewFactors(3, 1.0f);
        QVERIFY_THROWS_EXCEPTION(atelier::Error, ropeAngles(p, 16, pos, fewFactors, right));
        QVERIFY_THROWS_EXCEPTION(atelier::Error,
                                 ropeAngles({RopeMode::Normal, 7}, 16, pos, {}, right));
    }

    void validation() {
        Device dev(backendsUnderTest().front());
        const Tensor x = dev.out({16, 2, 3, 1});
        Tensor out = dev.out({16, 2, 3, 1});
        // Odd dims, more dims than the head, a token count that does not match.
        QVERIFY_THROWS_EXCEPTION(
            atelier::Error,
            dev.backend().ropeWithAngles(x, dev.out({7, 3, 1, 1}), out, RopeMode::Normal));
        QVERIFY_THROWS_EXCEPTION(
            atelier::Error,
            dev.backend().ropeWithAngles(x, dev.out({18, 3, 1, 1}), out, RopeMode::Normal));
        QVERIFY_THROWS_EXCEPTION(
            atelier::Error,
            dev.backend().ropeWithAngles(x, dev.out({16, 2, 1, 1}), out, RopeMode::Normal));
        dev.backend().ropeWithAngles(x, dev.out({8, 3, 1, 1}), out, RopeMode::NeoX);
    }
};

QTEST_APPLESS_MAIN(TestRopeExact)
#include "test_rope_exact.moc"
