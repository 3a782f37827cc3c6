#include "inference/compute/cpu/cpu_backend.hpp"

#include "inference/compute/quant/reference.hpp"
#include "inference/util/error.hpp"

#include <cstdlib>
#include <cstring>

namespace atelier::compute::cpu {
namespace {

// Host memory, 64-byte aligned (AVX-512 rows), or a read-only view of mapped weights.
class CpuBuffer final : public Buffer {
public:
    CpuBuffer(Backend& backend, std::size_t bytes) : Buffer(backend, bytes, false) {
        const std::size_t rounded = (std::max<std::size_t>(bytes, 1) + 63) / 64 * 64;
        owned_ = static_cast<std::uint8_t*>(std::aligned_alloc(64, rounded));
        if (!owned_)
            throw Error(ErrorKind::Io,
                        "out of memory allocating " + std::to_string(bytes) + " bytes");
        data_ = owned_;
    }
    CpuBuffer(Backend& backend, std::span<const std::uint8_t> weights)
        : Buffer(backend, weights.size(), true), data_(const_cast<std::uint8_t*>(weights.data())) {
    } // never written: readOnly()
    ~CpuBuffer() override { std::free(owned_); }

    std::uint8_t* hostData() const override { return data_; }

private:
    std::uint8_t* owned_ = nullptr;
    std::uint8_t* data_ = nullptr;
};

} // namespace

CpuBackend::CpuBackend(CpuBackendOptions options)
    : kernels_(kernelsFor(options.simd.value_or(detectSimdLevel()))), pool_(options.threads) {}

std::string CpuBackend::name() const {
    return std::string("cpu (") + simdLevelName(kernels_.level) + ", " +
           std::to_string(pool_.size()) + (pool_.size() == 1 ? " thread)" : " threads)");
}

std::unique_ptr<Buffer> CpuBackend::allocate(std::size_t bytes) {
    return std::make_unique<CpuBuffer>(*this, bytes);
}

std::unique_ptr<Buffer> CpuBackend::importWeights(std::span<const std::uint8_t> bytes) {
    return std::make_unique<CpuBuffer>(*this, bytes);
}

bool CpuBackend::supports(Op op, ElementType type) const {
    switch (op) {
    case Op::Matmul:
        return hasDotKernel(type);
    case Op::GetRows:
        return quant::canDequantize(type);
    case Op::Attention:
    case Op::Copy:
    case Op::Conv2d:
        return type == ElementType::F32 || type == ElementType::F16 ||
               (op == Op::Copy && type == ElementType::BF16);
    default:
        return type == ElementType::F32;
    }
}

void CpuBackend::runUpload(const Tensor& dst, const void* src) {
    std::memcpy(dst.buffer->hostData() + dst.offset, src, dst.byteSpan());
}

void CpuBackend::runDownload(const Tensor& src, void* dst) {
    std::memcpy(dst, src.buffer->hostData() + src.offset, src.byteSpan());
}

void CpuBackend::runGetRows(const Tensor& table, const Tensor& ids, const Tensor& dst) {
    auto ctx = context();
    cpu::getRows(ctx, table, ids, dst);
}

void CpuBackend::runMatmul(const Tensor& w, const Tensor& x, const Tensor& dst) {
    auto ctx = context();
    cpu::matmul(ctx, w, x, dst);
}

void CpuBackend::runRmsNorm(const Tensor& x, const Tensor* weight, const Tensor& dst,
                            const RmsNormParams& p) {
    auto ctx = context();
    cpu::rmsNorm(ctx, x, weight, dst, p.eps);
}

void CpuBackend::runLayerNorm(const Tensor& x, const Tensor* weight, const Tensor* bias,
                              const Tensor& dst, const LayerNormParams& p) {
    auto ctx = context();
    cpu::layerNorm(ctx, x, weight, bias, dst, p.eps);
}

void CpuBackend::runGroupNorm(const Tensor& x, const Tensor* weight, const Tensor* bias,
                              const Tensor& dst, const GroupNormParams& p) {
    auto ctx = context();
    cpu::groupNorm(ctx, x, weight, bias, dst, p.groups, p.eps);
}

void CpuBackend::runRope(const Tensor& x, const Tensor& positions, const Tensor* freqFactors,
                         const Tensor& dst, const RopeParams& p) {
    auto ctx = context();
    cpu::rope(ctx, x, positions, freqFactors, dst, p);
}

void CpuBackend::runRopeWithAngles(const Tensor& x, const Tensor& angles, const Tensor& dst,
                                   RopeMode mode) {
    auto ctx = context();
    cpu::ropeWithAngles(ctx, x, angles, dst, mode);
}

void CpuBackend::runAttention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor* mask,
                              const Tensor& dst, const AttentionParams& p) {
    auto ctx = context();
    cpu::attention(ctx, q, k, v, mask, dst, p);
}

void CpuBackend::runSoftmax(const Tensor& x, const Tensor* mask, const Tensor& dst,
                            const SoftmaxParams& p) {
    auto ctx = context();
    cpu::softmax(ctx, x, mask, dst, p.scale);
}

void CpuBackend::runUnary(const Tensor& x, const Tensor& dst, Activation fn) {
    auto ctx = context();
    cpu::unary(ctx, x, dst, fn);
}

void CpuBackend::runGlu(const Tensor& gate, const Tensor& up, const Tensor& dst, Activation fn) {
    auto ctx = context();
    cpu::glu(ctx, gate, up, dst, fn);
}

void CpuBackend::runBinary(Binary op, const Tensor& a, const Tensor& b, const Tensor& dst) {
    auto ctx = context();
    cpu::addOrMul(ctx, op == Binary::Mul, a, b, dst);
}

void CpuBackend::runScale(const Tensor& x, const Tensor& dst, const ScaleParams& p) {
    auto ctx = context();
    cpu::scale(ctx, x, dst, p.scale, p.bias);
}

void CpuBackend::runCopy(const Tensor& src, const Tensor& dst) {
    auto ctx = context();
    cpu::copy(ctx, src, dst);
}

void CpuBackend::runConv2d(const Tensor& input, const Tensor& kernel, const Tensor* bias,
                           const Tensor& dst, const Conv2dParams& p) {
    auto ctx = context();
    cpu::conv2d(ctx, input, kernel, bias, dst, p);
}

void CpuBackend::runUpsampleNearest(const Tensor& x, const Tensor& dst, const UpsampleParams& p) {
    auto ctx = context();
    cpu::upsampleNearest(ctx, x, dst, p.factor);
}

void CpuBackend::runConcat(const Tensor& a, const Tensor& b, const Tensor& dst,
                           const ConcatParams& p) {
    auto ctx = context();
    cpu::concat(ctx, a, b, dst, p.dim);
}

} // namespace atelier::compute::cpu
