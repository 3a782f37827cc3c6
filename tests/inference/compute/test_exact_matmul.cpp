// The Vulkan backend's matmuls with the 32-value block types give the same bits as the CPU
// backend's SIMD kernels (which sum as llama.cpp does): greedy decoding of a real model flips at
// near-ties on any difference, so "close" is not enough
// (docs/dev-notes/matching-llamacpp-rounding.md). Q4_0 and Q8_0 are held to it where the CPU runs
// its one-row kernels; its tile kernels (prefill, and the vector tiles) sum in another order, so
// there only a tolerance applies.
#include "test_support.hpp"

#include <QTest>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

using namespace atelier::compute;
using namespace atelier::compute::testing;
using T = ElementType;

namespace {

std::vector<std::uint8_t> quantizedWeights(T type, std::int64_t k, std::int64_t rows,
                                           std::uint32_t seed) {
    const std::size_t rowBytes = *atelier::gguf::tensorByteSize(type, std::uint64_t(k));
    std::vector<std::uint8_t> out(rowBytes * std::size_t(rows));
    const auto values = randomFloats(std::size_t(k * rows), seed);
    for (std::int64_t r = 0; r < rows; ++r)
        quant::quantizeRow(type, values.data() + r * k, out.data() + r * rowBytes, k);
    return out;
}

// Activations with the spread of a real model's: mostly small, a few large (outlier channels),
// and exact ties to the 8-bit rounding (x = 0.5 ulp of the block scale) now and then.
std::vector<float> activations(std::size_t n, std::uint32_t seed) {
    auto x = randomFloats(n, seed);
    for (std::size_t i = 0; i < n; i += 97) x[i] *= 40.0f;
    for (std::size_t i = 5; i < n; i += 131) x[i] = 0.5f;
    return x;
}

// Random k-quant blocks (there is no quantizer for them here) with small finite F16
// scales.
std::vector<std::uint8_t> randomKQuantWeights(T type, std::int64_t k, std::int64_t rows,
                                              std::uint32_t seed) {
    const std::size_t rowBytes = *atelier::gguf::tensorByteSize(type, std::uint64_t(k));
    std::vector<std::uint8_t> out(rowBytes * std::size_t(rows));
    std::mt19937 rng(seed);
    for (auto& b : out) b = std::uint8_t(rng());
    const std::size_t blockBytes = atelier::gguf::typeSize(type);
    const std::vector<int> halves = type == T::Q2_K   ? std::vector<int>{80, 82}
                                    : type == T::Q3_K ? std::vector<int>{108}
                                    : type == T::Q6_K ? std::vector<int>{208}
                                                      : std::vector<int>{0, 2};
    std::uniform_real_distribution<float> scale(0.001f, 0.02f);
    for (std::size_t b = 0; b < out.size() / blockBytes; ++b)
        for (int field : halves) {
            const std::uint16_t h = fp32ToFp16(scale(rng));
            std::memcpy(&out[b * blockBytes + std::size_t(field)], &h, 2);
        }
    return out;
}

const BackendCase* findCase(const std::vector<BackendCase>& cases, const std::string& prefix) {
    for (const auto& c : cases)
        if (c.name.rfind(prefix, 0) == 0 && c.name.find("scalar") == std::string::npos) return &c;
    return nullptr;
}

// Index of the first element whose bits differ, or -1.
std::int64_t firstDifference(const std::vector<float>& a, const std::vector<float>& b) {
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::memcmp(&a[i], &b[i], sizeof(float)) != 0) return std::int64_t(i);
    return -1;
}

// Runs `type` weights of K x N against M x B activation rows on the AVX2 CPU backend and on
// both Vulkan cases, and requires the same bits (`exact`) or a normalised error below 1e-6.
void compareWithCpu(const std::vector<BackendCase>& cases, const BackendCase& cpuCase, T type,
                    std::int64_t K, std::int64_t N, const std::vector<std::uint8_t>& wb,
                    bool exact) {
    for (const char* vk : {"vulkan", "vulkan-fallback-shaders"}) {
        const BackendCase* vc = nullptr;
        for (const auto& c : cases)
            if (c.name == vk) vc = &c;
        Device cpu(cpuCase), gpu(*vc);
        const Tensor wc = cpu.bytes(type, {K, N, 1, 1}, wb.data());
        const Tensor wg = gpu.bytes(type, {K, N, 1, 1}, wb.data());
        // M = 1 (decode), 5 and 13 (prefill, more than one group), and a batch of 2 with the
        // weights broadcast.
        for (std::int64_t M : {1, 5, 13}) {
            for (std::int64_t B : {1, 2}) {
                const auto x = activations(std::size_t(K * M * B), unsigned(7 * M * B + K));
                const Tensor dc = cpu.out({N, M, B, 1}), dg = gpu.out({N, M, B, 1});
                cpu.backend().matmul(wc, cpu.f32({K, M, B, 1}, x), dc);
                gpu.backend().matmul(wg, gpu.f32({K, M, B, 1}, x), dg);
                const auto a = cpu.read(dc), b = gpu.read(dg);
                const std::int64_t at = firstDifference(a, b);
                const std::size_t shown = std::size_t(std::max<std::int64_t>(at, 0));
                const QString where =
                    QString("%1 %2 K=%3 M=%4 B=%5: first difference at %6 (cpu %7, vulkan %8)")
                        .arg(vk, atelier::gguf::tensorTypeName(type).data())
                        .arg(K)
                        .arg(M)
                        .arg(B)
                        .arg(at)
                        .arg(double(a[shown]), 0, 'g', 9)
                        .arg(double(b[shown]), 0, 'g', 9);
                if (exact) {
                    QVERIFY2(at < 0, qPrintable(where));
                } else {
                    std::vector<double> want(a.begin(), a.end());
                    QVERIFY2(normalisedError(b, want) < 1e-6, qPrintable(where));
                }
            }
        }
    }
}

} // namespace

class TestExactMatmul : public QObject {
    Q_OBJECT
private slots:
    // The 32-value block types at K = 576 and 1536 (SmolLM2's widths), N not a multiple of 8.
    // Q4_0 and Q8_0 only within 1e-6: the CPU's tile kernels sum them in another order.
    void blockTypesEqualCpuBitForBit() {
        const auto cases = backendsUnderTest();
        const BackendCase* cpuCase = findCase(cases, "cpu-avx2");
        if (!cpuCase) QSKIP("no AVX2: the CPU's one-row kernels are not the SIMD order here");
        if (!findCase(cases, "vulkan")) QSKIP("no Vulkan device");
        for (T type : {T::Q4_1, T::Q5_0, T::Q5_1, T::Q4_0, T::Q8_0})
            for (std::int64_t K : {576, 1536}) {
                compareWithCpu(cases, *cpuCase, type, K, 43,
                               quantizedWeights(type, K, 43, 7 + unsigned(K)),
                               type != T::Q4_0 && type != T::Q8_0);
                if (QTest::currentTestFailed()) return;
            }
    }

    // The k-quants against the CPU's kernels (Q4_K, Q6_K: tile kernels, whose float steps are
    // the same for every tile shape; Q2_K, Q3_K, Q5_K: one-row kernels). N a multiple of 4:
    // leftover Q4_K weight rows would go through the CPU's one-row Q4_K kernel, which sums its
    // min term elsewhere.
    void kQuantsEqualCpuBitForBit() {
        const auto cases = backendsUnderTest();
        const BackendCase* cpuCase = findCase(cases, "cpu-avx2");
        if (!cpuCase) QSKIP("no AVX2: the CPU's tile kernels are not the SIMD order here");
        if (!findCase(cases, "vulkan")) QSKIP("no Vulkan device");
        for (T type : {T::Q2_K, T::Q3_K, T::Q4_K, T::Q5_K, T::Q6_K})
            for (std::int64_t K : {256, 1536}) {
                compareWithCpu(cases, *cpuCase, type, K, 44,
                               randomKQuantWeights(type, K, 44, 3 + unsigned(K)), true);
                if (QTest::currentTestFailed()) return;
            }
    }

    // Activation blocks whose F16 scale d = amax / 127 or block sum s = d * sum(q) lands on
    // another F16 value when the division is done as a multiplication by 1/127 (what a shader
    // compiler may do with a division by a constant unless told `precise`): each block holds k
    // copies of amax (sum(q) = 127 k) and zeros. The scales must still be the CPU's.
    void activationScalesOnF16Boundaries() {
        const auto cases = backendsUnderTest();
        const BackendCase* cpuCase = findCase(cases, "cpu-avx2");
        const BackendCase* vkCase = findCase(cases, "vulkan");
        if (!cpuCase || !vkCase) QSKIP("needs the AVX2 CPU backend and a Vulkan device");
        const float reciprocal = 1.0f / 127.0f;
        std::vector<std::pair<float, int>> blocks; // amax, copies
        for (float a = 0.5f; blocks.size() < 256 && a < 64.0f; a = std::nextafter(a, 100.0f)) {
            volatile float exact = a / 127.0f, viaReciprocal = a * reciprocal;
            if (exact == viaReciprocal) continue;
            for (int k = 1; k <= 32; ++k) {
                volatile float s1 = exact * float(127 * k), s2 = viaReciprocal * float(127 * k);
                if (fp32ToFp16(exact) != fp32ToFp16(viaReciprocal) ||
                    fp32ToFp16(s1) != fp32ToFp16(s2)) {
                    blocks.push_back({a, k});
                    break;
                }
            }
        }
        QVERIFY(blocks.size() >= 32); // the case exists (else the test proves nothing)
        const std::int64_t K = 32 * std::int64_t(blocks.size()), N = 8;
        std::vector<float> x(std::size_t(K), 0.0f);
        for (std::size_t b = 0; b < blocks.size(); ++b)
            for (int i = 0; i < blocks[b].second; ++i) x[32 * b + std::size_t(i)] = blocks[b].first;
        Device cpu(*cpuCase), gpu(*vkCase);
        const auto wb = quantizedWeights(T::Q4_1, K, N, 31);
        const Tensor dc = cpu.out({N, 1, 1, 1}), dg = gpu.out({N, 1, 1, 1});
        cpu.backend().matmul(cpu.bytes(T::Q4_1, {K, N, 1, 1}, wb.data()), cpu.f32({K, 1, 1, 1}, x),
                             dc);
        gpu.backend().matmul(gpu.bytes(T::Q4_1, {K, N, 1, 1}, wb.data()), gpu.f32({K, 1, 1, 1}, x),
                             dg);
        const std::int64_t at = firstDifference(cpu.read(dc), gpu.read(dg));
        QVERIFY2(
            at < 0,
            qPrintable(
                QString("%1 boundary blocks: first difference at %2").arg(blocks.size()).arg(at)));
    }
};

QTEST_GUILESS_MAIN(TestExactMatmul)
#include "test_exact_matmul.moc"
