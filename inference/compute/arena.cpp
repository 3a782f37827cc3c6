#include "inference/compute/arena.hpp"

#include "inference/util/error.hpp"

#include <algorithm>

namespace atelier::compute {
namespace {
constexpr std::size_t kAlignment = 256; // enough for AVX-512 and GPU storage-buffer offsets
}

Arena::Arena(Backend& backend, std::size_t capacityBytes)
    : buffer_(backend.allocate(capacityBytes)) {}

Tensor Arena::tensor(ElementType type, Shape shape) {
    const std::size_t bytes = Tensor::bytesFor(type, shape);
    const std::size_t start = (used_ + kAlignment - 1) / kAlignment * kAlignment;
    if (start + bytes > buffer_->size())
        throw Error(ErrorKind::Invalid, "scratch arena of " + std::to_string(buffer_->size()) +
                                            " bytes is full (" + std::to_string(start) + " used, " +
                                            std::to_string(bytes) + " needed)");
    used_ = start + bytes;
    peak_ = std::max(peak_, used_);
    return Tensor::contiguous(type, shape, buffer_.get(), start);
}

void Arena::release(std::size_t mark) {
    if (mark > used_) throw Error(ErrorKind::Invalid, "arena release past its current mark");
    used_ = mark;
}

} // namespace atelier::compute
