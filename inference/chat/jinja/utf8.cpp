#include "inference/chat/jinja/utf8.hpp"

#include "inference/util/utf8_append.hpp"
#include "inference/util/utf8_decode.hpp"

#include <utf8proc.h>

namespace atelier::jinja::utf8 {

char32_t next(std::string_view s, std::size_t& pos) {
    char32_t cp = 0;
    if (const std::size_t n = decodeUtf8(s, pos, cp)) {
        pos += n;
        return cp;
    }
    return static_cast<unsigned char>(s[pos++]); // an invalid byte stands for itself
}

void append(std::string& out, char32_t cp) {
    appendUtf8(out, cp);
}

bool isAscii(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0x80) return false;
    return true;
}

std::size_t length(std::string_view s) {
    if (isAscii(s)) return s.size();
    std::size_t count = 0;
    for (std::size_t pos = 0; pos < s.size(); ++count) next(s, pos);
    return count;
}

std::vector<std::size_t> offsets(std::string_view s) {
    std::vector<std::size_t> result;
    result.reserve(s.size() + 1);
    for (std::size_t pos = 0; pos < s.size();) {
        result.push_back(pos);
        next(s, pos);
    }
    result.push_back(s.size());
    return result;
}

std::vector<std::string> characters(std::string_view s) {
    std::vector<std::string> result;
    for (std::size_t pos = 0; pos < s.size();) {
        std::size_t start = pos;
        next(s, pos);
        result.emplace_back(s.substr(start, pos - start));
    }
    return result;
}

bool isSpace(char32_t cp) {
    switch (cp) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case 0x1C:
    case 0x1D:
    case 0x1E:
    case 0x1F:
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
        return true;
    default:
        return cp >= 0x2000 && cp <= 0x200A;
    }
}

namespace {
utf8proc_category_t category(char32_t cp) {
    return utf8proc_category(static_cast<utf8proc_int32_t>(cp));
}
} // namespace

bool isPrintable(char32_t cp) {
    if (cp == ' ') return true;
    switch (category(cp)) {
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_CN:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_ZS:
        return false;
    default:
        return true;
    }
}

bool isUpper(char32_t cp) {
    return category(cp) == UTF8PROC_CATEGORY_LU || category(cp) == UTF8PROC_CATEGORY_LT;
}
bool isLower(char32_t cp) {
    return category(cp) == UTF8PROC_CATEGORY_LL;
}
bool isCased(char32_t cp) {
    return isUpper(cp) || isLower(cp) ||
           utf8proc_toupper(static_cast<utf8proc_int32_t>(cp)) !=
               static_cast<utf8proc_int32_t>(cp) ||
           utf8proc_tolower(static_cast<utf8proc_int32_t>(cp)) != static_cast<utf8proc_int32_t>(cp);
}
bool isAlpha(char32_t cp) {
    switch (category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        return true;
    default:
        return false;
    }
}
bool isDigit(char32_t cp) {
    return category(cp) == UTF8PROC_CATEGORY_ND;
}

namespace {
template <typename F> std::string mapCodepoints(std::string_view s, F f) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t pos = 0; pos < s.size();) {
        std::size_t start = pos;
        char32_t cp = next(s, pos);
        if (pos - start == 1 && cp >= 0x80) { // an invalid byte: keep it untouched
            out += s[start];
            continue;
        }
        append(out, f(cp));
    }
    return out;
}
char32_t upper(char32_t cp) {
    return static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(cp)));
}
char32_t lower(char32_t cp) {
    return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp)));
}
} // namespace

// Python uses the full case mappings (SpecialCasing.txt), where one character may become
// several; these are the ones that occur in practice.
const char* specialUpper(char32_t cp) {
    switch (cp) {
    case 0x00DF:
        return "SS";
    case 0x0149:
        return "\u02BCN";
    case 0xFB00:
        return "FF";
    case 0xFB01:
        return "FI";
    case 0xFB02:
        return "FL";
    case 0xFB03:
        return "FFI";
    case 0xFB04:
        return "FFL";
    case 0xFB05:
    case 0xFB06:
        return "ST";
    default:
        return nullptr;
    }
}

namespace {
const char* specialLower(char32_t cp) {
    return cp == 0x0130 ? "i\u0307" : nullptr; // capital I with dot -> i + combining dot above
}

// A case mapping code point by code point, except where Python's full mapping turns one
// character into several: special(cp) gives those, or nullptr.
std::string mapCase(std::string_view s, char32_t (*simple)(char32_t),
                    const char* (*special)(char32_t)) {
    if (isAscii(s)) return mapCodepoints(s, simple);
    std::string out;
    for (std::size_t pos = 0; pos < s.size();) {
        std::size_t start = pos;
        char32_t cp = next(s, pos);
        if (const char* several = special(cp))
            out += several;
        else
            out += mapCodepoints(s.substr(start, pos - start), simple);
    }
    return out;
}
} // namespace

std::string toUpper(std::string_view s) {
    return mapCase(s, upper, specialUpper);
}

std::string toLower(std::string_view s) {
    return mapCase(s, lower, specialLower);
}

std::string title(std::string_view s) {
    bool previousCased = false;
    return mapCodepoints(s, [&](char32_t cp) {
        char32_t r = previousCased ? lower(cp) : upper(cp);
        previousCased = isCased(cp);
        return r;
    });
}

std::string capitalize(std::string_view s) {
    bool first = true;
    return mapCodepoints(s, [&](char32_t cp) {
        char32_t r = first ? upper(cp) : lower(cp);
        first = false;
        return r;
    });
}

std::string strip(std::string_view s, const std::string* chars, bool left, bool right) {
    std::vector<char32_t> set;
    if (chars) {
        for (std::size_t pos = 0; pos < chars->size();) set.push_back(next(*chars, pos));
    }
    auto stripped = [&](char32_t cp) {
        if (!chars) return isSpace(cp);
        for (char32_t c : set)
            if (c == cp) return true;
        return false;
    };
    std::vector<std::size_t> offs = offsets(s);
    std::size_t count = offs.size() - 1;
    std::size_t begin = 0, end = count;
    auto cpAt = [&](std::size_t i) {
        std::size_t p = offs[i];
        return next(s, p);
    };
    if (left)
        while (begin < end && stripped(cpAt(begin))) ++begin;
    if (right)
        while (end > begin && stripped(cpAt(end - 1))) --end;
    return std::string(s.substr(offs[begin], offs[end] - offs[begin]));
}

} // namespace atelier::jinja::utf8
