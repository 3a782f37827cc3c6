// Python's arithmetic on template values: int stays int (overflow is an error, not a wrap),
// "/" is true division, "//" and "%" floor, "+" joins strings and lists, "*" repeats them,
// "~" joins anything as text.
#include "inference/chat/jinja/builtins.hpp"
#include "inference/chat/jinja/error.hpp"
#include "inference/chat/jinja/interpreter.hpp"
#include "inference/chat/jinja/utf8.hpp"

#include <cmath>
#include <cstdio>

namespace atelier::jinja {
namespace {

[[noreturn]] void unsupported(const std::string& op, const Value& a, const Value& b) {
    fail("unsupported operand type(s) for " + op + ": '" + a.typeName() + "' and '" + b.typeName() +
         "'");
}

// Overflow-checked integer arithmetic (Python ints do not wrap; ours refuse to).
std::int64_t add(std::int64_t a, std::int64_t b) {
    std::int64_t r;
    if (__builtin_add_overflow(a, b, &r)) fail("integer overflow");
    return r;
}
std::int64_t sub(std::int64_t a, std::int64_t b) {
    std::int64_t r;
    if (__builtin_sub_overflow(a, b, &r)) fail("integer overflow");
    return r;
}
std::int64_t mul(std::int64_t a, std::int64_t b) {
    std::int64_t r;
    if (__builtin_mul_overflow(a, b, &r)) fail("integer overflow");
    return r;
}

double floorMod(double a, double b) {
    double m = std::fmod(a, b);
    if (m != 0 && ((m < 0) != (b < 0))) m += b;
    return m;
}

} // namespace

Value Interpreter::evalBinary(const std::string& op, const Value& a, const Value& b) {
    if (op == "~") {
        std::string s = toStr(a);
        std::string t = toStr(b);
        checkStringSize(s.size() + t.size());
        return Value(s + t);
    }
    if (a.isUndefined())
        fail(a.undefinedHint().empty() ? "undefined value in arithmetic" : a.undefinedHint());
    if (b.isUndefined())
        fail(b.undefinedHint().empty() ? "undefined value in arithmetic" : b.undefinedHint());
    const bool numbers = a.isNumber() && b.isNumber();
    const bool floats = numbers && (a.isFloat() || b.isFloat());
    if (op == "+") {
        if (numbers) {
            if (floats) return Value(a.asDouble() + b.asDouble());
            return Value(add(a.asInt(), b.asInt()));
        }
        if (a.isString() && b.isString()) {
            checkStringSize(a.str().size() + b.str().size());
            return Value(a.str() + b.str());
        }
        if (a.isPlainList() && b.isPlainList() && a.isTuple() == b.isTuple()) {
            std::vector<Value> items = a.items();
            items.insert(items.end(), b.items().begin(), b.items().end());
            return a.isTuple() ? Value::tuple(std::move(items)) : Value::list(std::move(items));
        }
        if (a.isString()) fail("can only concatenate str (not \"" + b.typeName() + "\") to str");
        if (a.isList())
            fail("can only concatenate " + a.typeName() + " (not \"" + b.typeName() + "\") to " +
                 a.typeName());
        unsupported("+", a, b);
    }
    if (op == "-") {
        if (!numbers) unsupported("-", a, b);
        if (floats) return Value(a.asDouble() - b.asDouble());
        return Value(sub(a.asInt(), b.asInt()));
    }
    if (op == "*") {
        if (numbers) {
            if (floats) return Value(a.asDouble() * b.asDouble());
            return Value(mul(a.asInt(), b.asInt()));
        }
        const Value* seq = (a.isString() || a.isPlainList())
                               ? &a
                               : ((b.isString() || b.isPlainList()) ? &b : nullptr);
        const Value* count = seq == &a ? &b : &a;
        if (!seq || !(count->isInt() || count->isBool()))
            fail("can't multiply sequence by non-int of type '" + count->typeName() + "'");
        std::int64_t times = std::max<std::int64_t>(0, count->asInt());
        if (seq->isString()) {
            std::size_t size = seq->str().size();
            if (size != 0 && static_cast<std::uint64_t>(times) > limits_.maxOutputBytes / size)
                checkStringSize(limits_.maxOutputBytes + 1);
            std::string out;
            out.reserve(size * static_cast<std::size_t>(times));
            for (std::int64_t i = 0; i < times; ++i) out += seq->str();
            return Value(std::move(out));
        }
        std::size_t size = seq->items().size();
        if (size != 0 && static_cast<std::uint64_t>(times) > limits_.maxCollectionItems / size)
            fail("list larger than the limit of " + std::to_string(limits_.maxCollectionItems) +
                 " items");
        std::vector<Value> out;
        for (std::int64_t i = 0; i < times; ++i)
            out.insert(out.end(), seq->items().begin(), seq->items().end());
        return seq->isTuple() ? Value::tuple(std::move(out)) : Value::list(std::move(out));
    }
    if (op == "/") {
        if (!numbers) unsupported("/", a, b);
        if (b.asDouble() == 0) fail("division by zero");
        return Value(a.asDouble() / b.asDouble());
    }
    if (op == "//") {
        if (!numbers) unsupported("//", a, b);
        if (b.asDouble() == 0) fail("integer division or modulo by zero");
        if (floats) return Value(std::floor(a.asDouble() / b.asDouble()));
        std::int64_t x = a.asInt(), y = b.asInt();
        if (x == INT64_MIN && y == -1) fail("integer overflow");
        std::int64_t q = x / y;
        if ((x % y != 0) && ((x < 0) != (y < 0))) --q;
        return Value(q);
    }
    if (op == "%") {
        if (a.isString()) return Value(percentFormat(*this, a.str(), b));
        if (!numbers) unsupported("%", a, b);
        if (b.asDouble() == 0) fail("integer division or modulo by zero");
        if (floats) return Value(floorMod(a.asDouble(), b.asDouble()));
        std::int64_t x = a.asInt(), y = b.asInt();
        if (y == -1) return Value(std::int64_t{0});
        std::int64_t m = x % y;
        if (m != 0 && ((m < 0) != (y < 0))) m += y;
        return Value(m);
    }
    if (op == "**") {
        if (!numbers) unsupported("** or pow()", a, b);
        if (floats || b.asInt() < 0) {
            if (a.asDouble() == 0 && b.asDouble() < 0)
                fail("0.0 cannot be raised to a negative power");
            return Value(std::pow(a.asDouble(), b.asDouble()));
        }
        std::int64_t base = a.asInt(), exp = b.asInt(), result = 1;
        while (exp > 0) {
            if (exp & 1) result = mul(result, base);
            exp >>= 1;
            if (exp > 0) base = mul(base, base);
        }
        return Value(result);
    }
    fail("unknown operator " + op);
}

std::optional<std::int64_t> toInt(const Value& v) {
    if (v.isInt() || v.isBool()) return v.asInt();
    if (v.isFloat()) {
        double d = v.asDouble();
        if (!std::isfinite(d) || std::fabs(d) >= 9.2e18) return std::nullopt;
        return static_cast<std::int64_t>(d);
    }
    if (v.isString()) {
        std::string s = utf8::strip(v.str(), nullptr, true, true);
        std::string digits;
        for (char c : s)
            if (c != '_') digits += c;
        if (digits.empty()) return std::nullopt;
        std::size_t i = 0;
        bool negative = false;
        if (digits[0] == '+' || digits[0] == '-') {
            negative = digits[0] == '-';
            i = 1;
        }
        if (i >= digits.size()) return std::nullopt;
        std::int64_t r = 0;
        for (; i < digits.size(); ++i) {
            if (digits[i] < '0' || digits[i] > '9') return std::nullopt;
            if (__builtin_mul_overflow(r, 10, &r) || __builtin_add_overflow(r, digits[i] - '0', &r))
                return std::nullopt;
        }
        return negative ? -r : r;
    }
    return std::nullopt;
}

std::optional<double> toFloat(const Value& v) {
    if (v.isNumber()) return v.asDouble();
    if (v.isString()) {
        std::string s = utf8::strip(v.str(), nullptr, true, true);
        if (s.empty()) return std::nullopt;
        std::string lower = utf8::toLower(s);
        if (lower == "inf" || lower == "+inf" || lower == "infinity") return INFINITY;
        if (lower == "-inf" || lower == "-infinity") return -INFINITY;
        if (lower == "nan" || lower == "+nan" || lower == "-nan") return NAN;
        char* end = nullptr;
        double d = std::strtod(s.c_str(), &end);
        if (end != s.c_str() + s.size()) return std::nullopt;
        for (char c : s)
            if (c == 'x' || c == 'X' || c == 'p' || c == 'P') return std::nullopt; // no hex floats
        return d;
    }
    return std::nullopt;
}

std::string percentFormat(Interpreter& in, const std::string& format, const Value& args) {
    std::vector<Value> values;
    const DictData* mapping = nullptr;
    if (args.isTuple())
        values = args.items();
    else if (args.isDict())
        mapping = &args.dictData();
    else
        values.push_back(args);
    std::size_t next = 0;
    std::string out;
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%') {
            out += format[i];
            continue;
        }
        if (++i >= format.size()) fail("incomplete format");
        std::optional<Value> keyed;
        if (format[i] == '(') {
            std::size_t close = format.find(')', i);
            if (close == std::string::npos || !mapping) fail("format requires a mapping");
            const Value* v = mapping->find(std::string_view(format).substr(i + 1, close - i - 1));
            if (!v) fail("format key '" + format.substr(i + 1, close - i - 1) + "' not found");
            keyed = *v;
            i = close + 1;
        }
        std::string spec = "%";
        while (i < format.size() &&
               std::string_view("-+ #0123456789.").find(format[i]) != std::string_view::npos)
            spec += format[i++];
        if (i >= format.size()) fail("incomplete format");
        char conv = format[i];
        if (conv == '%') {
            out += '%';
            continue;
        }
        Value v;
        if (keyed)
            v = *keyed;
        else {
            if (next >= values.size()) fail("not enough arguments for format string");
            v = values[next++];
        }
        char buf[512];
        switch (conv) {
        case 's':
        case 'r':
        case 'a': {
            std::string text = conv == 's' ? toStr(v) : repr(v);
            if (spec.size() > 1) {
                std::snprintf(buf, sizeof buf, (spec + "s").c_str(), text.c_str());
                text = buf;
            }
            out += text;
            break;
        }
        case 'd':
        case 'i':
        case 'u':
        case 'x':
        case 'X':
        case 'o':
        case 'c': {
            auto n = toInt(v.isString() ? Value() : v);
            if (!n)
                fail("%" + std::string(1, conv) + " format: a number is required, not " +
                     v.typeName());
            if (conv == 'c') {
                utf8::append(out, static_cast<char32_t>(*n));
                break;
            }
            std::snprintf(buf, sizeof buf,
                          (spec + "ll" + (conv == 'i' || conv == 'u' ? 'd' : conv)).c_str(),
                          static_cast<long long>(*n));
            out += buf;
            break;
        }
        case 'f':
        case 'F':
        case 'e':
        case 'E':
        case 'g':
        case 'G': {
            if (!v.isNumber()) fail("must be real number, not " + v.typeName());
            std::snprintf(buf, sizeof buf, (spec + conv).c_str(), v.asDouble());
            out += buf;
            break;
        }
        default:
            fail(std::string("unsupported format character '") + conv + "'");
        }
        in.checkStringSize(out.size());
    }
    if (!mapping && next < values.size())
        fail("not all arguments converted during string formatting");
    return out;
}

std::vector<std::string> splitString(const std::string& s, const std::optional<std::string>& sep,
                                     std::int64_t maxsplit, bool fromRight) {
    std::vector<std::string> parts;
    if (sep) {
        if (sep->empty()) fail("empty separator");
        if (!fromRight) {
            std::size_t start = 0;
            while (maxsplit < 0 || static_cast<std::int64_t>(parts.size()) < maxsplit) {
                std::size_t at = s.find(*sep, start);
                if (at == std::string::npos) break;
                parts.push_back(s.substr(start, at - start));
                start = at + sep->size();
            }
            parts.push_back(s.substr(start));
        } else {
            std::size_t end = s.size();
            std::vector<std::string> rev;
            while (maxsplit < 0 || static_cast<std::int64_t>(rev.size()) < maxsplit) {
                if (end < sep->size()) break;
                std::size_t at = s.rfind(*sep, end - sep->size());
                if (at == std::string::npos) break;
                rev.push_back(s.substr(at + sep->size(), end - at - sep->size()));
                end = at;
            }
            rev.push_back(s.substr(0, end));
            parts.assign(rev.rbegin(), rev.rend());
        }
        return parts;
    }
    // Whitespace runs; leading/trailing whitespace gives no empty parts.
    std::vector<std::pair<std::size_t, std::size_t>> words; // byte ranges
    std::size_t pos = 0;
    while (pos < s.size()) {
        std::size_t p = pos;
        if (utf8::isSpace(utf8::next(s, p))) {
            pos = p;
            continue;
        }
        std::size_t start = pos;
        while (pos < s.size()) {
            p = pos;
            if (utf8::isSpace(utf8::next(s, p))) break;
            pos = p;
        }
        words.emplace_back(start, pos);
    }
    // Up to maxsplit words are split off; the rest (from the next word on, keeping its inner and
    // far-side whitespace) is the last part.
    if (maxsplit < 0 || static_cast<std::int64_t>(words.size()) <= maxsplit) {
        for (auto [a, b] : words) parts.push_back(s.substr(a, b - a));
        return parts;
    }
    auto m = static_cast<std::size_t>(maxsplit);
    if (!fromRight) {
        for (std::size_t k = 0; k < m; ++k)
            parts.push_back(s.substr(words[k].first, words[k].second - words[k].first));
        parts.push_back(s.substr(words[m].first));
    } else {
        std::size_t firstKept = words.size() - m;
        parts.push_back(s.substr(0, words[firstKept - 1].second));
        for (std::size_t k = firstKept; k < words.size(); ++k)
            parts.push_back(s.substr(words[k].first, words[k].second - words[k].first));
    }
    return parts;
}

std::string replaceString(const std::string& s, const std::string& from, const std::string& to,
                          std::int64_t count) {
    std::string out;
    if (from.empty()) {
        // Python inserts `to` between every character (and at both ends).
        std::int64_t done = 0;
        std::size_t pos = 0;
        while (pos <= s.size()) {
            if (count < 0 || done < count) {
                out += to;
                ++done;
            }
            if (pos == s.size()) break;
            std::size_t start = pos;
            utf8::next(s, pos);
            out.append(s, start, pos - start);
        }
        return out;
    }
    std::size_t start = 0;
    std::int64_t done = 0;
    while (count < 0 || done < count) {
        std::size_t at = s.find(from, start);
        if (at == std::string::npos) break;
        out.append(s, start, at - start);
        out += to;
        start = at + from.size();
        ++done;
    }
    out.append(s, start, std::string::npos);
    return out;
}

} // namespace atelier::jinja
