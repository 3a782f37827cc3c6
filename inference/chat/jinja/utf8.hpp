#pragma once
// UTF-8 helpers with Python's string semantics: lengths, indices and slices count code points,
// and "whitespace" is what Python's str.strip()/split() treat as whitespace. A byte that is not
// valid UTF-8 counts as one code point on its own and is kept as it is.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace atelier::jinja::utf8 {

// Decodes the code point at `pos` and advances `pos`; invalid bytes decode to themselves.
char32_t next(std::string_view s, std::size_t& pos);
void append(std::string& out, char32_t cp);

bool isAscii(std::string_view s);
std::size_t length(std::string_view s);
// Byte offsets of every code point start, plus s.size() at the end.
std::vector<std::size_t> offsets(std::string_view s);
std::vector<std::string> characters(std::string_view s);

bool isSpace(char32_t cp);     // Python str.isspace() for one code point
bool isPrintable(char32_t cp); // Python str.isprintable() for one code point
bool isCased(char32_t cp);
bool isUpper(char32_t cp);
bool isLower(char32_t cp);
bool isAlpha(char32_t cp);
bool isDigit(char32_t cp);

std::string toUpper(std::string_view s);
std::string toLower(std::string_view s);
std::string title(std::string_view s);      // Python str.title()
std::string capitalize(std::string_view s); // Python str.capitalize()

// Python str.strip(chars): chars == nullptr strips whitespace.
std::string strip(std::string_view s, const std::string* chars, bool left, bool right);

} // namespace atelier::jinja::utf8
