#pragma once
// The key/value cache of one session: per layer, F16 keys [head_dim_k, kv_heads, context] and
// values [head_dim_v, kv_heads, context] on that layer's backend. Position p of the sequence
// lives at index p; a forward over tokens [past, past + n) writes their keys and values there
// and attends over [0, past + n). Entries past what the session says is cached are stale and
// simply overwritten.
#include "inference/llm/hparams.hpp"
#include "inference/llm/weights.hpp"

#include <memory>
#include <vector>

namespace atelier::llm {

class KvCache {
public:
    // One backend per layer (the layer's placement).
    KvCache(const HParams& h, const std::vector<Backend*>& layerBackends, std::int64_t context);

    // Bytes a cache of `context` positions takes for this model (all layers), e.g. to estimate
    // whether a model fits a device before loading it.
    static std::size_t bytesFor(const HParams& h, std::int64_t context);

    std::int64_t context() const { return context_; }
    std::size_t bytes() const { return bytes_; }

    // Stores k [Dk, Hkv, n] and v [Dv, Hkv, n] (F32, may be strided) at positions [past, past+n).
    void write(int layer, const Tensor& k, const Tensor& v, std::int64_t past);
    // Keys and values of positions [0, count).
    Tensor keys(int layer, std::int64_t count) const;
    Tensor values(int layer, std::int64_t count) const;

private:
    struct Layer {
        std::unique_ptr<compute::Buffer> buffer;
        Tensor k, v;
    };
    std::vector<Layer> layers_;
    std::int64_t context_;
    std::size_t bytes_ = 0;
};

} // namespace atelier::llm
