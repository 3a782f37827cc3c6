#pragma once
// A read-only memory map of a whole file (RAII). Model weights are used in place from it.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace atelier {

class MappedFile {
public:
    MappedFile() = default;
    // Throws atelier::Error (ErrorKind::Io) naming the path when the file cannot be mapped.
    explicit MappedFile(const std::string& path);
    ~MappedFile();
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const std::uint8_t* data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    std::span<const std::uint8_t> bytes() const noexcept { return {data_, size_}; }
    const std::string& path() const noexcept { return path_; }

private:
    void release() noexcept;

    std::string path_;
    const std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
};

} // namespace atelier
