// Attention for one query row at a time: scores against every visible key, a softmax, then the
// weighted sum of the values. Causal or not, grouped-query, sliding window, soft-capping,
// additive mask, over F16 or F32 keys and values (the KV cache, or cross-attention inputs).
//
// With an F16 cache the rounding follows llama.cpp's (flash attention off): the query is rounded
// to F16 before the dot products with F16 keys, and the normalised probabilities are rounded to
// F16 before they weight F16 values. Those roundings are far below the model's own precision, but
// greedy decoding of a real model flips at near-ties when they differ, and matching the
// reference's greedy text is a requirement.
//
// The Vulkan backend's attention.comp repeats this, operation for operation (same dot kernels'
// order, exp and tanh of exp_shared.hpp, double total), for bit-identical results: a change
// here needs the same change there (tests/inference/compute/test_compute_vulkan_exact.cpp).
#include "inference/compute/cpu/cpu_context.hpp"
#include "inference/compute/cpu/exp_shared.hpp"
#include "inference/compute/quant/float16.hpp"

#include <cmath>
#include <cstring>
#include <limits>

namespace atelier::compute::cpu {
namespace {
float roundToF16(float x) {
    return fp16ToFp32(fp32ToFp16(x));
}
} // namespace

void attention(CpuContext& ctx, const Tensor& q, const Tensor& k, const Tensor& v,
               const Tensor* mask, const Tensor& dst, const compute::AttentionParams& p) {
    const std::int64_t D = q.ne[0], Dv = v.ne[0], Hq = q.ne[1], Nq = q.ne[2], B = q.ne[3];
    const std::int64_t Hkv = k.ne[1], Nkv = k.ne[2], group = Hq / Hkv;
    const float scale = p.scale != 0.0f ? p.scale : 1.0f / std::sqrt(float(D));
    const bool kHalf = k.type == ElementType::F16, vHalf = v.type == ElementType::F16;
    constexpr float kMinusInf = -std::numeric_limits<float>::infinity();

    // Per thread: the output accumulator, the (rounded) query and one score per key.
    const std::size_t perThread = (std::size_t(Dv + D + Nkv) * sizeof(float) + 63) / 64 * 64;
    std::uint8_t* scratch = ctx.scratch.get(perThread * std::size_t(ctx.pool.size()));
    const Kernels& kern = ctx.k;

    ctx.pool.parallelFor(B * Nq * Hq, [&](std::int64_t task, int thread) {
        const std::int64_t h = task % Hq, iq = (task / Hq) % Nq, b = task / (Hq * Nq);
        const std::int64_t kvHead = h / group;
        const std::int64_t queryPos = p.firstQueryPosition + iq;
        float* acc = reinterpret_cast<float*>(scratch + perThread * std::size_t(thread));
        float* query = acc + Dv;
        float* scores = query + D;
        const float* maskRow = mask ? f32RowAt(*mask, iq, 0, 0) : nullptr;

        std::memcpy(query, f32RowAt(q, h, iq, b), std::size_t(D) * sizeof(float));
        if (kHalf)
            for (std::int64_t i = 0; i < D; ++i) query[i] = roundToF16(query[i]);

        std::int64_t last = Nkv;
        if (p.causal) last = std::min(Nkv, queryPos + 1);
        std::int64_t first = 0;
        if (p.slidingWindow > 0) first = std::max<std::int64_t>(0, queryPos - p.slidingWindow + 1);

        // 1. Scores and their maximum.
        float maximum = kMinusInf;
        for (std::int64_t j = first; j < last; ++j) {
            const std::uint8_t* key = rowAt(k, kvHead, j, b);
            float s = kHalf ? kern.dotF16F32(D, reinterpret_cast<const std::uint16_t*>(key), query)
                            : kern.dotF32(D, reinterpret_cast<const float*>(key), query);
            s *= scale;
            if (p.softcap > 0.0f) s = p.softcap * tanhShared(s / p.softcap);
            if (maskRow) s += maskRow[j];
            scores[j] = s;
            maximum = std::max(maximum, s);
        }

        // 2. Softmax, then the probabilities weight the values.
        std::memset(acc, 0, std::size_t(Dv) * sizeof(float));
        float* out = f32RowAt(dst, h, iq, b);
        if (maximum == kMinusInf) { // nothing visible: a zero row, as an empty sum
            std::memset(out, 0, std::size_t(Dv) * sizeof(float));
            return;
        }
        forEachIndex(last - first, [&](std::int64_t i) {
            const float s = scores[first + i];
            scores[first + i] = s == kMinusInf ? 0.0f : expShared(s - maximum);
        });
        double total = 0.0;
        for (std::int64_t j = first; j < last; ++j) total += scores[j];
        const float norm = float(1.0 / total);
        for (std::int64_t j = first; j < last; ++j) {
            float weight = scores[j] * norm;
            if (weight == 0.0f) continue;
            const std::uint8_t* value = rowAt(v, kvHead, j, b);
            if (vHalf) {
                weight = roundToF16(weight);
                kern.axpyF16(Dv, weight, reinterpret_cast<const std::uint16_t*>(value), acc);
            } else {
                kern.axpyF32(Dv, weight, reinterpret_cast<const float*>(value), acc);
            }
        }
        std::memcpy(out, acc, std::size_t(Dv) * sizeof(float));
    });
}

} // namespace atelier::compute::cpu
