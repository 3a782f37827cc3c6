// Hostile and broken GGUF files: each must end in an atelier::Error naming the file and what is
// wrong — never a crash, an out-of-bounds read (run under ASan by the fuzzer) or a huge
// allocation.
#include "inference/gguf/gguf_file.hpp"
#include "inference/gguf/gguf_writer.hpp"
#include "inference/util/error.hpp"
#include "raw_gguf.hpp"

#include <QtTest>
#include <random>

using namespace atelier;
using namespace atelier::gguf;
using atelier::gguf::test::RawGguf;

namespace {

constexpr std::uint32_t kF32 = 0, kQ4_0 = 2;
constexpr std::uint64_t kHuge = std::uint64_t{1} << 62;

// Parses and expects an atelier::Error of `kind` whose message names the file and holds
// `needle`. Returns false (after a QTest failure) otherwise.
void expectError(const std::vector<std::uint8_t>& bytes, const char* needle,
                 ErrorKind kind = ErrorKind::Format) {
    try {
        (void)GgufFile::fromBytes(bytes, "bad.gguf");
    } catch (const Error& e) {
        const QString message = QString::fromUtf8(e.what());
        QVERIFY2(message.startsWith("bad.gguf: "), e.what());
        QVERIFY2(message.contains(QString::fromUtf8(needle)), e.what());
        QCOMPARE(e.kind(), kind);
        return;
    }
    QFAIL(qPrintable(QString("no error; expected one containing \"%1\"").arg(needle)));
}

// A valid file with metadata of several kinds and tensors; the last tensor ends exactly at the
// end of the file, so every shorter prefix is missing something that matters.
std::vector<std::uint8_t> smallValidFile() {
    GgufWriter w;
    w.add("general.architecture", MetaValue::string("llama"));
    w.add("llama.context_length", MetaValue::u32(2048));
    w.add("f", MetaValue::f64(0.25));
    w.add("tokens", MetaValue::strings({"a", "bc", ""}));
    w.add("nested", MetaValue::arrayOf(ValueType::Array, {MetaValue::int32s({1, 2})}));
    w.addTensor("a", {32, 2}, TensorType::Q4_0, std::vector<std::uint8_t>(36, 7));
    w.addTensor("b", {8}, TensorType::F32, std::vector<std::uint8_t>(32, 9));
    return w.bytes();
}

// Header + one tensor info + padding + data for a single F32 tensor of `n` elements.
RawGguf oneTensor(const std::vector<std::uint64_t>& shape, std::uint32_t type, std::uint64_t offset,
                  std::size_t dataBytes) {
    RawGguf r;
    r.header(1, 0).tensor("t", shape, type, offset).padTo(32).zeros(dataBytes);
    return r;
}

} // namespace

class TestGgufMalformed : public QObject {
    Q_OBJECT

private slots:
    void validBaselineParses() {
        const auto bytes = smallValidFile();
        const auto f = GgufFile::fromBytes(bytes, "ok.gguf");
        QCOMPARE(f.tensors().size(), std::size_t{2});
        QCOMPARE(f.findTensor("b")->offset + f.findTensor("b")->byteSize + f.dataOffset(),
                 f.fileSize());
    }

    void truncatedAtEveryOffset() {
        const auto bytes = smallValidFile();
        for (std::size_t n = 0; n < bytes.size(); ++n) {
            const std::vector<std::uint8_t> prefix(bytes.begin(),
                                                   bytes.begin() + static_cast<long>(n));
            try {
                (void)GgufFile::fromBytes(prefix, "cut.gguf");
                QFAIL(qPrintable(QString("a file cut to %1 bytes parsed").arg(n)));
            } catch (const Error& e) {
                QVERIFY2(QString(e.what()).startsWith("cut.gguf: "), e.what());
                QCOMPARE(e.kind(), ErrorKind::Format);
            }
        }
    }

    void header() {
        expectError({}, "empty");
        expectError({'G', 'G', 'U'}, "not a GGUF file");
        expectError({'G', 'G', 'M', 'L', 3, 0, 0, 0}, "not a GGUF file");
        expectError({'G', 'G', 'U', 'F', 3, 0}, "truncated");
        expectError(RawGguf().header(0, 0, 1).bytes, "version 1 is not supported",
                    ErrorKind::Unsupported);
        expectError(RawGguf().header(0, 0, 4).bytes, "version 4", ErrorKind::Unsupported);
        expectError(RawGguf().header(0, 0, 0x03000000).bytes, "big-endian", ErrorKind::Unsupported);
        expectError(RawGguf().header(0, 0, 0).bytes, "invalid GGUF version 0");
    }

    void absurdCounts() {
        expectError(RawGguf().header(0, kHuge).bytes, "metadata entries, more than the file");
        expectError(RawGguf().header(0, ~std::uint64_t{0}).bytes, "more than the file");
        expectError(RawGguf().header(kHuge, 0).bytes, "tensors, more than the file");
        expectError(RawGguf().header(3, 0).zeros(40).bytes, "more than the file can hold");
    }

    void absurdLengths() {
        RawGguf keyLength;
        keyLength.header(0, 1).u64(~std::uint64_t{0}).zeros(16);
        expectError(keyLength.bytes, "claims 18446744073709551615 bytes");

        RawGguf stringLength;
        stringLength.header(0, 1).str("k").u32(8).u64(kHuge).zeros(8);
        expectError(stringLength.bytes, "metadata key 'k' claims");

        RawGguf arrayLength;
        arrayLength.header(0, 1).str("k").u32(9).u32(0).u64(kHuge).zeros(64);
        expectError(arrayLength.bytes, "claims 4611686018427387904 elements of type uint8");

        RawGguf stringsLength;
        stringsLength.header(0, 1).str("k").u32(9).u32(8).u64(1000).str("a").str("b");
        expectError(stringsLength.bytes, "elements of type string");

        RawGguf nestedLength;
        nestedLength.header(0, 1).str("k").u32(9).u32(9).u64(1).u32(6).u64(kHuge).zeros(8);
        expectError(nestedLength.bytes, "elements of type float32");
    }

    void tooManyValuesInAll() {
        // 9 million one-byte elements are a valid 9 MB file but would take ~700 MB as Values.
        RawGguf r;
        const std::uint64_t n = 9'000'000;
        r.header(0, 1).str("bytes").u32(9).u32(0).u64(n).zeros(n);
        expectError(r.bytes, "metadata values in all");
    }

    void deepNesting() {
        RawGguf r;
        r.header(0, 1).str("deep").u32(9);
        for (int k = 0; k < 100; ++k) r.u32(9).u64(1);
        r.u32(0).u64(0);
        expectError(r.bytes, "deeper than");
        // Eight levels are fine.
        RawGguf ok;
        ok.header(0, 1).str("deep").u32(9);
        for (int k = 0; k < 7; ++k) ok.u32(9).u64(1);
        ok.u32(0).u64(1).u8(42);
        const auto f = GgufFile::fromBytes(ok.bytes, "ok.gguf");
        const Value* v = f.find("deep");
        for (int k = 0; k < 7; ++k) v = &v->array.at(0);
        QCOMPARE(v->array.at(0).u, std::uint64_t{42});
    }

    void badValueTypes() {
        expectError(RawGguf().header(0, 1).str("k").u32(13).u32(0).bytes, "unknown value type 13");
        expectError(RawGguf().header(0, 1).str("k").u32(9).u32(200).u64(0).bytes,
                    "unknown value type 200");
        expectError(RawGguf().header(0, 1).str("").u32(4).u32(0).bytes, "empty key");
    }

    void duplicates() {
        expectError(RawGguf().header(0, 2).kvU32("a.b", 1).kvU32("a.b", 2).bytes,
                    "metadata key 'a.b' appears more than once");
        RawGguf t;
        t.header(2, 0).tensor("w", {8}, kF32, 0).tensor("w", {8}, kF32, 32).padTo(32).zeros(64);
        expectError(t.bytes, "tensor w appears more than once");
    }

    void badAlignment() {
        expectError(RawGguf().header(0, 1).kvU32("general.alignment", 0).bytes,
                    "general.alignment is 0");
        expectError(RawGguf().header(0, 1).kvU32("general.alignment", 48).bytes,
                    "not a power of two");
        expectError(RawGguf().header(0, 1).kvU32("general.alignment", 1u << 31).bytes,
                    "not a power of two");
        expectError(RawGguf().header(0, 1).str("general.alignment").u32(8).str("32").bytes,
                    "general.alignment must be a positive integer, not a string");
        expectError(RawGguf().header(0, 1).str("general.alignment").u32(5).u32(-32).bytes,
                    "positive integer");
    }

    void badShapes() {
        expectError(oneTensor({}, kF32, 0, 32).bytes, "tensor t has 0 dimensions");
        expectError(oneTensor({1, 1, 1, 1, 8}, kF32, 0, 32).bytes, "has 5 dimensions");
        expectError(oneTensor({8, 0}, kF32, 0, 32).bytes, "zero-sized dimension 1");
        expectError(oneTensor({1ull << 32, 1ull << 32}, kF32, 0, 32).bytes, "63 bits");
        expectError(oneTensor({~std::uint64_t{0}}, 1, 0, 32).bytes, "63 bits");
        // 2^62 F32 elements: the count fits in 63 bits but the byte size does not.
        expectError(oneTensor({kHuge}, kF32, 0, 32).bytes, "too large");
        expectError(oneTensor({16}, kQ4_0, 0, 32).bytes, "not a multiple of its block size 32");
        RawGguf longName;
        longName.header(1, 0).tensor(std::string(64, 'n'), {8}, kF32, 0).padTo(32).zeros(32);
        expectError(longName.bytes, "name longer than 63 bytes");
        RawGguf emptyName;
        emptyName.header(1, 0).tensor("", {8}, kF32, 0).padTo(32).zeros(32);
        expectError(emptyName.bytes, "empty name");
    }

    void unknownTensorTypes() {
        expectError(oneTensor({8}, 4, 0, 32).bytes, "unknown tensor type 4",
                    ErrorKind::Unsupported);
        expectError(oneTensor({8}, 99, 0, 32).bytes, "unknown tensor type 99",
                    ErrorKind::Unsupported);
        expectError(oneTensor({8}, 0xffffffffu, 0, 32).bytes, "unknown tensor type",
                    ErrorKind::Unsupported);
    }

    void badOffsets() {
        expectError(oneTensor({8}, kF32, 16, 64).bytes, "not a multiple of the alignment 32");
        expectError(oneTensor({8}, kF32, 1ull << 40, 64).bytes,
                    "tensor t runs past the end of the file");
        expectError(oneTensor({8}, kF32, ~std::uint64_t{31}, 64).bytes, "runs past the end");
        expectError(oneTensor({8}, kF32, 32, 32).bytes, "runs past the end");
        expectError(oneTensor({8}, kF32, 0, 31).bytes, "runs past the end");
        RawGguf noData;
        noData.header(1, 0).tensor("t", {8}, kF32, 0);
        expectError(noData.bytes, "past the end of the file");
        RawGguf overlap;
        overlap.header(2, 0).tensor("x", {16}, kF32, 0).tensor("y", {8}, kF32, 32).padTo(32);
        overlap.zeros(64);
        expectError(overlap.bytes, "tensors x and y overlap");
        // Equal offsets overlap too; tensors in any order are fine when apart.
        RawGguf same;
        same.header(2, 0).tensor("x", {8}, kF32, 0).tensor("y", {8}, kF32, 0).padTo(32).zeros(32);
        expectError(same.bytes, "overlap");
        RawGguf reversed;
        reversed.header(2, 0).tensor("x", {8}, kF32, 32).tensor("y", {8}, kF32, 0).padTo(32);
        reversed.zeros(64);
        QCOMPARE(GgufFile::fromBytes(reversed.bytes, "ok.gguf").tensors().size(), std::size_t{2});
    }

    void randomGarbage() {
        std::mt19937_64 rng(20261125);
        const auto valid = smallValidFile();
        int parsed = 0, refused = 0;
        auto attempt = [&](const std::vector<std::uint8_t>& bytes) {
            try {
                const auto f = GgufFile::fromBytes(bytes, "garbage.gguf");
                std::uint64_t sum = 0;
                for (const auto& t : f.tensors()) sum += t.data[0] + t.data[t.byteSize - 1];
                (void)sum;
                ++parsed;
            } catch (const Error& e) {
                if (!QString(e.what()).startsWith("garbage.gguf: ")) QFAIL(e.what());
                ++refused;
            }
            // Any other exception escapes and fails the test.
        };
        for (int k = 0; k < 1000; ++k) { // pure noise, sometimes behind a good header
            std::vector<std::uint8_t> bytes(rng() % 600);
            for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
            if (k % 2 && bytes.size() >= 8) {
                std::memcpy(bytes.data(), "GGUF\x03\0\0\0", 8);
                for (std::size_t i = 8; i < 24 && i < bytes.size(); ++i)
                    bytes[i] = i % 8 < 1 ? bytes[i] % 8 : 0; // small counts
            }
            attempt(bytes);
        }
        for (int k = 0; k < 3000; ++k) { // mutations of a valid file
            auto bytes = valid;
            const int edits = 1 + static_cast<int>(rng() % 6);
            for (int e = 0; e < edits; ++e) {
                const std::size_t at = rng() % bytes.size();
                switch (rng() % 4) {
                case 0:
                    bytes[at] = static_cast<std::uint8_t>(rng());
                    break;
                case 1:
                    bytes[at] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
                    break;
                case 2: // an extreme 64-bit value where a count or offset may live
                    for (std::size_t i = at; i < at + 8 && i < bytes.size(); ++i)
                        bytes[i] = (rng() % 2) ? 0xff : 0x7f;
                    break;
                default:
                    bytes.resize(at);
                    break;
                }
                if (bytes.empty()) break;
            }
            attempt(bytes);
        }
        QVERIFY(refused > 3000);
        QVERIFY(parsed > 0); // some mutations only touch tensor data
    }
};

QTEST_GUILESS_MAIN(TestGgufMalformed)
#include "test_gguf_malformed.moc"
