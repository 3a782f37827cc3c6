// Every non-matmul operation on every backend (backends_under_test.hpp) against the plain
// references in reference_ops.hpp, by normalised error ||got - want|| / ||want||.
#include "inference/compute/transfer.hpp"
#include "inference/util/error.hpp"
#include "reference_ops.hpp"
#include "test_support.hpp"

#include <QTest>

using namespace atelier::compute;
using namespace atelier::compute::testing;
using T = ElementType;

namespace {
// Thresholds: F32 operations differ from the double references only by rounding (1e-5); rope
// builds angles by repeated multiplication as ggml does (1e-4); attention over an F16 cache is
// compared with the F16-rounded keys and values, so rounding is all that is left (1e-4).
constexpr double kF32 = 1e-5;
constexpr double kRope = 1e-4;
constexpr double kAttention = 1e-4;
// With an F16 cache the query and the probabilities are rounded to F16 (as llama.cpp does):
// about 2^-11 relative each.
constexpr double kAttentionF16 = 1e-3;

#define CHECK_ERR(got, want, limit, what)                                                          \
    do {                                                                                           \
        const double e_ = normalisedError(got, want);                                              \
        QVERIFY2(e_ < (limit),                                                                     \
                 qPrintable(QString("%1 %2: error %3").arg(dev.name().c_str(), what).arg(e_)));    \
    } while (0)

} // namespace

class TestOps : public QObject {
    Q_OBJECT
private slots:
    void norms() {
        for (const auto& bc : backendsUnderTest()) {
            Device dev(bc);
            const std::int64_t n = 96, rows = 7;
            const auto x = randomFloats(std::size_t(n * rows), 1, 3.0f);
            const auto w = randomFloats(std::size_t(n), 2), b = randomFloats(std::size_t(n), 3);
            const Tensor xt = dev.f32({n, rows, 1, 1}, x), wt = dev.f32({n, 1, 1, 1}, w),
                         bt = dev.f32({n, 1, 1, 1}, b);
            Tensor out = dev.out({n, rows, 1, 1});
            dev.backend().rmsNorm(xt, &wt, out, {1e-5f});
            CHECK_ERR(dev.read(out), ref::rmsNorm(x, w, n, 1e-5f), kF32, "rms_norm");
            dev.backend().rmsNorm(xt, nullptr, out, {1e-6f});
            CHECK_ERR(dev.read(out), ref::rmsNorm(x, {}, n, 1e-6f), kF32, "rms_norm plain");
            dev.backend().layerNorm(xt, &wt, &bt, out, {1e-5f});
            CHECK_ERR(dev.read(out), ref::layerNorm(x, w, b, n, 1e-5f), kF32, "layer_norm");
            dev.backend().layerNorm(xt, nullptr, nullptr, out);
            CHECK_ERR(dev.read(out), ref::layerNorm(x, {}, {}, n, 1e-5f), kF32, "layer_norm plain");

            const std::int64_t W = 6, H = 5, C = 8, N = 2;
            const auto img = randomFloats(std::size_t(W * H * C * N), 4, 2.0f);
            const auto gw = randomFloats(std::size_t(C), 5), gb = randomFloats(std::size_t(C), 6);
            const Tensor it = dev.f32({W, H, C, N}, img), gwt = dev.f32({C, 1, 1, 1}, gw),
                         gbt = dev.f32({C, 1, 1, 1}, gb);
            Tensor gout = dev.out({W, H, C, N});
            dev.backend().groupNorm(it, &gwt, &gbt, gout, {4, 1e-6f});
            CHECK_ERR(dev.read(gout), ref::groupNorm(img, gw, gb, W, H, C, N, 4, 1e-6f), kF32,
                      "group_norm");
            QVERIFY_THROWS_EXCEPTION(atelier::Error,
                                     dev.backend().groupNorm(it, nullptr, nullptr, gout, {3}));
        }
    }

    void rope() {
        const std::int64_t D = 64, heads = 3, tokens = 5;
        const std::vector<std::int32_t> pos = {0, 1, 7, 30, 99};
        struct Case {
            const char* name;
            RopeParams p;
            bool factors;
        };
        const Case cases[] = {
            {"normal", {RopeMode::Normal}, false},
            {"neox", {RopeMode::NeoX, 0, 1e6f}, false},
            {"neox partial dims", {RopeMode::NeoX, 32, 10000.0f}, false},
            {"linear scaling", {RopeMode::Normal, 0, 10000.0f, 0.25f}, false},
            {"freq factors", {RopeMode::NeoX, 0, 500000.0f}, true},
            {"yarn", {RopeMode::NeoX, 0, 10000.0f, 0.25f, 4096, 1.0f, 1.0f, 32.0f, 1.0f}, false},
        };
        for (const auto& bc : backendsUnderTest()) {
            Device dev(bc);
            const auto x = randomFloats(std::size_t(D * heads * tokens), 7);
            const Tensor xt = dev.f32({D, heads, tokens, 1}, x);
            const Tensor pt = dev.ids(pos, {tokens, 1, 1, 1});
            for (const Case& c : cases) {
                const int half = (c.p.dims ? c.p.dims : int(D)) / 2;
                std::vector<float> factors;
                for (int i = 0; c.factors && i < half; ++i) factors.push_back(1.0f + float(i % 5));
                const Tensor ft = c.factors ? dev.f32({half, 1, 1, 1}, factors) : Tensor{};
                Tensor out = dev.out({D, heads, tokens, 1});
                dev.backend().rope(xt, pt, c.factors ? &ft : nullptr, out, c.p);
                CHECK_ERR(dev.read(out), ref::rope(x, pos, factors, D, heads, c.p), kRope, c.name);
            }
            // In place on a strided view (q of a fused qkv row): rows keep their layout.
            const Tensor fused = dev.f32({D, 2 * heads, tokens, 1},
                                         randomFloats(std::size_t(D * 2 * heads * tokens), 8));
            const Tensor qView =
                fused.view({D, heads, tokens, 1}, {4, fused.nb[1], fused.nb[2], fused.nb[3]});
            const auto before = dev.read(fused);
            dev.backend().rope(qView, pt, nullptr, qView, {RopeMode::NeoX});
            const auto after = dev.read(fused);
            std::vector<float> q, k, kAfter, qAfter;
            for (std::int64_t t = 0; t < tokens; ++t)
                for (std::int64_t h = 0; h < 2 * heads; ++h) {
                    auto from = before.begin() + (t * 2 * heads + h) * D;
                    auto to = after.begin() + (t * 2 * heads + h) * D;
                    (h < heads ? q : k).insert((h < heads ? q : k).end(), from, from + D);
                    (h < heads ? qAfter : kAfter)
                        .insert((h < heads ? qAfter : kAfter).end(), to, to + D);
                }
            CHECK_ERR(qAfter, ref::rope(q, pos, {}, D, heads, {RopeMode::NeoX}), kRope,
                      "rope view");
            QVERIFY(k == kAfter);
        }
    }

    void attention() {
        struct Case {
            const char* name;
            std::int64_t D, Dv, Hq, Hkv, Nq, Nkv;
            AttentionParams p;
            bool f16, mask;
        };
        const Case cases[] = {
            {"decode gqa f16", 64, 64, 8, 2, 1, 37, {0.0f, true, 36}, true, false},
            {"prefill causal", 32, 32, 4, 4, 9, 9, {0.0f, true, 0}, true, false},
            {"prefill after cache", 32, 32, 4, 1, 6, 20, {0.0f, true, 14}, true, false},
            {"sliding window softcap", 32, 32, 4, 2, 7, 7, {0.1f, true, 0, 3, 20.0f}, true, false},
            {"cross attention f32", 40, 24, 2, 2, 12, 5, {0.0f, false}, false, false},
            {"masked", 16, 16, 2, 1, 4, 6, {0.0f, false}, false, true},
        };
        for (const auto& bc : backendsUnderTest()) {
            Device dev(bc);
            for (const Case& c : cases) {
                const T kv = c.f16 ? T::F16 : T::F32;
                const auto q = randomFloats(std::size_t(c.D * c.Hq * c.Nq), 20);
                const auto k = roundTrip(kv, randomFloats(std::size_t(c.D * c.Hkv * c.Nkv), 21));
                const auto v = roundTrip(kv, randomFloats(std::size_t(c.Dv * c.Hkv * c.Nkv), 22));
                std::vector<float> mask;
                if (c.mask)
                    for (std::int64_t i = 0; i < c.Nq * c.Nkv; ++i)
                        mask.push_back(i % 3 == 0 ? -INFINITY : float(i % 5) * 0.1f);
                const Tensor qt = dev.f32({c.D, c.Hq, c.Nq, 1}, q);
                const Tensor kt = dev.floats(kv, {c.D, c.Hkv, c.Nkv, 1}, k);
                const Tensor vt = dev.floats(kv, {c.Dv, c.Hkv, c.Nkv, 1}, v);
                const Tensor mt = c.mask ? dev.f32({c.Nkv, c.Nq, 1, 1}, mask) : Tensor{};
                Tensor out = dev.out({c.Dv, c.Hq, c.Nq, 1});
                dev.backend().attention(qt, kt, vt, c.mask ? &mt : nullptr, out, c.p);
                CHECK_ERR(dev.read(out),
                          ref::attention(q, k, v, mask, c.D, c.Dv, c.Hq, c.Hkv, c.Nq, c.Nkv, c.p),
                          c.f16 ? kAttentionF16 : kAttention, c.name);
            }
        }
    }

    void softmaxAndActivations() {
        for (const auto& bc : backendsUnderTest()) {
            Device dev(bc);
            const std::int64_t n = 50, rows = 6;
            const auto x = randomFloats(std::size_t(n * rows), 30, 4.0f);
            const Tensor xt = dev.f32({n, rows, 1, 1}, x);
            std::vector<float> mask(std::size_t(n * 3));
            for (std::size_t i = 0; i < mask.size(); ++i) mask[i] = i % 7 == 0 ? -INFINITY : 0.5f;
            const Tensor x3 = dev.f32({n, 3, 2, 1}, x);
            const Tensor mt = dev.f32({n, 3, 1, 1}, mask);
            Tensor out = dev.out({n, 3, 2, 1});
            dev.backend().softmax(x3, &mt, out, {0.5f});
            std::vector<double> want(x.size());
            for (std::int64_t r = 0; r < rows; ++r) {
                double max = -INFINITY, sum = 0;
                for (std::int64_t i = 0; i < n; ++i)
                    max = std::max(max, 0.5 * x[r * n + i] + mask[(r % 3) * n + i]);
                for (std::int64_t i = 0; i < n; ++i)
                    sum += want[r * n + i] =
                        std::exp(0.5 * x[r * n + i] + mask[(r % 3) * n + i] - max);
                for (std::int64_t i = 0; i < n; ++i) want[r * n + i] /= sum;
            }
            CHECK_ERR(dev.read(out), want, kF32, "softmax");

            const auto up = randomFloats(x.size(), 31);
            const Tensor ut = dev.f32({n, rows, 1, 1}, up);
            for (Activation fn : {Activation::Silu, Activation::Gelu, Activation::GeluTanh,
                                  Activation::Relu, Activation::Tanh}) {
                Tensor a = dev.out({n, rows, 1, 1}), g = dev.out({n, rows, 1, 1});
                dev.backend().unary(xt, a, fn);
                dev.backend().glu(xt, ut, g, fn);
                std::vector<double> wantA, wantG;
                for (std::size_t i = 0; i < x.size(); ++i) {
                    wantA.push_back(ref::activation(fn, x[i]));
                    wantG.push_back(ref::activation(fn, x[i]) * up[i]);
                }
                const QString name = QString("activation %1").arg(int(fn));
                CHECK_ERR(dev.read(a), wantA, kF32, qPrintable(name));
                CHECK_ERR(dev.read(g), wantG, kF32, qPrintable(name + " glu"));
            }
        }
    }

    void binaryScaleCopy() {
        for (const auto& bc : backendsUnderTest()) {
            Device dev(bc);
            const std::int64_t n = 24, r1 = 4, r2 = 3;
            const auto a = randomFloats(std::size_t(n * r1 * r2), 40);
            const auto row = randomFloats(std::size_t(n), 41);       // [n, 1, 1]: a bias row
            const auto col = randomFloats(std::size_t(r1 * r2), 42); // [1, r1, r2]: per-row scale
            const Tensor at = dev.f32({n, r1, r2, 1}, a), rt = dev.f32({n, 1, 1, 1}, row),
                         ct = dev.f32({1, r1, r2, 1}, col);
            Tensor out = dev.out({n, r1, r2, 1});
            std::vector<double> want(a.size());
            dev.backend().add(at, rt, out);
            for (std::size_t i = 0; i < a.size(); ++i) want[i] = double(a[i]) + row[i % n];
            CHECK_ERR(dev.read(out), want, kF32, "add broadcast row");
            dev.backend().mul(at, ct, out);
            for (std::size_t i = 0; i < a.size(); ++i) want[i] = double(a[i]) * col[i / n];
            CHECK_ERR(dev.read(out), want, kF32, "mul broadcast column");
            dev.backend().add(at, at, out);
            for (std::size_t i = 0; i < a.size(); ++i) want[i] = 2.0 * a[i];
            CHECK_ERR(dev.read(out), want, kF32, "add same shape");
            dev.backend().scale(at, out, {0.25f, 1.0f});
            for (std::size_t i = 0; i < a.size(); ++i) want[i] = a[i] * 0.25 + 1.0;
            CHECK_ERR(dev.read(out), want, kF32, "scale");

            // Copy into an F16 "cache" at a token offset, through a strided (transposed) view.
            const std::int64_t D = 8, H = 2, tokens = 3, capacity = 10;
            Tensor cache = dev.arena().tensor(T::F16, {D, H, capacity, 1});
            const auto kvals = randomFloats(std::size_t(D * H * tokens), 43);
            const Tensor cur = dev.f32({D, H, tokens, 1}, kvals);
            dev.backend().copy(cur, cache.slice(2, 4, tokens));
            Tensor back = dev.out({D, H, tokens, 1});
            dev.backend().copy(cache.slice(2, 4, tokens), back);
            CHECK_ERR(dev.read(back), roundTrip(T::F16, kvals), 1e-7, "copy f32->f16->f32");
            Tensor tr = dev.out({D, tokens, H, 1});
            dev.backend().copy(cur.transposed(1, 2), tr);
            std::vector<float> wantT;
            for (std::int64_t h = 0; h < H; ++h)
                for (std::int64_t t = 0; t < tokens; ++t)
                    wantT.insert(wantT.end(), kvals.begin() + (t * H + h) * D,
                                 kvals.begin() + (t * H + h + 1) * D);
            CHECK_ERR(dev.read(tr), wantT, 1e-7, "copy transposed");
            Tensor bf = dev.arena().tensor(T::BF16, {D, H, tokens, 1});
            dev.backend().copy(cur, bf);
            CHECK_ERR(dev.read(bf), roundTrip(T::BF16, kvals), 1e-7, "copy f32->bf16");
        }
    }

    void imageOps() {
        struct Case {
            const char* name;
            std::int64_t W, H, Cin, Cout, KW, KH, N;
            Conv2dParams p;
            T kernel;
        };
        const Case cases[] = {
            {"3x3 pad 1 f16", 9, 7, 5, 4, 3, 3, 2, {1, 1, 1, 1}, T::F16},
            {"3x3 stride 2 f32", 10, 8, 3, 6, 3, 3, 1, {2, 2, 1, 1}, T::F32},
            {"1x1", 5, 5, 8, 3, 1, 1, 1, {}, T::F32},
            {"dilated", 12, 11, 2, 2, 3, 3, 1, {1, 1, 2, 2, 2, 2}, T::F16},
        };
        for (const auto& bc : backendsUnderTest()) {
            Device dev(bc);
            for (const Case& c : cases) {
                const std::int64_t OW =
                    (c.W + 2 * c.p.padX - c.p.dilationX * (c.KW - 1) - 1) / c.p.strideX + 1;
                const std::int64_t OH =
                    (c.H + 2 * c.p.padY - c.p.dilationY * (c.KH - 1) - 1) / c.p.strideY + 1;
                const auto in = randomFloats(std::size_t(c.W * c.H * c.Cin * c.N), 50);
                const auto ker = roundTrip(
                    c.kernel, randomFloats(std::size_t(c.KW * c.KH * c.Cin * c.Cout), 51));
                const auto bias = randomFloats(std::size_t(c.Cout), 52);
                const Tensor it = dev.f32({c.W, c.H, c.Cin, c.N}, in);
                const Tensor kt = dev.floats(c.kernel, {c.KW, c.KH, c.Cin, c.Cout}, ker);
                const Tensor bt = dev.f32({c.Cout, 1, 1, 1}, bias);
                Tensor out = dev.out({OW, OH, c.Cout, c.N});
                dev.backend().conv2d(it, kt, &bt, out, c.p);
                CHECK_ERR(dev.read(out),
                          ref::conv2d(in, ker, bias, c.W, c.H, c.Cin, c.N, c.KW, c.KH, c.Cout, c.p,
                                      OW, OH),
                          kF32, c.name);
            }
            const std::int64_t W = 3, H = 2, C = 2;
            const auto x = randomFloats(std::size_t(W * H * C), 53),
                       y = randomFloats(std::size_t(W * H), 54);
            const Tensor xt = dev.f32({W, H, C, 1}, x), yt = dev.f32({W, H, 1, 1}, y);
            Tensor up = dev.out({2 * W, 2 * H, C, 1});
            dev.backend().upsampleNearest(xt, up, {2});
            std::vector<float> wantUp;
            for (std::int64_t c = 0; c < C; ++c)
                for (std::int64_t j = 0; j < 2 * H; ++j)
                    for (std::int64_t i = 0; i < 2 * W; ++i)
                        wantUp.push_back(x[std::size_t((c * H + j / 2) * W + i / 2)]);
            CHECK_ERR(dev.read(up), wantUp, 1e-7, "upsample");
            Tensor cat = dev.out({W, H, C + 1, 1});
            dev.backend().concat(xt, yt, cat, {2});
            std::vector<float> wantCat = x;
            wantCat.insert(wantCat.end(), y.begin(), y.end());
            CHECK_ERR(dev.read(cat), wantCat, 1e-7, "concat channels");
            Tensor cat0 = dev.out({2 * W, H, 1, 1});
            const Tensor x0 = xt.slice(2, 1, 1);
            dev.backend().concat(x0, yt, cat0, {0});
            std::vector<float> wantCat0;
            for (std::int64_t j = 0; j < H; ++j) {
                wantCat0.insert(wantCat0.end(), x.begin() + (H + j) * W,
                                x.begin() + (H + j + 1) * W);
                wantCat0.insert(wantCat0.end(), y.begin() + j * W, y.begin() + (j + 1) * W);
            }
            CHECK_ERR(dev.read(cat0), wantCat0, 1e-7, "concat width");
        }
    }

    void copyAcrossBackends() {
        const auto cases = backendsUnderTest();
        Device a(cases.front()), b(cases.back());
        const auto values = randomFloats(96, 60);
        const Tensor src = a.f32({32, 3, 1, 1}, values);
        const Tensor dst = b.out({32, 3, 1, 1});
        std::vector<std::uint8_t> staging;
        copyAcross(src, dst, staging);
        QVERIFY(b.read(dst) == values);
        const Tensor wrong = b.out({32, 2, 1, 1});
        QVERIFY_THROWS_EXCEPTION(atelier::Error, copyAcross(src, wrong, staging));
    }

    void arenaAndValidation() {
        Device dev(backendsUnderTest().front(), 4096);
        const std::size_t mark = dev.arena().mark();
        dev.arena().f32({256, 1, 1, 1});
        QVERIFY_THROWS_EXCEPTION(atelier::Error, dev.arena().f32({1024, 1, 1, 1}));
        dev.arena().release(mark);
        QCOMPARE(dev.arena().used(), std::size_t(0));
        QVERIFY(dev.arena().peak() >= 1024);
        // Weights are read-only: an operation may not write into them.
        std::vector<float> w(64, 1.0f);
        auto weights = dev.backend().importWeights(
            {reinterpret_cast<const std::uint8_t*>(w.data()), w.size() * 4});
        const Tensor wt = Tensor::contiguous(T::F32, {64, 1, 1, 1}, weights.get(), 0);
        const Tensor x = dev.f32({64, 1, 1, 1}, std::vector<float>(64, 2.0f));
        QVERIFY_THROWS_EXCEPTION(atelier::Error, dev.backend().scale(x, wt, {}));
        Tensor out = dev.out({64, 1, 1, 1});
        dev.backend().add(wt, x, out);
        QCOMPARE(dev.read(out)[5], 3.0f);
        QVERIFY_THROWS_EXCEPTION(atelier::Error,
                                 Tensor::contiguous(T::Q4_0, {48, 1, 1, 1}, nullptr, 0));
        const Tensor q = Tensor::contiguous(T::Q4_0, {64, 2, 1, 1}, nullptr, 0);
        QCOMPARE(q.slice(0, 32, 32).offset, std::size_t(18)); // one 18-byte block further
        QVERIFY_THROWS_EXCEPTION(atelier::Error, q.slice(0, 16, 16));
        QCOMPARE(q.slice(1, 1, 1).offset, q.nb[1]);
    }
};

QTEST_APPLESS_MAIN(TestOps)
#include "test_ops.moc"
