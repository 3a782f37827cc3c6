// Attention for one query row at a time with an online softmax (one pass over the keys, no
// score matrix): causal or not, grouped-query, sliding window, soft-capping, additive mask,
// over F16 or F32 keys and values (the KV cache, or cross-attention inputs).
#include "inference/compute/cpu/cpu_context.hpp"

#include <cmath>
#include <cstring>
#include <limits>

namespace atelier::compute::cpu {

void attention(CpuContext& ctx, const Tensor& q, const Tensor& k, const Tensor& v,
               const Tensor* mask, const Tensor& dst, const compute::AttentionParams& p) {
    const std::int64_t D = q.ne[0], Dv = v.ne[0], Hq = q.ne[1], Nq = q.ne[2], B = q.ne[3];
    const std::int64_t Hkv = k.ne[1], Nkv = k.ne[2], group = Hq / Hkv;
    const float scale = p.scale != 0.0f ? p.scale : 1.0f / std::sqrt(float(D));
    const bool kHalf = k.type == ElementType::F16, vHalf = v.type == ElementType::F16;
    const std::size_t perThread = std::size_t(Dv + D) * sizeof(float) + 64;
    std::uint8_t* scratch = ctx.scratch.get(perThread * std::size_t(ctx.pool.size()));
    const Kernels& kern = ctx.k;

    ctx.pool.parallelFor(B * Nq * Hq, [&](std::int64_t task, int thread) {
        const std::int64_t h = task % Hq, iq = (task / Hq) % Nq, b = task / (Hq * Nq);
        const std::int64_t kvHead = h / group;
        const std::int64_t queryPos = p.firstQueryPosition + iq;
        float* acc = reinterpret_cast<float*>(scratch + perThread * std::size_t(thread));
        const float* query = f32RowAt(q, h, iq, b);
        const float* maskRow = mask ? f32RowAt(*mask, iq, 0, 0) : nullptr;
        std::memset(acc, 0, std::size_t(Dv) * sizeof(float));

        float running = -std::numeric_limits<float>::infinity(), total = 0.0f;
        std::int64_t last = Nkv;
        if (p.causal) last = std::min(Nkv, queryPos + 1);
        std::int64_t first = 0;
        if (p.slidingWindow > 0) first = std::max<std::int64_t>(0, queryPos - p.slidingWindow + 1);
        for (std::int64_t j = first; j < last; ++j) {
            const std::uint8_t* key = rowAt(k, kvHead, j, b);
            float s = kHalf ? kern.dotF16F32(D, reinterpret_cast<const std::uint16_t*>(key), query)
                            : kern.dotF32(D, reinterpret_cast<const float*>(key), query);
            s *= scale;
            if (p.softcap > 0.0f) s = p.softcap * std::tanh(s / p.softcap);
            if (maskRow) s += maskRow[j];
            if (s == -std::numeric_limits<float>::infinity()) continue;
            if (s > running) { // rescale what was summed under the old maximum
                const float correction = std::exp(running - s);
                total *= correction;
                kern.scaleF32(Dv, correction, acc);
                running = s;
            }
            const float weight = std::exp(s - running);
            total += weight;
            const std::uint8_t* value = rowAt(v, kvHead, j, b);
            if (vHalf)
                kern.axpyF16(Dv, weight, reinterpret_cast<const std::uint16_t*>(value), acc);
            else
                kern.axpyF32(Dv, weight, reinterpret_cast<const float*>(value), acc);
        }
        float* out = f32RowAt(dst, h, iq, b);
        const float norm = total > 0.0f ? 1.0f / total : 0.0f;
        for (std::int64_t i = 0; i < Dv; ++i) out[i] = acc[i] * norm;
    });
}

} // namespace atelier::compute::cpu
