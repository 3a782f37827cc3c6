#pragma once
// What every CPU operation file needs: the pool, the kernel table, reusable scratch memory and
// addressing helpers for host-visible tensors.
#include "inference/compute/buffer.hpp"
#include "inference/compute/cpu/kernels.hpp"
#include "inference/compute/cpu/thread_pool.hpp"
#include "inference/compute/ops.hpp"
#include "inference/compute/tensor.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>

namespace atelier::compute::cpu {

// Grows to the largest request and is then reused: no allocation per operation once warm.
class Scratch {
public:
    std::uint8_t* get(std::size_t bytes) {
        if (bytes > capacity_) {
            capacity_ = (bytes + 4095) / 4096 * 4096;
            data_.reset(static_cast<std::uint8_t*>(std::aligned_alloc(64, capacity_)));
        }
        return data_.get();
    }

private:
    struct Free {
        void operator()(std::uint8_t* p) const { std::free(p); }
    };
    std::unique_ptr<std::uint8_t, Free> data_;
    std::size_t capacity_ = 0;
};

struct CpuContext {
    ThreadPool& pool;
    const Kernels& k;
    Scratch& scratch;
};

inline std::uint8_t* tensorBase(const Tensor& t) {
    return t.buffer->hostData() + t.offset;
}

inline std::uint8_t* rowAt(const Tensor& t, std::int64_t i1, std::int64_t i2, std::int64_t i3) {
    return tensorBase(t) + std::size_t(i1) * t.nb[1] + std::size_t(i2) * t.nb[2] +
           std::size_t(i3) * t.nb[3];
}

inline float* f32RowAt(const Tensor& t, std::int64_t i1, std::int64_t i2, std::int64_t i3) {
    return reinterpret_cast<float*>(rowAt(t, i1, i2, i3));
}

// Calls fn(i1, i2, i3) for every row of `shape`, in parallel chunks of roughly `minWork`
// elements or more.
template <class Fn>
void forEachRow(CpuContext& ctx, const Shape& shape, Fn&& fn, std::int64_t minWork = 16384) {
    const std::int64_t rows = shape[1] * shape[2] * shape[3];
    const std::int64_t perTask =
        std::max<std::int64_t>(1, minWork / std::max<std::int64_t>(1, shape[0]));
    const std::int64_t tasks = (rows + perTask - 1) / perTask;
    ctx.pool.parallelFor(tasks, [&](std::int64_t task, int) {
        const std::int64_t end = std::min(rows, (task + 1) * perTask);
        for (std::int64_t r = task * perTask; r < end; ++r) {
            const std::int64_t i1 = r % shape[1], i2 = (r / shape[1]) % shape[2],
                               i3 = r / (shape[1] * shape[2]);
            fn(i1, i2, i3);
        }
    });
}

// The operation families (one file each).
void getRows(CpuContext& ctx, const Tensor& table, const Tensor& ids, const Tensor& dst);
void matmul(CpuContext& ctx, const Tensor& w, const Tensor& x, const Tensor& dst);
void rmsNorm(CpuContext& ctx, const Tensor& x, const Tensor* weight, const Tensor& dst, float eps);
void layerNorm(CpuContext& ctx, const Tensor& x, const Tensor* weight, const Tensor* bias,
               const Tensor& dst, float eps);
void groupNorm(CpuContext& ctx, const Tensor& x, const Tensor* weight, const Tensor* bias,
               const Tensor& dst, int groups, float eps);
void rope(CpuContext& ctx, const Tensor& x, const Tensor& positions, const Tensor* freqFactors,
          const Tensor& dst, const compute::RopeParams& p);
void ropeWithAngles(CpuContext& ctx, const Tensor& x, const Tensor& angles, const Tensor& dst,
                    RopeMode mode);
void attention(CpuContext& ctx, const Tensor& q, const Tensor& k, const Tensor& v,
               const Tensor* mask, const Tensor& dst, const compute::AttentionParams& p);
void softmax(CpuContext& ctx, const Tensor& x, const Tensor* mask, const Tensor& dst, float scale);
void unary(CpuContext& ctx, const Tensor& x, const Tensor& dst, Activation fn);
void glu(CpuContext& ctx, const Tensor& gate, const Tensor& up, const Tensor& dst, Activation fn);
void addOrMul(CpuContext& ctx, bool multiply, const Tensor& a, const Tensor& b, const Tensor& dst);
void scale(CpuContext& ctx, const Tensor& x, const Tensor& dst, float scale, float bias);
void copy(CpuContext& ctx, const Tensor& src, const Tensor& dst);
void conv2d(CpuContext& ctx, const Tensor& input, const Tensor& kernel, const Tensor* bias,
            const Tensor& dst, const compute::Conv2dParams& p);
void upsampleNearest(CpuContext& ctx, const Tensor& x, const Tensor& dst, int factor);
void concat(CpuContext& ctx, const Tensor& a, const Tensor& b, const Tensor& dst, int dim);

} // namespace atelier::compute::cpu
