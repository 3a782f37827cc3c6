// Reading tokenizer metadata from GGUF files: every key the tokenizers use, files without
// tensors, and clear errors for metadata that is missing, mistyped or unsupported.
#include "inference/gguf/gguf_file.hpp"
#include "inference/gguf/gguf_writer.hpp"
#include "inference/tokenizer/tokenizer.hpp"
#include "inference/util/error.hpp"

#include <QtTest>

using namespace atelier;
using namespace atelier::gguf;
using namespace atelier::tokenizer;

namespace {

GgufWriter baseWriter(const std::string& model = "llama") {
    GgufWriter w;
    w.add("general.architecture", MetaValue::string("test"));
    w.add("tokenizer.ggml.model", MetaValue::string(model));
    w.add("tokenizer.ggml.tokens", MetaValue::strings({"<unk>", "<s>", "</s>",
                                                       "\xE2\x96\x81"
                                                       "a",
                                                       "a", "[SEP]", "[CLS]"}));
    return w;
}

Vocabulary load(const GgufWriter& w) {
    const std::vector<std::uint8_t> bytes = w.bytes();
    const GgufFile file = GgufFile::fromBytes(bytes, "test.gguf");
    return loadVocabulary(file); // copies everything it keeps
}

ErrorKind errorKindOf(const GgufWriter& w) {
    try {
        load(w);
    } catch (const Error& e) {
        if (std::string(e.what()).find("test.gguf") == std::string::npos) return ErrorKind::Io;
        return e.kind();
    }
    return ErrorKind::Invalid; // "no error" is reported as Invalid so that QCOMPARE fails
}

} // namespace

class TestVocabularyGguf : public QObject {
    Q_OBJECT

private slots:
    void readsEveryTokenizerKey() {
        GgufWriter w = baseWriter();
        w.add("tokenizer.ggml.pre", MetaValue::string("default"));
        w.add("tokenizer.ggml.scores", MetaValue::float32s({0, 0, 0, -1, -2, 0, 0}));
        w.add("tokenizer.ggml.token_type", MetaValue::int32s({2, 3, 3, 1, 1, 3, 3}));
        w.add("tokenizer.ggml.merges", MetaValue::strings({"\xE2\x96\x81 a"}));
        w.add("tokenizer.ggml.bos_token_id", MetaValue::u32(1));
        w.add("tokenizer.ggml.eos_token_id", MetaValue::u32(2));
        w.add("tokenizer.ggml.unknown_token_id", MetaValue::u32(0));
        w.add("tokenizer.ggml.seperator_token_id", MetaValue::u32(5));
        w.add("tokenizer.ggml.cls_token_id", MetaValue::u32(6));
        w.add("tokenizer.ggml.padding_token_id", MetaValue::i32(-1)); // "none"
        w.add("tokenizer.ggml.mask_token_id", MetaValue::u32(4000));  // out of range: ignored
        w.add("tokenizer.ggml.add_bos_token", MetaValue::boolean(false));
        w.add("tokenizer.ggml.add_eos_token", MetaValue::boolean(true));
        w.add("tokenizer.ggml.add_space_prefix", MetaValue::boolean(false));
        w.add("tokenizer.ggml.remove_extra_whitespaces", MetaValue::boolean(true));
        const Vocabulary v = load(w);
        QCOMPARE(v.kind, TokenizerKind::SentencePiece);
        QCOMPARE(v.pre, std::string("default"));
        QCOMPARE(v.size(), std::size_t(7));
        QCOMPARE(v.score(4), -2.0f);
        QCOMPARE(v.type(1), TokenType::Control);
        QCOMPARE(v.merges.size(), std::size_t(1));
        QCOMPARE(v.bos, std::optional<TokenId>(1));
        QCOMPARE(v.eos, std::optional<TokenId>(2));
        QCOMPARE(v.unk, std::optional<TokenId>(0));
        QCOMPARE(v.sep, std::optional<TokenId>(5));
        QCOMPARE(v.cls, std::optional<TokenId>(6));
        QVERIFY(!v.pad);
        QVERIFY(!v.mask);
        QCOMPARE(v.addBos, std::optional<bool>(false));
        QCOMPARE(v.addEos, std::optional<bool>(true));
        QCOMPARE(v.addSpacePrefix, std::optional<bool>(false));
        QCOMPARE(v.removeExtraWhitespaces, std::optional<bool>(true));

        const Tokenizer tok(v);
        QVERIFY(!tok.addsBosByDefault());
        QVERIFY(tok.addsEosByDefault());
        QCOMPARE(tok.encode("a"), (std::vector<TokenId>{4, 2}));
    }

    void minimalFileUsesDefaults() {
        const Vocabulary v = load(baseWriter("gpt2"));
        QCOMPARE(v.kind, TokenizerKind::BytePairEncoding);
        QVERIFY(v.scores.empty());
        QVERIFY(v.types.empty());
        QCOMPARE(v.type(3), TokenType::Normal);
        const Tokenizer tok(v);
        QCOMPARE(tok.preTokenizer(), std::string("default"));
        QVERIFY(!tok.addsBosByDefault());
    }

    void wordPieceTakesClsAndSep() {
        const Vocabulary v = [] {
            GgufWriter w = baseWriter("bert");
            w.add("tokenizer.ggml.seperator_token_id", MetaValue::u32(5));
            w.add("tokenizer.ggml.cls_token_id", MetaValue::u32(6));
            w.add("tokenizer.ggml.unknown_token_id", MetaValue::u32(0));
            return load(w);
        }();
        const Tokenizer tok(v);
        QCOMPARE(tok.bos(), std::optional<TokenId>(6));
        QCOMPARE(tok.eos(), std::optional<TokenId>(5));
        QCOMPARE(tok.encode("A"), (std::vector<TokenId>{6, 3, 5}));
    }

    void errorsNameTheFile() {
        QCOMPARE(errorKindOf([] {
                     GgufWriter w;
                     w.add("general.architecture", MetaValue::string("test"));
                     return w;
                 }()),
                 ErrorKind::Format);
        QCOMPARE(errorKindOf(baseWriter("t5")), ErrorKind::Unsupported);
        {
            GgufWriter w;
            w.add("tokenizer.ggml.model", MetaValue::string("llama"));
            w.add("tokenizer.ggml.tokens", MetaValue::int32s({1, 2, 3}));
            QCOMPARE(errorKindOf(w), ErrorKind::Format);
        }
        {
            GgufWriter w;
            w.add("tokenizer.ggml.model", MetaValue::string("llama"));
            QCOMPARE(errorKindOf(w), ErrorKind::Format);
        }
        {
            GgufWriter w = baseWriter();
            w.add("tokenizer.ggml.token_type", MetaValue::int32s({1, 1}));
            QCOMPARE(errorKindOf(w), ErrorKind::Format);
        }
        {
            GgufWriter w = baseWriter();
            w.add("tokenizer.ggml.scores", MetaValue::strings({"x"}));
            QCOMPARE(errorKindOf(w), ErrorKind::Format);
        }
        {
            GgufWriter w = baseWriter();
            w.add("tokenizer.ggml.bos_token_id", MetaValue::string("1"));
            QCOMPARE(errorKindOf(w), ErrorKind::Format);
        }
        {
            GgufWriter w;
            w.add("tokenizer.ggml.model", MetaValue::string("llama"));
            w.add("tokenizer.ggml.tokens", MetaValue::strings({}));
            QCOMPARE(errorKindOf(w), ErrorKind::Format);
        }
    }

    void hasVocabularyTellsFilesApart() {
        const std::vector<std::uint8_t> with = baseWriter().bytes();
        QVERIFY(hasVocabulary(GgufFile::fromBytes(with, "with.gguf")));
        GgufWriter w;
        w.add("general.architecture", MetaValue::string("test"));
        const std::vector<std::uint8_t> without = w.bytes();
        QVERIFY(!hasVocabulary(GgufFile::fromBytes(without, "without.gguf")));
    }
};

QTEST_GUILESS_MAIN(TestVocabularyGguf)
#include "test_vocabulary_gguf.moc"
