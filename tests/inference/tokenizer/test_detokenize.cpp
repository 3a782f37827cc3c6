// Detokenization with the real vocabularies: decode(encode(x)) == x where the tokenizer is
// lossless (byte-level BPE always; SentencePiece with byte fallback too), and the streaming
// decoder, which must hand out exactly the same text but only ever complete UTF-8.
#include "inference/gguf/gguf_file.hpp"
#include "inference/tokenizer/stream_decoder.hpp"
#include "inference/tokenizer/tokenizer.hpp"
#include "inference/tokenizer/utf8.hpp"
#include "inference/util/error.hpp"
#include "inference/util/utf8_decode.hpp"
#include "small_vocabs.hpp"

#include <QFile>
#include <QtTest>
#include <random>

using namespace atelier;
using namespace atelier::tokenizer;

namespace {

const QString kVocabDir = QStringLiteral(ATELIER_SHARED_TESTDATA "/vocab");

std::optional<Tokenizer> loadShared(const QString& name) {
    const QString path = kVocabDir + "/" + name;
    if (!QFile::exists(path)) return std::nullopt;
    return Tokenizer::fromGguf(gguf::GgufFile::open(path.toStdString()));
}

std::vector<std::string> sharedInputs() {
    QFile f(kVocabDir + "/ggml-vocab-gpt-2.gguf.inp");
    std::vector<std::string> inputs;
    if (!f.open(QIODevice::ReadOnly)) return inputs;
    const QByteArray all = f.readAll();
    for (const QByteArray& part : all.split('\n'))
        if (part != "__ggml_vocab_test__") inputs.emplace_back(part.constData(), part.size());
    inputs.push_back(all.toStdString()); // the whole file as one text, newlines and all
    return inputs;
}

std::vector<std::string> extraInputs() {
    std::vector<std::string> inputs = {
        "",
        " ",
        "  leading and trailing  ",
        "\xF0\x9F\xA6\x99 llama \xE2\x9C\x85 caf\xC3\xA9 \xE6\x88\x91",
        "tab\tnew\nline\r\n",
        std::string("nul\0byte", 8),
        "bad \xFF\xFE utf8 \xC3",
        // Control-token text without special parsing is plain text; phi-3's "</s>" is a
        // user-defined token (always split out) that takes the space after it, and SentencePiece
        // puts that space back in front of the next word.
        "<s> and </s> and <|endoftext|> as plain text",
    };
    std::mt19937 rng(1234);
    for (int i = 0; i < 20; ++i) {
        std::string s(1 + rng() % 64, '\0');
        for (char& c : s) c = static_cast<char>(rng() % 256);
        inputs.push_back(s);
    }
    return inputs;
}

EncodeOptions plain() {
    EncodeOptions o;
    o.addBos = false;
    o.addEos = false;
    return o;
}

std::string streamed(const Tokenizer& tok, const std::vector<TokenId>& ids, bool& allValid) {
    StreamingDecoder decoder(tok);
    std::string out;
    allValid = true;
    for (TokenId id : ids) {
        const std::string chunk = decoder.push(id);
        allValid = allValid && utf8::isValid(chunk);
        out += chunk;
    }
    const std::string rest = decoder.finish();
    allValid = allValid && utf8::isValid(rest);
    return out + rest;
}

// What a stream shows for a byte string: the valid parts as they are, every malformed byte as
// U+FFFD.
std::string replacingInvalid(const std::string& bytes) {
    std::string out;
    for (std::size_t pos = 0; pos < bytes.size();) {
        const std::size_t n = utf8SequenceLength(bytes, pos);
        if (n == 0) {
            utf8::append(out, utf8::kReplacement);
            ++pos;
        } else {
            out.append(bytes, pos, n);
            pos += n;
        }
    }
    return out;
}

} // namespace

class TestDetokenize : public QObject {
    Q_OBJECT

private slots:
    void roundTrip_data() {
        QTest::addColumn<QString>("vocab");
        QTest::newRow("gpt-2") << "ggml-vocab-gpt-2.gguf";
        QTest::newRow("llama-spm") << "ggml-vocab-llama-spm.gguf";
        QTest::newRow("phi-3") << "ggml-vocab-phi-3.gguf";
    }

    void roundTrip() {
        QFETCH(QString, vocab);
        const auto tok = loadShared(vocab);
        if (!tok) QSKIP("shared vocabulary missing");
        std::vector<std::string> inputs = sharedInputs();
        for (auto& s : extraInputs()) inputs.push_back(s);
        for (const std::string& text : inputs) {
            const std::vector<TokenId> ids = tok->encode(text, plain());
            QCOMPARE(QByteArray::fromStdString(tok->decode(ids)), QByteArray::fromStdString(text));
            // With BOS (hidden when decoding) the text is the same.
            EncodeOptions bos;
            bos.addBos = true;
            QCOMPARE(QByteArray::fromStdString(tok->decode(tok->encode(text, bos))),
                     QByteArray::fromStdString(text));
            bool valid = false;
            QCOMPARE(QByteArray::fromStdString(streamed(*tok, ids, valid)),
                     QByteArray::fromStdString(replacingInvalid(text)));
            QVERIFY(valid);
        }
    }

    void wordPieceDecodesWords() {
        const auto tok = loadShared("ggml-vocab-bert-bge.gguf");
        if (!tok) QSKIP("shared vocabulary missing");
        const std::vector<TokenId> ids = tok->encode("Hello, unaffable World!");
        QCOMPARE(tok->decode(ids), std::string("hello , unaffable world !"));
    }

    void streamHoldsBackSplitCharacters() {
        // Byte-level BPE without merges: every byte is its own token.
        const Vocabulary v = test::smallBpe({});
        const Tokenizer tok(v);
        const std::string llama = "\xF0\x9F\xA6\x99"; // U+1F999, four bytes
        const std::vector<TokenId> ids = tok.encode("a" + llama + "\xC3\xA9", plain());
        QCOMPARE(ids.size(), std::size_t(7));
        StreamingDecoder d(tok);
        QCOMPARE(d.push(ids[0]), std::string("a"));
        QCOMPARE(d.push(ids[1]), std::string());
        QCOMPARE(d.push(ids[2]), std::string());
        QCOMPARE(d.push(ids[3]), std::string());
        QCOMPARE(d.pendingBytes(), std::size_t(3));
        QCOMPARE(d.push(ids[4]), llama);
        QCOMPARE(d.push(ids[5]), std::string());
        QCOMPARE(d.push(ids[6]), std::string("\xC3\xA9"));
        QCOMPARE(d.finish(), std::string());
    }

    void streamReplacesBytesThatCannotComplete() {
        const Tokenizer tok(test::smallBpe({}));
        StreamingDecoder d(tok);
        const std::string replacement = "\xEF\xBF\xBD";
        // A stray continuation byte can never become a character: replaced at once.
        QCOMPARE(d.push(tok.encode("\x80", plain())[0]), replacement);
        // A lead byte followed by something that is not a continuation byte.
        QCOMPARE(d.push(tok.encode("\xE2", plain())[0]), std::string());
        QCOMPARE(d.push(tok.encode("x", plain())[0]), replacement + "x");
        // An unfinished character at the end of the stream.
        QCOMPARE(d.push(tok.encode("\xF0", plain())[0]), std::string());
        QCOMPARE(d.push(tok.encode("\x9F", plain())[0]), std::string());
        QCOMPARE(d.finish(), replacement + replacement);
        // After finish the stream starts over.
        QCOMPARE(d.push(tok.encode("z", plain())[0]), std::string("z"));
    }

    void streamStripsSentencePieceSpaceOnce() {
        const auto tok = loadShared("ggml-vocab-llama-spm.gguf");
        if (!tok) QSKIP("shared vocabulary missing");
        const std::vector<TokenId> ids = tok->encode("Hi there \xF0\x9F\xA6\x99!"); // BOS first
        StreamingDecoder d(*tok);
        std::string out;
        for (TokenId id : ids) out += d.push(id);
        out += d.finish();
        QCOMPARE(out, std::string("Hi there \xF0\x9F\xA6\x99!"));
        QVERIFY_THROWS_EXCEPTION(atelier::Error, d.push(-1));
    }
};

QTEST_GUILESS_MAIN(TestDetokenize)
#include "test_detokenize.moc"
