// The three tokenizer algorithms on hand-made vocabularies, where the expected ids follow from
// the rules: SentencePiece merge order and byte fallback, BPE ranks and the byte alphabet,
// WordPiece normalization and greedy matching, special tokens and BOS/EOS handling.
#include "inference/tokenizer/tokenizer.hpp"
#include "inference/util/error.hpp"
#include "small_vocabs.hpp"

#include <QtTest>

using namespace atelier;
using namespace atelier::tokenizer;
using namespace atelier::tokenizer::test;

namespace {

using Ids = std::vector<TokenId>;

EncodeOptions plain() {
    EncodeOptions o;
    o.addBos = false;
    o.addEos = false;
    return o;
}

QByteArray show(const Ids& ids) {
    QByteArray s;
    for (TokenId id : ids) s += " " + QByteArray::number(id);
    return s;
}

} // namespace

class TestTokenizerModels : public QObject {
    Q_OBJECT

private slots:
    void spmMergesByScore() {
        const Vocabulary v = smallSpm();
        const Tokenizer tok(v);
        // "▁abc": "bc" (-1) beats "ab" (-2), then "▁a" (-3); "▁abc" is no token.
        const Ids expected = {idOf(v, "\xE2\x96\x81"
                                      "a"),
                              idOf(v, "bc")};
        QCOMPARE(show(tok.encode("abc", plain())), show(expected));
    }

    void spmTiesGoLeftmost() {
        Vocabulary v = smallSpm();
        v.addSpacePrefix = false;
        const Tokenizer tok(v);
        QCOMPARE(show(tok.encode("aaa", plain())), show({idOf(v, "aa"), idOf(v, "a")}));
    }

    void spmByteFallback() {
        const Vocabulary v = smallSpm();
        const Tokenizer tok(v);
        // "é" has no piece: its two UTF-8 bytes become <0xC3> <0xA9>.
        const Ids expected = {idOf(v, "\xE2\x96\x81"), idOf(v, "<0xC3>"), idOf(v, "<0xA9>")};
        QCOMPARE(show(tok.encode("\xC3\xA9", plain())), show(expected));
        // Invalid UTF-8 falls back byte by byte too, so it survives a round trip.
        const std::string bad = "a\xFF\xC3";
        QCOMPARE(tok.decode(tok.encode(bad, plain())), bad);
    }

    void spmSpacesAndPrefix() {
        Vocabulary v = smallSpm();
        const Tokenizer tok(v);
        const TokenId sp = idOf(v, "\xE2\x96\x81");
        const TokenId sp2 = idOf(v, "\xE2\x96\x81\xE2\x96\x81");
        QCOMPARE(show(tok.encode(" ", plain())), show({sp2}));
        QCOMPARE(show(tok.encode("", plain())), show({}));
        QCOMPARE(tok.decode(tok.encode(" a  b", plain())), std::string(" a  b"));

        v.addSpacePrefix = false;
        const Tokenizer noPrefix(v);
        QCOMPARE(show(noPrefix.encode(" ", plain())), show({sp}));
        QCOMPARE(noPrefix.decode(noPrefix.encode("ab c", plain())), std::string("ab c"));
    }

    void spmRemovesExtraWhitespaceWhenAsked() {
        Vocabulary v = smallSpm();
        v.removeExtraWhitespaces = true;
        const Tokenizer tok(v);
        QCOMPARE(show(tok.encode("  a   b  ", plain())), show(tok.encode("a b", plain())));
    }

    void bosEosFromMetadataAndPerCall() {
        Vocabulary v = smallSpm();
        const Tokenizer tok(v);
        QVERIFY(tok.addsBosByDefault()); // SentencePiece's default
        QVERIFY(!tok.addsEosByDefault());
        const Ids body = tok.encode("a", plain());
        Ids withBos = body;
        withBos.insert(withBos.begin(), *v.bos);
        QCOMPARE(show(tok.encode("a")), show(withBos));
        EncodeOptions both;
        both.addBos = true;
        both.addEos = true;
        Ids full = withBos;
        full.push_back(*v.eos);
        QCOMPARE(show(tok.encode("a", both)), show(full));

        v.addBos = false;
        v.addEos = true;
        const Tokenizer flags(v);
        Ids withEos = body;
        withEos.push_back(*v.eos);
        QCOMPARE(show(flags.encode("a")), show(withEos));

        v.bos.reset();
        const Tokenizer noBos(v);
        EncodeOptions askBos;
        askBos.addBos = true;
        QVERIFY_THROWS_EXCEPTION(atelier::Error, noBos.encode("a", askBos));
    }

    void specialTokensOnlyWhenAsked() {
        const Vocabulary v = smallSpm();
        const Tokenizer tok(v);
        const Ids asText = tok.encode("<s>", plain());
        QVERIFY(std::find(asText.begin(), asText.end(), *v.bos) == asText.end());
        EncodeOptions parse = plain();
        parse.parseSpecial = true;
        // A special token ends a text run; the next run gets SentencePiece's space again.
        const Ids parsed = tok.encode("<s>a", parse);
        QCOMPARE(show(parsed), show({*v.bos, idOf(v, "\xE2\x96\x81"
                                                     "a")}));
        // User-defined tokens are always split out.
        QCOMPARE(show(tok.encode("<sep>", plain())), show({idOf(v, "<sep>")}));
    }

    void specialTokensLeftmostLongest() {
        Vocabulary v = smallSpm();
        const TokenId im = addToken(v, "<|im|>", TokenType::Control);
        const TokenId imStart = addToken(v, "<|im|>start", TokenType::Control);
        const Tokenizer tok(v);
        EncodeOptions parse = plain();
        parse.parseSpecial = true;
        QCOMPARE(show(tok.encode("<|im|>start<|im|>", parse)), show({imStart, im}));
    }

    void phi3SpecialTokensTakeTheFollowingWhitespace() {
        Vocabulary v = smallSpm();
        const TokenId end = addToken(v, "<|end|>", TokenType::Control);
        EncodeOptions parse = plain();
        parse.parseSpecial = true;
        const Tokenizer generic(v);
        const Ids kept = generic.encode("<|end|>\na", parse);
        QCOMPARE(kept.front(), end);
        QVERIFY(kept.size() > 2); // the newline is still there (as byte tokens)
        v.name = "Phi3";
        const Tokenizer phi3(v);
        QCOMPARE(show(phi3.encode("<|end|>\n a", parse)), show({end, idOf(v, "\xE2\x96\x81"
                                                                             "a")}));
        // <s> keeps what follows, as in the model's configuration.
        QCOMPARE(show(phi3.encode("<s>  a", parse)),
                 show({*v.bos, idOf(v, "\xE2\x96\x81\xE2\x96\x81"),
                       idOf(v, "\xE2\x96\x81"
                               "a")}));
    }

    void endOfGenerationTokens() {
        Vocabulary v = smallSpm();
        const TokenId imEnd = addToken(v, "<|im_end|>", TokenType::Control);
        addToken(v, "<|im_start|>", TokenType::Control);
        const TokenId plainText = addToken(v, "<end_of_turn>"); // a normal token: not an end
        const Tokenizer tok(v);
        QVERIFY(tok.isEndOfGeneration(*v.eos));
        QVERIFY(tok.isEndOfGeneration(imEnd));
        QVERIFY(!tok.isEndOfGeneration(plainText));
        QVERIFY(!tok.isEndOfGeneration(*v.bos));
        QCOMPARE(tok.endOfGeneration().size(), std::size_t(2));
    }

    void decodeHidesControlTokensUnlessAsked() {
        const Vocabulary v = smallSpm();
        const Tokenizer tok(v);
        const Ids ids = tok.encode("abc"); // with BOS
        QCOMPARE(tok.decode(ids), std::string("abc"));
        DecodeOptions render;
        render.renderSpecial = true;
        QCOMPARE(tok.decode(ids, render), std::string("<s> abc"));
        QVERIFY(tok.isControl(*v.bos));
        const Ids bad = {5, 100000};
        QVERIFY_THROWS_EXCEPTION(atelier::Error, tok.decode(bad));
    }

    void bpeMergesByRank() {
        // "e l" outranks "h e": "hel" -> "h" "el" (there is no "h el" merge).
        const Vocabulary v = smallBpe({"e l", "h e", "he l"});
        const Tokenizer tok(v);
        QCOMPARE(show(tok.encode("hel", plain())), show({idOf(v, "h"), idOf(v, "el")}));
        const Vocabulary w = smallBpe({"h e", "e l", "he l"});
        const Tokenizer tok2(w);
        QCOMPARE(show(tok2.encode("hel", plain())), show({idOf(w, "hel")}));
    }

    void bpeByteAlphabet() {
        const Vocabulary v = smallBpe({"\xC4\xA0 w", "\xC4\xA0w o"}); // "Ġ w", "Ġw o"
        const Tokenizer tok(v);
        // The space before "wo" is the byte-alphabet "Ġ" and merges with it.
        QCOMPARE(show(tok.encode("a wo", plain())), show({idOf(v, "a"), idOf(v, "\xC4\xA0wo")}));
        // Any bytes, valid UTF-8 or not, round-trip.
        std::string all;
        for (int b = 0; b < 256; ++b) all += char(b);
        QCOMPARE(tok.decode(tok.encode(all, plain())), all);
    }

    void bpeLongWordIsMergedLikeShortOnes() {
        // Words past the linear-scan limit go through the heap; both must merge lowest rank
        // first, leftmost first: n x "ab" pair up left to right, and the odd "ab" at the end
        // joins the last "abab".
        const Vocabulary v = smallBpe({"a b", "ab ab", "abab ab"});
        const Tokenizer tok(v);
        const TokenId abab = idOf(v, "abab"), ababab = idOf(v, "ababab");
        for (int pairs : {5, 21, 41, 201}) {
            std::string word;
            for (int i = 0; i < pairs; ++i) word += "ab";
            Ids expected(std::size_t(pairs / 2 - 1), abab);
            expected.push_back(ababab);
            QCOMPARE(show(tok.encode(word, plain())), show(expected));
        }
    }

    void bpeIgnoreMergesPreset() {
        // llama3 presets look up a whole pre-token first ("ignore_merges").
        Vocabulary v = smallBpe({"a b", "b c"}, "llama-bpe");
        addToken(v, "abc"); // reachable only as a whole word
        const Tokenizer tok(v);
        QCOMPARE(show(tok.encode("abc", plain())), show({idOf(v, "abc")}));
        QVERIFY(tok.addsBosByDefault());
        const Vocabulary w = smallBpe({"a b", "b c"}, "gpt-2");
        Vocabulary w2 = w;
        addToken(w2, "abc");
        const Tokenizer merging(w2);
        QCOMPARE(show(merging.encode("abc", plain())), show({idOf(w2, "ab"), idOf(w2, "c")}));
    }

    void bpeUnknownPreTokenizerFallsBackWithNote() {
        const Vocabulary v = smallBpe({}, "no-such-pre");
        const Tokenizer tok(v);
        QCOMPARE(tok.preTokenizer(), std::string("default"));
        QCOMPARE(tok.notes().size(), std::size_t(1));
        QVERIFY(tok.notes()[0].find("no-such-pre") != std::string::npos);
        const Tokenizer known(smallBpe({}, "qwen2"));
        QVERIFY(known.notes().empty());
    }

    void wordPieceNormalizesAndMatchesGreedily_data() {
        QTest::addColumn<bool>("hashConvention");
        QTest::newRow("gguf-spelling") << false;
        QTest::newRow("bert-spelling") << true;
    }

    void wordPieceNormalizesAndMatchesGreedily() {
        QFETCH(bool, hashConvention);
        const Vocabulary v = smallWpm(hashConvention);
        const Tokenizer tok(v);
        const std::string w = hashConvention ? "" : "\xE2\x96\x81";
        const std::string c = hashConvention ? "##" : "";
        // Lowercase, accents stripped (Café -> cafe), punctuation and CJK split off, a
        // zero-width joiner (a format character) removed, unknown words -> [UNK].
        const Ids ids = tok.encode(
            "Hello,WORLD! Unaffable Caf\xC3\xA9\xE4\xB8\xAD zz he\xE2\x80\x8Dllo", plain());
        const Ids expected = {idOf(v, w + "hello"),        idOf(v, w + ","),
                              idOf(v, w + "world"),        idOf(v, w + "!"),
                              idOf(v, w + "un"),           idOf(v, c + "aff"),
                              idOf(v, c + "able"),         idOf(v, w + "cafe"),
                              idOf(v, w + "\xE4\xB8\xAD"), *v.unk,
                              idOf(v, w + "hello")};
        QCOMPARE(show(ids), show(expected));
        QCOMPARE(tok.decode(ids), std::string("hello , world ! unaffable cafe \xE4\xB8\xAD hello"));
        // [CLS] ... [SEP] by default.
        const Ids framed = tok.encode("hello");
        QCOMPARE(show(framed), show({*v.cls, idOf(v, w + "hello"), *v.sep}));
    }

    void wordPieceLongWordIsUnknown() {
        const Vocabulary v = smallWpm(false);
        const Tokenizer tok(v);
        QCOMPARE(show(tok.encode(std::string(100, 'a'), plain())).count(" "), 100);
        QCOMPARE(show(tok.encode(std::string(101, 'a'), plain())), show({*v.unk}));
    }

    void rejectsBrokenVocabularies() {
        Vocabulary empty;
        QVERIFY_THROWS_EXCEPTION(atelier::Error, Tokenizer{empty});
        Vocabulary v = smallSpm();
        v.scores.pop_back();
        QVERIFY_THROWS_EXCEPTION(atelier::Error, Tokenizer{v});
        Vocabulary w = smallSpm();
        w.bos = 999999;
        QVERIFY_THROWS_EXCEPTION(atelier::Error, Tokenizer{w});
    }
};

QTEST_GUILESS_MAIN(TestTokenizerModels)
#include "test_tokenizer_models.moc"
