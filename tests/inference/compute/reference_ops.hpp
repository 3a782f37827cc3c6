#pragma once
// Plain scalar references for the operation tests, written for clarity over contiguous
// host arrays (double accumulation). Shapes follow the Backend contract.
#include "inference/compute/ops.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <vector>

namespace atelier::compute::testing::ref {

using Vec = std::vector<float>;

inline double activation(Activation fn, double x) {
    switch (fn) {
    case Activation::Silu:
        return x / (1 + std::exp(-x));
    case Activation::Gelu:
        return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
    case Activation::GeluTanh:
        return 0.5 * x *
               (1 + std::tanh(std::sqrt(2 / std::numbers::pi) * (x + 0.044715 * x * x * x)));
    case Activation::Relu:
        return x > 0 ? x : 0;
    case Activation::Tanh:
        return std::tanh(x);
    }
    return x;
}

inline Vec rmsNorm(const Vec& x, const Vec& w, std::int64_t n, float eps) {
    Vec out(x.size());
    for (std::size_t r = 0; r < x.size() / std::size_t(n); ++r) {
        double ss = 0;
        for (std::int64_t i = 0; i < n; ++i) ss += double(x[r * n + i]) * x[r * n + i];
        const double s = 1 / std::sqrt(ss / double(n) + eps);
        for (std::int64_t i = 0; i < n; ++i)
            out[r * n + i] = float(x[r * n + i] * s * (w.empty() ? 1 : w[i]));
    }
    return out;
}

inline Vec layerNorm(const Vec& x, const Vec& w, const Vec& b, std::int64_t n, float eps) {
    Vec out(x.size());
    for (std::size_t r = 0; r < x.size() / std::size_t(n); ++r) {
        double mean = 0, var = 0;
        for (std::int64_t i = 0; i < n; ++i) mean += x[r * n + i];
        mean /= double(n);
        for (std::int64_t i = 0; i < n; ++i) var += (x[r * n + i] - mean) * (x[r * n + i] - mean);
        const double s = 1 / std::sqrt(var / double(n) + eps);
        for (std::int64_t i = 0; i < n; ++i)
            out[r * n + i] =
                float((x[r * n + i] - mean) * s * (w.empty() ? 1 : w[i]) + (b.empty() ? 0 : b[i]));
    }
    return out;
}

// x [W, H, C, N] contiguous.
inline Vec groupNorm(const Vec& x, const Vec& w, const Vec& b, std::int64_t W, std::int64_t H,
                     std::int64_t C, std::int64_t N, int groups, float eps) {
    Vec out(x.size());
    const std::int64_t plane = W * H, per = C / groups;
    for (std::int64_t n = 0; n < N; ++n)
        for (int g = 0; g < groups; ++g) {
            const std::size_t start = std::size_t((n * C + g * per) * plane),
                              count = std::size_t(per * plane);
            double mean = 0, var = 0;
            for (std::size_t i = 0; i < count; ++i) mean += x[start + i];
            mean /= double(count);
            for (std::size_t i = 0; i < count; ++i)
                var += (x[start + i] - mean) * (x[start + i] - mean);
            const double s = 1 / std::sqrt(var / double(count) + eps);
            for (std::size_t i = 0; i < count; ++i) {
                const std::int64_t c = g * per + std::int64_t(i) / plane;
                out[start + i] = float((x[start + i] - mean) * s * (w.empty() ? 1 : w[c]) +
                                       (b.empty() ? 0 : b[c]));
            }
        }
    return out;
}

// YaRN pieces as the parameters are defined (see ops.hpp), computed in double.
inline double yarnDim(int dims, int ctx, double rotations, double base) {
    return dims * std::log(ctx / (rotations * 2 * std::numbers::pi)) / (2 * std::log(base));
}

// x [D, heads, tokens] contiguous.
inline Vec rope(const Vec& x, const std::vector<std::int32_t>& pos, const Vec& factors,
                std::int64_t D, std::int64_t heads, const RopeParams& p) {
    Vec out = x;
    const int dims = p.dims ? p.dims : int(D);
    double low = 0, high = 0;
    if (p.extFactor != 0) {
        low = std::max(0.0, std::floor(yarnDim(dims, p.originalContext, p.betaFast, p.freqBase)));
        high = std::min(double(dims - 1),
                        std::ceil(yarnDim(dims, p.originalContext, p.betaSlow, p.freqBase)));
    }
    for (std::size_t t = 0; t < pos.size(); ++t)
        for (std::int64_t h = 0; h < heads; ++h) {
            const std::size_t base = (t * std::size_t(heads) + std::size_t(h)) * std::size_t(D);
            for (int i = 0; i < dims / 2; ++i) {
                const double extrap = pos[t] * std::pow(double(p.freqBase), -2.0 * i / dims) /
                                      (factors.empty() ? 1.0 : factors[i]);
                double angle = p.freqScale * extrap, mag = p.attnFactor;
                if (p.extFactor != 0) {
                    const double y = (i - low) / std::max(0.001, high - low);
                    const double mix = (1 - std::min(1.0, std::max(0.0, y))) * p.extFactor;
                    angle = angle * (1 - mix) + extrap * mix;
                    mag *= 1 + 0.1 * std::log(1 / double(p.freqScale));
                }
                const std::size_t a = base + std::size_t(p.mode == RopeMode::NeoX ? i : 2 * i);
                const std::size_t b =
                    base + std::size_t(p.mode == RopeMode::NeoX ? i + dims / 2 : 2 * i + 1);
                out[a] = float((x[a] * std::cos(angle) - x[b] * std::sin(angle)) * mag);
                out[b] = float((x[a] * std::sin(angle) + x[b] * std::cos(angle)) * mag);
            }
        }
    return out;
}

// q [D, Hq, Nq], k [D, Hkv, Nkv], v [Dv, Hkv, Nkv], mask [Nkv, Nq]; one batch.
inline Vec attention(const Vec& q, const Vec& k, const Vec& v, const Vec& mask, std::int64_t D,
                     std::int64_t Dv, std::int64_t Hq, std::int64_t Hkv, std::int64_t Nq,
                     std::int64_t Nkv, const AttentionParams& p) {
    Vec out(std::size_t(Dv * Hq * Nq), 0.0f);
    const double scale = p.scale != 0 ? p.scale : 1 / std::sqrt(double(D));
    for (std::int64_t iq = 0; iq < Nq; ++iq)
        for (std::int64_t h = 0; h < Hq; ++h) {
            const std::int64_t kh = h / (Hq / Hkv), qpos = p.firstQueryPosition + iq;
            std::vector<double> s(std::size_t(Nkv), -std::numeric_limits<double>::infinity());
            double max = -std::numeric_limits<double>::infinity();
            for (std::int64_t j = 0; j < Nkv; ++j) {
                if (p.causal && j > qpos) continue;
                if (p.slidingWindow > 0 && qpos - j >= p.slidingWindow) continue;
                double dot = 0;
                for (std::int64_t d = 0; d < D; ++d)
                    dot += double(q[std::size_t((iq * Hq + h) * D + d)]) *
                           k[std::size_t((j * Hkv + kh) * D + d)];
                dot *= scale;
                if (p.softcap > 0) dot = p.softcap * std::tanh(dot / p.softcap);
                if (!mask.empty()) dot += mask[std::size_t(iq * Nkv + j)];
                s[std::size_t(j)] = dot;
                max = std::max(max, dot);
            }
            if (max == -std::numeric_limits<double>::infinity()) continue;
            double sum = 0;
            for (auto& e : s) sum += (e = std::exp(e - max));
            for (std::int64_t d = 0; d < Dv; ++d) {
                double acc = 0;
                for (std::int64_t j = 0; j < Nkv; ++j)
                    acc += s[std::size_t(j)] * v[std::size_t((j * Hkv + kh) * Dv + d)];
                out[std::size_t((iq * Hq + h) * Dv + d)] = float(acc / sum);
            }
        }
    return out;
}

// input [W, H, Cin, N], kernel [KW, KH, Cin, Cout].
inline Vec conv2d(const Vec& in, const Vec& ker, const Vec& bias, std::int64_t W, std::int64_t H,
                  std::int64_t Cin, std::int64_t N, std::int64_t KW, std::int64_t KH,
                  std::int64_t Cout, const Conv2dParams& p, std::int64_t OW, std::int64_t OH) {
    Vec out(std::size_t(OW * OH * Cout * N));
    for (std::int64_t n = 0; n < N; ++n)
        for (std::int64_t oc = 0; oc < Cout; ++oc)
            for (std::int64_t oy = 0; oy < OH; ++oy)
                for (std::int64_t ox = 0; ox < OW; ++ox) {
                    double sum = bias.empty() ? 0 : bias[std::size_t(oc)];
                    for (std::int64_t ic = 0; ic < Cin; ++ic)
                        for (std::int64_t ky = 0; ky < KH; ++ky)
                            for (std::int64_t kx = 0; kx < KW; ++kx) {
                                const std::int64_t iy = oy * p.strideY - p.padY + ky * p.dilationY;
                                const std::int64_t ix = ox * p.strideX - p.padX + kx * p.dilationX;
                                if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                                sum += double(in[std::size_t(((n * Cin + ic) * H + iy) * W + ix)]) *
                                       ker[std::size_t(((oc * Cin + ic) * KH + ky) * KW + kx)];
                            }
                    out[std::size_t(((n * Cout + oc) * OH + oy) * OW + ox)] = float(sum);
                }
    return out;
}

} // namespace atelier::compute::testing::ref
