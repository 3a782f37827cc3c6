// The Vulkan backend beyond the shared op test: device selection by index and the error for an
// index out of range, reuse of pooled memory, N recorded operations -> one submit, the message
// when memory runs out, and shapes the shared test does not reach (attention over many key
// tiles with a wide value head, rope at large positions, grids past 65535 workgroups, rows that
// do not fill a 16-value chunk). Skips (with a message) where the machine has no Vulkan device.
#include "inference/compute/arena.hpp"
#include "inference/compute/cpu/kernels.hpp"
#include "inference/compute/vulkan/vulkan_backend.hpp"
#include "inference/util/error.hpp"
#include "reference_ops.hpp"
#include "test_support.hpp"

#include <QTest>

using namespace atelier::compute;
using namespace atelier::compute::testing;
using atelier::Error;
using atelier::ErrorKind;
using T = ElementType;

namespace {

bool haveDevice() {
    static const bool have = !vulkan::listDevices().empty();
    return have;
}

#define NEED_DEVICE()                                                                              \
    if (!haveDevice()) QSKIP("no Vulkan device on this machine: the Vulkan backend is NOT tested")

BackendCase vulkanCase(bool fallback) {
    return {fallback ? "vulkan-fallback-shaders" : "vulkan", [fallback] {
                vulkan::VulkanOptions o;
                o.useSubgroups = !fallback;
                o.useFloat16Storage = !fallback;
                o.mapDeviceMemory = !fallback; // staging copies, as on a discrete GPU
                return std::make_unique<vulkan::VulkanBackend>(o);
            }};
}

// What the CPU's scalar kernels compute for w (N rows of K, `type`) times x (M rows of K): the
// activations rounded to the weight's dot partner, then the block dot products. Vulkan rounds
// activations the same way (round_activations.comp), so it is held to this.
std::vector<double> scalarMatmul(T type, const std::uint8_t* w, const std::vector<float>& x,
                                 std::int64_t K, std::int64_t N, std::int64_t M) {
    const cpu::Kernels& k = cpu::scalarKernels();
    const T act = cpu::activationTypeFor(type);
    const std::size_t rowBytes = *atelier::gguf::tensorByteSize(type, K);
    std::vector<std::uint8_t> a(*atelier::gguf::tensorByteSize(act, K));
    std::vector<double> out(static_cast<std::size_t>(N * M));
    for (std::int64_t m = 0; m < M; ++m) {
        k.quantize[int(act)](x.data() + m * K, a.data(), K);
        for (std::int64_t n = 0; n < N; ++n)
            out[std::size_t(m * N + n)] =
                k.dot[int(type)](K, w + std::size_t(n) * rowBytes, a.data());
    }
    return out;
}

vulkan::VulkanBackend& vk(Device& dev) {
    return static_cast<vulkan::VulkanBackend&>(dev.backend());
}

} // namespace

class TestVulkanBackend : public QObject {
    Q_OBJECT
private slots:
    void selectsDevicesByIndex() {
        NEED_DEVICE();
        const auto devices = vulkan::listDevices();
        for (const auto& d : devices) {
            vulkan::VulkanOptions o;
            o.deviceIndex = d.index;
            vulkan::VulkanBackend backend(o);
            QCOMPARE(backend.device().name, d.name);
            QCOMPARE(backend.device().index, d.index);
            QVERIFY(backend.name().find(d.name) != std::string::npos);
            qInfo("vulkan:%d = %s (%s, %llu MiB); backend: %s", d.index, d.name.c_str(),
                  d.kind.c_str(), static_cast<unsigned long long>(d.memoryBytes >> 20),
                  backend.name().c_str());
        }
        // Default: the first discrete GPU, else device 0.
        vulkan::VulkanBackend chosen;
        int expected = 0;
        for (const auto& d : devices)
            if (d.kind == "discrete") {
                expected = d.index;
                break;
            }
        QCOMPARE(chosen.device().index, expected);

        vulkan::VulkanOptions bad;
        bad.deviceIndex = int(devices.size());
        try {
            vulkan::VulkanBackend backend(bad);
            QFAIL("an index past the last device was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Invalid);
            const std::string msg = e.what();
            QVERIFY2(msg.find("vulkan:" + std::to_string(devices.size())) != std::string::npos,
                     e.what());
            QVERIFY2(msg.find(devices[0].name) != std::string::npos, e.what()); // lists devices
        }
    }

    // Without a driver: no devices listed, and constructing the backend says what to install.
    void noDriverIsAClearError() {
        const QByteArray saved = qgetenv("VK_ICD_FILENAMES");
        const bool had = qEnvironmentVariableIsSet("VK_ICD_FILENAMES");
        qputenv("VK_ICD_FILENAMES", "/nonexistent/atelier_no_driver.json");
        const auto devices = vulkan::listDevices();
        std::string message;
        ErrorKind kind = ErrorKind::Io;
        try {
            vulkan::VulkanBackend backend;
        } catch (const Error& e) {
            message = e.what();
            kind = e.kind();
        }
        if (had)
            qputenv("VK_ICD_FILENAMES", saved);
        else
            qunsetenv("VK_ICD_FILENAMES");
        QVERIFY(devices.empty());
        QCOMPARE(kind, ErrorKind::Unsupported);
        QVERIFY2(message.find("no Vulkan driver") != std::string::npos, message.c_str());
    }

    void reportsFeaturesAndHonoursFallbacks() {
        NEED_DEVICE();
        vulkan::VulkanBackend fast;
        vulkan::VulkanOptions o;
        o.useSubgroups = false;
        o.useFloat16Storage = false;
        vulkan::VulkanBackend plain(o);
        QVERIFY(!plain.features().subgroupArithmetic);
        QVERIFY(!plain.features().float16Storage);
        QVERIFY(plain.name().find("no subgroups") != std::string::npos);
        // The fallback case really runs the fallback shaders.
        for (const char* family : {"norm", "softmax", "attention", "copy", "matmul_f16"})
            QCOMPARE(plain.shaderVariant(family), std::string(family));
        if (fast.features().subgroupArithmetic) {
            QCOMPARE(fast.shaderVariant("norm"), std::string("norm_sg"));
            QCOMPARE(fast.shaderVariant("matmul_f16"), std::string("matmul_f16_sg"));
        }
        if (fast.features().float16Storage)
            QCOMPARE(fast.shaderVariant("copy"), std::string("copy_h"));
        if (fast.features().subgroupArithmetic && fast.features().float16Storage)
            QCOMPARE(fast.shaderVariant("attention"), std::string("attention_sg_h"));
        qInfo("features: subgroup size %u, arithmetic %d, fp16 storage %d, fp16 arithmetic %d",
              fast.features().subgroupSize, fast.features().subgroupArithmetic,
              fast.features().float16Storage, fast.features().float16Arithmetic);
    }

    // How the exact shader builds round their fma: the probe's answer picks them (Auto), and
    // the options force either; a backend made only to probe holds no device memory.
    void fmaPathChoice() {
        NEED_DEVICE();
        const vulkan::VulkanBackend automatic;
        const auto a = automatic.features();
        QCOMPARE(automatic.stats().memoryBlocks, std::uint64_t(0));
        if (!a.float64) QSKIP("no shaderFloat64: the exact builds are not used");
        QCOMPARE(a.nativeFma, a.fmaRoundsOnce);
        QVERIFY(a.bitExact);
        vulkan::VulkanOptions o;
        o.fma = vulkan::FmaPath::Emulated;
        const auto e = vulkan::VulkanBackend(o).features();
        QVERIFY(!e.nativeFma && e.bitExact);
        o.fma = vulkan::FmaPath::Native;
        const auto n = vulkan::VulkanBackend(o).features();
        QVERIFY(n.nativeFma);
        QCOMPARE(n.bitExact, a.fmaRoundsOnce);
        qInfo("this device's fma() %s", a.fmaRoundsOnce ? "rounds once" : "rounds twice");
    }

    void poolReusesMemory() {
        NEED_DEVICE();
        vulkan::VulkanBackend backend;
        const auto before = backend.stats();
        QCOMPARE(before.memoryBlocks, std::uint64_t(0));
        {
            auto a = backend.allocate(1 << 20);
            auto b = backend.allocate(3 << 20);
            const auto st = backend.stats();
            QCOMPARE(st.memoryBlocks, std::uint64_t(1)); // both from one block
            QVERIFY(st.bytesInUse >= (4u << 20));
        }
        QCOMPARE(backend.stats().bytesInUse, std::uint64_t(0));
        std::vector<std::unique_ptr<Buffer>> many;
        for (int i = 0; i < 50; ++i) many.push_back(backend.allocate(std::size_t(64 + i) << 10));
        many.erase(many.begin() + 10, many.begin() + 30); // holes are coalesced and reused
        for (int i = 0; i < 20; ++i) many.push_back(backend.allocate(60 << 10));
        const auto st = backend.stats();
        QCOMPARE(st.memoryBlocks, std::uint64_t(1));
        many.clear();
        QCOMPARE(backend.stats().bytesInUse, std::uint64_t(0));
        QCOMPARE(backend.stats().memoryBlocks, std::uint64_t(1)); // kept for the next forward

        // A request larger than a block gets its own, released when freed.
        {
            auto big = backend.allocate(std::size_t(300) << 20);
            QCOMPARE(backend.stats().memoryBlocks, std::uint64_t(2));
        }
        QCOMPARE(backend.stats().memoryBlocks, std::uint64_t(1));
    }

    // Transfers larger than a staging block (64 MiB) get a block of their own, released after
    // the submit that used it, also while other work is pending.
    void bigTransfersThroughStaging() {
        NEED_DEVICE();
        vulkan::VulkanOptions o;
        o.mapDeviceMemory = false;
        vulkan::VulkanBackend backend(o);
        const std::int64_t n = 18 << 20; // 72 MiB of F32
        auto buffer = backend.allocate(std::size_t(n) * 4 + 4096);
        const Tensor big = Tensor::contiguous(T::F32, {n, 1, 1, 1}, buffer.get(), 0);
        const Tensor small =
            Tensor::contiguous(T::F32, {256, 1, 1, 1}, buffer.get(), std::size_t(n) * 4);
        std::vector<float> data(static_cast<std::size_t>(n));
        for (std::size_t i = 0; i < data.size(); ++i) data[i] = float(i % 1000);
        backend.upload(small, data.data());
        backend.scale(small, small, {2.0f}); // pending work: the big upload is recorded too
        backend.upload(big, data.data());
        std::vector<float> back(data.size(), -1.0f);
        backend.download(big, back.data());
        QVERIFY(back == data);
        std::vector<float> smallBack(256);
        backend.download(small, smallBack.data());
        QCOMPARE(smallBack[7], 14.0f);
    }

    void outOfMemoryIsAClearError() {
        NEED_DEVICE();
        vulkan::VulkanOptions o;
        o.memoryLimit = 8u << 20;
        vulkan::VulkanBackend backend(o);
        std::vector<std::uint8_t> model(12u << 20, 1);
        auto first = backend.importWeights({model.data(), 3u << 20});
        try {
            auto w = backend.importWeights(model);
            QFAIL("a model larger than the memory limit was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Unsupported);
            qInfo("%s", e.what());
            const std::string msg = e.what();
            QVERIFY2(msg.find("model needs more than 15 MiB") != std::string::npos, e.what());
            QVERIFY2(msg.find("the device has 8 MiB") != std::string::npos, e.what());
            QVERIFY2(msg.find(backend.device().name) != std::string::npos, e.what());
        }
        auto fits = backend.importWeights({model.data(), 4u << 20}); // still usable afterwards
        QVERIFY(fits != nullptr);
    }

    void manyOperationsOneSubmit_data() {
        QTest::addColumn<bool>("fallback");
        QTest::newRow("mapped memory") << false;
        QTest::newRow("staging copies, fallback shaders") << true;
    }

    void manyOperationsOneSubmit() {
        NEED_DEVICE();
        QFETCH(bool, fallback);
        Device dev(vulkanCase(fallback), 8u << 20);
        auto& backend = vk(dev);
        const std::int64_t n = 256;
        const auto x = randomFloats(std::size_t(n * 4), 1);
        const Tensor xt = dev.f32({n, 4, 1, 1}, x);
        const auto start = backend.stats();
        Tensor a = dev.out({n, 4, 1, 1}), b = dev.out({n, 4, 1, 1});
        constexpr int kOps = 40;
        backend.scale(xt, a, {1.0f, 0.0f});
        for (int i = 1; i < kOps; ++i) backend.scale(i % 2 ? a : b, i % 2 ? b : a, {1.0f, 1.0f});
        const auto recorded = backend.stats();
        QCOMPARE(recorded.submits, start.submits); // nothing submitted while recording
        QCOMPARE(recorded.dispatches - start.dispatches, std::uint64_t(kOps));
        QVERIFY(recorded.barriers - start.barriers >= kOps - 1); // each op reads the last one
        const auto got = dev.read(kOps % 2 ? a : b);
        QCOMPARE(backend.stats().submits, start.submits + 1);
        for (std::size_t i = 0; i < got.size(); ++i) QCOMPARE(got[i], x[i] + float(kOps - 1));
        // Uploads after recorded work are ordered in the same command buffer.
        const Tensor y = dev.f32({n, 4, 1, 1}, x);
        backend.add(y, y, a);
        const std::vector<float> fives(std::size_t(n * 4), 5.0f);
        backend.upload(y, fives.data());
        backend.add(y, a, b);
        const auto mixed = dev.read(b);
        QCOMPARE(backend.stats().submits, start.submits + 2);
        QCOMPARE(mixed[3], 5.0f + 2.0f * x[3]);
        // Independent operations need no barrier between them.
        const auto c0 = backend.stats().barriers;
        Tensor o1 = dev.out({n, 4, 1, 1}), o2 = dev.out({n, 4, 1, 1});
        backend.scale(xt, o1, {2.0f});
        backend.scale(xt, o2, {3.0f});
        backend.synchronize();
        QCOMPARE(backend.stats().barriers, c0);
        backend.synchronize(); // nothing pending: no submit
        QCOMPARE(backend.stats().submits, start.submits + 3);
    }

    void attentionOverManyKeyTiles() {
        NEED_DEVICE();
        struct Case {
            const char* name;
            std::int64_t D, Dv, Hq, Hkv, Nq, Nkv;
            AttentionParams p;
        };
        const Case cases[] = {
            {"decode 300 keys, wide v", 128, 256, 4, 2, 1, 300, {0.0f, true, 299}},
            {"prefill 70 after 130 cached", 64, 64, 2, 1, 70, 200, {0.0f, true, 130}},
            {"window 100 softcap", 64, 64, 2, 2, 3, 257, {0.0f, true, 254, 100, 30.0f}},
        };
        for (bool fallback : {false, true}) {
            Device dev(vulkanCase(fallback));
            for (const Case& c : cases) {
                const auto q = randomFloats(std::size_t(c.D * c.Hq * c.Nq), 20);
                const auto k =
                    roundTrip(T::F16, randomFloats(std::size_t(c.D * c.Hkv * c.Nkv), 21));
                const auto v =
                    roundTrip(T::F16, randomFloats(std::size_t(c.Dv * c.Hkv * c.Nkv), 22));
                const Tensor qt = dev.f32({c.D, c.Hq, c.Nq, 1}, q);
                const Tensor kt = dev.floats(T::F16, {c.D, c.Hkv, c.Nkv, 1}, k);
                const Tensor vt = dev.floats(T::F16, {c.Dv, c.Hkv, c.Nkv, 1}, v);
                Tensor out = dev.out({c.Dv, c.Hq, c.Nq, 1});
                dev.backend().attention(qt, kt, vt, nullptr, out, c.p);
                const double err =
                    normalisedError(dev.read(out), ref::attention(q, k, v, {}, c.D, c.Dv, c.Hq,
                                                                  c.Hkv, c.Nq, c.Nkv, c.p));
                // The query and the probabilities are rounded to F16 against an F16 cache (as
                // the CPU and llama.cpp do): about 2^-11 each.
                QVERIFY2(err < 1e-3,
                         qPrintable(QString("%1 %2: %3").arg(dev.name().c_str(), c.name).arg(err)));
            }
        }
    }

    void ropeAtLargePositions() {
        NEED_DEVICE();
        const std::int64_t D = 128, heads = 2;
        const std::vector<std::int32_t> pos = {0, 4095, 32767, 131071};
        Device dev(vulkanCase(false));
        const auto x = randomFloats(std::size_t(D * heads * 4), 7);
        const Tensor xt = dev.f32({D, heads, 4, 1}, x);
        const Tensor pt = dev.ids(pos, {4, 1, 1, 1});
        for (RopeMode mode : {RopeMode::Normal, RopeMode::NeoX}) {
            Tensor out = dev.out({D, heads, 4, 1});
            dev.backend().rope(xt, pt, nullptr, out, {mode, 0, 500000.0f});
            const double err = normalisedError(
                dev.read(out), ref::rope(x, pos, {}, D, heads, {mode, 0, 500000.0f}));
            // Angles near 1e5 radians are only known to float precision (~1e-2 rad) in any
            // float implementation; this checks the range reduction keeps it at that.
            QVERIFY2(err < 2e-2, qPrintable(QString("rope mode %1: %2").arg(int(mode)).arg(err)));
        }
    }

    void weightsLargerThanOneBinding() {
        NEED_DEVICE();
        // A 64 KiB binding limit splits a 1000-row Q4_0 matrix (144 bytes a row) into 3 parts.
        Device whole(vulkanCase(false));
        Device split({"vulkan-64k-bindings", [] {
                          vulkan::VulkanOptions o;
                          o.bindingLimit = 64u << 10;
                          return std::make_unique<vulkan::VulkanBackend>(o);
                      }});
        const std::int64_t K = 256, N = 1000, M = 3;
        std::vector<std::uint8_t> w(std::size_t(N) * 144);
        const auto values = randomFloats(std::size_t(K * N), 9);
        quant::quantizeRow(T::Q4_0, values.data(), w.data(), K * N);
        const auto x = randomFloats(std::size_t(K * M), 10);
        const std::vector<std::int32_t> ids = {999, 0, 455, -1, 500, 910};
        std::vector<float> results[2];
        std::vector<float> rows[2];
        int i = 0;
        for (Device* dev : {&whole, &split}) {
            const Tensor wt = dev->bytes(T::Q4_0, {K, N, 1, 1}, w.data());
            const Tensor xt = dev->f32({K, M, 1, 1}, x);
            Tensor out = dev->out({N, M, 1, 1});
            dev->backend().matmul(wt, xt, out);
            results[i] = dev->read(out);
            Tensor got = dev->out({K, 6, 1, 1});
            dev->backend().getRows(wt, dev->ids(ids, {6, 1, 1, 1}), got);
            rows[i++] = dev->read(got);
        }
        QVERIFY(vk(split).stats().dispatches > vk(whole).stats().dispatches);
        QCOMPARE(results[1], results[0]);
        for (std::size_t j = 0; j < rows[0].size(); ++j) {
            if (j / std::size_t(K) == 3) { // id -1: NaN, never a read outside the table
                QVERIFY(std::isnan(rows[1][j]) && std::isnan(rows[0][j]));
                continue;
            }
            QCOMPARE(rows[1][j], rows[0][j]);
        }
    }

    // Vulkan rounds the activations as the CPU does (8-bit blocks, F16, BF16) and then sums
    // floats, so it is held to float rounding against the CPU's scalar kernels on the same
    // inputs, on both kernels: the per-row one (M <= 8) and the 32 x 32 tiles (M > 8, with
    // ragged edges).
    void matmulEveryTypeToRounding() {
        NEED_DEVICE();
        const T types[] = {T::F32,  T::F16,  T::BF16, T::Q4_0, T::Q4_1, T::Q5_0, T::Q5_1,
                           T::Q8_0, T::Q2_K, T::Q3_K, T::Q4_K, T::Q5_K, T::Q6_K};
        const std::int64_t K = 512, N = 45;
        for (bool fallback : {false, true}) {
            Device dev(vulkanCase(fallback));
            for (T type : types) {
                const std::size_t rowBytes = *atelier::gguf::tensorByteSize(type, K);
                std::vector<std::uint8_t> w(rowBytes * std::size_t(N));
                std::vector<float> values(std::size_t(K * N));
                if (quant::canQuantize(type)) {
                    const auto src = randomFloats(values.size(), 60);
                    quant::quantizeRow(type, src.data(), w.data(), K * N);
                } else { // k-quants: random blocks whose fp16 scales are small and finite
                    std::mt19937 rng(61);
                    for (auto& b : w) b = std::uint8_t(rng());
                    const std::size_t block = atelier::gguf::typeSize(type);
                    const std::size_t d = block - 2, dmin = type == T::Q2_K ? block - 2 : 2;
                    for (std::size_t b = 0; b < w.size() / block; ++b) {
                        const std::uint16_t h = fp32ToFp16(0.01f);
                        const std::size_t at0 = (type == T::Q4_K || type == T::Q5_K) ? 0 : d;
                        std::memcpy(&w[b * block + at0], &h, 2);
                        if (type == T::Q2_K) std::memcpy(&w[b * block + block - 4], &h, 2);
                        if (type == T::Q4_K || type == T::Q5_K)
                            std::memcpy(&w[b * block + dmin], &h, 2);
                    }
                }
                const Tensor wt = dev.bytes(type, {K, N, 1, 1}, w.data());
                for (std::int64_t M : {1, 7, 40}) {
                    const auto x = randomFloats(std::size_t(K * M), 62);
                    const Tensor xt = dev.f32({K, M, 1, 1}, x);
                    Tensor out = dev.out({N, M, 1, 1});
                    dev.backend().matmul(wt, xt, out);
                    const double err =
                        normalisedError(dev.read(out), scalarMatmul(type, w.data(), x, K, N, M));
                    QVERIFY2(err < 1e-5,
                             qPrintable(QString("%1 %2 M=%3: %4")
                                            .arg(dev.name().c_str())
                                            .arg(atelier::gguf::tensorTypeName(type).data())
                                            .arg(M)
                                            .arg(err)));
                }
                dev.arena().reset();
            }
        }
    }

    void largeGridsAndRaggedRows() {
        NEED_DEVICE();
        Device dev(vulkanCase(false), 32u << 20);
        // 70000 weight rows -> more than 65535 workgroups: the grid folds into y.
        const std::int64_t K = 20, N = 70000;
        const auto w = randomFloats(std::size_t(K * N), 1);
        const auto x = randomFloats(std::size_t(K), 2);
        const Tensor wt = dev.f32({K, N, 1, 1}, w), xt = dev.f32({K, 1, 1, 1}, x);
        Tensor out = dev.out({N, 1, 1, 1});
        dev.backend().matmul(wt, xt, out);
        std::vector<double> want(static_cast<std::size_t>(N), 0.0);
        for (std::int64_t n = 0; n < N; ++n)
            for (std::int64_t k = 0; k < K; ++k)
                want[std::size_t(n)] += double(w[std::size_t(n * K + k)]) * x[std::size_t(k)];
        QVERIFY(normalisedError(dev.read(out), want) < 1e-5);
        // F16 rows of odd length (not word-aligned) and K not a multiple of 16.
        const std::int64_t K2 = 37, N2 = 5, M2 = 3;
        const auto w2 = roundTrip(T::F16, randomFloats(std::size_t(K2 * N2), 3));
        const auto x2 = randomFloats(std::size_t(K2 * M2), 4);
        const Tensor w2t = dev.floats(T::F16, {K2, N2, 1, 1}, w2),
                     x2t = dev.f32({K2, M2, 1, 1}, x2);
        Tensor out2 = dev.out({N2, M2, 1, 1});
        dev.backend().matmul(w2t, x2t, out2);
        std::vector<std::uint16_t> w2half(w2.size());
        for (std::size_t i = 0; i < w2.size(); ++i) w2half[i] = fp32ToFp16(w2[i]);
        const auto want2 = scalarMatmul(
            T::F16, reinterpret_cast<const std::uint8_t*>(w2half.data()), x2, K2, N2, M2);
        QVERIFY(normalisedError(dev.read(out2), want2) < 1e-5);
        // Long rows: softmax and rms_norm over 5000 values.
        const std::int64_t L = 5000;
        const auto r = randomFloats(std::size_t(L * 2), 5, 3.0f);
        const Tensor rt = dev.f32({L, 2, 1, 1}, r);
        Tensor sm = dev.out({L, 2, 1, 1}), rn = dev.out({L, 2, 1, 1});
        dev.backend().softmax(rt, nullptr, sm);
        dev.backend().rmsNorm(rt, nullptr, rn, {1e-6f});
        std::vector<double> wantSm(r.size());
        for (int row = 0; row < 2; ++row) {
            double max = -INFINITY, sum = 0;
            for (std::int64_t i = 0; i < L; ++i)
                max = std::max(max, double(r[std::size_t(row * L + i)]));
            for (std::int64_t i = 0; i < L; ++i)
                sum += wantSm[std::size_t(row * L + i)] =
                    std::exp(r[std::size_t(row * L + i)] - max);
            for (std::int64_t i = 0; i < L; ++i) wantSm[std::size_t(row * L + i)] /= sum;
        }
        QVERIFY(normalisedError(dev.read(sm), wantSm) < 1e-5);
        QVERIFY(normalisedError(dev.read(rn), ref::rmsNorm(r, {}, L, 1e-6f)) < 1e-5);
    }
};

QTEST_APPLESS_MAIN(TestVulkanBackend)
#include "test_vulkan_backend.moc"
