// `atelier-cli tokenize` and `detokenize` as a user runs them: raw bytes in, ids on one line
// out, and back to the very same bytes; bad ids and missing options are errors, not crashes.
#include "tests/support/cli_run.hpp"

#include <QFile>
#include <QtTest>

namespace {

const QString kVocabDir = QStringLiteral(ATELIER_SHARED_TESTDATA "/vocab");

using Result = atelier::testing::CliRun;
using atelier::testing::runCli;

QString vocab(const char* name) {
    return kVocabDir + "/" + name;
}

} // namespace

class TestCliTokenize : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        if (!QFile::exists(vocab("ggml-vocab-gpt-2.gguf"))) QSKIP("no shared vocabulary files");
    }

    void tokenizePrintsIdsOnOneLine() {
        const Result r = runCli({"tokenize", "-m", vocab("ggml-vocab-gpt-2.gguf")}, "Hello world");
        QCOMPARE(r.status, QProcess::NormalExit);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.out, QByteArray("15496 995\n"));
    }

    void tokenizeKeepsEveryByte() {
        // Trailing newline and spaces are part of the input; nothing is trimmed.
        const Result r =
            runCli({"tokenize", "-m", vocab("ggml-vocab-gpt-2.gguf")}, " Hello world!\n");
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("18435 995 0 198\n"));
        const Result empty = runCli({"tokenize", "-m", vocab("ggml-vocab-gpt-2.gguf")}, "");
        QCOMPARE(empty.exitCode, 0);
        QCOMPARE(empty.out, QByteArray("\n"));
    }

    void tokenizeFlags() {
        const QString spm = vocab("ggml-vocab-llama-spm.gguf");
        QCOMPARE(runCli({"tokenize", "-m", spm}, "Hello world").out, QByteArray("15043 3186\n"));
        QCOMPARE(runCli({"tokenize", "-m", spm, "--add-bos"}, "Hello world").out,
                 QByteArray("1 15043 3186\n"));
        // Without --parse-special "<s>" is text; with it, the BOS token.
        const QByteArray asText = runCli({"tokenize", "-m", spm}, "<s>").out;
        QVERIFY(!asText.startsWith("1 ") && asText != "1\n");
        QCOMPARE(runCli({"tokenize", "-m", spm, "--parse-special"}, "<s>").out, QByteArray("1\n"));
    }

    void roundTripIsExact_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("gpt-2") << "ggml-vocab-gpt-2.gguf";
        QTest::newRow("llama-spm") << "ggml-vocab-llama-spm.gguf";
        QTest::newRow("phi-3") << "ggml-vocab-phi-3.gguf";
    }

    void roundTripIsExact() {
        QFETCH(QString, file);
        const QString path = kVocabDir + "/" + file;
        QByteArray text("  caf\xC3\xA9 \xF0\x9F\xA6\x99\tline\r\n\x00 raw \xFF\xFE bytes \n\n", 39);
        const Result ids = runCli({"tokenize", "-m", path}, text);
        QCOMPARE(ids.exitCode, 0);
        const Result back = runCli({"detokenize", "-m", path}, ids.out);
        QVERIFY2(back.exitCode == 0, back.err.constData());
        QCOMPARE(back.out, text);
    }

    void detokenizeAcceptsAnyWhitespace() {
        const Result r =
            runCli({"detokenize", "-m", vocab("ggml-vocab-gpt-2.gguf")}, "  15496\n\t995 \r\n");
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("Hello world"));
    }

    void badIdsFail_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::newRow("too large") << QByteArray("15496 50257");
        QTest::newRow("negative") << QByteArray("-1");
        QTest::newRow("not a number") << QByteArray("15496 hello");
        QTest::newRow("overflow") << QByteArray("99999999999999999999999");
    }

    void badIdsFail() {
        QFETCH(QByteArray, input);
        const Result r = runCli({"detokenize", "-m", vocab("ggml-vocab-gpt-2.gguf")}, input);
        QCOMPARE(r.status, QProcess::NormalExit);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(!r.err.isEmpty());
    }

    void usageAndFileErrors() {
        const Result noModel = runCli({"tokenize"}, "x");
        QCOMPARE(noModel.status, QProcess::NormalExit);
        QCOMPARE(noModel.exitCode, 2);
        const Result missing = runCli({"tokenize", "-m", "/nonexistent/model.gguf"}, "x");
        QCOMPARE(missing.status, QProcess::NormalExit);
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("model.gguf"));
        const Result unknownFlag =
            runCli({"detokenize", "-m", vocab("ggml-vocab-gpt-2.gguf"), "--bogus"}, "1");
        QCOMPARE(unknownFlag.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCliTokenize)
#include "test_cli_tokenize.moc"
