#pragma once
// The compute core's one seam: model code (an LLM forward pass, a UNet) calls these operations;
// each backend (cpu, vulkan, later cuda) implements them on memory it owns.
//
// Contract (see README.md):
//  - Operations are recorded on the backend's queue in call order and may run asynchronously.
//    The host waits only in download() and synchronize(). A later operation always sees the
//    results of earlier ones (the backend orders them), so scratch memory may be reused freely.
//  - The caller allocates every output (`dst`), usually from an Arena; operations never allocate
//    per call. Inputs and outputs must live in buffers of this backend.
//  - Public methods check shapes and types once for every backend (throwing atelier::Error,
//    ErrorKind::Invalid) and then call the backend's protected run* implementation.
//  - Unless stated, float tensors are F32, may be strided views in dimensions 1..3, and need
//    contiguous rows (nb[0] == element size).
#include "inference/compute/buffer.hpp"
#include "inference/compute/ops.hpp"
#include "inference/compute/tensor.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace atelier::compute {

class Backend {
public:
    virtual ~Backend() = default;
    Backend(const Backend&) = delete;
    Backend& operator=(const Backend&) = delete;

    // A readable name for logs and statistics, e.g. "cpu (avx2, 2 threads)".
    virtual std::string name() const = 0;

    // ---- memory -------------------------------------------------------------------------
    // Device memory for activations, the KV cache, arenas. Contents start undefined.
    virtual std::unique_ptr<Buffer> allocate(std::size_t bytes) = 0;
    // Model weights from the memory-mapped file. The CPU backend uses `bytes` in place (they
    // must outlive the buffer); a device backend copies them to device memory once.
    virtual std::unique_ptr<Buffer> importWeights(std::span<const std::uint8_t> bytes) = 0;
    // Copies host bytes into a contiguous tensor; `src` may be reused as soon as this returns.
    void upload(const Tensor& dst, const void* src);
    // Waits for pending work, then copies a contiguous tensor to host memory.
    void download(const Tensor& src, void* dst);
    // Waits until every recorded operation has finished.
    virtual void synchronize() = 0;
    // Whether `op` runs here with `type` as its main input (the weight for Matmul/GetRows).
    virtual bool supports(Op op, ElementType type) const = 0;

    // ---- operations ---------------------------------------------------------------------
    // dst[ne0, r, a, b] = table[:, ids[r, a, b]]: rows of any type (quantized rows are
    // dequantized) gathered by I32 ids, written as F32.
    void getRows(const Tensor& table, const Tensor& ids, const Tensor& dst);
    // dst[n, m] = sum_k w[k, n] * x[k, m] per batch: w [K, N, B2, B3] of any supported type,
    // x F32 [K, M, b2, b3], dst F32 [N, M, b2, b3]; w's batch dims broadcast (b2 % B2 == 0).
    // M == 1 is matrix-vector (decode); M > 1 is matrix-matrix (prefill, images).
    void matmul(const Tensor& w, const Tensor& x, const Tensor& dst);
    // Over each row: x / sqrt(mean(x^2) + eps), times weight [ne0] when given.
    void rmsNorm(const Tensor& x, const Tensor* weight, const Tensor& dst, RmsNormParams p = {});
    // Over each row: (x - mean) / sqrt(var + eps), times weight, plus bias [ne0] when given.
    void layerNorm(const Tensor& x, const Tensor* weight, const Tensor* bias, const Tensor& dst,
                   LayerNormParams p = {});
    // x [W, H, C, N]: normalised per group of channels; weight, bias [C] when given.
    void groupNorm(const Tensor& x, const Tensor* weight, const Tensor* bias, const Tensor& dst,
                   GroupNormParams p = {});
    // x [headDim, heads, tokens, 1], positions I32 [tokens], freqFactors F32 [dims/2] (llama3
    // style "rope_freqs", divides each frequency) when given.
    void rope(const Tensor& x, const Tensor& positions, const Tensor* freqFactors,
              const Tensor& dst, RopeParams p = {});
    // Rope's rotation with angles made on the host (compute/rope_angles.hpp): angles F32
    // [dims, tokens] holds per token and rotated pair {cos, sin} * magnitude; x [headDim, heads,
    // tokens, 1]; dims = angles.ne[0] <= headDim, the rest of each head copied. Every backend
    // rotates the same table to the same bits (rope() computes its angles on the device, where
    // they may differ from the CPU's in the last bit). Backend::supports(Op::Rope) covers it.
    void ropeWithAngles(const Tensor& x, const Tensor& angles, const Tensor& dst, RopeMode mode);
    // q [D, Hq, Nq, B] F32; k [D, Hkv, Nkv, B] and v [Dv, Hkv, Nkv, B] F16 or F32 (e.g. views
    // of the KV cache); Hq % Hkv == 0 (grouped-query); mask F32 [Nkv, Nq] added to the scores
    // when given; dst [Dv, Hq, Nq, B] F32. Cross-attention is simply causal = false.
    void attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor* mask,
                   const Tensor& dst, AttentionParams p = {});
    // Row-wise softmax(scale * x + mask); mask F32 [ne0, ne1] broadcast over dims 2 and 3.
    void softmax(const Tensor& x, const Tensor* mask, const Tensor& dst, SoftmaxParams p = {});
    void unary(const Tensor& x, const Tensor& dst, Activation fn);
    // Gated forms: dst = fn(gate) * up (swiglu with Silu, geglu with Gelu / GeluTanh).
    void glu(const Tensor& gate, const Tensor& up, const Tensor& dst, Activation fn);
    // Element-wise with b broadcast over a (a.ne[i] % b.ne[i] == 0); dst has a's shape.
    void add(const Tensor& a, const Tensor& b, const Tensor& dst);
    void mul(const Tensor& a, const Tensor& b, const Tensor& dst);
    void scale(const Tensor& x, const Tensor& dst, ScaleParams p);
    // Same shape, any strides; converts between F32, F16 and BF16 (e.g. writes the KV cache).
    void copy(const Tensor& src, const Tensor& dst);
    // input [W, H, Cin, N] F32, kernel [KW, KH, Cin, Cout] F16 or F32, bias [Cout] F32,
    // dst [W', H', Cout, N] with W' = (W + 2 padX - dilationX (KW - 1) - 1) / strideX + 1.
    void conv2d(const Tensor& input, const Tensor& kernel, const Tensor* bias, const Tensor& dst,
                Conv2dParams p = {});
    // x [W, H, C, N] -> dst [W * f, H * f, C, N].
    void upsampleNearest(const Tensor& x, const Tensor& dst, UpsampleParams p = {});
    // dst = a followed by b along p.dim; the other dimensions agree.
    void concat(const Tensor& a, const Tensor& b, const Tensor& dst, ConcatParams p = {});

protected:
    Backend() = default;

    virtual void runUpload(const Tensor& dst, const void* src) = 0;
    virtual void runDownload(const Tensor& src, void* dst) = 0;
    virtual void runGetRows(const Tensor& table, const Tensor& ids, const Tensor& dst) = 0;
    virtual void runMatmul(const Tensor& w, const Tensor& x, const Tensor& dst) = 0;
    virtual void runRmsNorm(const Tensor& x, const Tensor* weight, const Tensor& dst,
                            const RmsNormParams& p) = 0;
    virtual void runLayerNorm(const Tensor& x, const Tensor* weight, const Tensor* bias,
                              const Tensor& dst, const LayerNormParams& p) = 0;
    virtual void runGroupNorm(const Tensor& x, const Tensor* weight, const Tensor* bias,
                              const Tensor& dst, const GroupNormParams& p) = 0;
    virtual void runRope(const Tensor& x, const Tensor& positions, const Tensor* freqFactors,
                         const Tensor& dst, const RopeParams& p) = 0;
    virtual void runRopeWithAngles(const Tensor& x, const Tensor& angles, const Tensor& dst,
                                   RopeMode mode) = 0;
    virtual void runAttention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor* mask,
                              const Tensor& dst, const AttentionParams& p) = 0;
    virtual void runSoftmax(const Tensor& x, const Tensor* mask, const Tensor& dst,
                            const SoftmaxParams& p) = 0;
    virtual void runUnary(const Tensor& x, const Tensor& dst, Activation fn) = 0;
    virtual void runGlu(const Tensor& gate, const Tensor& up, const Tensor& dst, Activation fn) = 0;
    enum class Binary { Add, Mul };
    virtual void runBinary(Binary op, const Tensor& a, const Tensor& b, const Tensor& dst) = 0;
    virtual void runScale(const Tensor& x, const Tensor& dst, const ScaleParams& p) = 0;
    virtual void runCopy(const Tensor& src, const Tensor& dst) = 0;
    virtual void runConv2d(const Tensor& input, const Tensor& kernel, const Tensor* bias,
                           const Tensor& dst, const Conv2dParams& p) = 0;
    virtual void runUpsampleNearest(const Tensor& x, const Tensor& dst,
                                    const UpsampleParams& p) = 0;
    virtual void runConcat(const Tensor& a, const Tensor& b, const Tensor& dst,
                           const ConcatParams& p) = 0;
};

} // namespace atelier::compute
