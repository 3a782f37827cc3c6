#pragma once
// The Vulkan backend: GLSL compute shaders (SPIR-V embedded at build time) on any Vulkan 1.1
// device, including Mesa's lavapipe on the CPU. Operations are recorded into one command buffer
// that is submitted only when the host needs data (download(), synchronize()); device memory
// comes from a pool of a few large blocks. This header is Vulkan-free on purpose.
#include "inference/compute/backend.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace atelier::compute::vulkan {

// How the exact (float64) shader builds round an fma once: in double (works everywhere, slow
// where float64 is slow), or with the device's fma() (fast; exact only where it fuses).
enum class FmaPath {
    Auto,     // fma() where the device's fma() was seen to round once (fma_probe.comp), else double
    Emulated, // always in double
    Native,   // always fma(): tests use it to run those builds where fma() does not fuse
};

struct VulkanOptions {
    int deviceIndex = -1;          // `vulkan:N`; -1 = the first discrete GPU, else device 0
    bool useSubgroups = true;      // false forces the shared-memory reduction shaders
    bool useFloat16Storage = true; // false forces the shaders that pack halves in 32-bit words
    bool useFloat64 = true; // false: the float-only shaders (exp, softmax, attention not exact)
    FmaPath fma = FmaPath::Auto;
    std::uint64_t memoryLimit = 0; // bytes of device memory to use at most; 0 = the heap size
    // Bytes one shader binding may span; 0 = the device's maxStorageBufferRange (128 MiB on
    // lavapipe). Weights larger than this are processed in row ranges that fit.
    std::uint64_t bindingLimit = 0;
    // Developer aid: run under the Khronos validation layer with synchronization validation;
    // every message goes to stderr and is counted in stats().validationMessages. Throws if the
    // layer (Debian: vulkan-validationlayers) is not installed.
    bool validate = false;
    // false: never map device memory, copy through staging buffers as on a discrete GPU even
    // where device memory is host-visible (lavapipe, integrated GPUs); tests use it.
    bool mapDeviceMemory = true;
};

struct DeviceInfo {
    int index = 0;
    std::string name;              // "llvmpipe (LLVM 15.0.6, 256 bits)"
    std::string kind;              // "discrete", "integrated", "virtual", "cpu", "other"
    std::uint64_t memoryBytes = 0; // the largest device-local heap
};

// The Vulkan devices this machine offers, in the order `vulkan:N` counts them. Empty when there
// is no Vulkan loader or driver (never throws for that).
std::vector<DeviceInfo> listDevices();
// Whether the Khronos validation layer is installed (for VulkanOptions::validate).
bool validationLayerAvailable();

struct VulkanFeatures {
    std::uint32_t subgroupSize = 0;
    bool subgroupArithmetic = false; // in use: reductions run on subgroups
    bool float16Storage = false;     // in use: F16 tensors read and written as float16_t
    bool float16Arithmetic = false;  // reported only: shaders accumulate in F32 for accuracy
    bool float64 = false; // in use: the exact shader builds (double sums, an fma that rounds once)
    bool fmaRoundsOnce = false; // the device's fma() rounds once (probed; lavapipe's does not)
    bool nativeFma = false;     // in use: the exact builds call fma() ("_xf"), not the double one
    bool bitExact = false;      // float64 and an fma that rounds once: the CPU backend's bits
};

struct VulkanStats {
    std::uint64_t submits = 0;       // vkQueueSubmit calls (one per host wait with work pending)
    std::uint64_t dispatches = 0;    // compute dispatches recorded
    std::uint64_t barriers = 0;      // pipeline barriers recorded between dependent work
    std::uint64_t memoryBlocks = 0;  // VkDeviceMemory blocks of the device pool
    std::uint64_t bytesReserved = 0; // their total size
    std::uint64_t bytesInUse = 0;    // handed out to live buffers
    std::uint64_t validationMessages = 0; // with VulkanOptions::validate
};

class VulkanBackend final : public Backend {
public:
    // Throws atelier::Error: Unsupported when there is no usable device, Invalid for an index
    // out of range (the message lists the devices).
    explicit VulkanBackend(const VulkanOptions& options = {});
    ~VulkanBackend() override;

    std::string name() const override;
    std::unique_ptr<Buffer> allocate(std::size_t bytes) override;
    std::unique_ptr<Buffer> importWeights(std::span<const std::uint8_t> bytes) override;
    void synchronize() override;
    bool supports(Op op, ElementType type) const override;

    const DeviceInfo& device() const;
    VulkanFeatures features() const;
    VulkanStats stats() const;
    // The SPIR-V blob a shader family runs as here, e.g. "norm_sg" (subgroup reductions),
    // "copy_h" (16-bit storage) or plain "norm" (the fallbacks).
    std::string shaderVariant(const std::string& family) const;

    struct State; // device, pools, pipelines, recorder (vulkan_state.hpp)

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
    void getRowsFrom(const Tensor& table, const Tensor& ids, const Tensor& dst, std::int64_t rowLo);
    // x rounded as the CPU rounds activations for w's type (the input itself for F32 weights).
    struct RoundedActivations {
        Tensor x;
        std::unique_ptr<Buffer> values;
    };
    void roundActivations(const Tensor& w, const Tensor& x, RoundedActivations& r);
    bool probeFmaRoundsOnce();
    // The 32-value block types and the k-quants against quantized activation blocks, in the
    // CPU's summation order.
    void matmulIntegerBlocks(const Tensor& w, const Tensor& x, const Tensor& dst);

    std::unique_ptr<State> s_;
};

} // namespace atelier::compute::vulkan
