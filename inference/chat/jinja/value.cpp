#include "inference/chat/jinja/value.hpp"

#include "inference/chat/jinja/error.hpp"
#include "inference/chat/jinja/utf8.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace atelier::jinja {

const Value* DictData::find(const Value& key) const {
    for (const auto& [k, v] : entries)
        if (equals(k, key)) return &v;
    return nullptr;
}

const Value* DictData::find(std::string_view key) const {
    for (const auto& [k, v] : entries)
        if (k.isString() && k.str() == key) return &v;
    return nullptr;
}

void DictData::set(Value key, Value value) {
    for (auto& [k, v] : entries) {
        if (equals(k, key)) {
            v = std::move(value);
            return;
        }
    }
    entries.emplace_back(std::move(key), std::move(value));
}

bool Object::setAttribute(std::string_view, Value) {
    return false;
}
std::string Object::repr() const {
    return "<" + typeName() + " object>";
}
std::string Callable::repr() const {
    return "<function " + name() + ">";
}

const std::shared_ptr<const std::string>& Value::emptyString() {
    static const auto empty = std::make_shared<const std::string>();
    return empty;
}

Value Value::undefined(std::string hint) {
    Value v;
    if (!hint.empty()) v.s_ = std::make_shared<const std::string>(std::move(hint));
    return v;
}
Value Value::none() {
    Value v;
    v.kind_ = Kind::None;
    return v;
}
Value::Value(bool b) : kind_(Kind::Bool), b_(b) {}
Value::Value(std::int64_t i) : kind_(Kind::Int), i_(i) {}
Value::Value(double d) : kind_(Kind::Float), d_(d) {}
Value::Value(std::string s)
    : kind_(Kind::String), s_(std::make_shared<const std::string>(std::move(s))) {}

Value Value::list(std::vector<Value> items) {
    Value v;
    v.kind_ = Kind::List;
    v.list_ = std::make_shared<const ListData>(ListData{std::move(items), false, {}});
    return v;
}
Value Value::tuple(std::vector<Value> items) {
    Value v;
    v.kind_ = Kind::List;
    v.list_ = std::make_shared<const ListData>(ListData{std::move(items), true, {}});
    return v;
}
Value Value::namedTuple(std::vector<Value> items, std::vector<std::string> fields) {
    Value v;
    v.kind_ = Kind::List;
    v.list_ = std::make_shared<const ListData>(ListData{std::move(items), true, std::move(fields)});
    return v;
}
Value Value::iterator(std::vector<Value> items, std::string pythonType, bool oneShot) {
    Value v;
    v.kind_ = Kind::List;
    ListData data{std::move(items), false, {}};
    data.pythonType = std::move(pythonType);
    data.oneShot = oneShot;
    v.list_ = std::make_shared<const ListData>(std::move(data));
    return v;
}

Value Value::dict(DictData data) {
    Value v;
    v.kind_ = Kind::Dict;
    v.dict_ = std::make_shared<const DictData>(std::move(data));
    return v;
}
Value Value::object(std::shared_ptr<Object> object) {
    Value v;
    v.kind_ = Kind::Object;
    v.object_ = std::move(object);
    return v;
}
Value Value::callable(std::shared_ptr<Callable> callable) {
    Value v;
    v.kind_ = Kind::Callable;
    v.callable_ = std::move(callable);
    return v;
}

double Value::asDouble() const {
    switch (kind_) {
    case Kind::Float:
        return d_;
    case Kind::Int:
        return static_cast<double>(i_);
    case Kind::Bool:
        return b_ ? 1.0 : 0.0;
    default:
        return 0.0;
    }
}

std::string Value::typeName() const {
    switch (kind_) {
    case Kind::Undefined:
        return "Undefined";
    case Kind::None:
        return "NoneType";
    case Kind::Bool:
        return "bool";
    case Kind::Int:
        return "int";
    case Kind::Float:
        return "float";
    case Kind::String:
        return "str";
    case Kind::List:
        if (!list_->pythonType.empty()) return list_->pythonType;
        return list_->tuple ? "tuple" : "list";
    case Kind::Dict:
        return "dict";
    case Kind::Object:
        return object_->typeName();
    case Kind::Callable:
        return "function";
    }
    return "object";
}

bool truthy(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::Undefined:
    case Value::Kind::None:
        return false;
    case Value::Kind::Bool:
        return v.asBool();
    case Value::Kind::Int:
        return v.asInt() != 0;
    case Value::Kind::Float:
        return v.asDouble() != 0.0;
    case Value::Kind::String:
        return !v.str().empty();
    case Value::Kind::List:
        return v.isOneShot() || !v.items().empty(); // a generator object is always true
    case Value::Kind::Dict:
        return !v.dictData().entries.empty();
    default:
        return true;
    }
}

std::string formatFloat(double d) {
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
    if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
    // Shortest round-trip digits, then Python's layout: plain notation for exponents -4..15.
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string sci(buf, res.ptr);
    bool negative = sci[0] == '-';
    if (negative) sci.erase(0, 1);
    std::size_t e = sci.find('e');
    std::string mantissa = sci.substr(0, e);
    int exponent = std::stoi(sci.substr(e + 1));
    std::string digits;
    for (char c : mantissa)
        if (c != '.') digits += c;
    std::string out = negative ? "-" : "";
    if (exponent >= -4 && exponent < 16) {
        if (exponent < 0) {
            out += "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
        } else if (static_cast<std::size_t>(exponent) + 1 >= digits.size()) {
            out += digits +
                   std::string(static_cast<std::size_t>(exponent) + 1 - digits.size(), '0') + ".0";
        } else {
            out += digits.substr(0, static_cast<std::size_t>(exponent) + 1) + "." +
                   digits.substr(static_cast<std::size_t>(exponent) + 1);
        }
        return out;
    }
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char expBuf[16];
    std::snprintf(expBuf, sizeof expBuf, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    return out + expBuf;
}

std::string reprString(std::string_view s) {
    bool hasSingle = s.find('\'') != std::string_view::npos;
    bool hasDouble = s.find('"') != std::string_view::npos;
    char quote = (hasSingle && !hasDouble) ? '"' : '\'';
    std::string out(1, quote);
    for (std::size_t pos = 0; pos < s.size();) {
        std::size_t start = pos;
        char32_t cp = utf8::next(s, pos);
        bool invalidByte = pos - start == 1 && cp >= 0x80;
        char buf[16];
        if (cp == static_cast<char32_t>(quote) || cp == '\\') {
            out += '\\';
            out += static_cast<char>(cp);
        } else if (cp == '\n') {
            out += "\\n";
        } else if (cp == '\r') {
            out += "\\r";
        } else if (cp == '\t') {
            out += "\\t";
        } else if (invalidByte) {
            std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
            out += buf;
        } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && !utf8::isPrintable(cp))) {
            if (cp < 0x100)
                std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
            else if (cp < 0x10000)
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
            else
                std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(cp));
            out += buf;
        } else {
            out.append(s.substr(start, pos - start));
        }
    }
    out += quote;
    return out;
}

namespace {

std::string reprAt(const Value& v, int depth) {
    if (depth > kMaxValueDepth) fail("value nested too deeply to print");
    switch (v.kind()) {
    case Value::Kind::Undefined:
        return "Undefined";
    case Value::Kind::None:
        return "None";
    case Value::Kind::Bool:
        return v.asBool() ? "True" : "False";
    case Value::Kind::Int:
        return std::to_string(v.asInt());
    case Value::Kind::Float:
        return formatFloat(v.asDouble());
    case Value::Kind::String:
        return reprString(v.str());
    case Value::Kind::List: {
        if (v.isOneShot()) return "<" + v.typeName() + " object>";
        if (!v.isPlainList()) {
            Value plain = Value::list(v.items());
            return v.typeName() + "(" + reprAt(plain, depth + 1) + ")";
        }
        std::string out = v.isTuple() ? "(" : "[";
        bool first = true;
        for (const Value& item : v.items()) {
            if (!first) out += ", ";
            first = false;
            out += reprAt(item, depth + 1);
        }
        if (v.isTuple() && v.items().size() == 1) out += ",";
        return out + (v.isTuple() ? ")" : "]");
    }
    case Value::Kind::Dict: {
        std::string out = "{";
        bool first = true;
        for (const auto& [k, val] : v.dictData().entries) {
            if (!first) out += ", ";
            first = false;
            out += reprAt(k, depth + 1) + ": " + reprAt(val, depth + 1);
        }
        return out + "}";
    }
    case Value::Kind::Object:
        return v.obj()->repr();
    case Value::Kind::Callable:
        return v.fn()->repr();
    }
    return "";
}

bool equalsAt(const Value& a, const Value& b, int depth) {
    if (depth > kMaxValueDepth) fail("value nested too deeply to compare");
    if (a.isNumber() && b.isNumber()) {
        if (a.isFloat() || b.isFloat()) return a.asDouble() == b.asDouble();
        return a.asInt() == b.asInt();
    }
    if (a.kind() != b.kind()) return false;
    switch (a.kind()) {
    case Value::Kind::Undefined:
    case Value::Kind::None:
        return true;
    case Value::Kind::String:
        return a.str() == b.str();
    case Value::Kind::List: {
        if (a.isOneShot() || b.isOneShot()) return &a.items() == &b.items();
        if (a.isTuple() != b.isTuple() || a.typeName() != b.typeName() ||
            a.items().size() != b.items().size())
            return false;
        for (std::size_t i = 0; i < a.items().size(); ++i)
            if (!equalsAt(a.items()[i], b.items()[i], depth + 1)) return false;
        return true;
    }
    case Value::Kind::Dict: {
        const auto& ea = a.dictData().entries;
        const auto& eb = b.dictData();
        if (ea.size() != eb.entries.size()) return false;
        for (const auto& [k, v] : ea) {
            const Value* other = eb.find(k);
            if (!other || !equalsAt(v, *other, depth + 1)) return false;
        }
        return true;
    }
    case Value::Kind::Object:
        return a.obj() == b.obj();
    case Value::Kind::Callable:
        return a.fn() == b.fn();
    default:
        return false;
    }
}

} // namespace

// Objects print their contents through repr() again (a namespace holding itself would recurse
// forever), so nesting across those calls is counted too.
thread_local int reprNesting = 0;

std::string repr(const Value& v) {
    struct Guard {
        Guard() {
            if (++reprNesting > kMaxValueDepth) {
                --reprNesting;
                fail("value nested too deeply to print");
            }
        }
        ~Guard() { --reprNesting; }
    } guard;
    return reprAt(v, 0);
}

std::string toStr(const Value& v) {
    if (v.isUndefined()) return "";
    if (v.isString()) return v.str();
    return repr(v);
}

bool equals(const Value& a, const Value& b) {
    return equalsAt(a, b, 0);
}

int compare(const Value& a, const Value& b) {
    if (a.isNumber() && b.isNumber()) {
        if (a.isFloat() || b.isFloat()) {
            double x = a.asDouble(), y = b.asDouble();
            return x < y ? -1 : (x > y ? 1 : 0);
        }
        return a.asInt() < b.asInt() ? -1 : (a.asInt() > b.asInt() ? 1 : 0);
    }
    if (a.isString() && b.isString())
        return a.str().compare(b.str()) < 0 ? -1 : (a.str() == b.str() ? 0 : 1);
    if (a.isList() && b.isList() && a.isTuple() == b.isTuple()) {
        const auto& x = a.items();
        const auto& y = b.items();
        for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
            if (equals(x[i], y[i])) continue;
            return compare(x[i], y[i]);
        }
        return x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0);
    }
    fail("'<' not supported between instances of '" + a.typeName() + "' and '" + b.typeName() +
         "'");
}

} // namespace atelier::jinja
