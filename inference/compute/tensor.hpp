#pragma once
// A Tensor is a handle, not storage: element type, shape, byte strides and a place (buffer +
// offset) in memory that one backend owns. Copying a Tensor copies the handle only.
//
// Conventions (ggml's): ne[0] is the innermost dimension; a "row" is ne[0] elements. For a
// block-quantized type (Q4_0, Q4_K, ...) ne[0] is a multiple of the block size, nb[0] is the
// size of one block in bytes and rows are always stored contiguously; strides nb[1..3] are free.
#include "inference/gguf/tensor_type.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace atelier::compute {

using ElementType = gguf::TensorType;

class Buffer;
class Backend;

using Shape = std::array<std::int64_t, 4>;
using Strides = std::array<std::size_t, 4>;

struct Tensor {
    ElementType type = ElementType::F32;
    Shape ne{1, 1, 1, 1};
    Strides nb{0, 0, 0, 0};
    Buffer* buffer = nullptr;
    std::size_t offset = 0; // bytes from the start of the buffer

    // A contiguous tensor of `shape` at `offset` of `buffer` (throws on a bad shape).
    static Tensor contiguous(ElementType type, Shape shape, Buffer* buffer, std::size_t offset);
    // Bytes a contiguous tensor of this type and shape occupies.
    static std::size_t bytesFor(ElementType type, Shape shape);

    std::int64_t elementCount() const { return ne[0] * ne[1] * ne[2] * ne[3]; }
    std::int64_t rowCount() const { return ne[1] * ne[2] * ne[3]; }
    std::size_t rowBytes() const; // bytes of one row of ne[0] elements
    bool isContiguous() const;    // rows packed one after another, no gaps
    bool hasContiguousRows() const { return nb[0] == elementOrBlockBytes(); }
    std::size_t elementOrBlockBytes() const;
    std::size_t byteSpan() const; // bytes from the first to one past the last element
    bool sameShape(const Tensor& other) const { return ne == other.ne; }
    Backend& backend() const; // the owner of the buffer (throws when there is none)

    // A view with new shape and strides, starting `byteOffset` bytes further in.
    Tensor view(Shape shape, Strides strides, std::size_t byteOffset = 0) const;
    // The same contiguous data with another shape of equal element count.
    Tensor reshaped(Shape shape) const;
    // Rows [first, first + count) along dimension `dim` (a view).
    Tensor slice(int dim, std::int64_t first, std::int64_t count) const;
    // Dimensions exchanged (a view: strides move with their dimension).
    Tensor transposed(int dimA, int dimB) const;

    std::string describe() const; // "Q4_K [4096, 32000, 1, 1]" for messages
};

} // namespace atelier::compute
