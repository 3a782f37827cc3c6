// Our interpreter against real Jinja2: fixtures/jinja_snippets.json (one feature per case) and
// fixtures/real_templates.json (the shared real chat templates with tools, tool calls and
// reasoning) and fixtures/template_styles.json (templates in the style of published ones on
// several conversations) were rendered by tools/chat_template_fixtures/generate.py with the
// reference library set up as Hugging Face sets it up. Every ok case must match byte for byte;
// every case the reference failed on must fail here too.
#include "inference/chat/jinja/globals.hpp"
#include "inference/chat/jinja/json.hpp"
#include "inference/chat/jinja/template.hpp"
#include "inference/util/error.hpp"

#include <QtTest>
#include <fstream>
#include <sstream>

using namespace atelier;
using jinja::Value;

namespace {

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const Value& field(const Value& dict, const char* key) {
    const Value* v = dict.dictData().find(key);
    if (!v) qFatal("fixture: missing field %s", key);
    return *v;
}

Value loadFixture(const char* name) {
    return jinja::parseJson(
        readFile(std::string(ATELIER_SOURCE_DIR "/tests/inference/chat/fixtures/") + name));
}

void addRows(const char* fixture) {
    QTest::addColumn<int>("index");
    Value doc = loadFixture(fixture);
    const auto& cases = field(doc, "cases").items();
    QVERIFY(!cases.empty());
    for (std::size_t i = 0; i < cases.size(); ++i)
        QTest::newRow(field(cases[i], "name").str().c_str()) << static_cast<int>(i);
}

void runCase(const char* fixture, int index) {
    Value doc = loadFixture(fixture);
    const Value& c = field(doc, "cases").items()[static_cast<std::size_t>(index)];
    std::string source;
    if (const Value* file = c.dictData().find("template_file")) {
        source = readFile(ATELIER_SHARED_TESTDATA "/templates/" + file->str());
        if (source.empty()) QSKIP("no shared template test data");
    } else {
        source = field(c, "template").str();
    }
    jinja::DateTime when{2026, 1, 15, 9, 5, 7};
    jinja::Variables vars = {{"raise_exception", jinja::makeRaiseException()},
                             {"strftime_now", jinja::makeStrftimeNow(when)}};
    for (const auto& [k, v] : field(c, "variables").dictData().entries)
        vars.emplace_back(k.str(), v);

    std::string rendered, error;
    try {
        rendered = jinja::Template(source).render(vars);
    } catch (const Error& e) {
        error = e.what();
    }
    const std::string expected = field(c, "text").str();
    if (jinja::truthy(field(c, "ok"))) {
        QVERIFY2(error.empty(), error.c_str());
        if (rendered != expected) {
            qWarning("expected: %s", jinja::reprString(expected).c_str());
            qWarning("rendered: %s", jinja::reprString(rendered).c_str());
        }
        QVERIFY(rendered == expected);
    } else {
        QVERIFY2(!error.empty(), ("rendered " + jinja::reprString(rendered) +
                                  " although the reference failed: " + expected)
                                     .c_str());
    }
}

} // namespace

class TestJinjaFixtures : public QObject {
    Q_OBJECT

private slots:
    void snippets_data() { addRows("jinja_snippets.json"); }
    void snippets() {
        QFETCH(int, index);
        runCase("jinja_snippets.json", index);
    }
    void templateStyles_data() { addRows("template_styles.json"); }
    void templateStyles() {
        QFETCH(int, index);
        runCase("template_styles.json", index);
    }
    void realTemplates_data() { addRows("real_templates.json"); }
    void realTemplates() {
        QFETCH(int, index);
        runCase("real_templates.json", index);
    }
};

QTEST_APPLESS_MAIN(TestJinjaFixtures)
#include "test_jinja_fixtures.moc"
