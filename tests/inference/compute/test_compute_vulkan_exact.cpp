// The Vulkan backend against the CPU backend on the same inputs, bit for bit: greedy decoding
// of a real model flips at near-ties, so equal text on both backends needs equal floats. Each
// group of operations has its own slot; the first differing element is reported with both
// values. Skipped without a Vulkan device; the bit-exact shaders need shaderFloat64 (without it
// the float fallback is only held to a small error).
#include "inference/compute/cpu/cpu_backend.hpp"
#include "test_support.hpp"

#include <QTest>
#include <bit>
#include <cstdio>

using namespace atelier::compute;
using namespace atelier::compute::testing;
using T = ElementType;

namespace {

#ifdef ATELIER_HAVE_VULKAN
// The CPU backend at its best SIMD level: attention's dot products follow its AVX2 kernels.
BackendCase cpuCase() {
    return {"cpu", [] { return std::make_unique<cpu::CpuBackend>(cpu::CpuBackendOptions{2}); }};
}

// float64: the bit-exact builds; fallback: as backends_under_test.hpp's
// "vulkan-fallback-shaders" (no subgroups, halves packed in words, staging copies).
BackendCase vulkanCase(bool float64, bool fallback, bool nativeFma) {
    return {float64 ? "vulkan" : "vulkan-float-only", [float64, fallback, nativeFma] {
                vulkan::VulkanOptions o;
                o.useFloat64 = float64;
                if (nativeFma) o.fma = vulkan::FmaPath::Native;
                if (fallback) {
                    o.useSubgroups = false;
                    o.useFloat16Storage = false;
                    o.mapDeviceMemory = false;
                }
                return std::make_unique<vulkan::VulkanBackend>(o);
            }};
}
#endif

// "" when identical, else where and how they differ.
QString firstDifference(const std::vector<float>& got, const std::vector<float>& want) {
    if (got.size() != want.size())
        return QString("sizes %1 and %2").arg(got.size()).arg(want.size());
    std::size_t count = 0, first = got.size();
    for (std::size_t i = 0; i < got.size(); ++i)
        if (std::bit_cast<std::uint32_t>(got[i]) != std::bit_cast<std::uint32_t>(want[i])) {
            if (first == got.size()) first = i;
            ++count;
        }
    if (count == 0) return {};
    return QString("%1 of %2 differ, first at %3: vulkan %4 (%5), cpu %6 (%7)")
        .arg(count)
        .arg(got.size())
        .arg(first)
        .arg(double(got[first]), 0, 'g', 9)
        .arg(std::bit_cast<std::uint32_t>(got[first]), 8, 16, QChar('0'))
        .arg(double(want[first]), 0, 'g', 9)
        .arg(std::bit_cast<std::uint32_t>(want[first]), 8, 16, QChar('0'));
}

// One operation run on both backends with the same host inputs.
struct Pair {
#ifdef ATELIER_HAVE_VULKAN
    Pair(bool float64, bool fallback, bool nativeFma)
        : cpu(cpuCase()), gpu(vulkanCase(float64, fallback, nativeFma)) {}
    Device cpu, gpu;
#endif
};

} // namespace

class TestComputeVulkanExact : public QObject {
    Q_OBJECT
private:
#ifdef ATELIER_HAVE_VULKAN
    // Bitwise equal where the device runs the exact shaders, else within `fallbackError`.
    static void expectSame(const std::vector<float>& got, const std::vector<float>& want,
                           const char* what, bool exact, double fallbackError = 1e-5) {
        if (exact) {
            const QString diff = firstDifference(got, want);
            QVERIFY2(diff.isEmpty(), qPrintable(QString("%1: %2").arg(what, diff)));
        } else {
            const double e = normalisedError(got, want);
            const QString diff = firstDifference(got, want);
            qInfo("%s (shaders not bit-exact here): error %.3g; %s", what, e,
                  diff.isEmpty() ? "identical" : qPrintable(diff));
            QVERIFY2(
                e < fallbackError,
                qPrintable(QString("%1 (shaders not bit-exact here): error %2").arg(what).arg(e)));
        }
    }
#endif

    static void addShaderRows() {
        QTest::addColumn<bool>("float64");
        QTest::addColumn<bool>("fallback");
        QTest::addColumn<bool>("nativeFma");
        QTest::newRow("exact shaders") << true << false << false;
        QTest::newRow("exact fallback shaders") << true << true << false;
        // The _xf builds (the device's fma()): exact where it rounds once, else close.
        QTest::newRow("exact shaders, native fma") << true << false << true;
        QTest::newRow("float-only shaders") << false << false << false;
    }

private slots:
    void initTestCase() {
#ifdef ATELIER_HAVE_VULKAN
        if (vulkan::listDevices().empty()) QSKIP("no Vulkan device");
#else
        QSKIP("built without Vulkan");
#endif
    }

    // softmax, the activations and their gated forms.
    void elementwiseExpOps_data() {
        addShaderRows();
    }
    void elementwiseExpOps() {
#ifdef ATELIER_HAVE_VULKAN
        QFETCH(bool, float64);
        QFETCH(bool, fallback);
        QFETCH(bool, nativeFma);
        Pair d(float64, fallback, nativeFma);
        const auto features = static_cast<vulkan::VulkanBackend&>(d.gpu.backend()).features();
        const bool exact = features.bitExact;
        if (float64 && !features.float64)
            QSKIP("the Vulkan device has no shaderFloat64: not bit-exact");

        // Wide values reach exp's slow path (|n| > 126) and tanh's three ranges.
        const std::int64_t n = 1000, rows = 6;
        auto x = randomFloats(std::size_t(n * rows), 7, 4.0f);
        const auto up = randomFloats(std::size_t(n * rows), 8);
        for (std::size_t i = 0; i < 40; ++i) x[i * 13] = float(i) * 5.0f - 100.0f;
        std::vector<float> mask(std::size_t(n * rows));
        for (std::size_t i = 0; i < mask.size(); ++i) mask[i] = i % 7 == 0 ? -INFINITY : 0.25f;

        for (Activation fn : {Activation::Silu, Activation::Gelu, Activation::GeluTanh,
                              Activation::Tanh, Activation::Relu}) {
            std::vector<float> results[2][2];
            for (int side = 0; side < 2; ++side) {
                Device& dev = side == 0 ? d.gpu : d.cpu;
                const Tensor xt = dev.f32({n, rows, 1, 1}, x), ut = dev.f32({n, rows, 1, 1}, up);
                Tensor a = dev.out({n, rows, 1, 1}), g = dev.out({n, rows, 1, 1});
                dev.backend().unary(xt, a, fn);
                dev.backend().glu(xt, ut, g, fn);
                results[side][0] = dev.read(a);
                results[side][1] = dev.read(g);
            }
            const QByteArray name = QByteArray::number(int(fn));
            expectSame(results[0][0], results[1][0], ("activation " + name).constData(), exact);
            expectSame(results[0][1], results[1][1], ("gated activation " + name).constData(),
                       exact);
        }

        for (bool withMask : {false, true}) {
            std::vector<float> results[2];
            for (int side = 0; side < 2; ++side) {
                Device& dev = side == 0 ? d.gpu : d.cpu;
                const Tensor xt = dev.f32({n, rows, 1, 1}, x), mt = dev.f32({n, rows, 1, 1}, mask);
                Tensor out = dev.out({n, rows, 1, 1});
                dev.backend().softmax(xt, withMask ? &mt : nullptr, out, {0.7f});
                results[side] = dev.read(out);
            }
            expectSame(results[0], results[1], withMask ? "softmax masked" : "softmax", exact);
        }
#endif
    }

    // RMS norm and layer norm (with and without weight and bias): sums in double on both.
    void norms_data() {
        addShaderRows();
    }
    void norms() {
#ifdef ATELIER_HAVE_VULKAN
        QFETCH(bool, float64);
        QFETCH(bool, fallback);
        QFETCH(bool, nativeFma);
        Pair d(float64, fallback, nativeFma);
        const auto features = static_cast<vulkan::VulkanBackend&>(d.gpu.backend()).features();
        const bool exact = features.bitExact;
        if (float64 && !features.float64)
            QSKIP("the Vulkan device has no shaderFloat64: not bit-exact");
        for (std::int64_t n : {576, 2048, 4099}) {
            const std::int64_t rows = 7;
            auto x = randomFloats(std::size_t(n * rows), unsigned(n), 3.0f);
            for (std::size_t i = 0; i < x.size(); i += 97) x[i] *= 40.0f; // outlier channels
            const auto w = randomFloats(std::size_t(n), 3), b = randomFloats(std::size_t(n), 4);
            for (int kind = 0; kind < 3; ++kind) {
                std::vector<float> results[2];
                for (int side = 0; side < 2; ++side) {
                    Device& dev = side == 0 ? d.gpu : d.cpu;
                    const Tensor xt = dev.f32({n, rows, 1, 1}, x), wt = dev.f32({n, 1, 1, 1}, w),
                                 bt = dev.f32({n, 1, 1, 1}, b);
                    Tensor out = dev.out({n, rows, 1, 1});
                    if (kind == 0) dev.backend().rmsNorm(xt, &wt, out, {1e-5f});
                    if (kind == 1) dev.backend().layerNorm(xt, &wt, &bt, out, {1e-5f});
                    if (kind == 2) dev.backend().layerNorm(xt, nullptr, nullptr, out, {1e-6f});
                    results[side] = dev.read(out);
                    dev.arena().reset();
                }
                const QByteArray what = (kind == 0   ? "rms norm n="
                                         : kind == 1 ? "layer norm n="
                                                     : "plain layer norm n=") +
                                        QByteArray::number(qlonglong(n));
                expectSame(results[0], results[1], what.constData(), exact);
            }
        }
#endif
    }

    // Attention: F16 cache and F32, causal, grouped-query, hundreds of keys, head sizes 64 and
    // 128 (and one with a tail past the SIMD width), several query rows, soft cap, mask.
    void attention_data() {
        addShaderRows();
    }
    void attention() {
#ifdef ATELIER_HAVE_VULKAN
        QFETCH(bool, float64);
        QFETCH(bool, fallback);
        QFETCH(bool, nativeFma);
        if (cpu::detectSimdLevel() < cpu::SimdLevel::Avx2)
            QSKIP("the CPU backend's scalar dot kernels sum in another order than the shader");
        Pair d(float64, fallback, nativeFma);
        const auto features = static_cast<vulkan::VulkanBackend&>(d.gpu.backend()).features();
        const bool exact = features.bitExact;
        if (float64 && !features.float64)
            QSKIP("the Vulkan device has no shaderFloat64: not bit-exact");
        struct Case {
            const char* name;
            std::int64_t D, Dv, Hq, Hkv, Nq, Nkv;
            AttentionParams p;
            bool f16, mask;
        };
        const Case cases[] = {
            {"decode gqa f16 d64", 64, 64, 8, 2, 1, 300, {0.0f, true, 299}, true, false},
            {"prefill gqa f16 d128", 128, 128, 4, 2, 5, 260, {0.0f, true, 255}, true, false},
            {"prefill gqa f32 d128", 128, 128, 4, 1, 4, 300, {0.0f, true, 296}, false, false},
            {"prefill f32 d64", 64, 64, 2, 2, 6, 6, {0.0f, true, 0}, false, false},
            {"softcap f16 d64", 64, 64, 4, 2, 3, 200, {0.0f, true, 197, 0, 20.0f}, true, false},
            {"sliding window f16", 64, 64, 2, 1, 4, 150, {0.0f, true, 146, 50}, true, false},
            {"cross f32 tail d44", 44, 36, 2, 2, 3, 90, {0.2f, false}, false, false},
            {"masked f16 d64", 64, 64, 2, 1, 3, 120, {0.0f, false}, true, true},
            {"many keys f16 d64", 64, 64, 1, 1, 2, 2200, {0.0f, true, 2198}, true, false},
        };
        for (const Case& c : cases) {
            const T kv = c.f16 ? T::F16 : T::F32;
            const auto q = randomFloats(std::size_t(c.D * c.Hq * c.Nq), 30, 2.0f);
            const auto k = randomFloats(std::size_t(c.D * c.Hkv * c.Nkv), 31);
            const auto v = randomFloats(std::size_t(c.Dv * c.Hkv * c.Nkv), 32);
            std::vector<float> mask;
            if (c.mask)
                for (std::int64_t i = 0; i < c.Nq * c.Nkv; ++i)
                    mask.push_back(i % 3 == 0 ? -INFINITY : float(i % 5) * 0.1f);
            std::vector<float> results[2];
            for (int side = 0; side < 2; ++side) {
                Device& dev = side == 0 ? d.gpu : d.cpu;
                const Tensor qt = dev.f32({c.D, c.Hq, c.Nq, 1}, q);
                const Tensor kt = dev.floats(kv, {c.D, c.Hkv, c.Nkv, 1}, k);
                const Tensor vt = dev.floats(kv, {c.Dv, c.Hkv, c.Nkv, 1}, v);
                const Tensor mt = c.mask ? dev.f32({c.Nkv, c.Nq, 1, 1}, mask) : Tensor{};
                Tensor out = dev.out({c.Dv, c.Hq, c.Nq, 1});
                dev.backend().attention(qt, kt, vt, c.mask ? &mt : nullptr, out, c.p);
                results[side] = dev.read(out);
            }
            expectSame(results[0], results[1], c.name, exact, 1e-4);
        }
#endif
    }
};

QTEST_APPLESS_MAIN(TestComputeVulkanExact)
#include "test_compute_vulkan_exact.moc"
