// Conformance against the reference tokenizers: every *.gguf in the shared vocab folder with
// .inp/.out vectors is tokenized case by case (no BOS, no special-token parsing) and compared
// with the expected ids exactly. Every mismatch is reported with its input and both id lists.
#include "inference/gguf/gguf_file.hpp"
#include "inference/tokenizer/tokenizer.hpp"

#include <QDir>
#include <QFile>
#include <QtTest>
#include <string>
#include <vector>

using namespace atelier::tokenizer;

namespace {

const QString kVocabDir = QStringLiteral(ATELIER_SHARED_TESTDATA "/vocab");

std::string readAll(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    const QByteArray bytes = f.readAll();
    return std::string(bytes.constData(), std::size_t(bytes.size()));
}

// Inputs are separated by "\n__ggml_vocab_test__\n". A file may end with that separator (then
// nothing follows it) or with the last input plus one "\n" that is not part of it.
std::vector<std::string> splitInputs(const std::string& text) {
    static const std::string sep = "\n__ggml_vocab_test__\n";
    std::vector<std::string> inputs;
    std::size_t start = 0;
    for (std::size_t pos = text.find(sep); pos != std::string::npos; pos = text.find(sep, start)) {
        inputs.push_back(text.substr(start, pos - start));
        start = pos + sep.size();
    }
    std::string last = text.substr(start);
    if (!last.empty()) {
        if (last.back() == '\n') last.pop_back();
        inputs.push_back(last);
    }
    return inputs;
}

std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t pos = text.find('\n'); pos != std::string::npos;
         pos = text.find('\n', start)) {
        lines.push_back(text.substr(start, pos - start));
        start = pos + 1;
    }
    if (start < text.size()) lines.push_back(text.substr(start));
    return lines;
}

// The .out format: each id preceded by one space.
std::string formatIds(const std::vector<TokenId>& ids) {
    std::string s;
    for (TokenId id : ids) s += " " + std::to_string(id);
    return s;
}

std::string printable(const std::string& text) {
    std::string s;
    for (unsigned char c : text) {
        if (c == '\n')
            s += "\\n";
        else if (c == '\t')
            s += "\\t";
        else if (c == '\r')
            s += "\\r";
        else if (c < 0x20)
            s += "\\x" + QByteArray(1, char(c)).toHex().toStdString();
        else
            s += char(c);
    }
    return "\"" + s + "\"";
}

} // namespace

class TestVocabConformance : public QObject {
    Q_OBJECT

private slots:
    void vocabularies_data() {
        QTest::addColumn<QString>("path");
        const QStringList files =
            QDir(kVocabDir).entryList({QStringLiteral("*.gguf")}, QDir::Files, QDir::Name);
        int withVectors = 0;
        for (const QString& name : files) {
            const QString path = kVocabDir + "/" + name;
            if (!QFile::exists(path + ".inp") || !QFile::exists(path + ".out")) continue;
            QTest::newRow(qPrintable(name)) << path;
            ++withVectors;
        }
        if (withVectors == 0) QTest::newRow("no-vocabularies") << QString();
    }

    void vocabularies() {
        QFETCH(QString, path);
        QVERIFY2(!path.isEmpty(), qPrintable("no *.gguf with .inp/.out in " + kVocabDir));
        const auto file = atelier::gguf::GgufFile::open(path.toStdString());
        const Tokenizer tokenizer = Tokenizer::fromGguf(file);

        const std::vector<std::string> inputs = splitInputs(readAll(path + ".inp"));
        const std::vector<std::string> expected = splitLines(readAll(path + ".out"));
        QVERIFY2(!inputs.empty(), "no test inputs");
        QCOMPARE(inputs.size(), expected.size());

        EncodeOptions options;
        options.addBos = false;
        options.addEos = false;
        options.parseSpecial = false;
        std::string report;
        int failures = 0;
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            const std::string got = formatIds(tokenizer.encode(inputs[i], options));
            if (got == expected[i]) continue;
            ++failures;
            report += "\n  case " + std::to_string(i) + " input " + printable(inputs[i]) +
                      "\n    expected:" + expected[i] + "\n    got:     " + got;
        }
        qInfo("%s: %d of %d cases match", qPrintable(QFileInfo(path).fileName()),
              int(inputs.size()) - failures, int(inputs.size()));
        QVERIFY2(failures == 0, qPrintable(QString::number(failures) +
                                           " mismatches:" + QString::fromStdString(report)));
    }
};

QTEST_GUILESS_MAIN(TestVocabConformance)
#include "test_vocab_conformance.moc"
