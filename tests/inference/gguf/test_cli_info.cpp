// `atelier-cli info` as a user runs it: JSON for valid files, exit 1 with a message on stderr
// for broken ones.
#include "inference/gguf/gguf_writer.hpp"
#include "raw_gguf.hpp"
#include "tests/support/cli_run.hpp"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace atelier::gguf;
using atelier::gguf::test::RawGguf;

namespace {

using Result = atelier::testing::CliRun;
using atelier::testing::runCli;

} // namespace

class TestCliInfo : public QObject {
    Q_OBJECT

private slots:
    void vocabularyFile() {
        const QString path = QStringLiteral(ATELIER_SHARED_TESTDATA "/vocab/ggml-vocab-gpt-2.gguf");
        if (!QFile::exists(path)) QSKIP("no shared vocabulary files");
        const Result r = runCli({"info", "-m", path});
        QCOMPARE(r.status, QProcess::NormalExit);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
        QVERIFY2(doc.isObject(), qPrintable(error.errorString()));
        const QJsonObject o = doc.object();
        QCOMPARE(o["architecture"].toString(), QString("gpt2"));
        QCOMPARE(o["name"].toString(), QString("gpt-2"));
        QCOMPARE(o["tokenizer"].toString(), QString("gpt2"));
        QCOMPARE(o["pre_tokenizer"].toString(), QString("gpt-2"));
        QCOMPARE(o["vocab_size"].toInteger(), 50257);
        QCOMPARE(o["context_length"].toInteger(), 1024);
        QCOMPARE(o["has_chat_template"].toBool(), false);
        QCOMPARE(o["parameter_count"].toInteger(), 0);
        QCOMPARE(o["tensor_count"].toInteger(), 0);
        QVERIFY(o["tensor_types"].isObject() && o["tensor_types"].toObject().isEmpty());
        QCOMPARE(o["file_size"].toInteger(), QFileInfo(path).size());
        QCOMPARE(o["gguf_version"].toInteger(), 3);
        QCOMPARE(o["alignment"].toInteger(), 32);
    }

    void chatTemplateFlag() {
        const QString path = QStringLiteral(ATELIER_SHARED_TESTDATA "/vocab/ggml-vocab-phi-3.gguf");
        if (!QFile::exists(path)) QSKIP("no shared vocabulary files");
        const Result r = runCli({"info", "-m", path});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["has_chat_template"].toBool(), true);
        QCOMPARE(o["tokenizer"].toString(), QString("llama"));
        QCOMPARE(o["vocab_size"].toInteger(), 32064);
    }

    void modelWithTensors() {
        QTemporaryDir dir;
        GgufWriter w;
        w.add("general.architecture", MetaValue::string("qwen2"));
        w.add("qwen2.context_length", MetaValue::u64(32768));
        w.setAlignment(64);
        w.addTensor("a", {64, 4}, TensorType::Q4_0, std::vector<std::uint8_t>(8 * 18));
        w.addTensor("b", {256}, TensorType::Q4_0, std::vector<std::uint8_t>(8 * 18));
        w.addTensor("c", {10, 3}, TensorType::F32, std::vector<std::uint8_t>(120));
        const QString path = dir.filePath("m.gguf");
        w.write(path.toStdString());
        const Result r = runCli({"info", "-m", path});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["architecture"].toString(), QString("qwen2"));
        QVERIFY(o["name"].isNull());
        QVERIFY(o["tokenizer"].isNull());
        QVERIFY(o["pre_tokenizer"].isNull());
        QVERIFY(o["vocab_size"].isNull());
        QCOMPARE(o["context_length"].toInteger(), 32768);
        QCOMPARE(o["parameter_count"].toInteger(), 256 + 256 + 30);
        QCOMPARE(o["tensor_count"].toInteger(), 3);
        QCOMPARE(o["alignment"].toInteger(), 64);
        const QJsonObject types = o["tensor_types"].toObject();
        QCOMPARE(types.size(), 2);
        QCOMPARE(types["Q4_0"].toInt(), 2);
        QCOMPARE(types["F32"].toInt(), 1);
    }

    void brokenFilesFail_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        GgufWriter w;
        w.add("general.architecture", MetaValue::string("llama"));
        w.addTensor("blk.3.attn_q.weight", {32, 4}, TensorType::Q8_0,
                    std::vector<std::uint8_t>(4 * 34));
        const auto valid = w.bytes();
        auto bytesOf = [](const std::vector<std::uint8_t>& v) {
            return QByteArray(reinterpret_cast<const char*>(v.data()), static_cast<int>(v.size()));
        };
        QTest::newRow("truncated data")
            << bytesOf(valid).left(static_cast<qsizetype>(valid.size()) - 30)
            << "tensor blk.3.attn_q.weight runs past the end of the file";
        QTest::newRow("truncated header")
            << bytesOf(valid).left(80) << "the name of tensor info 0 claims 19 bytes";
        QTest::newRow("garbage") << QByteArray("this is not a model at all\n") << "not a GGUF file";
        QTest::newRow("empty") << QByteArray() << "empty";
        QTest::newRow("absurd count")
            << bytesOf(RawGguf().header(0, std::uint64_t{1} << 60).bytes) << "more than the file";
        QTest::newRow("unknown type")
            << bytesOf(RawGguf().header(1, 0).tensor("t", {8}, 77, 0).padTo(32).zeros(32).bytes)
            << "unknown tensor type 77";
        QTest::newRow("version 1") << bytesOf(RawGguf().header(0, 0, 1).bytes) << "version 1";
    }

    void brokenFilesFail() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString path = dir.filePath("model.gguf");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        const Result r = runCli({"info", "-m", path});
        QCOMPARE(r.status, QProcess::NormalExit);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains(path), qPrintable(err));
        QVERIFY2(err.contains(message), qPrintable(err));
    }

    void missingFileAndUsage() {
        const Result missing = runCli({"info", "-m", "/nonexistent/x.gguf"});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(QString(missing.err).contains("/nonexistent/x.gguf"));
        const Result usage = runCli({"info"});
        QCOMPARE(usage.exitCode, 2);
        QVERIFY(!usage.err.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCliInfo)
#include "test_cli_info.moc"
