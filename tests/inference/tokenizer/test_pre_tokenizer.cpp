// The regex pre-tokenizers: every preset compiles and covers its input exactly, and the
// characteristic splits of the common presets come out as their models' tokenizers make them.
#include "inference/tokenizer/pre_tokenizer.hpp"
#include "inference/util/error.hpp"

#include <QtTest>

using namespace atelier::tokenizer;

namespace {

QStringList splitWith(const std::string& pre, const std::string& text) {
    const PreTokenizerPreset preset = preTokenizerPreset(pre);
    const RegexSplitter splitter(preset.patterns);
    std::vector<std::string_view> pieces;
    splitter.split(text, pieces);
    QStringList out;
    for (std::string_view p : pieces) out << QString::fromUtf8(p.data(), qsizetype(p.size()));
    return out;
}

// Mixed scripts, digits, contractions, whitespace runs, emoji and symbols.
const std::string kSample = "Hello, y'all! I'M  12345 caf\xC3\xA9 \xD0\x91\xD1\x8A\xD0\xBB "
                            "\xE6\x88\x91\xE6\x83\xB3 \xF0\x9F\x98\x81?!\n\n\t x<=y $5 ...   end ";

} // namespace

class TestPreTokenizer : public QObject {
    Q_OBJECT

private slots:
    void everyPresetCompilesAndCoversItsInput() {
        for (const std::string& name : knownPreTokenizers()) {
            const PreTokenizerPreset preset = preTokenizerPreset(name);
            QVERIFY2(preset.known, name.c_str());
            QVERIFY(!preset.patterns.empty());
            const RegexSplitter splitter(preset.patterns);
            std::vector<std::string_view> pieces;
            splitter.split(kSample, pieces);
            std::string joined;
            for (std::string_view p : pieces) {
                QVERIFY2(!p.empty(), name.c_str());
                joined.append(p);
            }
            QVERIFY2(joined == kSample, name.c_str());
        }
    }

    void requiredPresetsAreKnown() {
        for (const char* name :
             {"default", "llama3", "llama-bpe", "qwen2", "gpt-2", "deepseek-llm", "deepseek-coder",
              "falcon", "starcoder", "mpt", "refact", "smollm", "tekken", "olmo", "command-r"})
            QVERIFY2(preTokenizerPreset(name).known, name);
        QVERIFY(!preTokenizerPreset("made-up").known);
        QCOMPARE(preTokenizerPreset("made-up").name, std::string("default"));
        QVERIFY(preTokenizerPreset("").known); // old files without the key: default, knowingly
    }

    void gpt2() {
        QCOMPARE(splitWith("gpt-2", "Hello world's  12345!!"),
                 (QStringList{"Hello", " world", "'s", " ", " 12345", "!!"}));
        QCOMPARE(splitWith("gpt-2", "a\n\n b"), (QStringList{"a", "\n\n", " b"}));
    }

    void llama3GroupsDigitsByThreeAndIgnoresCase() {
        QCOMPARE(splitWith("llama-bpe", "12345 I'M"), (QStringList{"123", "45", " I", "'M"}));
        QCOMPARE(splitWith("llama3", "x\n\ny"), (QStringList{"x", "\n\n", "y"}));
    }

    void qwen2SplitsSingleDigits() {
        QCOMPARE(splitWith("qwen2", "v123"), (QStringList{"v", "1", "2", "3"}));
    }

    void starcoderFamilySplitsDigitsFirst() {
        QCOMPARE(splitWith("starcoder", " 2024"), (QStringList{" ", "2", "0", "2", "4"}));
    }

    void tekkenSplitsCamelCase() {
        QCOMPARE(splitWith("tekken", "HelloWorld"), (QStringList{"Hello", "World"}));
    }

    void deepseekCoderSeparatesCjk() {
        QCOMPARE(splitWith("deepseek-coder", "ab\xE6\x88\x91\xE6\x83\xB3"),
                 (QStringList{"ab", "\xE6\x88\x91\xE6\x83\xB3"}));
    }

    void falconSplitsDigitsOnByteLevelText() {
        // Hugging Face runs Falcon's Digits step on byte-level text, where the second byte of
        // "\xC2\xBD" (1/2) stands for a numeric character.
        const PreTokenizerPreset preset = preTokenizerPreset("falcon");
        const RegexSplitter splitter(preset.patterns);
        std::vector<std::string_view> pieces;
        splitter.split(" 12345\xC2\xBD", pieces);
        const std::vector<std::string_view> expected = {" ", "123", "45", "\xC2", "\xBD"};
        QVERIFY(pieces == expected);
    }

    void invalidUtf8BytesStandAlone() {
        QCOMPARE(splitWith("gpt-2", "ab\xFF"
                                    "cd"),
                 (QStringList{"ab", "\xFF", "cd"}));
    }

    void longWhitespaceRunDoesNotFail() {
        const std::string text = std::string(200000, ' ') + "x";
        const QStringList pieces = splitWith("gpt-2", text);
        QCOMPARE(pieces.size(), 2);
        QCOMPARE(pieces.back(), QString(" x"));
    }

    void badPatternIsAnError() {
        QVERIFY_THROWS_EXCEPTION(atelier::Error, RegexSplitter({"(unclosed"}));
    }
};

QTEST_GUILESS_MAIN(TestPreTokenizer)
#include "test_pre_tokenizer.moc"
