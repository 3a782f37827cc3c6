// matmul and get_rows with every weight type on every backend, against plain scalar
// references computed here in double precision from the reference dequantizer.
#include "inference/compute/cpu/kernels.hpp"
#include "inference/util/error.hpp"
#include "test_support.hpp"

#include <QTest>

using namespace atelier::compute;
using namespace atelier::compute::testing;
using T = ElementType;

namespace {

// Thresholds (normalised L2 error against the exact F32 product). The weights are exact in
// both; the difference is the activation format a backend may use: F16 rounds activations to
// 11 bits, BF16 to 8 bits, Q8_0/Q8_1/Q8_K to 8-bit blocks.
double thresholdFor(T weight) {
    switch (weight) {
    case T::F32:
        return 1e-5;
    case T::F16:
        return 2e-3;
    case T::BF16:
        return 1e-2;
    default:
        return 2e-2;
    }
}
// Against the same product with activations rounded to the CPU's partner format: only the
// summation order differs, except that Q8_1 keeps its block sum d * sum(q) in F16 (as ggml).
double sameInputsThreshold(T activation) {
    return activation == T::Q8_1 ? 1e-3 : 2e-5;
}

const T kWeightTypes[] = {T::F32,  T::F16,  T::BF16, T::Q4_0, T::Q4_1, T::Q5_0, T::Q5_1,
                          T::Q8_0, T::Q2_K, T::Q3_K, T::Q4_K, T::Q5_K, T::Q6_K};

// Byte offsets of the fp16 scales inside one block (random bytes elsewhere).
std::vector<int> halfFields(T type) {
    switch (type) {
    case T::Q2_K:
        return {80, 82};
    case T::Q3_K:
        return {108};
    case T::Q4_K:
    case T::Q5_K:
        return {0, 2};
    case T::Q6_K:
        return {208};
    default:
        return {};
    }
}

// Random weights of `rows` x `k` in `type`: quantized Gaussian values where a quantizer exists,
// random blocks with small finite scales for the k-quants.
std::vector<std::uint8_t> randomWeights(T type, std::int64_t k, std::int64_t rows,
                                        std::uint32_t seed) {
    const std::size_t rowBytes = *atelier::gguf::tensorByteSize(type, std::uint64_t(k));
    std::vector<std::uint8_t> out(rowBytes * std::size_t(rows));
    if (quant::canQuantize(type)) {
        const auto values = randomFloats(std::size_t(k * rows), seed);
        for (std::int64_t r = 0; r < rows; ++r)
            quant::quantizeRow(type, values.data() + r * k, out.data() + r * rowBytes, k);
        return out;
    }
    std::mt19937 rng(seed);
    for (auto& b : out) b = std::uint8_t(rng());
    const std::size_t blockBytes = atelier::gguf::typeSize(type);
    std::uniform_real_distribution<float> scale(0.001f, 0.02f);
    for (std::size_t b = 0; b < out.size() / blockBytes; ++b)
        for (int field : halfFields(type)) {
            const std::uint16_t h = fp32ToFp16(scale(rng));
            std::memcpy(&out[b * blockBytes + std::size_t(field)], &h, 2);
        }
    return out;
}

std::vector<float> dequantizeRows(T type, const std::vector<std::uint8_t>& bytes, std::int64_t k,
                                  std::int64_t rows) {
    const std::size_t rowBytes = bytes.size() / std::size_t(rows);
    std::vector<float> out(std::size_t(k * rows));
    for (std::int64_t r = 0; r < rows; ++r)
        quant::dequantizeRow(type, bytes.data() + r * rowBytes, out.data() + r * k, k);
    return out;
}

// want[m][n] = sum_k w[n][k] x[m][k] with w broadcast over batches.
std::vector<double> referenceMatmul(const std::vector<float>& w, const std::vector<float>& x,
                                    std::int64_t K, std::int64_t N, std::int64_t M,
                                    std::int64_t wBatches, std::int64_t xBatches) {
    std::vector<double> out(std::size_t(N * M * xBatches));
    for (std::int64_t b = 0; b < xBatches; ++b) {
        const float* wb = w.data() + (b / (xBatches / wBatches)) * N * K;
        for (std::int64_t m = 0; m < M; ++m)
            for (std::int64_t n = 0; n < N; ++n) {
                double sum = 0;
                for (std::int64_t k = 0; k < K; ++k)
                    sum += double(wb[n * K + k]) * double(x[std::size_t((b * M + m) * K + k)]);
                out[std::size_t((b * M + m) * N + n)] = sum;
            }
    }
    return out;
}

} // namespace

class TestMatmul : public QObject {
    Q_OBJECT
private slots:
    void everyTypeEveryBackend() {
        const std::int64_t K = 512, N = 37;
        for (const auto& bc : backendsUnderTest()) {
            Device dev(bc);
            for (T type : kWeightTypes) {
                QVERIFY2(dev.backend().supports(Op::Matmul, type), bc.name.c_str());
                const auto wBytes = randomWeights(type, K, N, 11 + unsigned(type));
                const auto wValues = dequantizeRows(type, wBytes, K, N);
                const Tensor w = dev.bytes(type, {K, N, 1, 1}, wBytes.data());
                for (std::int64_t M : {1, 5, 70}) { // vector, small batch, > one tile
                    const auto x = randomFloats(std::size_t(K * M), 100 + unsigned(M));
                    const Tensor xt = dev.f32({K, M, 1, 1}, x);
                    const Tensor dst = dev.out({N, M, 1, 1});
                    dev.backend().matmul(w, xt, dst);
                    const auto got = dev.read(dst);
                    const double err =
                        normalisedError(got, referenceMatmul(wValues, x, K, N, M, 1, 1));
                    const QString where =
                        QString("%1 %2 M=%3: error %4")
                            .arg(bc.name.c_str(), atelier::gguf::tensorTypeName(type).data())
                            .arg(M)
                            .arg(err);
                    QVERIFY2(err < thresholdFor(type), qPrintable(where));
                    if (bc.name.rfind("cpu", 0) == 0) { // same activation rounding as the kernels
                        std::vector<float> xq(x.size());
                        const T act = cpu::activationTypeFor(type);
                        for (std::int64_t m = 0; m < M; ++m) {
                            std::vector<float> row(x.begin() + m * K, x.begin() + (m + 1) * K);
                            row = roundTrip(act, row);
                            std::copy(row.begin(), row.end(), xq.begin() + m * K);
                        }
                        const double tight =
                            normalisedError(got, referenceMatmul(wValues, xq, K, N, M, 1, 1));
                        QVERIFY2(tight < sameInputsThreshold(act),
                                 qPrintable(where + QString(", same-inputs error %1").arg(tight)));
                    }
                }
                dev.arena().reset();
            }
        }
    }

    void batchedBroadcastAndStridedActivations() {
        const std::int64_t K = 64, N = 9, M = 3;
        for (const auto& bc : backendsUnderTest()) {
            Device dev(bc);
            for (T type : {T::F32, T::F16}) {
                const auto wv = roundTrip(type, randomFloats(std::size_t(K * N * 2), 5));
                const Tensor w = dev.floats(type, {K, N, 2, 1}, wv);
                // x: 4 batches of M rows, every other row of a larger tensor.
                const auto big = randomFloats(std::size_t(K * 2 * M * 4), 6);
                const Tensor all = dev.f32({K, 2 * M, 4, 1}, big);
                const Tensor xt = all.view({K, M, 4, 1}, {4, all.nb[1] * 2, all.nb[2], all.nb[3]});
                std::vector<float> x;
                for (std::int64_t b = 0; b < 4; ++b)
                    for (std::int64_t m = 0; m < M; ++m)
                        x.insert(x.end(), big.begin() + (b * 2 * M + 2 * m) * K,
                                 big.begin() + (b * 2 * M + 2 * m + 1) * K);
                const Tensor dst = dev.out({N, M, 4, 1});
                dev.backend().matmul(w, xt, dst);
                const double err =
                    normalisedError(dev.read(dst), referenceMatmul(wv, x, K, N, M, 2, 4));
                QVERIFY2(err < thresholdFor(type),
                         qPrintable(QString("%1: %2").arg(bc.name.c_str()).arg(err)));
            }
        }
    }

    void getRowsEveryType() {
        const std::int64_t K = 256, V = 20;
        const std::vector<std::int32_t> ids = {3, 0, 19, 3, 7, 12};
        for (const auto& bc : backendsUnderTest()) {
            Device dev(bc);
            for (T type : kWeightTypes) {
                const auto bytes = randomWeights(type, K, V, 3 + unsigned(type));
                const auto values = dequantizeRows(type, bytes, K, V);
                const Tensor table = dev.bytes(type, {K, V, 1, 1}, bytes.data());
                const Tensor idt = dev.ids(ids, {3, 2, 1, 1});
                const Tensor dst = dev.out({K, 3, 2, 1});
                dev.backend().getRows(table, idt, dst);
                std::vector<float> want;
                for (auto id : ids)
                    want.insert(want.end(), values.begin() + id * K, values.begin() + (id + 1) * K);
                const double err = normalisedError(dev.read(dst), want);
                QVERIFY2(err < 1e-6, qPrintable(QString("%1 %2: %3")
                                                    .arg(bc.name.c_str(),
                                                         atelier::gguf::tensorTypeName(type).data())
                                                    .arg(err)));
            }
        }
    }

    void rejectsMismatchedShapes() {
        Device dev(backendsUnderTest().front());
        const Tensor w = dev.f32({64, 8, 1, 1}, randomFloats(512, 1));
        const Tensor x = dev.f32({32, 2, 1, 1}, randomFloats(64, 2));
        const Tensor dst = dev.out({8, 2, 1, 1});
        QVERIFY_THROWS_EXCEPTION(atelier::Error, dev.backend().matmul(w, x, dst));
    }
};

QTEST_APPLESS_MAIN(TestMatmul)
#include "test_matmul.moc"
