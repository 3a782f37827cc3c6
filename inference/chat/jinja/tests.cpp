// Jinja2's tests ("x is defined", "x is divisibleby 3", ...), with Python's type rules:
// bool counts as a number but not as an integer, undefined is iterable and empty.
#include "inference/chat/jinja/builtins.hpp"
#include "inference/chat/jinja/error.hpp"
#include "inference/chat/jinja/interpreter.hpp"
#include "inference/chat/jinja/utf8.hpp"

#include <cmath>

namespace atelier::jinja {
namespace {

Value arg(const std::string& test, const CallArgs& args) {
    ArgReader r(test, args, {"other"});
    auto v = r.get(0);
    if (!v) fail("test '" + test + "' needs an argument");
    return *v;
}

std::int64_t integerFor(const std::string& test, const Value& v) {
    if (v.isUndefined()) fail(v.undefinedHint());
    if (!v.isInt() && !v.isBool())
        fail("test '" + test + "' needs an integer, not " + v.typeName());
    return v.asInt();
}

bool compareTest(Interpreter&, const Value& a, const Value& b, const char* op) {
    std::string o(op);
    if (o == "==") return equals(a, b);
    if (o == "!=") return !equals(a, b);
    if (a.isUndefined()) fail(a.undefinedHint());
    if (b.isUndefined()) fail(b.undefinedHint());
    int c = compare(a, b);
    return o == "<" ? c < 0 : o == "<=" ? c <= 0 : o == ">" ? c > 0 : c >= 0;
}

bool caseTest(const Value& v, bool upper) {
    std::string s = toStr(v);
    bool anyCased = false;
    for (std::size_t pos = 0; pos < s.size();) {
        char32_t cp = utf8::next(s, pos);
        if (upper ? utf8::isLower(cp) : utf8::isUpper(cp)) return false;
        anyCased = anyCased || utf8::isCased(cp);
    }
    return anyCased;
}

#define TEST(...)                                                                                  \
    [](Interpreter& in, const Value& v, const CallArgs& args) -> bool {                            \
        (void)in;                                                                                  \
        (void)v;                                                                                   \
        (void)args;                                                                                \
        __VA_ARGS__                                                                                \
    }

} // namespace

const std::unordered_map<std::string, TestFn>& tests() {
    static const std::unordered_map<std::string, TestFn> table = [] {
        std::unordered_map<std::string, TestFn> t;
        t["defined"] = TEST(return !v.isUndefined(););
        t["undefined"] = TEST(return v.isUndefined(););
        t["none"] = TEST(return v.isNone(););
        t["boolean"] = TEST(return v.isBool(););
        t["true"] = TEST(return v.isBool() && v.asBool(););
        t["false"] = TEST(return v.isBool() && !v.asBool(););
        t["integer"] = TEST(return v.isInt(););
        t["float"] = TEST(return v.isFloat(););
        t["number"] = TEST(return v.isNumber(););
        t["string"] = TEST(return v.isString(););
        t["mapping"] = TEST(return v.isDict(););
        t["iterable"] = TEST(return v.isUndefined() || v.isString() || v.isList() || v.isDict(););
        t["sequence"] = TEST(return v.isUndefined() || v.isString() || v.isList() || v.isDict(););
        t["callable"] = TEST(return v.isCallable(););
        t["odd"] = TEST(return integerFor("odd", v) % 2 != 0;);
        t["even"] = TEST(return integerFor("even", v) % 2 == 0;);
        t["divisibleby"] = TEST({
            Value n = arg("divisibleby", args);
            std::int64_t d = integerFor("divisibleby", n);
            if (d == 0) fail("integer division or modulo by zero");
            if (v.isFloat()) return std::fmod(v.asDouble(), static_cast<double>(d)) == 0;
            return integerFor("divisibleby", v) % d == 0;
        });
        t["eq"] = TEST(return compareTest(in, v, arg("eq", args), "=="););
        t["equalto"] = t["eq"];
        t["=="] = t["eq"];
        t["ne"] = TEST(return compareTest(in, v, arg("ne", args), "!="););
        t["!="] = t["ne"];
        t["lt"] = TEST(return compareTest(in, v, arg("lt", args), "<"););
        t["lessthan"] = t["lt"];
        t["<"] = t["lt"];
        t["le"] = TEST(return compareTest(in, v, arg("le", args), "<="););
        t["<="] = t["le"];
        t["gt"] = TEST(return compareTest(in, v, arg("gt", args), ">"););
        t["greaterthan"] = t["gt"];
        t[">"] = t["gt"];
        t["ge"] = TEST(return compareTest(in, v, arg("ge", args), ">="););
        t[">="] = t["ge"];
        t["in"] = TEST(return in.contains(arg("in", args), v););
        t["sameas"] = TEST({
            Value other = arg("sameas", args);
            if (v.kind() != other.kind()) return false;
            switch (v.kind()) {
            case Value::Kind::List:
                return &v.items() == &other.items();
            case Value::Kind::Dict:
                return &v.dictData() == &other.dictData();
            case Value::Kind::Object:
                return v.obj() == other.obj();
            case Value::Kind::Callable:
                return v.fn() == other.fn();
            default:
                return equals(v, other);
            }
        });
        t["lower"] = TEST(return caseTest(v, false););
        t["upper"] = TEST(return caseTest(v, true););
        t["escaped"] = TEST(return false;);
        t["filter"] = TEST(return filters().count(toStr(arg("filter", args))) != 0;);
        t["test"] = TEST(return tests().count(toStr(arg("test", args))) != 0;);
        return t;
    }();
    return table;
}

bool Interpreter::applyTest(const std::string& name, const Value& input, CallArgs& args) {
    auto it = tests().find(name);
    if (it == tests().end()) fail("no test named '" + name + "'");
    return it->second(*this, input, args);
}

} // namespace atelier::jinja
