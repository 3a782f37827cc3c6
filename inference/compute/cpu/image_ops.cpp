// Image operations for the diffusion engine: conv2d (one output row at a time against an
// unfolded input patch matrix), nearest-neighbour upsampling and concatenation.
#include "inference/compute/cpu/cpu_context.hpp"

#include <cstring>

namespace atelier::compute::cpu {

void conv2d(CpuContext& ctx, const Tensor& input, const Tensor& kernel, const Tensor* bias,
            const Tensor& dst, const compute::Conv2dParams& p) {
    const std::int64_t W = input.ne[0], H = input.ne[1], Cin = input.ne[2];
    const std::int64_t KW = kernel.ne[0], KH = kernel.ne[1], Cout = kernel.ne[3];
    const std::int64_t outW = dst.ne[0], outH = dst.ne[1], N = dst.ne[3];
    const std::int64_t patch = KW * KH * Cin; // kernel order: kx fastest, then ky, then ic
    const std::size_t perThread = std::size_t(patch * outW) * sizeof(float) + 64;
    std::uint8_t* scratch = ctx.scratch.get(perThread * std::size_t(ctx.pool.size()));
    const bool halfKernel = kernel.type == ElementType::F16;
    const bool packedKernel = kernel.isContiguous();
    const float* b = bias ? f32RowAt(*bias, 0, 0, 0) : nullptr;

    ctx.pool.parallelFor(N * outH, [&](std::int64_t task, int thread) {
        const std::int64_t n = task / outH, oy = task % outH;
        float* cols = reinterpret_cast<float*>(scratch + perThread * std::size_t(thread));
        for (std::int64_t ox = 0; ox < outW; ++ox) {
            float* col = cols + ox * patch;
            for (std::int64_t ic = 0; ic < Cin; ++ic)
                for (std::int64_t ky = 0; ky < KH; ++ky) {
                    const std::int64_t iy = oy * p.strideY - p.padY + ky * p.dilationY;
                    const float* row = (iy >= 0 && iy < H) ? f32RowAt(input, iy, ic, n) : nullptr;
                    for (std::int64_t kx = 0; kx < KW; ++kx) {
                        const std::int64_t ix = ox * p.strideX - p.padX + kx * p.dilationX;
                        *col++ = (row && ix >= 0 && ix < W) ? row[ix] : 0.0f;
                    }
                }
        }
        for (std::int64_t oc = 0; oc < Cout; ++oc) {
            float* out = f32RowAt(dst, oy, oc, n);
            const float shift = b ? b[oc] : 0.0f;
            if (packedKernel) {
                const std::uint8_t* k = rowAt(kernel, 0, 0, oc);
                for (std::int64_t ox = 0; ox < outW; ++ox)
                    out[ox] =
                        shift +
                        (halfKernel
                             ? ctx.k.dotF16F32(patch, reinterpret_cast<const std::uint16_t*>(k),
                                               cols + ox * patch)
                             : ctx.k.dotF32(patch, reinterpret_cast<const float*>(k),
                                            cols + ox * patch));
            } else { // strided kernel view: one kernel row (KW values) at a time
                for (std::int64_t ox = 0; ox < outW; ++ox) {
                    float sum = shift;
                    const float* col = cols + ox * patch;
                    for (std::int64_t ic = 0; ic < Cin; ++ic)
                        for (std::int64_t ky = 0; ky < KH; ++ky, col += KW) {
                            const std::uint8_t* k = rowAt(kernel, ky, ic, oc);
                            sum += halfKernel
                                       ? ctx.k.dotF16F32(
                                             KW, reinterpret_cast<const std::uint16_t*>(k), col)
                                       : ctx.k.dotF32(KW, reinterpret_cast<const float*>(k), col);
                        }
                    out[ox] = sum;
                }
            }
        }
    });
}

void upsampleNearest(CpuContext& ctx, const Tensor& x, const Tensor& dst, int factor) {
    forEachRow(ctx, dst.ne, [&](std::int64_t y, std::int64_t c, std::int64_t n) {
        const float* in = f32RowAt(x, y / factor, c, n);
        float* out = f32RowAt(dst, y, c, n);
        for (std::int64_t i = 0; i < dst.ne[0]; ++i) out[i] = in[i / factor];
    });
}

void concat(CpuContext& ctx, const Tensor& a, const Tensor& b, const Tensor& dst, int dim) {
    forEachRow(ctx, dst.ne, [&](std::int64_t i1, std::int64_t i2, std::int64_t i3) {
        float* out = f32RowAt(dst, i1, i2, i3);
        if (dim == 0) {
            std::memcpy(out, f32RowAt(a, i1, i2, i3), std::size_t(a.ne[0]) * 4);
            std::memcpy(out + a.ne[0], f32RowAt(b, i1, i2, i3), std::size_t(b.ne[0]) * 4);
            return;
        }
        std::int64_t idx[4] = {0, i1, i2, i3};
        const bool fromA = idx[dim] < a.ne[dim];
        if (!fromA) idx[dim] -= a.ne[dim];
        const Tensor& src = fromA ? a : b;
        std::memcpy(out, f32RowAt(src, idx[1], idx[2], idx[3]), std::size_t(dst.ne[0]) * 4);
    });
}

} // namespace atelier::compute::cpu
