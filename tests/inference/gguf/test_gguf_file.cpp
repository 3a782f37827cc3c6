// GgufFile and GgufWriter on valid files: every value type survives a round trip, tensors land
// where they should, typed look-ups, the tensor type table, and the real vocabulary files.
#include "inference/gguf/gguf_file.hpp"
#include "inference/gguf/gguf_writer.hpp"
#include "inference/util/error.hpp"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <limits>

using namespace atelier;
using namespace atelier::gguf;

namespace {

MetaValue nestedArray(int depth) {
    if (depth == 0) return MetaValue::strings({"leaf", ""});
    return MetaValue::arrayOf(ValueType::Array, {nestedArray(depth - 1), nestedArray(depth - 1)});
}

GgufWriter everyType(std::uint32_t version) {
    GgufWriter w(version);
    w.add("general.architecture", MetaValue::string("llama"));
    w.add("u8", MetaValue::u8(255));
    w.add("i8", MetaValue::i8(-128));
    w.add("u16", MetaValue::u16(65535));
    w.add("i16", MetaValue::i16(-32768));
    w.add("u32", MetaValue::u32(4294967295u));
    w.add("i32", MetaValue::i32(std::numeric_limits<std::int32_t>::min()));
    w.add("u64", MetaValue::u64(std::numeric_limits<std::uint64_t>::max()));
    w.add("i64", MetaValue::i64(std::numeric_limits<std::int64_t>::min()));
    w.add("f32", MetaValue::f32(-0.15625f));
    w.add("f64", MetaValue::f64(1e300));
    w.add("true", MetaValue::boolean(true));
    w.add("false", MetaValue::boolean(false));
    w.add("string", MetaValue::string("h\xc3\xa9llo\nworld"));
    w.add("empty", MetaValue::string(""));
    w.add("llama.context_length", MetaValue::u32(8192));
    w.add("array.u8", MetaValue::arrayOf(ValueType::UInt8, {MetaValue::u8(1), MetaValue::u8(2)}));
    w.add("array.i64", MetaValue::arrayOf(ValueType::Int64, {MetaValue::i64(-5)}));
    w.add("array.f64", MetaValue::arrayOf(ValueType::Float64, {MetaValue::f64(0.5)}));
    w.add("array.bool", MetaValue::arrayOf(ValueType::Bool,
                                           {MetaValue::boolean(true), MetaValue::boolean(false)}));
    w.add("array.empty", MetaValue::arrayOf(ValueType::Float32, {}));
    w.add("array.strings", MetaValue::strings({"a", "", "\xe2\x96\x81the"}));
    w.add("array.nested", nestedArray(3));
    return w;
}

std::vector<std::uint8_t> counting(std::size_t n) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t k = 0; k < n; ++k) v[k] = static_cast<std::uint8_t>(k * 13 + 1);
    return v;
}

} // namespace

class TestGgufFile : public QObject {
    Q_OBJECT

private slots:
    void roundTripEveryValueType_data() {
        QTest::addColumn<int>("version");
        QTest::newRow("v2") << 2;
        QTest::newRow("v3") << 3;
    }

    void roundTripEveryValueType() {
        QFETCH(int, version);
        const auto bytes = everyType(static_cast<std::uint32_t>(version)).bytes();
        const auto f = GgufFile::fromBytes(bytes, "values.gguf");
        QCOMPARE(f.version(), static_cast<std::uint32_t>(version));
        QCOMPARE(f.metadata().size(), std::size_t{23});
        QCOMPARE(f.alignment(), std::uint64_t{32});
        QVERIFY(f.tensors().empty());

        QCOMPARE(f.find("u8")->type, ValueType::UInt8);
        QCOMPARE(*f.getUInt("u8"), std::uint64_t{255});
        QCOMPARE(*f.getInt("i8"), std::int64_t{-128});
        QCOMPARE(*f.getUInt("u16"), std::uint64_t{65535});
        QCOMPARE(*f.getInt("i16"), std::int64_t{-32768});
        QCOMPARE(*f.getUInt("u32"), std::uint64_t{4294967295u});
        QCOMPARE(*f.getInt("i32"), std::int64_t{std::numeric_limits<std::int32_t>::min()});
        QCOMPARE(*f.getUInt("u64"), std::numeric_limits<std::uint64_t>::max());
        QCOMPARE(*f.getInt("i64"), std::numeric_limits<std::int64_t>::min());
        QCOMPARE(*f.getFloat("f32"), -0.15625);
        QCOMPARE(*f.getFloat("f64"), 1e300);
        QCOMPARE(*f.getFloat("u16"), 65535.0); // every integer also reads as a number
        QCOMPARE(*f.getBool("true"), true);
        QCOMPARE(*f.getBool("false"), false);
        QCOMPARE(*f.getString("string"), std::string_view("h\xc3\xa9llo\nworld"));
        QCOMPARE(*f.getString("empty"), std::string_view(""));
        QCOMPARE(*f.getArchUInt("context_length"), std::uint64_t{8192});
        QVERIFY(!f.getArchUInt("block_count"));
        QVERIFY(!f.getString("absent"));
        QVERIFY(f.find("absent") == nullptr);

        const Value* u8s = f.find("array.u8");
        QVERIFY(u8s && u8s->isArray());
        QCOMPARE(u8s->elementType, ValueType::UInt8);
        QCOMPARE(u8s->array.size(), std::size_t{2});
        QCOMPARE(u8s->array[1].u, std::uint64_t{2});
        QCOMPARE(f.find("array.i64")->array[0].i, std::int64_t{-5});
        QCOMPARE(f.find("array.f64")->array[0].f, 0.5);
        QCOMPARE(f.find("array.bool")->array[0].u, std::uint64_t{1});
        QCOMPARE(f.find("array.bool")->array[1].u, std::uint64_t{0});
        QCOMPARE(f.find("array.empty")->elementType, ValueType::Float32);
        QVERIFY(f.find("array.empty")->array.empty());
        const Value* strings = f.find("array.strings");
        QCOMPARE(strings->array.size(), std::size_t{3});
        QCOMPARE(strings->array[2].str, std::string_view("\xe2\x96\x81the"));

        // Three levels of arrays of arrays, then arrays of strings.
        const Value* v = f.find("array.nested");
        for (int level = 0; level < 3; ++level) {
            QVERIFY(v->isArray());
            QCOMPARE(v->elementType, ValueType::Array);
            QCOMPARE(v->array.size(), std::size_t{2});
            v = &v->array[1];
        }
        QCOMPARE(v->elementType, ValueType::String);
        QCOMPARE(v->array[0].str, std::string_view("leaf"));
    }

    void typedLookupsRefuseWrongTypes() {
        const auto bytes = everyType(3).bytes();
        const auto f = GgufFile::fromBytes(bytes, "values.gguf");
        auto expectFormat = [](auto fn, const char* needle) {
            try {
                fn();
                QFAIL("no error");
            } catch (const Error& e) {
                QCOMPARE(e.kind(), ErrorKind::Format);
                QVERIFY2(QString(e.what()).startsWith("values.gguf: "), e.what());
                QVERIFY2(QString(e.what()).contains(needle), e.what());
            }
        };
        expectFormat([&] { (void)f.getString("u32"); }, "'u32' is a uint32, expected a string");
        expectFormat([&] { (void)f.getUInt("string"); }, "expected an unsigned integer");
        expectFormat([&] { (void)f.getUInt("i8"); }, "negative");
        expectFormat([&] { (void)f.getInt("u64"); }, "too large");
        expectFormat([&] { (void)f.getFloat("array.u8"); }, "array of uint8");
        expectFormat([&] { (void)f.getBool("u8"); }, "expected a bool");
        // A non-negative signed value is a fine unsigned one.
        GgufWriter w;
        w.add("n", MetaValue::i32(7));
        const auto b2 = w.bytes();
        QCOMPARE(*GgufFile::fromBytes(b2, "n.gguf").getUInt("n"), std::uint64_t{7});
    }

    void tensorsRoundTrip_data() {
        QTest::addColumn<int>("alignment");
        QTest::newRow("default 32") << 0;
        QTest::newRow("1") << 1;
        QTest::newRow("64") << 64;
        QTest::newRow("4096") << 4096;
    }

    void tensorsRoundTrip() {
        QFETCH(int, alignment);
        GgufWriter w;
        w.add("general.architecture", MetaValue::string("llama"));
        if (alignment) w.setAlignment(static_cast<std::uint32_t>(alignment));
        w.addTensor("token_embd.weight", {64, 3}, TensorType::Q4_0, counting(2 * 3 * 18));
        w.addTensor("blk.0.attn_q.weight", {256, 2}, TensorType::Q6_K, counting(2 * 210));
        w.addTensor("output_norm.weight", {5}, TensorType::F32, counting(20));
        w.addTensor("blk.0.ffn.bf16", {2, 3, 4, 5}, TensorType::BF16, counting(240));
        const auto bytes = w.bytes();
        const auto f = GgufFile::fromBytes(bytes, "tensors.gguf");
        const std::uint64_t align = alignment ? static_cast<std::uint64_t>(alignment) : 32;
        QCOMPARE(f.alignment(), align);
        QCOMPARE(f.dataOffset() % align, std::uint64_t{0});
        QCOMPARE(f.tensors().size(), std::size_t{4});

        const TensorInfo* q = f.findTensor("blk.0.attn_q.weight");
        QVERIFY(q);
        QCOMPARE(q->type, TensorType::Q6_K);
        QCOMPARE(q->shape, (std::vector<std::uint64_t>{256, 2}));
        QCOMPARE(q->elementCount, std::uint64_t{512});
        QCOMPARE(q->byteSize, std::uint64_t{420});
        QCOMPARE(q->offset % align, std::uint64_t{0});
        QCOMPARE(q->data, bytes.data() + f.dataOffset() + q->offset);
        const auto expected = counting(420);
        QVERIFY(std::equal(expected.begin(), expected.end(), q->data));

        const TensorInfo* e = f.findTensor("token_embd.weight");
        QCOMPARE(e->byteSize, std::uint64_t{108});
        QCOMPARE(e->offset, std::uint64_t{0});
        const TensorInfo* b = f.findTensor("blk.0.ffn.bf16");
        QCOMPARE(b->shape.size(), std::size_t{4});
        QCOMPARE(b->elementCount, std::uint64_t{120});
        QVERIFY(f.findTensor("missing") == nullptr);
    }

    void openMapsAFile() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.gguf").toStdString();
        GgufWriter w(2);
        w.add("general.name", MetaValue::string("mapped"));
        w.addTensor("w", {32}, TensorType::Q8_0, counting(34));
        w.write(path);
        auto f = GgufFile::open(path);
        QCOMPARE(f.path(), path);
        QCOMPARE(f.version(), std::uint32_t{2});
        QCOMPARE(*f.getString("general.name"), std::string_view("mapped"));
        QCOMPARE(f.findTensor("w")->data[33], counting(34)[33]);
        QCOMPARE(f.fileSize(),
                 static_cast<std::uint64_t>(QFileInfo(dir.filePath("model.gguf")).size()));
        // Moving the file object keeps the views valid (the map moves with it).
        GgufFile moved = std::move(f);
        QCOMPARE(*moved.getString("general.name"), std::string_view("mapped"));
        QCOMPARE(moved.findTensor("w")->data[0], counting(1)[0]);
    }

    void missingFileIsAnIoError() {
        try {
            (void)GgufFile::open("/nonexistent/model.gguf");
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Io);
            QVERIFY(QString(e.what()).startsWith("/nonexistent/model.gguf: "));
        }
    }

    void vocabularyFilesOpen() {
        const QDir dir(QStringLiteral(ATELIER_SHARED_TESTDATA "/vocab"));
        const auto files = dir.entryInfoList({"*.gguf"}, QDir::Files, QDir::Name);
        if (files.isEmpty()) QSKIP("no vocabulary files in the shared test data");
        for (const QFileInfo& info : files) {
            const auto f = GgufFile::open(info.filePath().toStdString());
            QVERIFY(f.version() == 2 || f.version() == 3);
            QVERIFY(f.getString("general.architecture").has_value());
            QVERIFY(f.getString("tokenizer.ggml.model").has_value());
            const Value* tokens = f.find("tokenizer.ggml.tokens");
            QVERIFY2(tokens && tokens->isArray() && tokens->elementType == ValueType::String,
                     qPrintable(info.fileName()));
            QVERIFY(tokens->array.size() > 1000);
            QCOMPARE(f.fileSize(), static_cast<std::uint64_t>(info.size()));
            QVERIFY(f.dataOffset() <= f.fileSize());
        }
        const auto gpt2 = GgufFile::open(dir.filePath("ggml-vocab-gpt-2.gguf").toStdString());
        QCOMPARE(gpt2.find("tokenizer.ggml.tokens")->array.size(), std::size_t{50257});
        QCOMPARE(gpt2.find("tokenizer.ggml.merges")->array.size(), std::size_t{50000});
        QCOMPARE(*gpt2.getArchUInt("context_length"), std::uint64_t{1024});
    }

    void tensorTypeTable() {
        struct Row {
            TensorType type;
            const char* name;
            std::uint32_t block, bytes;
        };
        const Row rows[] = {
            {TensorType::F32, "F32", 1, 4},       {TensorType::F16, "F16", 1, 2},
            {TensorType::BF16, "BF16", 1, 2},     {TensorType::Q4_0, "Q4_0", 32, 18},
            {TensorType::Q4_1, "Q4_1", 32, 20},   {TensorType::Q5_0, "Q5_0", 32, 22},
            {TensorType::Q5_1, "Q5_1", 32, 24},   {TensorType::Q8_0, "Q8_0", 32, 34},
            {TensorType::Q2_K, "Q2_K", 256, 84},  {TensorType::Q3_K, "Q3_K", 256, 110},
            {TensorType::Q4_K, "Q4_K", 256, 144}, {TensorType::Q5_K, "Q5_K", 256, 176},
            {TensorType::Q6_K, "Q6_K", 256, 210},
        };
        for (const Row& r : rows) {
            QCOMPARE(tensorTypeName(r.type), std::string_view(r.name));
            QCOMPARE(blockSize(r.type), r.block);
            QCOMPARE(typeSize(r.type), r.bytes);
            QVERIFY(isSupportedWeightType(r.type));
            QCOMPARE(tensorTypeFromName(r.name), std::optional<TensorType>(r.type));
        }
        QCOMPARE(static_cast<std::uint32_t>(TensorType::BF16), 30u);
        QCOMPARE(static_cast<std::uint32_t>(TensorType::Q6_K), 14u);
        QVERIFY(!isSupportedWeightType(TensorType::IQ2_XXS));
        QVERIFY(!isSupportedWeightType(TensorType::Q8_K));
        QCOMPARE(typeSize(TensorType::IQ4_XS), 136u);
        QCOMPARE(typeSize(TensorType::Q8_1), 36u); // fp16 d and s, as ggml has it now
        QCOMPARE(blockSize(TensorType::NVFP4), 64u);
        QCOMPARE(blockSize(TensorType::Q1_0), 128u);
        QVERIFY(!tensorTypeTraits(4));  // Q4_2, removed from ggml
        QVERIFY(!tensorTypeTraits(31)); // Q4_0_4_4, removed
        QVERIFY(!tensorTypeTraits(1000));
        QCOMPARE(tensorTypeFromName("q4_k"), std::optional<TensorType>(TensorType::Q4_K));
        QVERIFY(!tensorTypeFromName("Q4_2"));

        QCOMPARE(*tensorByteSize(TensorType::Q4_K, 4096), std::uint64_t{16 * 144});
        QCOMPARE(*rowByteSize(TensorType::F16, 7), std::uint64_t{14});
        QVERIFY(!tensorByteSize(TensorType::Q4_0, 33));                    // not whole blocks
        QVERIFY(!tensorByteSize(TensorType::F64, std::uint64_t{1} << 62)); // overflows
        QCOMPARE(*tensorByteSize(TensorType::Q8_0, std::uint64_t{1} << 62),
                 (std::uint64_t{1} << 57) * 34);
        QVERIFY_THROWS_EXCEPTION(Error, (void)blockSize(static_cast<TensorType>(5)));
    }

    void writerRefusesInconsistentInput() {
        GgufWriter w;
        w.add("k", MetaValue::u8(1));
        QVERIFY_THROWS_EXCEPTION(Error, w.add("k", MetaValue::u8(2)));
        QVERIFY_THROWS_EXCEPTION(Error, w.addTensor("t", {16}, TensorType::Q4_0, counting(9)));
        QVERIFY_THROWS_EXCEPTION(Error, w.addTensor("t", {4}, TensorType::F32, counting(15)));
        QVERIFY_THROWS_EXCEPTION(Error, w.addTensor("t", {}, TensorType::F32, {}));
        QVERIFY_THROWS_EXCEPTION(Error, w.setAlignment(48));
        QVERIFY_THROWS_EXCEPTION(Error, GgufWriter(1));
        GgufWriter mixed;
        mixed.add("a", MetaValue::arrayOf(ValueType::UInt8, {MetaValue::string("x")}));
        QVERIFY_THROWS_EXCEPTION(Error, (void)mixed.bytes());
    }
};

QTEST_GUILESS_MAIN(TestGgufFile)
#include "test_gguf_file.moc"
