// Matmul with weights of any supported type: the activations are converted once to the weight
// type's dot partner (Q8_0, Q8_1, Q8_K, F16, BF16 or F32), then dot products run block by
// block. Work is tiled (a few weight rows x many activation rows) so that in prefill a weight
// row is read from memory once and reused from cache for every activation row of the tile.
#include "inference/compute/cpu/cpu_context.hpp"

#include <algorithm>

namespace atelier::compute::cpu {
namespace {
constexpr std::int64_t kWeightRowsPerTile = 16;
// With one activation row (decode) each weight row is used once: larger runs of consecutive rows
// per task keep each thread's reads one long sequential stream.
constexpr std::int64_t kWeightRowsPerVectorTask = 64;
constexpr std::int64_t kActivationRowsPerTile = 64;
} // namespace

void matmul(CpuContext& ctx, const Tensor& w, const Tensor& x, const Tensor& dst) {
    const ElementType actType = activationTypeFor(w.type);
    const DotFn dot = ctx.k.dot[int(w.type)];
    const Dot4Fn dot4 = ctx.k.dot4[int(w.type)];
    const QuantizeFn quantize = ctx.k.quantize[int(actType)];
    const std::int64_t K = w.ne[0], N = w.ne[1], M = x.ne[1];
    const std::size_t actRowBytes = Tensor::bytesFor(actType, {K, 1, 1, 1});
    const std::size_t outStride = dst.nb[1] / sizeof(float);
    // Decode (one activation row) takes the vector tile; prefill the matrix tile where its
    // columns fit, else the vector tile.
    const DotTile vec = ctx.k.vecTile[int(w.type)];
    const DotTile mat = ctx.k.matTile[int(w.type)];
    const DotTile tile = mat.fn && M >= mat.cols ? mat : vec;
    const ActSideFn side = tile.fn ? tile.side : nullptr;
    const std::size_t sideRowBytes = side ? actSideBytes(K) : 0;

    // 1. Activations in the partner format, rows packed: [M, b2, b3].
    const std::int64_t xRows = x.rowCount();
    // 1b. With a tile that wants them: per activation row, its side data (after the rows).
    const std::size_t actsBytes = (actRowBytes * std::size_t(xRows) + 63) / 64 * 64;
    std::uint8_t* acts = ctx.scratch.get(actsBytes + sideRowBytes * std::size_t(xRows));
    std::uint8_t* sides = acts + actsBytes;
    forEachRow(
        ctx, x.ne,
        [&](std::int64_t i1, std::int64_t i2, std::int64_t i3) {
            const std::int64_t r = i1 + M * (i2 + x.ne[2] * i3);
            std::uint8_t* act = acts + std::size_t(r) * actRowBytes;
            quantize(f32RowAt(x, i1, i2, i3), act, K);
            if (side) side(K, act, sides + std::size_t(r) * sideRowBytes);
        },
        4096);

    // 2. Tiles over (batch, weight rows, activation rows).
    const std::int64_t rowsPerTask = M == 1 ? kWeightRowsPerVectorTask : kWeightRowsPerTile;
    const std::int64_t nTiles = (N + rowsPerTask - 1) / rowsPerTask;
    const std::int64_t mTiles = (M + kActivationRowsPerTile - 1) / kActivationRowsPerTile;
    const std::int64_t batches = x.ne[2] * x.ne[3];
    const std::int64_t repeat2 = x.ne[2] / w.ne[2], repeat3 = x.ne[3] / w.ne[3];
    ctx.pool.parallelFor(batches * nTiles * mTiles, [&](std::int64_t task, int) {
        const std::int64_t mt = task % mTiles, nt = (task / mTiles) % nTiles,
                           batch = task / (mTiles * nTiles);
        const std::int64_t i2 = batch % x.ne[2], i3 = batch / x.ne[2];
        const std::int64_t n0 = nt * rowsPerTask, n1 = std::min(N, n0 + rowsPerTask);
        const std::int64_t m0 = mt * kActivationRowsPerTile,
                           m1 = std::min(M, m0 + kActivationRowsPerTile);
        const std::uint8_t* batchActs = acts + std::size_t(M * batch) * actRowBytes;
        auto actsAt = [&](std::int64_t m) { return batchActs + std::size_t(m) * actRowBytes; };
        const std::uint8_t* batchSides = sides + std::size_t(M * batch) * sideRowBytes;
        auto sidesAt = [&](std::int64_t m) { return batchSides + std::size_t(m) * sideRowBytes; };
        std::int64_t n = n0;
        if (tile.fn) { // groups of tile.rows weight rows through the tile kernels
            for (; n + tile.rows <= n1; n += tile.rows) {
                const std::uint8_t* wRows = rowAt(w, n, i2 / repeat2, i3 / repeat3);
                std::int64_t m = m0;
                for (; m + tile.cols <= m1; m += tile.cols)
                    tile.fn(K, wRows, w.nb[1], actsAt(m), actRowBytes, sidesAt(m), sideRowBytes,
                            f32RowAt(dst, m, i2, i3) + n, outStride);
                for (; m < m1; ++m) { // activation rows left over: vector tiles or dots
                    float* out = f32RowAt(dst, m, i2, i3) + n;
                    if (vec.fn && tile.rows % vec.rows == 0 && vec.side == tile.side) {
                        for (int r = 0; r < tile.rows; r += vec.rows)
                            vec.fn(K, wRows + r * w.nb[1], w.nb[1], actsAt(m), actRowBytes,
                                   sidesAt(m), sideRowBytes, out + r, outStride);
                        continue;
                    }
                    for (int r = 0; r < tile.rows; ++r)
                        out[r] = dot(K, wRows + r * w.nb[1], actsAt(m));
                }
            }
        }
        for (; n < n1; ++n) { // the rest one weight row at a time
            const std::uint8_t* wRow = rowAt(w, n, i2 / repeat2, i3 / repeat3);
            std::int64_t m = m0;
            if (dot4) { // four activation rows per pass over the weight row
                float out[4];
                for (; m + 4 <= m1; m += 4) {
                    dot4(K, wRow, actsAt(m), actRowBytes, out);
                    for (int c = 0; c < 4; ++c) f32RowAt(dst, m + c, i2, i3)[n] = out[c];
                }
            }
            for (; m < m1; ++m) f32RowAt(dst, m, i2, i3)[n] = dot(K, wRow, actsAt(m));
        }
    });
}

} // namespace atelier::compute::cpu
