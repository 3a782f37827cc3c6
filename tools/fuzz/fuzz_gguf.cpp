// libFuzzer target for the GGUF parser. Any input must end in a parsed file or an
// atelier::Error, never a crash, a sanitizer report, a hang or a huge allocation. A file that
// parses is also written back with GgufWriter and parsed again: the two must agree.
#include "inference/gguf/gguf_file.hpp"
#include "inference/gguf/gguf_writer.hpp"
#include "inference/util/error.hpp"

#include <cmath>
#include <cstdlib>
#include <cstring>

using namespace atelier::gguf;

namespace {

void check(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "fuzz_gguf: invariant broken: %s\n", what);
        std::abort();
    }
}

// Reads every byte a value refers to, so a bad view shows up under AddressSanitizer.
std::uint64_t touch(const Value& v) {
    std::uint64_t h = static_cast<std::uint64_t>(v.type) + v.u + static_cast<std::uint64_t>(v.i);
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v.f, sizeof bits);
    h += bits;
    for (char c : v.str) h = h * 31 + static_cast<unsigned char>(c);
    for (const Value& e : v.array) {
        check(e.type == v.elementType, "array element of the declared type");
        h += touch(e);
    }
    return h;
}

MetaValue toMeta(const Value& v) {
    MetaValue m;
    m.type = v.type;
    m.elementType = v.elementType;
    m.u = v.u;
    m.i = v.i;
    m.f = v.f;
    m.str = std::string(v.str);
    for (const Value& e : v.array) m.array.push_back(toMeta(e));
    return m;
}

bool sameValue(const Value& a, const Value& b) {
    if (a.type != b.type || a.u != b.u || a.i != b.i || a.str != b.str) return false;
    if (!(a.f == b.f || (std::isnan(a.f) && std::isnan(b.f)))) return false;
    if (a.isArray() && a.elementType != b.elementType) return false;
    if (a.array.size() != b.array.size()) return false;
    for (std::size_t k = 0; k < a.array.size(); ++k)
        if (!sameValue(a.array[k], b.array[k])) return false;
    return true;
}

void roundTrip(const GgufFile& file) {
    GgufWriter writer(file.version());
    for (const KeyValue& kv : file.metadata()) writer.add(std::string(kv.key), toMeta(kv.value));
    for (const TensorInfo& t : file.tensors())
        writer.addTensor(std::string(t.name), t.shape, t.type,
                         std::vector<std::uint8_t>(t.data, t.data + t.byteSize));
    const std::vector<std::uint8_t> bytes = writer.bytes();
    const GgufFile again = GgufFile::fromBytes(bytes, "round-trip.gguf");
    check(again.metadata().size() == file.metadata().size(), "same metadata count");
    for (std::size_t k = 0; k < file.metadata().size(); ++k) {
        check(again.metadata()[k].key == file.metadata()[k].key, "same key");
        check(sameValue(again.metadata()[k].value, file.metadata()[k].value), "same value");
    }
    check(again.tensors().size() == file.tensors().size(), "same tensor count");
    for (std::size_t k = 0; k < file.tensors().size(); ++k) {
        const TensorInfo& a = file.tensors()[k];
        const TensorInfo& b = again.tensors()[k];
        check(a.name == b.name && a.shape == b.shape && a.type == b.type, "same tensor info");
        check(a.byteSize == b.byteSize && std::memcmp(a.data, b.data, a.byteSize) == 0,
              "same tensor data");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const GgufFile file = GgufFile::fromBytes({data, size}, "fuzz.gguf");
        check(file.version() == 2 || file.version() == 3, "version 2 or 3");
        check(file.alignment() != 0 && (file.alignment() & (file.alignment() - 1)) == 0,
              "alignment a power of two");
        check(file.dataOffset() <= file.fileSize(), "data offset inside the file");
        std::uint64_t h = 0;
        for (const KeyValue& kv : file.metadata()) {
            check(file.find(kv.key) == &kv.value, "find returns the entry");
            h += kv.key.size() + touch(kv.value);
            try {
                h += file.getString(kv.key).value_or("").size();
            } catch (const atelier::Error&) {
            }
            try {
                h += file.getUInt(kv.key).value_or(0) + file.getInt(kv.key).value_or(0);
            } catch (const atelier::Error&) {
            }
            try {
                h += static_cast<std::uint64_t>(file.getBool(kv.key).value_or(false)) +
                     (file.getFloat(kv.key).value_or(0) > 0);
            } catch (const atelier::Error&) {
            }
        }
        try {
            h += file.getArchUInt("context_length").value_or(0);
        } catch (const atelier::Error&) {
        }
        for (const TensorInfo& t : file.tensors()) {
            check(file.findTensor(t.name) == &t, "findTensor returns the tensor");
            check(t.data >= data + file.dataOffset() && t.data + t.byteSize <= data + size,
                  "tensor data inside the file");
            check(t.byteSize > 0, "tensor has bytes");
            auto expected = tensorByteSize(t.type, t.elementCount);
            check(expected && *expected == t.byteSize, "byte size matches type and shape");
            std::uint64_t elements = 1;
            for (auto ne : t.shape) elements *= ne;
            check(elements == t.elementCount, "element count is the shape's product");
            h += t.data[0] + t.data[t.byteSize - 1] + t.name.size();
        }
        if (h == 0x12345678) std::fprintf(stderr, " "); // keep the reads observable
        // Huge alignments are valid but would make the rewritten file huge; skip those.
        if (file.alignment() <= 4096) {
            try {
                roundTrip(file);
            } catch (const atelier::Error& e) {
                std::fprintf(stderr, "fuzz_gguf: round trip failed: %s\n", e.what());
                std::abort();
            }
        }
    } catch (const atelier::Error&) {
        // A clean rejection is the expected outcome for most inputs.
    }
    return 0;
}
