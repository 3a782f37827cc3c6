// Python methods templates call on values: str (strip, split, startswith, replace, ...),
// dict (items, keys, values, get) and list (index, count). Methods that would change a list or
// dict exist but refuse to run, as in Hugging Face's ImmutableSandboxedEnvironment.
#include "inference/chat/jinja/builtins.hpp"
#include "inference/chat/jinja/error.hpp"
#include "inference/chat/jinja/interpreter.hpp"
#include "inference/chat/jinja/utf8.hpp"

#include <algorithm>
#include <array>

namespace atelier::jinja {

ArgReader::ArgReader(std::string function, const CallArgs& args,
                     std::initializer_list<std::string_view> names)
    : function_(std::move(function)), values_(names.size()) {
    if (args.positional.size() > names.size())
        fail(function_ + "() takes at most " + std::to_string(names.size()) + " argument" +
             (names.size() == 1 ? "" : "s") + " (" + std::to_string(args.positional.size()) +
             " given)");
    for (std::size_t i = 0; i < args.positional.size(); ++i) values_[i] = args.positional[i];
    for (const auto& [key, value] : args.named) {
        auto it = std::find(names.begin(), names.end(), key);
        if (it == names.end())
            fail(function_ + "() got an unexpected keyword argument '" + key + "'");
        auto index = static_cast<std::size_t>(it - names.begin());
        if (values_[index]) fail(function_ + "() got multiple values for argument '" + key + "'");
        values_[index] = value;
    }
}

std::optional<Value> ArgReader::get(std::size_t index) const {
    return values_[index];
}

Value ArgReader::get(std::size_t index, Value fallback) const {
    return values_[index] ? *values_[index] : std::move(fallback);
}

namespace {

std::string needString(const ArgReader& r, std::size_t i, const Value& v) {
    if (!v.isString())
        fail(r.function() + "() argument " + std::to_string(i + 1) + " must be str, not " +
             v.typeName());
    return v.str();
}

std::int64_t needInt(const ArgReader& r, const Value& v) {
    if (!v.isInt() && !v.isBool())
        fail(r.function() + "() expects an integer, not " + v.typeName());
    return v.asInt();
}

// Code point index of a byte offset (find/index results).
std::int64_t charIndex(const std::string& s, std::size_t byteOffset) {
    return static_cast<std::int64_t>(utf8::length(std::string_view(s).substr(0, byteOffset)));
}

// Byte range of s[start:end] with Python's clamping (start/end in code points).
std::pair<std::size_t, std::size_t> byteRange(const std::string& s,
                                              const std::optional<Value>& start,
                                              const std::optional<Value>& end) {
    std::vector<std::size_t> offs = utf8::offsets(s);
    auto n = static_cast<std::int64_t>(offs.size()) - 1;
    auto clamp = [&](const std::optional<Value>& v, std::int64_t dflt) {
        if (!v || v->isNone()) return dflt;
        std::int64_t x = v->asInt();
        if (x < 0) x = std::max<std::int64_t>(0, x + n);
        return std::min(x, n);
    };
    std::int64_t a = clamp(start, 0), b = clamp(end, n);
    if (b < a) b = a;
    return {offs[static_cast<std::size_t>(a)], offs[static_cast<std::size_t>(b)]};
}

std::string strFormat(Interpreter& in, const std::string& fmt, const CallArgs& args) {
    std::string out;
    std::size_t autoIndex = 0;
    for (std::size_t i = 0; i < fmt.size(); ++i) {
        char c = fmt[i];
        if (c == '}') {
            if (i + 1 < fmt.size() && fmt[i + 1] == '}')
                ++i;
            else
                fail("Single '}' encountered in format string");
            out += '}';
            continue;
        }
        if (c != '{') {
            out += c;
            continue;
        }
        if (i + 1 < fmt.size() && fmt[i + 1] == '{') {
            out += '{';
            ++i;
            continue;
        }
        std::size_t close = fmt.find('}', i);
        if (close == std::string::npos) fail("Single '{' encountered in format string");
        std::string field = fmt.substr(i + 1, close - i - 1);
        i = close;
        char conversion = 's';
        if (auto bang = field.find('!'); bang != std::string::npos) {
            if (bang + 1 < field.size()) conversion = field[bang + 1];
            field.resize(bang);
        }
        if (field.find(':') != std::string::npos)
            fail("format specifications in str.format() are not supported");
        Value v;
        if (field.empty()) {
            if (autoIndex >= args.positional.size())
                fail("Replacement index " + std::to_string(autoIndex) + " out of range");
            v = args.positional[autoIndex++];
        } else if (std::all_of(field.begin(), field.end(),
                               [](char ch) { return ch >= '0' && ch <= '9'; })) {
            std::size_t idx = std::stoul(field);
            if (idx >= args.positional.size()) fail("Replacement index " + field + " out of range");
            v = args.positional[idx];
        } else {
            auto it = std::find_if(args.named.begin(), args.named.end(),
                                   [&](const auto& kv) { return kv.first == field; });
            if (it == args.named.end()) fail("KeyError: '" + field + "'");
            v = it->second;
        }
        out += conversion == 'r' ? repr(v) : toStr(v);
        in.checkStringSize(out.size());
    }
    return out;
}

bool isUnsafeMutator(const Value& self, std::string_view name) {
    static const std::array<std::string_view, 8> listMutators = {
        "append", "clear", "extend", "insert", "pop", "remove", "reverse", "sort"};
    static const std::array<std::string_view, 5> dictMutators = {"clear", "pop", "popitem",
                                                                 "setdefault", "update"};
    if (self.isList() && !self.isTuple())
        return std::find(listMutators.begin(), listMutators.end(), name) != listMutators.end();
    if (self.isDict())
        return std::find(dictMutators.begin(), dictMutators.end(), name) != dictMutators.end();
    return false;
}

template <typename Pred> Value allChars(const std::string& s, Pred pred) {
    if (s.empty()) return Value(false);
    for (std::size_t pos = 0; pos < s.size();)
        if (!pred(utf8::next(s, pos))) return Value(false);
    return Value(true);
}

Value callStringMethod(Interpreter& in, const std::string& s, const std::string& name,
                       CallArgs& args) {
    if (name == "strip" || name == "lstrip" || name == "rstrip") {
        ArgReader r(name, args, {"chars"});
        Value chars = r.get(0, Value::none());
        std::string set;
        if (!chars.isNone()) set = needString(r, 0, chars);
        return Value(
            utf8::strip(s, chars.isNone() ? nullptr : &set, name != "rstrip", name != "lstrip"));
    }
    if (name == "split" || name == "rsplit") {
        ArgReader r(name, args, {"sep", "maxsplit"});
        Value sep = r.get(0, Value::none());
        std::optional<std::string> separator;
        if (!sep.isNone()) separator = needString(r, 0, sep);
        std::vector<Value> parts;
        for (auto& p : splitString(s, separator, needInt(r, r.get(1, Value(std::int64_t{-1}))),
                                   name == "rsplit"))
            parts.emplace_back(std::move(p));
        return Value::list(std::move(parts));
    }
    if (name == "splitlines") {
        ArgReader r(name, args, {"keepends"});
        bool keep = truthy(r.get(0, Value(false)));
        std::vector<Value> lines;
        std::size_t start = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s[i] != '\n' && s[i] != '\r') continue;
            std::size_t endOfBreak =
                (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ? i + 2 : i + 1;
            lines.emplace_back(s.substr(start, (keep ? endOfBreak : i) - start));
            start = endOfBreak;
            i = endOfBreak - 1;
        }
        if (start < s.size()) lines.emplace_back(s.substr(start));
        return Value::list(std::move(lines));
    }
    if (name == "startswith" || name == "endswith") {
        ArgReader r(name, args, {"prefix", "start", "end"});
        auto [from, to] = byteRange(s, r.get(1), r.get(2));
        std::string_view view = std::string_view(s).substr(from, to - from);
        Value what = r.get(0, Value());
        std::vector<Value> options = what.isTuple() ? what.items() : std::vector<Value>{what};
        for (const Value& o : options) {
            std::string p = needString(r, 0, o);
            bool hit = p.size() <= view.size() &&
                       (name == "startswith" ? view.substr(0, p.size()) == p
                                             : view.substr(view.size() - p.size()) == p);
            if (hit) return Value(true);
        }
        return Value(false);
    }
    if (name == "replace") {
        ArgReader r(name, args, {"old", "new", "count"});
        std::string from = needString(r, 0, r.get(0, Value()));
        std::string to = needString(r, 1, r.get(1, Value()));
        std::string out = replaceString(s, from, to, needInt(r, r.get(2, Value(std::int64_t{-1}))));
        in.checkStringSize(out.size());
        return Value(std::move(out));
    }
    if (name == "upper") return Value(utf8::toUpper(s));
    if (name == "lower" || name == "casefold") return Value(utf8::toLower(s));
    if (name == "title") return Value(utf8::title(s));
    if (name == "capitalize") return Value(utf8::capitalize(s));
    if (name == "swapcase") {
        std::string out;
        for (std::size_t pos = 0; pos < s.size();) {
            std::size_t start = pos;
            char32_t cp = utf8::next(s, pos);
            std::string one = s.substr(start, pos - start);
            out += utf8::isUpper(cp) ? utf8::toLower(one) : utf8::toUpper(one);
        }
        return Value(std::move(out));
    }
    if (name == "find" || name == "rfind" || name == "index" || name == "rindex" ||
        name == "count") {
        ArgReader r(name, args, {"sub", "start", "end"});
        std::string sub = needString(r, 0, r.get(0, Value()));
        auto [from, to] = byteRange(s, r.get(1), r.get(2));
        std::string_view view = std::string_view(s).substr(from, to - from);
        if (name == "count") {
            if (sub.empty()) return Value(static_cast<std::int64_t>(utf8::length(view) + 1));
            std::int64_t n = 0;
            for (std::size_t at = view.find(sub); at != std::string_view::npos;
                 at = view.find(sub, at + sub.size()))
                ++n;
            return Value(n);
        }
        std::size_t at = (name == "find" || name == "index") ? view.find(sub) : view.rfind(sub);
        if (at == std::string_view::npos) {
            if (name == "index" || name == "rindex") fail("substring not found");
            return Value(std::int64_t{-1});
        }
        return Value(charIndex(s, from + at));
    }
    if (name == "join") {
        ArgReader r(name, args, {"iterable"});
        std::string out;
        bool first = true;
        for (const Value& item : in.iterate(r.get(0, Value()))) {
            if (!item.isString())
                fail("sequence item: expected str instance, " + item.typeName() + " found");
            if (!first) out += s;
            first = false;
            out += item.str();
            in.checkStringSize(out.size());
        }
        return Value(std::move(out));
    }
    if (name == "format") return Value(strFormat(in, s, args));
    if (name == "isdigit" || name == "isdecimal" || name == "isnumeric")
        return allChars(s, utf8::isDigit);
    if (name == "isalpha") return allChars(s, utf8::isAlpha);
    if (name == "isalnum")
        return allChars(s, [](char32_t c) { return utf8::isAlpha(c) || utf8::isDigit(c); });
    if (name == "isspace") return allChars(s, utf8::isSpace);
    if (name == "isupper" || name == "islower") {
        bool anyCased = false;
        for (std::size_t pos = 0; pos < s.size();) {
            char32_t cp = utf8::next(s, pos);
            if (name == "isupper" ? utf8::isLower(cp) : utf8::isUpper(cp)) return Value(false);
            anyCased = anyCased || utf8::isCased(cp);
        }
        return Value(anyCased);
    }
    if (name == "removeprefix" || name == "removesuffix") {
        ArgReader r(name, args, {"fix"});
        std::string fix = needString(r, 0, r.get(0, Value()));
        if (name == "removeprefix" && s.compare(0, fix.size(), fix) == 0)
            return Value(s.substr(fix.size()));
        if (name == "removesuffix" && s.size() >= fix.size() &&
            s.compare(s.size() - fix.size(), fix.size(), fix) == 0)
            return Value(s.substr(0, s.size() - fix.size()));
        return Value(s);
    }
    if (name == "partition" || name == "rpartition") {
        ArgReader r(name, args, {"sep"});
        std::string sep = needString(r, 0, r.get(0, Value()));
        if (sep.empty()) fail("empty separator");
        std::size_t at = name == "partition" ? s.find(sep) : s.rfind(sep);
        if (at == std::string::npos)
            return name == "partition" ? Value::tuple({Value(s), Value(""), Value("")})
                                       : Value::tuple({Value(""), Value(""), Value(s)});
        return Value::tuple({Value(s.substr(0, at)), Value(sep), Value(s.substr(at + sep.size()))});
    }
    if (name == "center" || name == "ljust" || name == "rjust" || name == "zfill") {
        ArgReader r(name, args, {"width", "fillchar"});
        std::int64_t width = needInt(r, r.get(0, Value()));
        std::string fill = name == "zfill" ? "0" : needString(r, 1, r.get(1, Value(" ")));
        auto len = static_cast<std::int64_t>(utf8::length(s));
        if (width <= len) return Value(s);
        in.checkStringSize(static_cast<std::size_t>(width) * fill.size());
        std::int64_t pad = width - len;
        auto repeat = [&](std::int64_t n) {
            std::string out;
            for (std::int64_t i = 0; i < n; ++i) out += fill;
            return out;
        };
        if (name == "ljust") return Value(s + repeat(pad));
        if (name == "rjust") return Value(repeat(pad) + s);
        if (name == "zfill") {
            if (!s.empty() && (s[0] == '-' || s[0] == '+'))
                return Value(s.substr(0, 1) + repeat(pad) + s.substr(1));
            return Value(repeat(pad) + s);
        }
        std::int64_t left = pad / 2 + (pad & width & 1);
        return Value(repeat(left) + s + repeat(pad - left));
    }
    fail("'str' object has no method '" + name + "'");
}

Value callDictMethod(const Value& self, const std::string& name, CallArgs& args) {
    const DictData& d = self.dictData();
    if (name == "items" || name == "keys" || name == "values") {
        ArgReader r(name, args, {});
        std::vector<Value> out;
        for (const auto& [k, v] : d.entries) {
            if (name == "items")
                out.push_back(Value::tuple({k, v}));
            else
                out.push_back(name == "keys" ? k : v);
        }
        return Value::iterator(std::move(out), "dict_" + name, false);
    }
    if (name == "get") {
        ArgReader r(name, args, {"key", "default"});
        const Value* v = d.find(r.get(0, Value()));
        return v ? *v : r.get(1, Value::none());
    }
    if (name == "copy") return Value::dict(d);
    fail("'dict' object has no method '" + name + "'");
}

Value callListMethod(Interpreter& in, const Value& self, const std::string& name, CallArgs& args) {
    if (name == "index" || name == "count") {
        ArgReader r(name, args, {"value"});
        Value target = r.get(0, Value());
        std::int64_t n = 0;
        for (std::size_t i = 0; i < self.items().size(); ++i) {
            if (!equals(self.items()[i], target)) continue;
            if (name == "index") return Value(static_cast<std::int64_t>(i));
            ++n;
        }
        if (name == "index") fail(repr(target) + " is not in list");
        return Value(n);
    }
    if (name == "copy") return Value::list(self.items());
    (void)in;
    fail("'" + self.typeName() + "' object has no method '" + name + "'");
}

class BoundMethod : public Callable {
public:
    BoundMethod(Value self, std::string method)
        : self_(std::move(self)), method_(std::move(method)) {}
    std::string name() const override { return self_.typeName() + "." + method_; }
    std::string repr() const override {
        return "<built-in method " + method_ + " of " + self_.typeName() + " object>";
    }
    Value call(Interpreter& in, CallArgs& args) override {
        if (self_.isString()) return callStringMethod(in, self_.str(), method_, args);
        if (self_.isDict()) return callDictMethod(self_, method_, args);
        return callListMethod(in, self_, method_, args);
    }

private:
    Value self_;
    std::string method_;
};

} // namespace

std::optional<Value> boundMethod(const Value& self, std::string_view name) {
    static const std::array<std::string_view, 37> stringMethods = {
        "strip",        "lstrip",       "rstrip",    "split",      "rsplit",  "splitlines",
        "startswith",   "endswith",     "replace",   "upper",      "lower",   "casefold",
        "title",        "capitalize",   "swapcase",  "find",       "rfind",   "index",
        "rindex",       "count",        "join",      "format",     "isdigit", "isdecimal",
        "isnumeric",    "isalpha",      "isalnum",   "isspace",    "isupper", "islower",
        "removeprefix", "removesuffix", "partition", "rpartition", "center",  "ljust",
        "rjust"};
    if (isUnsafeMutator(self, name))
        return Value::undefined("access to attribute '" + std::string(name) + "' of '" +
                                self.typeName() + "' object is unsafe.");
    bool known = false;
    if (self.isString())
        known = name == "zfill" ||
                std::find(stringMethods.begin(), stringMethods.end(), name) != stringMethods.end();
    else if (self.isDict())
        known = name == "items" || name == "keys" || name == "values" || name == "get" ||
                name == "copy";
    else if (self.isList())
        known = self.isPlainList() &&
                (name == "index" || name == "count" || (name == "copy" && !self.isTuple()));
    if (!known) return std::nullopt;
    return Value::callable(std::make_shared<BoundMethod>(self, std::string(name)));
}

} // namespace atelier::jinja
