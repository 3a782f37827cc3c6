#pragma once
// A per-forward scratch arena: one backend buffer handed out by bumping an offset, so that a
// forward pass allocates nothing per operation. Reusing memory is safe without waiting because
// a backend runs operations in call order (see backend.hpp). mark()/release() free the
// temporaries of a layer (a UNet block) in stack order; reset() starts the next forward.
#include "inference/compute/backend.hpp"

#include <cstddef>
#include <memory>

namespace atelier::compute {

class Arena {
public:
    Arena(Backend& backend, std::size_t capacityBytes);

    // A contiguous tensor; throws atelier::Error naming the sizes when the arena is full.
    Tensor tensor(ElementType type, Shape shape);
    Tensor f32(Shape shape) { return tensor(ElementType::F32, shape); }

    std::size_t mark() const { return used_; }
    void release(std::size_t mark);
    void reset() { used_ = 0; }

    std::size_t used() const { return used_; }
    std::size_t peak() const { return peak_; }
    std::size_t capacity() const { return buffer_->size(); }
    Backend& backend() const { return buffer_->backend(); }

private:
    std::unique_ptr<Buffer> buffer_;
    std::size_t used_ = 0;
    std::size_t peak_ = 0;
};

} // namespace atelier::compute
