#pragma once
// Builds GGUF byte streams by hand for tests that need files no writer would produce:
// absurd counts, bad types, bad offsets. Plain little-endian appends, no validation.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace atelier::gguf::test {

struct RawGguf {
    std::vector<std::uint8_t> bytes;

    RawGguf& u8(std::uint8_t v) { return append(&v, 1); }
    RawGguf& u32(std::uint32_t v) { return append(&v, 4); }
    RawGguf& u64(std::uint64_t v) { return append(&v, 8); }
    RawGguf& str(const std::string& s) {
        u64(s.size());
        return append(s.data(), s.size());
    }
    // "GGUF", version, tensor count, metadata count.
    RawGguf& header(std::uint64_t tensors, std::uint64_t kvs, std::uint32_t version = 3) {
        append("GGUF", 4);
        u32(version);
        u64(tensors);
        return u64(kvs);
    }
    // A key with a uint32 value.
    RawGguf& kvU32(const std::string& key, std::uint32_t v) {
        str(key);
        u32(4);
        return u32(v);
    }
    // A tensor info: name, dims, type id, offset.
    RawGguf& tensor(const std::string& name, const std::vector<std::uint64_t>& shape,
                    std::uint32_t type, std::uint64_t offset) {
        str(name);
        u32(static_cast<std::uint32_t>(shape.size()));
        for (auto ne : shape) u64(ne);
        u32(type);
        return u64(offset);
    }
    RawGguf& padTo(std::size_t alignment) {
        while (bytes.size() % alignment) bytes.push_back(0);
        return *this;
    }
    RawGguf& zeros(std::size_t n) {
        bytes.insert(bytes.end(), n, 0);
        return *this;
    }
    RawGguf& append(const void* p, std::size_t n) {
        const auto* b = static_cast<const std::uint8_t*>(p);
        bytes.insert(bytes.end(), b, b + n);
        return *this;
    }
};

} // namespace atelier::gguf::test
