// `atelier-cli render-template` as tests and users run it: the exact prompt on stdout (no
// newline added), templates from a file or from a GGUF model (with its BOS/EOS), --date for
// strftime_now, exit 1 with the template's message when it raises, exit 2 on bad usage.
#include "inference/chat/jinja/json.hpp"
#include "tests/support/cli_run.hpp"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <sstream>

using atelier::jinja::Value;

namespace {

using Result = atelier::testing::CliRun;

Result runCli(const QStringList& args) {
    return atelier::testing::runCli(QStringList{"render-template"} + args);
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const Value& field(const Value& dict, const char* key) {
    const Value* v = dict.dictData().find(key);
    if (!v) qFatal("missing field %s", key);
    return *v;
}

QByteArray bytes(const std::string& s) {
    return QByteArray(s.data(), static_cast<qsizetype>(s.size()));
}

const char* const kTemplates = ATELIER_SHARED_TESTDATA "/templates/";

} // namespace

class TestCliRenderTemplate : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    QString writeTemp(const QString& name, const std::string& content) {
        QString path = dir_.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
        f.write(bytes(content));
        return path;
    }

    QString messagesFile(const QString& name, const Value& messages) {
        return writeTemp(name, atelier::jinja::toJson(messages));
    }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    // The reference cases of ../shared/testdata/templates through the CLI, byte for byte.
    void referenceCases() {
        const std::string json = readFile(std::string(kTemplates) + "expected.json");
        if (json.empty()) QSKIP("no shared template test data");
        Value doc = atelier::jinja::parseJson(json);
        int checked = 0;
        for (const auto& [name, cases] : field(doc, "expected").dictData().entries) {
            for (const auto& [caseName, expected] : cases.dictData().entries) {
                const Value& c = field(field(doc, "cases"), caseName.str().c_str());
                QStringList args = {
                    "--template",
                    QString::fromStdString(kTemplates + name.str() + ".jinja"),
                    "--messages",
                    messagesFile(QString::fromStdString(caseName.str()) + ".json", field(c, "messag"
                                                                                            "es")),
                    "--bos-token",
                    QString::fromStdString(field(doc, "bos_token").str()),
                    "--eos-token",
                    QString::fromStdString(field(doc, "eos_token").str()),
                    "--date",
                    QString::fromStdString(field(doc, "date").str())};
                if (atelier::jinja::truthy(field(c, "add_generation_prompt")))
                    args << "--add-generation-prompt";
                const Result r = runCli(args);
                const std::string label = name.str() + "/" + caseName.str();
                QCOMPARE(r.status, QProcess::NormalExit);
                if (atelier::jinja::truthy(field(expected, "ok"))) {
                    QVERIFY2(r.exitCode == 0, (label + ": " + r.err.toStdString()).c_str());
                    QVERIFY2(r.out == bytes(field(expected, "text").str()), label.c_str());
                } else {
                    QVERIFY2(r.exitCode == 1, label.c_str());
                    QVERIFY(r.out.isEmpty());
                    QVERIFY2(!r.err.isEmpty(), label.c_str());
                }
                ++checked;
            }
        }
        QVERIFY(checked >= 33);
    }

    void raisingTemplateExitsWithItsMessage() {
        const QString gemma = QString(kTemplates) + "google-gemma-2-2b-it.jinja";
        if (!QFile::exists(gemma)) QSKIP("no shared template test data");
        const QString messages = writeTemp(
            "sys.json",
            R"([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}])");
        Result r = runCli({"--template", gemma, "--messages", messages, "--add-generation-prompt"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains("System role not supported"), r.err.constData());
        // With --merge-system-on-error the system text goes in front of the first user turn.
        r = runCli({"--template", gemma, "--messages", messages, "--add-generation-prompt",
                    "--merge-system-on-error", "--bos-token", "<bos>"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(
            r.out,
            QByteArray(
                "<bos><start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\n"));
    }

    void dateFeedsStrftimeNow() {
        const QString llama = QString(kTemplates) + "meta-llama-Llama-3.2-3B-Instruct.jinja";
        if (!QFile::exists(llama)) QSKIP("no shared template test data");
        const QString messages =
            writeTemp("user.json", R"({"messages": [{"role": "user", "content": "Hi"}]})");
        Result r = runCli({"--template", llama, "--messages", messages, "--date", "2024-02-29"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("Today Date: 29 Feb 2024\n"));
        QVERIFY(!r.out.endsWith("\n\n")); // nothing added after the prompt
        QCOMPARE(
            runCli({"--template", llama, "--messages", messages, "--date", "2024-02-30"}).exitCode,
            2);
        QCOMPARE(
            runCli({"--template", llama, "--messages", messages, "--date", "yesterday"}).exitCode,
            2);
        r = runCli({"--template", llama, "--messages", messages}); // default: today
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("Today Date: "));
    }

    // {"messages": [...], "tools": [...]}: the other keys become variables, as tools do in
    // apply_chat_template; compared with the reference's rendering of the same conversation.
    void objectFormPassesTools() {
        const Value fixtures = atelier::jinja::parseJson(
            readFile(ATELIER_SOURCE_DIR "/tests/inference/chat/fixtures/real_templates.json"));
        for (const Value& c : field(fixtures, "cases").items()) {
            if (field(c, "name").str() != "Qwen-Qwen2.5-7B-Instruct/tools_and_calls") continue;
            const QString path =
                QString(kTemplates) + QString::fromStdString(field(c, "template_file").str());
            if (!QFile::exists(path)) QSKIP("no shared template test data");
            const Value& vars = field(c, "variables");
            atelier::jinja::DictData input;
            input.set(Value("messages"), field(vars, "messages"));
            input.set(Value("tools"), field(vars, "tools"));
            const QString messages =
                writeTemp("tools.json", atelier::jinja::toJson(Value::dict(input)));
            const Result r =
                runCli({"--template", path, "--messages", messages, "--add-generation-prompt"});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QCOMPARE(r.out, bytes(field(c, "text").str()));
            return;
        }
        QFAIL("fixture case missing");
    }

    // -m: the template, BOS and EOS come from the model (reference renderings made from the
    // same GGUF files); a model without a template gets ChatML.
    void modelFiles() {
        const Value fixtures = atelier::jinja::parseJson(
            readFile(ATELIER_SOURCE_DIR "/tests/inference/chat/fixtures/model_templates.json"));
        int checked = 0;
        for (const Value& c : field(fixtures, "cases").items()) {
            const QString model = QString(ATELIER_SHARED_TESTDATA "/vocab/") +
                                  QString::fromStdString(field(c, "model_file").str());
            if (!QFile::exists(model)) QSKIP("no shared vocabulary files");
            const Value& vars = field(c, "variables");
            QStringList args = {"-m", model, "--messages",
                                messagesFile("model.json", field(vars, "messages"))};
            const bool generation = atelier::jinja::truthy(field(vars, "add_generation_prompt"));
            if (generation) args << "--add-generation-prompt";
            const Result r = runCli(args);
            QVERIFY2(r.exitCode == 0, r.err.constData());
            if (atelier::jinja::truthy(field(c, "has_template"))) {
                QCOMPARE(r.out, bytes(field(c, "text").str()));
            } else {
                std::string chatml;
                for (const Value& m : field(vars, "messages").items())
                    chatml += "<|im_start|>" + field(m, "role").str() + "\n" +
                              field(m, "content").str() + "<|im_end|>\n";
                if (generation) chatml += "<|im_start|>assistant\n";
                QCOMPARE(r.out, bytes(chatml));
            }
            ++checked;
        }
        QVERIFY(checked > 0);
        // --bos-token overrides the model's.
        const QString phi = ATELIER_SHARED_TESTDATA "/vocab/ggml-vocab-phi-3.gguf";
        const Result r = runCli({"-m", phi, "--messages",
                                 writeTemp("hi.json", R"([{"role": "user", "content": "Hi"}])"),
                                 "--bos-token", "[BOS]"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.startsWith("[BOS]"));
    }

    void badInput() {
        const QString messages = writeTemp("ok.json", R"([{"role": "user", "content": "Hi"}])");
        const QString tmpl = writeTemp("t.jinja", "{{ messages[0].content }}");
        Result r = runCli({"--template", tmpl, "--messages", messages});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("Hi"));
        QCOMPARE(runCli({"--template", tmpl}).exitCode, 2);     // no --messages
        QCOMPARE(runCli({"--messages", messages}).exitCode, 2); // no template
        QCOMPARE(runCli({"--template", tmpl, "-m", tmpl, "--messages", messages}).exitCode,
                 2); // both
        QCOMPARE(runCli({"--template", tmpl, "--messages", messages, "--bogus"}).exitCode, 2);
        r = runCli({"--template", dir_.filePath("missing.jinja"), "--messages", messages});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("missing.jinja"));
        r = runCli({"--template", tmpl, "--messages", writeTemp("bad.json", "[{\"role\": ")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("bad.json"));
        r = runCli({"--template", writeTemp("syntax.jinja", "{% if %}"), "--messages", messages});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("line 1"));
        r = runCli({"-m", tmpl, "--messages", messages}); // not a GGUF file
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.status, QProcess::NormalExit);
        r = runCli({"--template",
                    writeTemp("loop.jinja", "{% for i in range(100000) %}{% for j in range(100000) "
                                            "%}{% endfor %}{% endfor %}"),
                    "--messages", messages});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("loop iterations"));
    }
};

QTEST_GUILESS_MAIN(TestCliRenderTemplate)
#include "test_cli_render_template.moc"
