#include "inference/chat/jinja/lexer.hpp"

#include "inference/chat/jinja/error.hpp"
#include "inference/chat/jinja/utf8.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace atelier::jinja {
namespace {

std::string normalizeNewlines(std::string_view src, bool keepTrailingNewline) {
    std::string out;
    out.reserve(src.size());
    for (std::size_t i = 0; i < src.size(); ++i) {
        if (src[i] == '\r') {
            out += '\n';
            if (i + 1 < src.size() && src[i + 1] == '\n') ++i;
        } else {
            out += src[i];
        }
    }
    if (!keepTrailingNewline && !out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

bool isWs(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string rstripWhitespace(std::string_view s) {
    return utf8::strip(s, nullptr, false, true);
}

bool allWhitespace(std::string_view s) {
    if (s.empty()) return false;
    for (std::size_t pos = 0; pos < s.size();)
        if (!utf8::isSpace(utf8::next(s, pos))) return false;
    return true;
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Python's escapes that stand for one character: \\ \' \" \a \b \f \n \r \t \v.
constexpr std::string_view kEscapeLetters = "\\'\"abfnrtv";
constexpr std::string_view kEscapeValues = "\\'\"\a\b\f\n\r\t\v";

// Python "unicode_escape" decoding of a literal's body, as Jinja2 applies it.
std::string decodeEscapes(std::string_view body) {
    std::string out;
    for (std::size_t i = 0; i < body.size(); ++i) {
        char c = body[i];
        if (c != '\\' || i + 1 >= body.size()) {
            out += c;
            continue;
        }
        char e = body[++i];
        if (e == '\n') continue; // a backslash before a line break joins the lines
        if (const std::size_t k = kEscapeLetters.find(e); k != std::string_view::npos) {
            out += kEscapeValues[k];
            continue;
        }
        switch (e) {
        case 'x':
        case 'u':
        case 'U': {
            std::size_t digits = e == 'x' ? 2 : (e == 'u' ? 4 : 8);
            char32_t cp = 0;
            for (std::size_t k = 1; k <= digits; ++k) {
                int h = i + k < body.size() ? hexValue(body[i + k]) : -1;
                if (h < 0) fail("truncated \\" + std::string(1, e) + " escape in a string literal");
                cp = cp * 16 + static_cast<char32_t>(h);
            }
            if (cp > 0x10FFFF) fail("illegal Unicode character in a string literal");
            utf8::append(out, cp);
            i += digits;
            break;
        }
        default:
            if (e >= '0' && e <= '7') {
                char32_t cp = static_cast<char32_t>(e - '0');
                for (int k = 0;
                     k < 2 && i + 1 < body.size() && body[i + 1] >= '0' && body[i + 1] <= '7'; ++k)
                    cp = cp * 8 + static_cast<char32_t>(body[++i] - '0');
                utf8::append(out, cp);
            } else {
                out += '\\';
                out += e;
            }
        }
    }
    return out;
}

class Lexer {
public:
    Lexer(std::string source, const LexerOptions& options)
        : src_(std::move(source)), opt_(options) {}

    std::vector<Token> run() {
        bool lineStarting = true;
        while (pos_ < src_.size()) {
            std::size_t open = findOpener(pos_);
            if (open == std::string::npos) {
                emitText(src_.substr(pos_));
                pos_ = src_.size();
                break;
            }
            char kind = src_[open + 1];
            char sign = open + 2 < src_.size() ? src_[open + 2] : '\0';
            if (sign != '-' && sign != '+') sign = '\0';
            std::string text = src_.substr(pos_, open - pos_);
            if (sign == '-') {
                text = rstripWhitespace(text);
            } else if (sign != '+' && opt_.lstripBlocks && kind != '{') {
                std::size_t lineStart = text.rfind('\n');
                lineStart = lineStart == std::string::npos ? 0 : lineStart + 1;
                if ((lineStart > 0 || lineStarting) &&
                    allWhitespace(std::string_view(text).substr(lineStart)))
                    text.resize(lineStart);
            }
            countLines(pos_, open);
            emitText(text);
            pos_ = open + 2 + (sign ? 1 : 0);
            if (kind == '#') {
                lineStarting = lexComment();
            } else if (kind == '%' && lexRawIfAny()) {
                lineStarting = lastEndedWithNewline_;
            } else {
                lineStarting = lexTag(kind == '%');
            }
        }
        tokens_.push_back(Token{Token::Type::End, "", 0, 0, line_});
        return std::move(tokens_);
    }

private:
    std::string src_;
    LexerOptions opt_;
    std::size_t pos_ = 0;
    int line_ = 1;
    bool lastEndedWithNewline_ = false;
    std::vector<Token> tokens_;

    std::size_t findOpener(std::size_t from) const {
        for (std::size_t i = src_.find('{', from); i != std::string::npos;
             i = src_.find('{', i + 1)) {
            if (i + 1 < src_.size() &&
                (src_[i + 1] == '{' || src_[i + 1] == '%' || src_[i + 1] == '#'))
                return i;
        }
        return std::string::npos;
    }

    void countLines(std::size_t from, std::size_t to) {
        line_ += static_cast<int>(std::count(src_.begin() + static_cast<long>(from),
                                             src_.begin() + static_cast<long>(to), '\n'));
    }

    void emitText(const std::string& text) {
        if (!text.empty()) tokens_.push_back(Token{Token::Type::Text, text, 0, 0, line_});
    }

    // After a closing "-%}", "%}" or "#}": strips or trims what follows; returns whether the
    // consumed text ended with a newline (the next tag then starts a line).
    bool afterClose(char sign, bool block) {
        if (sign == '-') {
            std::size_t start = pos_;
            while (pos_ < src_.size()) {
                std::size_t p = pos_;
                char32_t cp = utf8::next(src_, p);
                if (!utf8::isSpace(cp)) break;
                pos_ = p;
            }
            countLines(start, pos_);
            return pos_ > start && src_[pos_ - 1] == '\n';
        }
        if (sign == '\0' && block && opt_.trimBlocks && pos_ < src_.size() && src_[pos_] == '\n') {
            ++pos_;
            ++line_;
            return true;
        }
        return false;
    }

    bool lexComment() {
        int startLine = line_;
        std::size_t end = src_.find("#}", pos_);
        if (end == std::string::npos)
            fail("line " + std::to_string(startLine) + ": missing end of comment tag");
        char sign =
            end > pos_ && (src_[end - 1] == '-' || src_[end - 1] == '+') ? src_[end - 1] : '\0';
        countLines(pos_, end);
        pos_ = end + 2;
        return afterClose(sign, true);
    }

    // "{% raw %}...{% endraw %}": the body is text, untouched.
    bool lexRawIfAny() {
        std::size_t p = pos_;
        while (p < src_.size() && isWs(src_[p])) ++p;
        if (src_.compare(p, 3, "raw") != 0) return false;
        p += 3;
        while (p < src_.size() && isWs(src_[p])) ++p;
        char closeSign = '\0';
        if (src_.compare(p, 3, "-%}") == 0)
            closeSign = '-';
        else if (src_.compare(p, 2, "%}") != 0)
            return false;
        int startLine = line_;
        countLines(pos_, p);
        pos_ = p + (closeSign ? 3 : 2);
        if (closeSign == '-') afterClose('-', true);
        // Find "{%[-+]? endraw [-+]?%}".
        for (std::size_t open = src_.find("{%", pos_); open != std::string::npos;
             open = src_.find("{%", open + 2)) {
            std::size_t q = open + 2;
            char sign = '\0';
            if (q < src_.size() && (src_[q] == '-' || src_[q] == '+')) sign = src_[q++];
            while (q < src_.size() && isWs(src_[q])) ++q;
            if (src_.compare(q, 6, "endraw") != 0) continue;
            q += 6;
            while (q < src_.size() && isWs(src_[q])) ++q;
            char endSign = '\0';
            if (q < src_.size() && (src_[q] == '-' || src_[q] == '+')) endSign = src_[q++];
            if (src_.compare(q, 2, "%}") != 0) continue;
            std::string body = src_.substr(pos_, open - pos_);
            if (sign == '-') body = rstripWhitespace(body);
            countLines(pos_, q + 2);
            emitText(body);
            pos_ = q + 2;
            lastEndedWithNewline_ = afterClose(endSign, true);
            return true;
        }
        fail("line " + std::to_string(startLine) + ": missing end of raw directive");
    }

    bool lexTag(bool block) {
        int startLine = line_;
        tokens_.push_back(
            Token{block ? Token::Type::BlockBegin : Token::Type::VarBegin, "", 0, 0, line_});
        std::vector<char> brackets;
        while (true) {
            if (pos_ >= src_.size())
                fail("line " + std::to_string(startLine) +
                     ": unexpected end of template, expected '" + (block ? "%}" : "}}") + "'");
            if (brackets.empty()) {
                const char* close = block ? "%}" : "}}";
                for (char sign : {'-', '+', '\0'}) {
                    if (sign == '+' && !block) continue;
                    std::size_t p = pos_;
                    if (sign) {
                        if (src_[p] != sign) continue;
                        ++p;
                    }
                    if (src_.compare(p, 2, close) != 0) continue;
                    pos_ = p + 2;
                    tokens_.push_back(Token{block ? Token::Type::BlockEnd : Token::Type::VarEnd, "",
                                            0, 0, line_});
                    return afterClose(sign, block);
                }
            }
            char c = src_[pos_];
            if (isWs(c)) {
                if (c == '\n') ++line_;
                ++pos_;
                continue;
            }
            if (std::isdigit(static_cast<unsigned char>(c))) {
                lexNumber();
                continue;
            }
            if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
                std::size_t start = pos_;
                while (pos_ < src_.size() &&
                       (std::isalnum(static_cast<unsigned char>(src_[pos_])) || src_[pos_] == '_'))
                    ++pos_;
                tokens_.push_back(
                    Token{Token::Type::Name, src_.substr(start, pos_ - start), 0, 0, line_});
                continue;
            }
            if (c == '\'' || c == '"') {
                lexString(c);
                continue;
            }
            static const char* const kOps[] = {"**", "//", "==", "!=", ">=", "<=", "+", "-", "/",
                                               "*",  "%",  "~",  "[",  "]",  "(",  ")", "{", "}",
                                               ">",  "<",  "=",  ".",  ":",  "|",  ",", ";"};
            bool matched = false;
            for (const char* op : kOps) {
                std::size_t len = std::char_traits<char>::length(op);
                if (src_.compare(pos_, len, op) != 0) continue;
                std::string o(op);
                if (o == "(" || o == "[" || o == "{")
                    brackets.push_back(o == "(" ? ')' : (o == "[" ? ']' : '}'));
                if (o == ")" || o == "]" || o == "}") {
                    if (brackets.empty())
                        fail("line " + std::to_string(line_) + ": unexpected '" + o + "'");
                    if (brackets.back() != o[0])
                        fail("line " + std::to_string(line_) + ": unexpected '" + o +
                             "', expected '" + brackets.back() + "'");
                    brackets.pop_back();
                }
                tokens_.push_back(Token{Token::Type::Op, o, 0, 0, line_});
                pos_ += len;
                matched = true;
                break;
            }
            if (!matched)
                fail("line " + std::to_string(line_) + ": unexpected character '" +
                     std::string(1, c) + "'");
        }
    }

    void lexNumber() {
        std::size_t start = pos_;
        auto digits = [&] {
            while (pos_ < src_.size() &&
                   (std::isdigit(static_cast<unsigned char>(src_[pos_])) ||
                    (src_[pos_] == '_' && pos_ + 1 < src_.size() &&
                     std::isdigit(static_cast<unsigned char>(src_[pos_ + 1])))))
                ++pos_;
        };
        bool afterDot = !tokens_.empty() && tokens_.back().type == Token::Type::Op &&
                        tokens_.back().text == ".";
        if (src_[pos_] == '0' && pos_ + 1 < src_.size() && std::strchr("bBoOxX", src_[pos_ + 1])) {
            int base = (src_[pos_ + 1] == 'b' || src_[pos_ + 1] == 'B')
                           ? 2
                           : ((src_[pos_ + 1] == 'o' || src_[pos_ + 1] == 'O') ? 8 : 16);
            pos_ += 2;
            std::int64_t v = 0;
            bool any = false;
            while (pos_ < src_.size()) {
                char ch = src_[pos_];
                if (ch == '_') {
                    ++pos_;
                    continue;
                }
                int d = hexValue(ch);
                if (d < 0 || d >= base) break;
                if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, d, &v))
                    fail("line " + std::to_string(line_) + ": integer literal too large");
                any = true;
                ++pos_;
            }
            if (!any) fail("line " + std::to_string(line_) + ": malformed number literal");
            tokens_.push_back(
                Token{Token::Type::Int, src_.substr(start, pos_ - start), v, 0, line_});
            return;
        }
        digits();
        bool isFloat = false;
        if (!afterDot && pos_ + 1 < src_.size() && src_[pos_] == '.' &&
            std::isdigit(static_cast<unsigned char>(src_[pos_ + 1]))) {
            ++pos_;
            digits();
            isFloat = true;
        }
        if (!afterDot && pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
            std::size_t p = pos_ + 1;
            if (p < src_.size() && (src_[p] == '+' || src_[p] == '-')) ++p;
            if (p < src_.size() && std::isdigit(static_cast<unsigned char>(src_[p]))) {
                pos_ = p;
                digits();
                isFloat = true;
            }
        }
        std::string text;
        for (std::size_t i = start; i < pos_; ++i)
            if (src_[i] != '_') text += src_[i];
        Token t{isFloat ? Token::Type::Float : Token::Type::Int, text, 0, 0, line_};
        if (isFloat) {
            t.floatValue = std::strtod(text.c_str(), nullptr);
        } else {
            std::int64_t v = 0;
            for (char ch : text)
                if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, ch - '0', &v))
                    fail("line " + std::to_string(line_) + ": integer literal too large");
            t.intValue = v;
        }
        tokens_.push_back(std::move(t));
    }

    void lexString(char quote) {
        int startLine = line_;
        std::size_t p = pos_ + 1;
        while (p < src_.size() && src_[p] != quote) {
            if (src_[p] == '\\') ++p;
            if (p < src_.size() && src_[p] == '\n') ++line_;
            ++p;
        }
        if (p >= src_.size())
            fail("line " + std::to_string(startLine) + ": unterminated string literal");
        std::string body = src_.substr(pos_ + 1, p - pos_ - 1);
        pos_ = p + 1;
        try {
            tokens_.push_back(Token{Token::Type::String, decodeEscapes(body), 0, 0, startLine});
        } catch (const Error& e) {
            fail("line " + std::to_string(startLine) + ": " + e.what());
        }
    }
};

} // namespace

std::vector<Token> tokenize(std::string_view source, const LexerOptions& options) {
    return Lexer(normalizeNewlines(source, options.keepTrailingNewline), options).run();
}

} // namespace atelier::jinja
