#pragma once
// Memory that one backend owns: device memory on a GPU, host memory (or the memory-mapped model
// file, used in place) on the CPU. Created by Backend::allocate() / Backend::importWeights().
#include <cstddef>
#include <cstdint>

namespace atelier::compute {

class Backend;

class Buffer {
public:
    virtual ~Buffer() = default;
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;

    Backend& backend() const { return backend_; }
    std::size_t size() const { return size_; }
    bool readOnly() const { return readOnly_; }
    // Address of the contents when the host can read them directly (the CPU backend), else
    // nullptr. Only backends and their kernels use it; model code goes through upload/download.
    virtual std::uint8_t* hostData() const { return nullptr; }

protected:
    Buffer(Backend& backend, std::size_t size, bool readOnly)
        : backend_(backend), size_(size), readOnly_(readOnly) {}

private:
    Backend& backend_;
    std::size_t size_;
    bool readOnly_;
};

} // namespace atelier::compute
