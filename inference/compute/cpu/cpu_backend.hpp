#pragma once
// The CPU backend: host memory, weights used in place from the memory-mapped GGUF file, a
// thread pool, and kernels chosen at run time (scalar, or AVX2/FMA/F16C where the CPU has
// them). Operations run when they are called (a valid in-order queue), so synchronize() has
// nothing to wait for.
#include "inference/compute/backend.hpp"
#include "inference/compute/cpu/cpu_context.hpp"

#include <optional>

namespace atelier::compute::cpu {

struct CpuBackendOptions {
    int threads = 0;               // 0 = physical cores
    std::optional<SimdLevel> simd; // nullopt = the best this CPU runs
};

class CpuBackend final : public Backend {
public:
    explicit CpuBackend(CpuBackendOptions options = {});

    std::string name() const override;
    std::unique_ptr<Buffer> allocate(std::size_t bytes) override;
    std::unique_ptr<Buffer> importWeights(std::span<const std::uint8_t> bytes) override;
    void synchronize() override {}
    bool supports(Op op, ElementType type) const override;

    int threads() const { return pool_.size(); }
    SimdLevel simdLevel() const { return kernels_.level; }

protected:
    void runUpload(const Tensor& dst, const void* src) override;
    void runDownload(const Tensor& src, void* dst) override;
    void runGetRows(const Tensor& table, const Tensor& ids, const Tensor& dst) override;
    void runMatmul(const Tensor& w, const Tensor& x, const Tensor& dst) override;
    void runRmsNorm(const Tensor& x, const Tensor* weight, const Tensor& dst,
                    const RmsNormParams& p) override;
    void runLayerNorm(const Tensor& x, const Tensor* weight, const Tensor* bias, const Tensor& dst,
                      const LayerNormParams& p) override;
    void runGroupNorm(const Tensor& x, const Tensor* weight, const Tensor* bias, const Tensor& dst,
                      const GroupNormParams& p) override;
    void runRope(const Tensor& x, const Tensor& positions, const Tensor* freqFactors,
                 const Tensor& dst, const RopeParams& p) override;
    void runRopeWithAngles(const Tensor& x, const Tensor& angles, const Tensor& dst,
                           RopeMode mode) override;
    void runAttention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor* mask,
                      const Tensor& dst, const AttentionParams& p) override;
    void runSoftmax(const Tensor& x, const Tensor* mask, const Tensor& dst,
                    const SoftmaxParams& p) override;
    void runUnary(const Tensor& x, const Tensor& dst, Activation fn) override;
    void runGlu(const Tensor& gate, const Tensor& up, const Tensor& dst, Activation fn) override;
    void runBinary(Binary op, const Tensor& a, const Tensor& b, const Tensor& dst) override;
    void runScale(const Tensor& x, const Tensor& dst, const ScaleParams& p) override;
    void runCopy(const Tensor& src, const Tensor& dst) override;
    void runConv2d(const Tensor& input, const Tensor& kernel, const Tensor* bias, const Tensor& dst,
                   const Conv2dParams& p) override;
    void runUpsampleNearest(const Tensor& x, const Tensor& dst, const UpsampleParams& p) override;
    void runConcat(const Tensor& a, const Tensor& b, const Tensor& dst,
                   const ConcatParams& p) override;

private:
    CpuContext context() { return {pool_, kernels_, scratch_}; }

    const Kernels& kernels_;
    ThreadPool pool_;
    Scratch scratch_;
};

} // namespace atelier::compute::cpu
