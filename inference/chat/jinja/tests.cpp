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

// value % n as Python computes it (Jinja2's odd, even and divisibleby are written that way).
Value pythonMod(Interpreter& in, const Value& v, const Value& n) {
    if (v.isUndefined()) fail(v.undefinedHint());
    if (v.isString()) return Value(percentFormat(in, v.str(), n));
    if (!v.isNumber() || !n.isNumber())
        fail("unsupported operand type(s) for %: '" + v.typeName() + "' and '" + n.typeName() +
             "'");
    if (n.asDouble() == 0) fail("integer division or modulo by zero");
    if (v.isFloat() || n.isFloat()) {
        double m = std::fmod(v.asDouble(), n.asDouble());
        if (m != 0 && ((m < 0) != (n.asDouble() < 0))) m += n.asDouble();
        return Value(m);
    }
    std::int64_t y = n.asInt();
    if (y == -1) return Value(std::int64_t{0});
    std::int64_t m = v.asInt() % y;
    if (m != 0 && ((m < 0) != (y < 0))) m += y;
    return Value(m);
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
        t["sequence"] =
            TEST(return v.isUndefined() || v.isString() || v.isPlainList() || v.isDict(););
        t["callable"] = TEST(return v.isCallable(););
        t["odd"] =
            TEST(return equals(pythonMod(in, v, Value(std::int64_t{2})), Value(std::int64_t{1})););
        t["even"] =
            TEST(return equals(pythonMod(in, v, Value(std::int64_t{2})), Value(std::int64_t{0})););
        t["divisibleby"] = TEST(
            return equals(pythonMod(in, v, arg("divisibleby", args)), Value(std::int64_t{0})););
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
