#include "inference/chat/jinja/json.hpp"

#include "inference/chat/jinja/error.hpp"
#include "inference/chat/jinja/utf8.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace atelier::jinja {
namespace {

void appendJsonString(std::string& out, std::string_view s, bool ensureAscii) {
    out += '"';
    for (std::size_t pos = 0; pos < s.size();) {
        std::size_t start = pos;
        char32_t cp = utf8::next(s, pos);
        char buf[16];
        switch (cp) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            if (cp < 0x20 || (ensureAscii && cp >= 0x7F)) {
                if (cp >= 0x10000) {
                    char32_t v = cp - 0x10000;
                    std::snprintf(buf, sizeof buf, "\\u%04x\\u%04x",
                                  static_cast<unsigned>(0xD800 + (v >> 10)),
                                  static_cast<unsigned>(0xDC00 + (v & 0x3FF)));
                } else {
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
                }
                out += buf;
            } else {
                out.append(s.substr(start, pos - start));
            }
        }
    }
    out += '"';
}

std::string jsonFloat(double d) {
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d < 0 ? "-Infinity" : "Infinity";
    return formatFloat(d);
}

std::string keyText(const Value& key) {
    switch (key.kind()) {
    case Value::Kind::String:
        return key.str();
    case Value::Kind::Bool:
        return key.asBool() ? "true" : "false";
    case Value::Kind::None:
        return "null";
    case Value::Kind::Int:
        return std::to_string(key.asInt());
    case Value::Kind::Float:
        return jsonFloat(key.asDouble());
    default:
        fail("keys must be str, int, float, bool or None, not " + key.typeName());
    }
}

class Writer {
public:
    explicit Writer(const JsonFormat& f) : f_(f) {}
    std::string out;

    void write(const Value& v, int depth) {
        if (depth > kMaxValueDepth) fail("value nested too deeply for JSON");
        switch (v.kind()) {
        case Value::Kind::None:
            out += "null";
            return;
        case Value::Kind::Bool:
            out += v.asBool() ? "true" : "false";
            return;
        case Value::Kind::Int:
            out += std::to_string(v.asInt());
            return;
        case Value::Kind::Float:
            out += jsonFloat(v.asDouble());
            return;
        case Value::Kind::String:
            appendJsonString(out, v.str(), f_.ensureAscii);
            return;
        case Value::Kind::List: {
            if (!v.isPlainList())
                fail("Object of type " + v.typeName() + " is not JSON serializable");
            if (v.items().empty()) {
                out += "[]";
                return;
            }
            out += '[';
            bool first = true;
            for (const Value& item : v.items()) {
                if (!first) out += f_.itemSeparator;
                first = false;
                newline(depth + 1);
                write(item, depth + 1);
            }
            newline(depth);
            out += ']';
            return;
        }
        case Value::Kind::Dict: {
            if (v.dictData().entries.empty()) {
                out += "{}";
                return;
            }
            std::vector<std::pair<std::string, const Value*>> entries;
            for (const auto& [k, val] : v.dictData().entries)
                entries.emplace_back(keyText(k), &val);
            if (f_.sortKeys)
                std::stable_sort(entries.begin(), entries.end(),
                                 [](const auto& a, const auto& b) { return a.first < b.first; });
            out += '{';
            bool first = true;
            for (const auto& [k, val] : entries) {
                if (!first) out += f_.itemSeparator;
                first = false;
                newline(depth + 1);
                appendJsonString(out, k, f_.ensureAscii);
                out += f_.keySeparator;
                write(*val, depth + 1);
            }
            newline(depth);
            out += '}';
            return;
        }
        default:
            fail("Object of type " + v.typeName() + " is not JSON serializable");
        }
    }

private:
    const JsonFormat& f_;
    void newline(int depth) {
        if (!f_.indent) return;
        out += '\n';
        for (int i = 0; i < depth; ++i) out += *f_.indent;
    }
};

// JSON's escapes that stand for one character: \" \\ \/ \b \f \n \r \t.
constexpr std::string_view kEscapeLetters = "\"\\/bfnrt";
constexpr std::string_view kEscapeValues = "\"\\/\b\f\n\r\t";

class Reader {
public:
    explicit Reader(std::string_view text) : s_(text) {}

    Value document() {
        Value v = value(0);
        skipWs();
        if (pos_ != s_.size()) error("extra data");
        return v;
    }

private:
    std::string_view s_;
    std::size_t pos_ = 0;

    [[noreturn]] void error(const std::string& what) const {
        throw Error(ErrorKind::Invalid,
                    "invalid JSON at byte " + std::to_string(pos_) + ": " + what);
    }
    void skipWs() {
        while (pos_ < s_.size() &&
               (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
            ++pos_;
    }
    bool consume(std::string_view word) {
        if (s_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }

    Value value(int depth) {
        if (depth > kMaxValueDepth) error("nested too deeply");
        skipWs();
        if (pos_ >= s_.size()) error("unexpected end of input");
        char c = s_[pos_];
        if (c == '{') {
            ++pos_;
            DictData d;
            skipWs();
            if (pos_ < s_.size() && s_[pos_] == '}') {
                ++pos_;
                return Value::dict(std::move(d));
            }
            while (true) {
                skipWs();
                if (pos_ >= s_.size() || s_[pos_] != '"') error("expected a string key");
                Value key{string()};
                skipWs();
                if (!consume(":")) error("expected ':'");
                d.set(std::move(key), value(depth + 1));
                skipWs();
                if (consume(",")) continue;
                if (consume("}")) return Value::dict(std::move(d));
                error("expected ',' or '}'");
            }
        }
        if (c == '[') {
            ++pos_;
            std::vector<Value> items;
            skipWs();
            if (consume("]")) return Value::list(std::move(items));
            while (true) {
                items.push_back(value(depth + 1));
                skipWs();
                if (consume(",")) continue;
                if (consume("]")) return Value::list(std::move(items));
                error("expected ',' or ']'");
            }
        }
        if (c == '"') return Value(string());
        if (consume("true")) return Value(true);
        if (consume("false")) return Value(false);
        if (consume("null")) return Value::none();
        if (consume("NaN")) return Value(static_cast<double>(NAN));
        if (consume("Infinity")) return Value(static_cast<double>(INFINITY));
        if (consume("-Infinity")) return Value(static_cast<double>(-INFINITY));
        return number();
    }

    Value number() {
        std::size_t start = pos_;
        if (pos_ < s_.size() && s_[pos_] == '-') ++pos_;
        auto digits = [&] {
            std::size_t d = pos_;
            while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
            return pos_ - d;
        };
        if (digits() == 0) error("unexpected character");
        bool isFloat = false;
        if (pos_ < s_.size() && s_[pos_] == '.') {
            ++pos_;
            if (digits() == 0) error("expected digits after '.'");
            isFloat = true;
        }
        if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
            ++pos_;
            if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
            if (digits() == 0) error("expected exponent digits");
            isFloat = true;
        }
        std::string text(s_.substr(start, pos_ - start));
        if (!isFloat) {
            errno = 0;
            long long v = std::strtoll(text.c_str(), nullptr, 10);
            if (errno != ERANGE) return Value(static_cast<std::int64_t>(v));
        }
        return Value(std::strtod(text.c_str(), nullptr));
    }

    unsigned hex4() {
        if (pos_ + 4 > s_.size()) error("truncated \\u escape");
        unsigned v = 0;
        for (int i = 0; i < 4; ++i) {
            char c = s_[pos_++];
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f')
                v |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v |= static_cast<unsigned>(c - 'A' + 10);
            else
                error("bad \\u escape");
        }
        return v;
    }

    std::string string() {
        ++pos_; // opening quote
        std::string out;
        while (true) {
            if (pos_ >= s_.size()) error("unterminated string");
            char c = s_[pos_++];
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) error("control character in string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ >= s_.size()) error("unterminated string");
            char e = s_[pos_++];
            if (const std::size_t k = kEscapeLetters.find(e); k != std::string_view::npos) {
                out += kEscapeValues[k];
                continue;
            }
            if (e != 'u') error("bad escape");
            unsigned cp = hex4();
            if (cp >= 0xD800 && cp < 0xDC00 && s_.substr(pos_, 2) == "\\u") {
                std::size_t save = pos_;
                pos_ += 2;
                unsigned low = hex4();
                if (low >= 0xDC00 && low < 0xE000)
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                else
                    pos_ = save;
            }
            utf8::append(out, cp);
        }
    }
};

} // namespace

std::string toJson(const Value& value, const JsonFormat& format) {
    Writer w(format);
    w.write(value, 0);
    return std::move(w.out);
}

Value parseJson(std::string_view text) {
    return Reader(text).document();
}

} // namespace atelier::jinja
