// The interpreter's features one at a time, its error messages, and the limits that keep a
// hostile template from hanging, crashing or eating memory. (Byte-exact agreement with Jinja2
// on many more cases is in test_jinja_fixtures.)
#include "inference/chat/jinja/error.hpp"
#include "inference/chat/jinja/globals.hpp"
#include "inference/chat/jinja/json.hpp"
#include "inference/chat/jinja/template.hpp"

#include <QtTest>

using namespace atelier;
using jinja::Value;

namespace {

std::string render(const std::string& source, const std::string& variablesJson = "{}",
                   const jinja::RenderLimits& limits = {}) {
    jinja::Variables vars = {{"raise_exception", jinja::makeRaiseException()},
                             {"strftime_now", jinja::makeStrftimeNow({2024, 7, 26, 13, 4, 5})}};
    const Value parsed = jinja::parseJson(variablesJson);
    for (const auto& [k, v] : parsed.dictData().entries) vars.emplace_back(k.str(), v);
    return jinja::Template(source).render(vars, limits);
}

// The message of the error rendering throws, or "" when it renders.
std::string errorOf(const std::string& source, const std::string& variablesJson = "{}",
                    const jinja::RenderLimits& limits = {}) {
    try {
        render(source, variablesJson, limits);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::Template) return "wrong kind: " + std::string(e.what());
        return e.what();
    }
    return "";
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

} // namespace

class TestJinjaInterpreter : public QObject {
    Q_OBJECT

private slots:
    void whitespaceControl() {
        QCOMPARE(render("{% if true %}\nA\n{% endif %}\nB"), std::string("A\nB"));
        QCOMPARE(render("    {% if true %}\nx\n    {% endif %}\n"), std::string("x\n"));
        QCOMPARE(render("a  {{- 'b' -}}  c"), std::string("abc"));
        QCOMPARE(render("a\n  {%- if true -%}\n  b\n{%- endif %}"), std::string("ab"));
        QCOMPARE(render("  {%+ if true %}x{% endif %}"), std::string("  x"));
        QCOMPARE(render("{{ 'a' }}\n{{ 'b' }}\n"),
                 std::string("a\nb")); // one trailing newline dropped
        QCOMPARE(render("a\r\nb"), std::string("a\nb"));
        QCOMPARE(render("{# comment #}\nx{# {{ not parsed }} #}"), std::string("x"));
        QCOMPARE(render("{% raw %}{{ x }}{% endraw %}"), std::string("{{ x }}"));
    }

    void loops() {
        QCOMPARE(render("{% for x in xs %}{{ loop.index }}/{{ loop.length }}{{ x }}{% if not "
                        "loop.last %},{% endif %}{% endfor %}",
                        R"({"xs": ["a", "b"]})"),
                 std::string("1/2a,2/2b"));
        QCOMPARE(render("{% for x in [] %}no{% else %}empty{% endfor %}"), std::string("empty"));
        QCOMPARE(
            render("{% for x in range(6) if x is even %}{{ x }}{{ loop.revindex }}{% endfor %}"),
            std::string("032241"));
        QCOMPARE(render("{% for x in range(9) %}{% if x > 3 %}{% break %}{% endif %}{% if x == 1 "
                        "%}{% continue %}{% endif %}{{ x }}{% endfor %}"),
                 std::string("023"));
        QCOMPARE(
            render("{% for m in ms %}{{ loop.previtem.r if loop.previtem }}>{{ m.r }};{% endfor %}",
                   R"({"ms": [{"r": "u"}, {"r": "a"}]})"),
            std::string(">u;u>a;"));
        QCOMPARE(render("{% for k, v in d | items %}{{ k }}{{ v }}{% endfor %}",
                        R"({"d": {"z": 1, "a": 2}})"),
                 std::string("z1a2")); // insertion order
        // A set inside a loop stays in the loop; a namespace carries values out.
        QCOMPARE(render("{% set n = 0 %}{% set ns = namespace(n=0) %}{% for i in [1, 2, 3] %}{% "
                        "set n = n + i %}"
                        "{% set ns.n = ns.n + i %}{% endfor %}{{ n }} {{ ns.n }}"),
                 std::string("0 6"));
    }

    void macros() {
        QCOMPARE(render("{% macro tag(name, v='x') %}<{{ name }}={{ v }}>{% endmacro %}{{ tag('a') "
                        "}}{{ tag('b', v=2) }}"),
                 std::string("<a=x><b=2>"));
        QCOMPARE(
            render(
                "{% macro box() %}[{{ caller() }}]{% endmacro %}{% call box() %}in{% endcall %}"),
            std::string("[in]"));
        QCOMPARE(render("{% filter upper %}abc{% endfilter %}"), std::string("ABC"));
        QCOMPARE(render("{% set x %}body{% endset %}{{ x | length }}"), std::string("4"));
    }

    void expressionsAndValues() {
        QCOMPARE(render("{{ [1, 'a', none, true, 1.5] }} {{ {'k': 'v'} }} {{ (1,) }}"),
                 std::string("[1, 'a', None, True, 1.5] {'k': 'v'} (1,)"));
        QCOMPARE(render("{{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 1 / 4 }} {{ 2 ** 8 }} {{ 'ab' "
                        "* 2 }} {{ 1 ~ 'x' }}"),
                 std::string("3 -4 2 0.25 256 abab 1x"));
        QCOMPARE(render("{{ 'abcdef'[::-1] }} {{ 'abcdef'[1:5:2] }} {{ [1, 2, 3][-2:] }} {{ "
                        "'ñandú'[1:] }}"),
                 std::string("fedcba bd [2, 3] andú"));
        QCOMPARE(render("{{ 'b' if x is defined else 'c' }} {{ 1 < 2 < 3 }} {{ 'a' in 'cat' }} {{ "
                        "3 not in [1] }}"),
                 std::string("c True True True"));
        QCOMPARE(render("{{ '  hi  '.strip() }}|{{ 'a,b'.split(',') }}|{{ 'x'.upper() }}|{{ "
                        "'Ab'.startswith('A') }}|{{ 'aXa'.replace('X', '-') }}"),
                 std::string("hi|['a', 'b']|X|True|a-a"));
        QCOMPARE(
            render("{{ d.get('a') }} {{ d.get('zz', 0) }} {{ d.keys() | list }} {{ d.missing }}|",
                   R"({"d": {"a": 1}})"),
            std::string("1 0 ['a'] |"));
    }

    void filters() {
        QCOMPARE(render("{{ ' x ' | trim }}|{{ [1, 2] | join(', ') }}|{{ [3, 1] | first }}|{{ [3, "
                        "1] | last }}|{{ x | default('d') }}|{{ 'abc' | length }}"),
                 std::string("x|1, 2|3|1|d|3"));
        QCOMPARE(
            render(
                "{{ ms | selectattr('role', 'equalto', 'user') | map(attribute='c') | join }}",
                R"({"ms": [{"role": "user", "c": "a"}, {"role": "bot", "c": "b"}, {"role": "user", "c": "c"}]})"),
            std::string("ac"));
        QCOMPARE(render("{{ 'héllo wörld' | title }} {{ 'ABC' | lower }} {{ [2, 1, 2] | unique | "
                        "list }} {{ [2, 3, 1] | sort }}"),
                 std::string("Héllo Wörld abc [2, 1] [1, 2, 3]"));
    }

    void tojsonLikePython() {
        QCOMPARE(
            render("{{ v | tojson }}", R"({"v": {"b": [1, 2.5, true, null], "a": "é\u0022\n"}})"),
            std::string("{\"b\": [1, 2.5, true, null], \"a\": \"é\\\"\\n\"}"));
        QCOMPARE(render("{{ v | tojson(indent=2) }}", R"({"v": {"a": [1, {}], "b": []}})"),
                 std::string("{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": []\n}"));
        QCOMPARE(render("{{ v | tojson(separators=(',', ':'), sort_keys=true) }}",
                        R"({"v": {"b": 1, "a": 2}})"),
                 std::string("{\"a\":2,\"b\":1}"));
        QCOMPARE(render("{{ [1.0, 1e-7, 1e16, 123.456] | tojson }}"),
                 std::string("[1.0, 1e-07, 1e+16, 123.456]"));
        QVERIFY(contains(errorOf("{{ missing | tojson }}"), "not JSON serializable"));
    }

    void strftime() {
        QCOMPARE(
            render("{{ strftime_now('%d %b %Y|%B %-d, %Y|%A %a|%H:%M:%S|%m/%y|%I %p|%j|%%') }}"),
            std::string("26 Jul 2024|July 26, 2024|Friday Fri|13:04:05|07/24|01 PM|208|%"));
    }

    void errors() {
        // raise_exception's message is passed on untouched (no line prefix) as a RaisedError.
        try {
            render("{{ raise_exception('Roles must alternate') }}");
            QFAIL("no error");
        } catch (const jinja::RaisedError& e) {
            QCOMPARE(std::string(e.what()), std::string("Roles must alternate"));
        }
        QCOMPARE(errorOf("line one\n{{ missing.attr }}"),
                 std::string("line 2: 'missing' is undefined"));
        QCOMPARE(errorOf("{{ d.a.b }}", R"({"d": {}})"),
                 std::string("line 1: 'dict object' has no attribute 'a'"));
        QCOMPARE(errorOf("{% for t in tools %}{% endfor %}", R"({"tools": null})"),
                 std::string("line 1: 'NoneType' object is not iterable"));
        QCOMPARE(errorOf("{{ 'a' + 1 }}"),
                 std::string("line 1: can only concatenate str (not \"int\") to str"));
        QVERIFY(contains(errorOf("{% set l = [] %}{{ l.append(1) }}"), "unsafe"));
        QVERIFY(contains(errorOf("{{ x | nope }}"), "no filter named 'nope'"));
        QVERIFY(contains(errorOf("{% if true %}"), "unexpected end of template"));
        QVERIFY(contains(errorOf("{% include 'other.jinja' %}"), "no access to other files"));
        QVERIFY(contains(errorOf("{% unknown %}"), "unknown tag 'unknown'"));
        QVERIFY(contains(errorOf("{{ 'unterminated }}"), "unterminated string"));
        QVERIFY(contains(errorOf("{{ 1 / 0 }}"), "division by zero"));
        QVERIFY(contains(errorOf("{{ 9223372036854775807 + 1 }}"), "integer overflow"));
    }

    void limits() {
        jinja::RenderLimits small;
        small.maxLoopIterations = 1000;
        small.maxOutputBytes = 10000;
        small.maxCallDepth = 50;
        small.maxCollectionItems = 5000;
        QVERIFY(contains(
            errorOf("{% for i in range(100) %}{% for j in range(100) %}{% endfor %}{% endfor %}",
                    "{}", small),
            "loop iterations"));
        QVERIFY(contains(
            errorOf("{% for i in range(999) %}xxxxxxxxxxxxxxxxxxxx{% endfor %}", "{}", small),
            "output larger"));
        QVERIFY(contains(errorOf("{{ 'x' * 1000000000000 }}", "{}", small), "output larger"));
        QVERIFY(contains(errorOf("{{ [1] * 1000000000000 }}", "{}", small), "limit"));
        QVERIFY(contains(errorOf("{{ range(1000000000000) | length }}", "{}", small), "range()"));
        QVERIFY(
            contains(errorOf("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "{}", small),
                     "nested deeper"));
        // Default limits: a runaway loop and deep nesting end in an error, not a hang or a crash.
        QVERIFY(contains(
            errorOf("{% for i in range(3000) %}{% for j in range(3000) %}{% endfor %}{% endfor %}"),
            "loop iterations"));
        QVERIFY(
            contains(errorOf("{{ " + std::string(5000, '(') + "1" + std::string(5000, ')') + " }}"),
                     "nested too deeply"));
        QVERIFY(contains(errorOf(std::string(3000, '[') + "", "{}"), "") || true);
        QVERIFY(contains(errorOf("{% set ns = namespace() %}{% set ns.self = ns %}{{ ns }}"),
                         "nested too deeply"));
        QVERIFY(!errorOf("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}").empty());
        // Values that outlive the block that made them: a clear error or a correct result.
        QVERIFY(contains(
            errorOf("{% set ns = namespace() %}{% for i in [1] %}{% macro m() %}x{% endmacro %}"
                    "{% set ns.m = m %}{% endfor %}{{ ns.m() }}"),
            "after the block that defined it ended"));
        QCOMPARE(render("{% set ns = namespace() %}{% for i in [1, 2] %}{% set ns.c = loop.cycle "
                        "%}{% endfor %}"
                        "{{ ns.c('a', 'b') }}"),
                 std::string("b"));
    }

    void jsonRoundTrip() {
        const std::string text =
            R"({"z": [1, -2, 3.5, 1e-07, true, false, null], "a": {"s": "é\u00e9\ud83d\ude00\n"}})";
        Value v = jinja::parseJson(text);
        QCOMPARE(
            jinja::toJson(v),
            std::string(
                "{\"z\": [1, -2, 3.5, 1e-07, true, false, null], \"a\": {\"s\": \"éé😀\\n\"}}"));
        QVERIFY(v.dictData().entries.front().first.str() == "z"); // key order kept
        QVERIFY(jinja::parseJson("[1]").items()[0].isInt());
        QVERIFY(jinja::parseJson("[1.0]").items()[0].isFloat());
        for (const char* bad : {"", "[1,]", "{\"a\" 1}", "[1] x", "\"\\x\"", "tru", "[\"a"}) {
            try {
                jinja::parseJson(bad);
                QFAIL(bad);
            } catch (const Error& e) {
                QCOMPARE(e.kind(), ErrorKind::Invalid);
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestJinjaInterpreter)
#include "test_jinja_interpreter.moc"
