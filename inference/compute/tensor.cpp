#include "inference/compute/tensor.hpp"

#include "inference/compute/buffer.hpp"
#include "inference/util/error.hpp"

#include <utility>

namespace atelier::compute {
namespace {

[[noreturn]] void invalid(const std::string& what) {
    throw Error(ErrorKind::Invalid, what);
}

std::string shapeText(const Shape& ne) {
    return "[" + std::to_string(ne[0]) + ", " + std::to_string(ne[1]) + ", " +
           std::to_string(ne[2]) + ", " + std::to_string(ne[3]) + "]";
}

void checkShape(ElementType type, const Shape& ne) {
    for (std::int64_t n : ne)
        if (n < 1) invalid("tensor shape " + shapeText(ne) + " has an empty dimension");
    const std::uint32_t block = gguf::blockSize(type);
    if (ne[0] % block != 0)
        invalid("tensor of type " + std::string(gguf::tensorTypeName(type)) + " needs ne[0] (" +
                std::to_string(ne[0]) + ") to be a multiple of " + std::to_string(block));
}

} // namespace

std::size_t Tensor::bytesFor(ElementType type, Shape shape) {
    checkShape(type, shape);
    const std::size_t row = std::size_t(shape[0] / gguf::blockSize(type)) * gguf::typeSize(type);
    return row * std::size_t(shape[1] * shape[2] * shape[3]);
}

Tensor Tensor::contiguous(ElementType type, Shape shape, Buffer* buffer, std::size_t offset) {
    checkShape(type, shape);
    Tensor t;
    t.type = type;
    t.ne = shape;
    t.nb[0] = gguf::typeSize(type);
    t.nb[1] = std::size_t(shape[0] / gguf::blockSize(type)) * t.nb[0];
    t.nb[2] = t.nb[1] * std::size_t(shape[1]);
    t.nb[3] = t.nb[2] * std::size_t(shape[2]);
    t.buffer = buffer;
    t.offset = offset;
    if (buffer && offset + t.byteSpan() > buffer->size())
        invalid("tensor " + t.describe() + " at offset " + std::to_string(offset) +
                " runs past the end of its buffer (" + std::to_string(buffer->size()) + " bytes)");
    return t;
}

std::size_t Tensor::elementOrBlockBytes() const {
    return gguf::typeSize(type);
}

std::size_t Tensor::rowBytes() const {
    return std::size_t(ne[0] / gguf::blockSize(type)) * gguf::typeSize(type);
}

bool Tensor::isContiguous() const {
    return hasContiguousRows() && nb[1] == rowBytes() && nb[2] == nb[1] * std::size_t(ne[1]) &&
           nb[3] == nb[2] * std::size_t(ne[2]);
}

std::size_t Tensor::byteSpan() const {
    std::size_t last = rowBytes();
    for (int d = 1; d < 4; ++d) last += std::size_t(ne[d] - 1) * nb[d];
    return last;
}

Backend& Tensor::backend() const {
    if (!buffer) invalid("tensor " + describe() + " has no buffer");
    return buffer->backend();
}

Tensor Tensor::view(Shape shape, Strides strides, std::size_t byteOffset) const {
    checkShape(type, shape);
    Tensor t = *this;
    t.ne = shape;
    t.nb = strides;
    t.offset = offset + byteOffset;
    if (t.nb[0] != elementOrBlockBytes())
        invalid("a view of " + describe() + " must keep rows contiguous");
    if (buffer && t.offset + t.byteSpan() > buffer->size())
        invalid("view " + t.describe() + " runs past the end of its buffer");
    return t;
}

Tensor Tensor::reshaped(Shape shape) const {
    if (!isContiguous()) invalid("cannot reshape the non-contiguous tensor " + describe());
    const Tensor t = contiguous(type, shape, buffer, offset);
    if (t.elementCount() != elementCount())
        invalid("cannot reshape " + describe() + " to " + shapeText(shape));
    return t;
}

Tensor Tensor::slice(int dim, std::int64_t first, std::int64_t count) const {
    if (dim < 0 || dim > 3 || first < 0 || count < 1 || first + count > ne[dim])
        invalid("slice [" + std::to_string(first) + ", +" + std::to_string(count) +
                ") of dimension " + std::to_string(dim) + " is outside " + describe());
    Shape shape = ne;
    shape[dim] = count;
    std::size_t start = std::size_t(first) * nb[dim];
    if (dim == 0) {
        const std::uint32_t block = gguf::blockSize(type);
        if (first % block != 0)
            invalid("slice of " + describe() + " must start at a multiple of the block size " +
                    std::to_string(block));
        start = std::size_t(first / block) * nb[0];
    }
    return view(shape, nb, start);
}

Tensor Tensor::transposed(int dimA, int dimB) const {
    if (dimA == 0 || dimB == 0) invalid("transposing dimension 0 would break contiguous rows");
    Tensor t = *this;
    std::swap(t.ne[dimA], t.ne[dimB]);
    std::swap(t.nb[dimA], t.nb[dimB]);
    return t;
}

std::string Tensor::describe() const {
    return std::string(gguf::tensorTypeName(type)) + " " + shapeText(ne);
}

} // namespace atelier::compute
