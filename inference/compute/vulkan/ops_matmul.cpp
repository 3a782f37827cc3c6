// Matmul / matvec and get_rows with every weight type: one shader per type (matmul_<type>,
// get_rows_<type>), each decoding the GGUF blocks in place.
#include "inference/compute/vulkan/vulkan_state.hpp"

#include <cctype>

namespace atelier::compute::vulkan {
namespace {

constexpr std::uint32_t kActivationRowsPerGroup = 8; // MT in matmul.comp
constexpr std::uint32_t kTile = 32;                  // TILE in matmul_tiled.comp

std::string typeSuffix(ElementType type) {
    std::string name(gguf::tensorTypeName(type));
    for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
    return name;
}

std::uint32_t u32(std::int64_t v) {
    return std::uint32_t(v);
}
std::uint32_t u32(std::size_t v) {
    return std::uint32_t(v);
}

// The shader that rounds activations for a weight type of the float matmuls as the CPU
// backend's dot products see them (kernels.cpp's activationTypeFor; llama.cpp pairs them the
// same way), and the values one invocation of it takes; no shader for F32. (The 32-value block
// and the k-quant types quantize theirs in matmulIntegerBlocks.)
struct Rounding {
    const char* shader = nullptr;
    std::int64_t block = 0;
};

Rounding roundingFor(ElementType weight) {
    switch (weight) {
    case ElementType::F16:
        return {"round_activations_f16", 16};
    case ElementType::BF16:
        return {"round_activations_bf16", 16};
    default:
        return {};
    }
}

// The weight types whose matmul runs as integer block sums against quantized activation blocks,
// summed in the CPU backend's order, so that both backends agree bit for bit: the shaders that
// quantize the activations and that multiply, the values per activation block and its words.
struct IntegerMatmul {
    const char* rounding = nullptr; // null: not one of these types
    const char* matmul = nullptr;
    std::int64_t blockValues = 0;
    std::uint32_t blockWords = 0;
};

IntegerMatmul integerMatmulFor(ElementType weight) {
    switch (weight) {
    case ElementType::Q4_0:
    case ElementType::Q4_1:
    case ElementType::Q5_0:
    case ElementType::Q5_1:
    case ElementType::Q8_0: // Q8_0/Q8_1 blocks: 8 words of int8 values, d, s (matmul_q8.comp)
        return {"round_activations_q8_blocks", "matmul_q8_", 32, 10};
    case ElementType::Q2_K:
    case ElementType::Q3_K:
    case ElementType::Q4_K:
    case ElementType::Q5_K:
    case ElementType::Q6_K: // Q8_K blocks: 64 words of int8 values, d (matmul_q8k.comp)
        return {"round_activations_q8k_blocks", "matmul_q8k_", 256, 65};
    default:
        return {};
    }
}

// Push constants of round_activations.comp for x, rounded in `blocks` blocks.
struct RoundParams {
    std::uint32_t K, ne1, ne2;
    std::uint32_t xBase, xNb1, xNb2, xNb3;
    std::uint32_t blocks;
    std::uint32_t dBase;
};

RoundParams roundParams(const Tensor& x, std::int64_t blocks) {
    RoundParams p{};
    p.K = u32(x.ne[0]);
    p.ne1 = u32(x.ne[1]);
    p.ne2 = u32(x.ne[2]);
    p.xNb1 = elementStride(x, 1);
    p.xNb2 = elementStride(x, 2);
    p.xNb3 = elementStride(x, 3);
    p.blocks = u32(blocks);
    return p;
}

// Push constants shared by matmul.comp, matmul_tiled.comp and matmul_q8.comp (the last three
// words are each shader's grid; matmul_q8 ignores the activation strides: its blocks are packed).
struct MatmulParams {
    std::uint32_t K, N, M;
    std::uint32_t wBase, wNb1, wNb2, wNb3; // bytes
    std::uint32_t xBase, xNb1, xNb2, xNb3; // elements
    std::uint32_t dBase, dNb1, dNb2, dNb3; // floats
    std::uint32_t ne2, rep2, rep3;         // x.ne[2]; x.ne[2] / w.ne[2]; x.ne[3] / w.ne[3]
    std::uint32_t grid0, grid1, grid2;
};

// Shapes and strides (the bases come from binding).
MatmulParams matmulParams(const Tensor& w, const Tensor& x, const Tensor& dst) {
    MatmulParams p{};
    p.K = u32(w.ne[0]);
    p.N = u32(w.ne[1]);
    p.M = u32(x.ne[1]);
    p.wNb1 = u32(w.nb[1]);
    p.wNb2 = u32(w.nb[2]);
    p.wNb3 = u32(w.nb[3]);
    p.xNb1 = elementStride(x, 1);
    p.xNb2 = elementStride(x, 2);
    p.xNb3 = elementStride(x, 3);
    p.dNb1 = elementStride(dst, 1);
    p.dNb2 = elementStride(dst, 2);
    p.dNb3 = elementStride(dst, 3);
    p.ne2 = u32(x.ne[2]);
    p.rep2 = u32(x.ne[2] / w.ne[2]);
    p.rep3 = u32(x.ne[3] / w.ne[3]);
    return p;
}

std::uint32_t checkedGroups(std::uint64_t groups, const Tensor& w, const Tensor& x) {
    if (groups > 0xffffffffull)
        throw Error(ErrorKind::Unsupported, "vulkan: matmul " + w.describe() + " x " +
                                                x.describe() + " is too large for one dispatch");
    return std::uint32_t(groups);
}

} // namespace

void VulkanBackend::matmulIntegerBlocks(const Tensor& w, const Tensor& x, const Tensor& dst) {
    const IntegerMatmul kind = integerMatmulFor(w.type);
    constexpr std::uint32_t kRowsPerGroup = 64; // weight rows per workgroup
    const std::int64_t blocks = x.ne[0] / kind.blockValues * x.rowCount();
    const std::unique_ptr<Buffer> q = allocate(std::size_t(blocks) * kind.blockWords * 4);
    const Tensor qx =
        Tensor::contiguous(ElementType::I32, {blocks * kind.blockWords, 1, 1, 1}, q.get(), 0);
    { // 1. the activations as blocks (round_activations.comp MODE 5 or 6)
        RoundParams p = roundParams(x, blocks);
        const Binding bx = s_->bind(x, false, 4, p.xBase);
        const Binding bq = s_->bind(qx, true, 4, p.dBase);
        const Grid g = gridFor((p.blocks + 63) / 64);
        s_->dispatch(kind.rounding, {bx, bq}, p, g.x, g.y);
    }
    // 2. the block sums (grid: row groups, activation column groups, the batches)
    MatmulParams p = matmulParams(w, x, dst);
    const Binding bw = s_->bind(w, false, 1, p.wBase);
    const Binding bq = s_->bind(qx, false, 4, p.xBase);
    const Binding bd = s_->bind(dst, true, 4, p.dBase);
    constexpr std::uint32_t kColumns = 4; // activation rows per invocation (MT)
    p.grid0 = (p.M + kColumns - 1) / kColumns;
    const std::uint64_t groups = std::uint64_t((p.N + kRowsPerGroup - 1) / kRowsPerGroup) *
                                 p.grid0 * std::uint64_t(x.ne[2] * x.ne[3]);
    p.grid1 = checkedGroups(groups, w, x);
    const Grid g = gridFor(groups);
    // With float64 the build whose fma rounds once on every device (shaders/fma_exact.glsl).
    const std::string shader = kind.matmul + typeSuffix(w.type) + s_->exactSuffix();
    s_->dispatch(shader.c_str(), {bw, bq, bd}, p, g.x, g.y);
}

// Activations rounded for `w` into a new contiguous F32 buffer, kept alive by `r` until the
// matmul is recorded (the recorder orders any later reuse of its memory after the reads).
void VulkanBackend::roundActivations(const Tensor& w, const Tensor& x, RoundedActivations& r) {
    const Rounding rounding = roundingFor(w.type);
    r.x = x;
    if (!rounding.shader) return;
    r.values = allocate(Tensor::bytesFor(ElementType::F32, x.ne));
    r.x = Tensor::contiguous(ElementType::F32, x.ne, r.values.get(), 0);
    RoundParams p = roundParams(x, (x.ne[0] + rounding.block - 1) / rounding.block * x.rowCount());
    const Binding bx = s_->bind(x, false, 4, p.xBase);
    const Binding bo = s_->bind(r.x, true, 4, p.dBase);
    const Grid g = gridFor((p.blocks + 63) / 64);
    s_->dispatch(rounding.shader, {bx, bo}, p, g.x, g.y);
}

void VulkanBackend::runMatmul(const Tensor& w, const Tensor& wx, const Tensor& dst) {
    // A weight larger than one binding (a big vocabulary's output matrix on a device with a
    // small maxStorageBufferRange) runs as several dispatches over row ranges that fit.
    const std::int64_t fit = s_->rowsPerBinding(w.nb[1]);
    if (w.ne[1] > fit && w.ne[2] == 1 && w.ne[3] == 1) {
        for (std::int64_t n0 = 0; n0 < w.ne[1]; n0 += fit) {
            const std::int64_t count = std::min(fit, w.ne[1] - n0);
            runMatmul(w.slice(1, n0, count), wx, dst.slice(0, n0, count));
        }
        return;
    }
    if (integerMatmulFor(w.type).rounding) {
        matmulIntegerBlocks(w, wx, dst);
        return;
    }
    RoundedActivations rounded;
    roundActivations(w, wx, rounded);
    const Tensor& x = rounded.x;
    MatmulParams p = matmulParams(w, x, dst);
    const Binding bw = s_->bind(w, false, 1, p.wBase);
    const Binding bx = s_->bind(x, false, 4, p.xBase);
    const Binding bd = s_->bind(dst, true, 4, p.dBase);
    const std::uint64_t batches = std::uint64_t(x.ne[2] * x.ne[3]);
    // Few activation rows (decode): a workgroup per weight row, K split across it. Many
    // (prefill): 32 x 32 tiles through shared memory.
    const bool tiled = p.M > kActivationRowsPerGroup;
    std::uint64_t groups;
    if (tiled) { // grid: weight tiles, activation tiles, the workgroup count
        const std::uint32_t nTiles = (p.N + kTile - 1) / kTile, mTiles = (p.M + kTile - 1) / kTile;
        groups = std::uint64_t(nTiles) * mTiles * batches;
        p.grid0 = nTiles;
        p.grid1 = mTiles;
        p.grid2 = checkedGroups(groups, w, x);
    } else { // grid: activation row groups, the workgroup count
        const std::uint32_t mTiles = (p.M + kActivationRowsPerGroup - 1) / kActivationRowsPerGroup;
        groups = std::uint64_t(p.N) * mTiles * batches;
        p.grid0 = mTiles;
        p.grid1 = checkedGroups(groups, w, x);
    }
    const Grid g = gridFor(groups);
    const std::string family = (tiled ? "matmul_tiled_" : "matmul_") + typeSuffix(w.type);
    s_->dispatch(family.c_str(), {bw, bx, bd}, p, g.x, g.y);
}

void VulkanBackend::runGetRows(const Tensor& table, const Tensor& ids, const Tensor& dst) {
    getRowsFrom(table, ids, dst, 0);
}

void VulkanBackend::getRowsFrom(const Tensor& table, const Tensor& ids, const Tensor& dst,
                                std::int64_t rowLo) {
    struct {
        std::uint32_t K, vocab;
        std::uint32_t tBase, tNb1;
        std::uint32_t idBase, idNb0, idNb1, idNb2;
        std::uint32_t dBase, dNb1, dNb2, dNb3;
        std::uint32_t ne1, ne2, rows;
        std::uint32_t rowLo, rowHi, writesInvalid;
    } p{};
    // A table larger than one binding is gathered in row ranges: each dispatch writes the ids
    // in its range; the first also writes the NaN rows of ids outside the table.
    const std::int64_t fit = s_->rowsPerBinding(table.nb[1]);
    const Tensor part = table.slice(1, rowLo, std::min(fit, table.ne[1] - rowLo));
    p.rowLo = std::uint32_t(rowLo);
    p.rowHi = std::uint32_t(rowLo + part.ne[1]);
    p.writesInvalid = rowLo == 0;
    const Binding bt = s_->bind(part, false, 1, p.tBase);
    const Binding bi = s_->bind(ids, false, 4, p.idBase);
    const Binding bd = s_->bind(dst, true, 4, p.dBase);
    p.K = u32(table.ne[0]);
    p.vocab = u32(table.ne[1]);
    p.tNb1 = u32(table.nb[1]);
    p.idNb0 = elementStride(ids, 0);
    p.idNb1 = elementStride(ids, 1);
    p.idNb2 = elementStride(ids, 2);
    p.dNb1 = elementStride(dst, 1);
    p.dNb2 = elementStride(dst, 2);
    p.dNb3 = elementStride(dst, 3);
    p.ne1 = u32(dst.ne[1]);
    p.ne2 = u32(dst.ne[2]);
    p.rows = u32(dst.rowCount());
    const Grid g = gridFor(p.rows);
    s_->dispatch(("get_rows_" + typeSuffix(table.type)).c_str(), {bt, bi, bd}, p, g.x, g.y);
    if (p.rowHi < p.vocab) getRowsFrom(table, ids, dst, p.rowHi);
}

} // namespace atelier::compute::vulkan
