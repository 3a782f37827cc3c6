#include "inference/llm/kv_cache.hpp"

#include "inference/util/error.hpp"

namespace atelier::llm {

using compute::ElementType;

std::size_t KvCache::bytesFor(const HParams& h, std::int64_t context) {
    const std::size_t perLayer =
        Tensor::bytesFor(ElementType::F16, {h.headDimK, h.kvHeads, context, 1}) +
        Tensor::bytesFor(ElementType::F16, {h.headDimV, h.kvHeads, context, 1});
    return perLayer * std::size_t(h.layers);
}

KvCache::KvCache(const HParams& h, const std::vector<Backend*>& layerBackends, std::int64_t context)
    : context_(context) {
    if (context < 1) throw Error(ErrorKind::Invalid, "the context length must be at least 1");
    const Shape kShape{h.headDimK, h.kvHeads, context, 1};
    const Shape vShape{h.headDimV, h.kvHeads, context, 1};
    const std::size_t kBytes = Tensor::bytesFor(ElementType::F16, kShape);
    const std::size_t vBytes = Tensor::bytesFor(ElementType::F16, vShape);
    const std::size_t vOffset = (kBytes + 255) / 256 * 256;
    for (Backend* backend : layerBackends) {
        Layer layer;
        layer.buffer = backend->allocate(vOffset + vBytes);
        layer.k = Tensor::contiguous(ElementType::F16, kShape, layer.buffer.get(), 0);
        layer.v = Tensor::contiguous(ElementType::F16, vShape, layer.buffer.get(), vOffset);
        bytes_ += vOffset + vBytes;
        layers_.push_back(std::move(layer));
    }
}

void KvCache::write(int layer, const Tensor& k, const Tensor& v, std::int64_t past) {
    const Layer& l = layers_.at(std::size_t(layer));
    const std::int64_t n = k.ne[2];
    if (past + n > context_)
        throw Error(ErrorKind::Invalid, "KV cache overflow: " + std::to_string(past + n) +
                                            " positions in a context of " +
                                            std::to_string(context_));
    Backend& backend = l.k.backend();
    backend.copy(k, l.k.slice(2, past, n));
    backend.copy(v, l.v.slice(2, past, n));
}

Tensor KvCache::keys(int layer, std::int64_t count) const {
    return layers_.at(std::size_t(layer)).k.slice(2, 0, count);
}

Tensor KvCache::values(int layer, std::int64_t count) const {
    return layers_.at(std::size_t(layer)).v.slice(2, 0, count);
}

} // namespace atelier::llm
