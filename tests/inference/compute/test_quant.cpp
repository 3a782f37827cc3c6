// GGUF block formats: F16/BF16 conversions, hand-built blocks with known values, random blocks
// against gguf-py's dequantizer (fixtures/blocks.bin), and quantize -> dequantize error bounds.
#include "inference/compute/cpu/kernels.hpp"
#include "inference/compute/quant/blocks.hpp"
#include "inference/compute/quant/float16.hpp"
#include "inference/compute/quant/reference.hpp"

#include <QTest>
#include <cmath>
#include <cstring>
#include <fstream>
#include <random>
#include <vector>

using namespace atelier::compute;
using namespace atelier::compute::quant;
using atelier::gguf::TensorType;

namespace {

double normalisedError(const std::vector<float>& a, const std::vector<float>& b) {
    double num = 0, den = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        num += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
        den += double(b[i]) * b[i];
    }
    return std::sqrt(num / std::max(den, 1e-30));
}

std::vector<float> dequant(TensorType type, const void* blocks, int n) {
    std::vector<float> out(std::size_t(n), 0.0f);
    dequantizeRow(type, blocks, out.data(), n);
    return out;
}

} // namespace

class TestQuant : public QObject {
    Q_OBJECT
private slots:
    void halfKnownValues() {
        QCOMPARE(fp32ToFp16(1.0f), std::uint16_t(0x3C00));
        QCOMPARE(fp32ToFp16(-2.0f), std::uint16_t(0xC000));
        QCOMPARE(fp32ToFp16(65504.0f), std::uint16_t(0x7BFF));
        QCOMPARE(fp32ToFp16(65520.0f), std::uint16_t(0x7C00));        // rounds to infinity
        QCOMPARE(fp32ToFp16(0x1p-24f), std::uint16_t(0x0001));        // smallest subnormal
        QCOMPARE(fp32ToFp16(0x1p-25f), std::uint16_t(0x0000));        // tie rounds to even (zero)
        QCOMPARE(fp32ToFp16(1.0f + 0x1p-11f), std::uint16_t(0x3C00)); // tie to even
        QCOMPARE(fp32ToFp16(1.0f + 0x3p-11f), std::uint16_t(0x3C02)); // tie to even (up)
        QCOMPARE(fp16ToFp32(0x3555), 0.333251953125f);
        QCOMPARE(fp16ToFp32(0x0001), 0x1p-24f);
        QVERIFY(std::isinf(fp16ToFp32(0xFC00)) && fp16ToFp32(0xFC00) < 0);
        QVERIFY(std::isnan(fp16ToFp32(fp32ToFp16(std::nanf("")))));
        QCOMPARE(fp32ToBf16(1.0f), std::uint16_t(0x3F80));
        QCOMPARE(fp32ToBf16(1.0f + 0x1p-8f), std::uint16_t(0x3F80)); // tie to even
        QCOMPARE(fp32ToBf16(1.0f + 0x3p-8f), std::uint16_t(0x3F82));
        QCOMPARE(bf16ToFp32(0xC040), -3.0f);
    }

    void halfRoundTripsEveryValue() {
        for (std::uint32_t h = 0; h < 0x10000; ++h) {
            const float f = fp16ToFp32(std::uint16_t(h));
            if (std::isnan(f)) continue;
            if (fp32ToFp16(f) != h) QFAIL(qPrintable(QString("half 0x%1").arg(h, 4, 16)));
        }
    }

    void handBuiltLegacyBlocks() {
        BlockQ4_0 q40{};
        q40.d = fp32ToFp16(0.5f);
        for (int j = 0; j < 16; ++j) q40.qs[j] = std::uint8_t(j | ((15 - j) << 4));
        auto y = dequant(TensorType::Q4_0, &q40, 32);
        for (int j = 0; j < 16; ++j) {
            QCOMPARE(y[j], 0.5f * float(j - 8));
            QCOMPARE(y[j + 16], 0.5f * float(7 - j));
        }

        BlockQ4_1 q41{};
        q41.d = fp32ToFp16(2.0f);
        q41.m = fp32ToFp16(-1.0f);
        for (int j = 0; j < 16; ++j) q41.qs[j] = std::uint8_t(3 | (12 << 4));
        y = dequant(TensorType::Q4_1, &q41, 32);
        QCOMPARE(y[0], 5.0f);
        QCOMPARE(y[31], 23.0f);

        // Q5_0: qh bit j is bit 4 of value j; bit j + 16 that of value j + 16.
        BlockQ5_0 q50{};
        q50.d = fp32ToFp16(1.0f);
        const std::uint32_t qh = (1u << 3) | (1u << 20);
        std::memcpy(q50.qh, &qh, 4);
        for (int j = 0; j < 16; ++j) q50.qs[j] = 0x21; // low 1, high 2
        y = dequant(TensorType::Q5_0, &q50, 32);
        QCOMPARE(y[0], float(1 - 16));
        QCOMPARE(y[3], float(17 - 16));
        QCOMPARE(y[16], float(2 - 16));
        QCOMPARE(y[20], float(18 - 16));

        BlockQ5_1 q51{};
        q51.d = fp32ToFp16(0.25f);
        q51.m = fp32ToFp16(1.0f);
        const std::uint32_t all = 0xFFFFFFFFu;
        std::memcpy(q51.qh, &all, 4);
        for (int j = 0; j < 16; ++j) q51.qs[j] = 0xFF;
        y = dequant(TensorType::Q5_1, &q51, 32);
        QCOMPARE(y[7], 0.25f * 31 + 1.0f);

        BlockQ8_0 q80{};
        q80.d = fp32ToFp16(0.125f);
        for (int j = 0; j < 32; ++j) q80.qs[j] = std::int8_t(j - 16);
        y = dequant(TensorType::Q8_0, &q80, 32);
        QCOMPARE(y[0], -2.0f);
        QCOMPARE(y[31], 0.125f * 15);
    }

    void handBuiltKBlocks() {
        // Q2_K: every qs byte holds 0,1,2,3 in bit pairs 0-1 .. 6-7, so value e is
        // (e % 128) / 32; group g of 16 has scale g and min 1.
        BlockQ2_K q2{};
        q2.d = fp32ToFp16(1.0f);
        q2.dmin = fp32ToFp16(0.5f);
        for (int g = 0; g < 16; ++g) q2.scales[g] = std::uint8_t(g | (1 << 4));
        std::memset(q2.qs, 0xE4, sizeof q2.qs);
        auto y = dequant(TensorType::Q2_K, &q2, 256);
        for (int e = 0; e < 256; ++e) QCOMPARE(y[e], float(e / 16) * float((e % 128) / 32) - 0.5f);

        // Q3_K: all scales 33 (signed 1); q2 = 2 everywhere; the hmask bit plane walks one bit
        // per 32 values, so bit 0 set in every byte marks only values 0..31 as "no minus 4".
        BlockQ3_K q3{};
        q3.d = fp32ToFp16(1.0f);
        // scale 33 = 0b100001: low nibble 1 in bytes 0..7 (both nibbles), high bits 2 = 0b10.
        for (int j = 0; j < 8; ++j) q3.scales[j] = 0x11;
        for (int j = 8; j < 12; ++j) q3.scales[j] = 0xAA;
        std::memset(q3.qs, 0xAA, sizeof q3.qs);       // q2 = 2 in every bit pair
        std::memset(q3.hmask, 0x01, sizeof q3.hmask); // high bit only for values 0..31
        y = dequant(TensorType::Q3_K, &q3, 256);
        for (int e = 0; e < 256; ++e) QCOMPARE(y[e], e < 32 ? 2.0f : -2.0f);

        // Q4_K: scales j < 4 in bytes 0..3 (6 bits), mins in 4..7; j >= 4 split.
        BlockQ4_K q4{};
        q4.d = fp32ToFp16(1.0f);
        q4.dmin = fp32ToFp16(1.0f);
        for (int j = 0; j < 4; ++j) {
            q4.scales[j] = std::uint8_t(j + 1); // scale j+1, min 0 for groups 0..3
            q4.scales[j + 4] = 0;
        }
        for (int j = 8; j < 12; ++j) q4.scales[j] = 0x32; // groups 4..7: scale 2, min 3
        std::memset(q4.qs, 0x51, sizeof q4.qs);           // low nibble 1, high 5
        y = dequant(TensorType::Q4_K, &q4, 256);
        for (int g = 0; g < 8; ++g) {
            const float scale = g < 4 ? float(g + 1) : 2.0f, min = g < 4 ? 0.0f : 3.0f;
            const float q = (g % 2 == 0) ? 1.0f : 5.0f; // even groups low nibbles
            for (int l = 0; l < 32; ++l) QCOMPARE(y[32 * g + l], scale * q - min);
        }

        BlockQ5_K q5{};
        q5.d = fp32ToFp16(1.0f);
        q5.dmin = fp32ToFp16(0.0f);
        for (int j = 0; j < 4; ++j) q5.scales[j] = 1;
        for (int j = 8; j < 12; ++j) q5.scales[j] = 0x01;
        std::memset(q5.qs, 0x00, sizeof q5.qs);
        std::memset(q5.qh, 0x02, sizeof q5.qh); // fifth bit set only for group 1
        y = dequant(TensorType::Q5_K, &q5, 256);
        for (int e = 0; e < 256; ++e) QCOMPARE(y[e], (e >= 32 && e < 64) ? 16.0f : 0.0f);

        // Q6_K: ql nibbles 0 and qh bits 0-1 = 0b11: the first 32 values of each half get
        // q = 48 - 32 = 16, all others q = 0 - 32.
        BlockQ6_K q6{};
        q6.d = fp32ToFp16(0.5f);
        for (int g = 0; g < 16; ++g) q6.scales[g] = std::int8_t(g - 8);
        std::memset(q6.qh, 0x03, sizeof q6.qh);
        y = dequant(TensorType::Q6_K, &q6, 256);
        for (int e = 0; e < 256; ++e) {
            const int within = e % 128, q = within < 32 ? 16 : -32;
            QCOMPARE(y[e], 0.5f * float(e / 16 - 8) * float(q));
        }
    }

    void randomBlocksMatchGgufPy() {
        std::ifstream in(ATELIER_SOURCE_DIR "/tests/inference/compute/fixtures/blocks.bin",
                         std::ios::binary);
        QVERIFY(in.good());
        int types = 0;
        for (;;) {
            std::uint32_t header[3];
            if (!in.read(reinterpret_cast<char*>(header), sizeof header)) break;
            const auto type = TensorType(header[0]);
            std::vector<std::uint8_t> raw(header[2]);
            std::vector<float> expected(header[1]);
            in.read(reinterpret_cast<char*>(raw.data()), std::streamsize(raw.size()));
            in.read(reinterpret_cast<char*>(expected.data()), std::streamsize(expected.size() * 4));
            QVERIFY(in.good());
            const auto got = dequant(type, raw.data(), int(expected.size()));
            for (std::size_t i = 0; i < got.size(); ++i)
                if (std::fabs(got[i] - expected[i]) > 1e-6f * (1.0f + std::fabs(expected[i])))
                    QFAIL(qPrintable(QString("%1 value %2: %3 vs gguf-py %4")
                                         .arg(atelier::gguf::tensorTypeName(type).data())
                                         .arg(i)
                                         .arg(got[i])
                                         .arg(expected[i])));
            ++types;
        }
        QCOMPARE(types, 12); // 10 block types + F16 + BF16
    }

    void quantizeRoundTrip_data() {
        QTest::addColumn<int>("type");
        QTest::addColumn<double>("maxError"); // normalised L2 error on N(0,1) data
        QTest::newRow("F16") << int(TensorType::F16) << 1e-3;
        QTest::newRow("BF16") << int(TensorType::BF16) << 5e-3;
        QTest::newRow("Q8_0") << int(TensorType::Q8_0) << 0.01;
        QTest::newRow("Q8_1") << int(TensorType::Q8_1) << 0.01;
        QTest::newRow("Q8_K") << int(TensorType::Q8_K) << 0.01;
        QTest::newRow("Q5_0") << int(TensorType::Q5_0) << 0.06;
        QTest::newRow("Q5_1") << int(TensorType::Q5_1) << 0.06;
        QTest::newRow("Q4_0") << int(TensorType::Q4_0) << 0.12;
        QTest::newRow("Q4_1") << int(TensorType::Q4_1) << 0.12;
    }

    void quantizeRoundTrip() {
        QFETCH(int, type);
        QFETCH(double, maxError);
        const auto t = TensorType(type);
        const int n = 4096;
        std::mt19937 rng(7);
        std::normal_distribution<float> normal;
        std::vector<float> x(n);
        for (float& v : x) v = normal(rng);
        x[5] = 0.0f;
        std::vector<std::uint8_t> packed(*atelier::gguf::rowByteSize(t, n));
        quantizeRow(t, x.data(), packed.data(), n);
        const auto y = dequant(t, packed.data(), n);
        const double err = normalisedError(y, x);
        QVERIFY2(err < maxError, qPrintable(QString("error %1").arg(err)));
        QVERIFY2(err > 0 || t == TensorType::F32, "a lossy format reproduced its input exactly?");
        // A block of zeros stays zeros.
        std::vector<float> zeros(256, 0.0f);
        quantizeRow(t, zeros.data(), packed.data(), 256);
        for (float v : dequant(t, packed.data(), 256)) QCOMPARE(v, 0.0f);
    }

    void q8KSumsMatchValues() {
        std::vector<float> x(512);
        for (int i = 0; i < 512; ++i) x[i] = std::sin(float(i)) * 3.0f;
        BlockQ8_K b[2];
        quantizeRow(TensorType::Q8_K, x.data(), b, 512);
        for (const auto& blk : b)
            for (int g = 0; g < 16; ++g) {
                int sum = 0;
                for (int l = 0; l < 16; ++l) sum += blk.qs[16 * g + l];
                QCOMPARE(int(blk.bsums[g]), sum);
            }
    }

    // The CPU kernels' activation quantizers at every SIMD level this CPU has give the reference
    // bytes exactly: Gaussian data, a zero block, exact ties (x * 127 / amax = k + 0.5) and a
    // largest magnitude that appears with both signs (Q8_K takes the first one's sign).
    void simdQuantizersMatchReference() {
        const int n = 2048;
        std::vector<float> x(n);
        std::mt19937 rng(11);
        std::normal_distribution<float> normal;
        for (float& v : x) v = normal(rng);
        for (int j = 0; j < 256; ++j) x[256 + j] = 0.0f;                // a zero super-block
        for (int j = 0; j < 32; ++j) x[512 + j] = float(j % 16) - 7.5f; // ties to even
        x[512] = 127.0f;                                                // amax 127: id = 1
        for (int j = 0; j < 256; ++j) x[1024 + j] = std::sin(float(j)); // repeated magnitude:
        x[1024 + 9] = -2.0f;
        x[1024 + 200] = 2.0f;
        using atelier::compute::cpu::SimdLevel;
        for (SimdLevel level : {SimdLevel::Scalar, SimdLevel::Avx2, SimdLevel::Avx512Vnni}) {
            if (atelier::compute::cpu::detectSimdLevel() < level) continue;
            const auto& k = atelier::compute::cpu::kernelsFor(level);
            for (TensorType t : {TensorType::Q8_0, TensorType::Q8_1, TensorType::Q8_K}) {
                const std::size_t bytes = *atelier::gguf::rowByteSize(t, n);
                std::vector<std::uint8_t> want(bytes), got(bytes, 0xAB);
                quantizeRow(t, x.data(), want.data(), n);
                k.quantize[int(t)](x.data(), got.data(), n);
                QVERIFY2(got == want,
                         qPrintable(QString("%1 at level %2")
                                        .arg(atelier::gguf::tensorTypeName(t).data())
                                        .arg(atelier::compute::cpu::simdLevelName(level))));
            }
        }
    }

    void refusesUnsupportedTypes() {
        float x[256] = {};
        std::uint8_t buf[512];
        QVERIFY(!canQuantize(TensorType::Q4_K));
        QVERIFY_THROWS_EXCEPTION(std::exception, quantizeRow(TensorType::Q4_K, x, buf, 256));
        QVERIFY_THROWS_EXCEPTION(std::exception, dequantizeRow(TensorType::IQ2_XXS, buf, x, 256));
    }
};

QTEST_APPLESS_MAIN(TestQuant)
#include "test_quant.moc"
