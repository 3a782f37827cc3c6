// Jinja2's filters on single values: text (trim, replace, upper, title, indent, ...), numbers
// (int, float, round, abs), default, tojson as Hugging Face defines it, and the rest.
// Filters over sequences live in filters_collections.cpp.
#include "inference/chat/jinja/builtins.hpp"
#include "inference/chat/jinja/error.hpp"
#include "inference/chat/jinja/interpreter.hpp"
#include "inference/chat/jinja/json.hpp"
#include "inference/chat/jinja/utf8.hpp"

#include <cfenv>
#include <cmath>

namespace atelier::jinja {
namespace {

std::string text(const Value& v) {
    return toStr(v);
}

// Jinja2's title filter: capitalise the first letter of every word, words being separated by
// whitespace, "-", "(", "{", "[" or "<"; lower-case the rest.
std::string titleFilter(const std::string& s) {
    std::string out;
    bool wordStart = true;
    for (std::size_t pos = 0; pos < s.size();) {
        std::size_t start = pos;
        char32_t cp = utf8::next(s, pos);
        std::string one = s.substr(start, pos - start);
        bool separator =
            utf8::isSpace(cp) || cp == '-' || cp == '(' || cp == '{' || cp == '[' || cp == '<';
        if (separator) {
            out += one;
            wordStart = true;
        } else {
            out += wordStart ? utf8::toUpper(one) : utf8::toLower(one);
            wordStart = false;
        }
    }
    return out;
}

std::string htmlEscape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&#34;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::vector<std::string> splitLines(const std::string& s) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\n' && s[i] != '\r') continue;
        lines.push_back(s.substr(start, i - start));
        if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
        start = i + 1;
    }
    if (start < s.size()) lines.push_back(s.substr(start));
    return lines;
}

Value tojson(Interpreter& in, const Value& v, const CallArgs& args) {
    // Hugging Face's signature: tojson(x, ensure_ascii=False, indent=None, separators=None,
    // sort_keys=False)
    ArgReader r("tojson", args, {"ensure_ascii", "indent", "separators", "sort_keys"});
    JsonFormat f;
    f.ensureAscii = truthy(r.get(0, Value(false)));
    Value indent = r.get(1, Value::none());
    if (indent.isString())
        f.indent = indent.str();
    else if (indent.isInt() || indent.isBool())
        f.indent =
            std::string(static_cast<std::size_t>(std::max<std::int64_t>(0, indent.asInt())), ' ');
    else if (!indent.isNone())
        fail("tojson: indent must be an integer or a string");
    if (f.indent) f.itemSeparator = ",";
    Value seps = r.get(2, Value::none());
    if (!seps.isNone()) {
        if (!seps.isList() || seps.items().size() != 2 || !seps.items()[0].isString() ||
            !seps.items()[1].isString())
            fail("tojson: separators must be a pair of strings");
        f.itemSeparator = seps.items()[0].str();
        f.keySeparator = seps.items()[1].str();
    }
    f.sortKeys = truthy(r.get(3, Value(false)));
    std::string out = toJson(v, f);
    in.checkStringSize(out.size());
    return Value(std::move(out));
}

Value roundFilter(Interpreter&, const Value& v, const CallArgs& args) {
    ArgReader r("round", args, {"precision", "method"});
    std::int64_t precision = r.get(0, Value(std::int64_t{0})).asInt();
    std::string method = text(r.get(1, Value("common")));
    if (!v.isNumber()) fail("round: a number is required, not " + v.typeName());
    if (method != "common" && method != "ceil" && method != "floor")
        fail("method must be common, ceil or floor");
    double scale = std::pow(10.0, static_cast<double>(precision));
    double x = v.asDouble() * scale;
    double rounded = method == "ceil"    ? std::ceil(x)
                     : method == "floor" ? std::floor(x)
                                         : std::nearbyint(x);
    if (method == "common" && (v.isInt() || v.isBool())) return Value(v.asInt());
    return Value(rounded / scale);
}

Value indentFilter(Interpreter& in, const Value& v, const CallArgs& args) {
    ArgReader r("indent", args, {"width", "first", "blank"});
    Value width = r.get(0, Value(std::int64_t{4}));
    std::string indention =
        width.isString()
            ? width.str()
            : std::string(static_cast<std::size_t>(std::max<std::int64_t>(0, width.asInt())), ' ');
    bool first = truthy(r.get(1, Value(false)));
    bool blank = truthy(r.get(2, Value(false)));
    if (!v.isString()) fail("indent: a string is required, not " + v.typeName());
    std::vector<std::string> lines = splitLines(v.str() + "\n");
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i > 0) {
            out += "\n";
            if (blank || !lines[i].empty()) out += indention;
        }
        out += lines[i];
        in.checkStringSize(out.size());
    }
    if (first) out = indention + out;
    return Value(std::move(out));
}

Value truncateFilter(Interpreter&, const Value& v, const CallArgs& args) {
    ArgReader r("truncate", args, {"length", "killwords", "end", "leeway"});
    if (!v.isString()) fail("truncate: a string is required, not " + v.typeName());
    std::string s = text(v);
    std::int64_t length = r.get(0, Value(std::int64_t{255})).asInt();
    bool killwords = truthy(r.get(1, Value(false)));
    std::string end = text(r.get(2, Value("...")));
    std::int64_t leeway = r.get(3, Value(std::int64_t{5})).asInt();
    std::vector<std::string> chars = utf8::characters(s);
    auto n = static_cast<std::int64_t>(chars.size());
    auto endLen = static_cast<std::int64_t>(utf8::length(end));
    if (length < endLen)
        fail("expected length >= " + std::to_string(endLen) + ", got " + std::to_string(length));
    if (n <= length + leeway) return Value(s);
    std::string kept;
    for (std::int64_t i = 0; i < length - endLen; ++i) kept += chars[static_cast<std::size_t>(i)];
    if (killwords) return Value(kept + end);
    std::size_t space = kept.rfind(' ');
    if (space != std::string::npos) kept.resize(space);
    return Value(kept + end);
}

} // namespace

const FilterTable& filters() {
    static const FilterTable table = [] {
        FilterTable t;
        t["tojson"] = tojson;
        t["trim"] = FILTER({
            ArgReader r("trim", args, {"chars"});
            Value chars = r.get(0, Value::none());
            std::string set = chars.isNone() ? std::string() : text(chars);
            return Value(utf8::strip(text(v), chars.isNone() ? nullptr : &set, true, true));
        });
        t["string"] = FILTER(ArgReader r("string", args, {}); return Value(text(v)););
        t["safe"] =
            FILTER(ArgReader r("safe", args, {}); return v.isString() ? v : Value(text(v)););
        t["escape"] = FILTER(ArgReader r("escape", args, {}); return Value(htmlEscape(text(v))););
        t["e"] = t["escape"];
        t["forceescape"] = t["escape"];
        t["lower"] = FILTER(ArgReader r("lower", args, {}); return Value(utf8::toLower(text(v))););
        t["upper"] = FILTER(ArgReader r("upper", args, {}); return Value(utf8::toUpper(text(v))););
        t["capitalize"] =
            FILTER(ArgReader r("capitalize", args, {}); return Value(utf8::capitalize(text(v))););
        t["title"] = FILTER(ArgReader r("title", args, {}); return Value(titleFilter(text(v))););
        t["replace"] = FILTER({
            ArgReader r("replace", args, {"old", "new", "count"});
            Value count = r.get(2, Value::none());
            std::string out =
                replaceString(text(v), text(r.get(0, Value())), text(r.get(1, Value())),
                              count.isNone() ? -1 : count.asInt());
            in.checkStringSize(out.size());
            return Value(std::move(out));
        });
        t["default"] = FILTER({
            ArgReader r("default", args, {"default_value", "boolean"});
            bool boolean = truthy(r.get(1, Value(false)));
            if (v.isUndefined() || (boolean && !truthy(v))) return r.get(0, Value(""));
            return v;
        });
        t["d"] = t["default"];
        t["int"] = FILTER({
            ArgReader r("int", args, {"default", "base"});
            Value base = r.get(1, Value(std::int64_t{10}));
            if (v.isString() && base.asInt() != 10) {
                std::string s = utf8::strip(v.str(), nullptr, true, true);
                char* end = nullptr;
                long long n = std::strtoll(s.c_str(), &end, static_cast<int>(base.asInt()));
                if (!s.empty() && end == s.c_str() + s.size())
                    return Value(static_cast<std::int64_t>(n));
                return r.get(0, Value(std::int64_t{0}));
            }
            if (auto n = toInt(v)) return Value(*n);
            if (auto d = toFloat(v)) {
                if (auto n = toInt(Value(*d))) return Value(*n);
            }
            return r.get(0, Value(std::int64_t{0}));
        });
        t["float"] = FILTER({
            ArgReader r("float", args, {"default"});
            if (auto d = toFloat(v)) return Value(*d);
            return r.get(0, Value(0.0));
        });
        t["abs"] = FILTER({
            ArgReader r("abs", args, {});
            if (v.isFloat()) return Value(std::fabs(v.asDouble()));
            if (v.isInt() || v.isBool()) {
                if (v.asInt() == INT64_MIN) fail("integer overflow");
                return Value(v.asInt() < 0 ? -v.asInt() : v.asInt());
            }
            fail("bad operand type for abs(): '" + v.typeName() + "'");
        });
        t["round"] = roundFilter;
        t["indent"] = indentFilter;
        t["truncate"] = truncateFilter;
        t["center"] = FILTER({
            ArgReader r("center", args, {"width"});
            CallArgs inner;
            inner.positional.push_back(r.get(0, Value(std::int64_t{80})));
            Value method = *boundMethod(Value(text(v)), "center"); // Jinja2 converts to str
            return in.call(method, inner);
        });
        t["wordcount"] = FILTER({
            ArgReader r("wordcount", args, {});
            std::string s = text(v);
            std::int64_t words = 0;
            bool inWord = false;
            for (std::size_t pos = 0; pos < s.size();) {
                char32_t cp = utf8::next(s, pos);
                bool wordChar = utf8::isAlpha(cp) || utf8::isDigit(cp) || cp == '_';
                if (wordChar && !inWord) ++words;
                inWord = wordChar;
            }
            return Value(words);
        });
        t["format"] = FILTER({
            if (!args.named.empty() && !args.positional.empty())
                fail("can't handle positional and keyword arguments at the same time");
            if (!args.named.empty()) {
                DictData d;
                for (const auto& [k, val] : args.named) d.set(Value(k), val);
                return Value(percentFormat(in, text(v), Value::dict(std::move(d))));
            }
            return Value(percentFormat(in, text(v), Value::tuple(args.positional)));
        });
        t["pprint"] = FILTER(ArgReader r("pprint", args, {}); return Value(repr(v)););
        t["attr"] = FILTER({
            ArgReader r("attr", args, {"name"});
            std::string name = text(r.get(0, Value()));
            if (v.isObject()) {
                if (auto a = v.obj()->attribute(name)) return *a;
            } else if (auto m = boundMethod(v, name)) {
                return *m;
            }
            return Value::undefined("'" + v.typeName() + " object' has no attribute '" + name +
                                    "'");
        });
        addCollectionFilters(t);
        return t;
    }();
    return table;
}

Value Interpreter::applyFilter(const std::string& name, const Value& input, CallArgs& args) {
    auto it = filters().find(name);
    if (it == filters().end()) fail("no filter named '" + name + "'");
    return it->second(*this, input, args);
}

} // namespace atelier::jinja
