#pragma once
// Internal to the interpreter: the built-in filters, tests and methods, and the argument reader
// they share. Names and behaviour follow Jinja2 3.x and Python 3.
#include "inference/chat/jinja/value.hpp"

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace atelier::jinja {

class Interpreter;
struct Expr;

// Access.cpp: an expression made only of literals (Jinja2 evaluates those when compiling).
bool isConstantExpr(const Expr* e);

// Reads a builtin's arguments by position or keyword, like a Python signature; unknown
// keywords and surplus positional arguments are errors naming the builtin.
class ArgReader {
public:
    ArgReader(std::string function, const CallArgs& args,
              std::initializer_list<std::string_view> names);
    std::optional<Value> get(std::size_t index) const;
    Value get(std::size_t index, Value fallback) const;
    const std::string& function() const { return function_; }

private:
    std::string function_;
    std::vector<std::optional<Value>> values_;
};

// Filters and tests by name (filters.cpp, filters_collections.cpp, tests.cpp). Jinja2 refuses
// unknown names when it compiles a template; Template does the same with these tables.
using FilterFn = Value (*)(Interpreter& in, const Value& input, const CallArgs& args);
using TestFn = bool (*)(Interpreter& in, const Value& input, const CallArgs& args);
using FilterTable = std::unordered_map<std::string, FilterFn>;
const FilterTable& filters();
// A filter written inline in a table: FILTER(body) is a FilterFn whose body sees in, v (the
// input) and args (filters.cpp, filters_collections.cpp).
#define FILTER(...)                                                                                \
    [](Interpreter& in, const Value& v, const CallArgs& args) -> Value {                           \
        (void)in;                                                                                  \
        (void)v;                                                                                   \
        (void)args;                                                                                \
        __VA_ARGS__                                                                                \
    }
const std::unordered_map<std::string, TestFn>& tests();
void addCollectionFilters(FilterTable& table);
// Methods.cpp: a bound method of str, dict or list; nullopt when there is none. Methods that
// would change a list or dict exist but refuse to run (Hugging Face's immutable sandbox).
std::optional<Value> boundMethod(const Value& self, std::string_view name);

// Operators.cpp: Python's "fmt % args" for %s %r %d %i %f %e %g %x %o %c %%.
std::string percentFormat(Interpreter& in, const std::string& format, const Value& args);
// Python's int(x) and float(x) conversions used by filters; nullopt when not convertible.
std::optional<std::int64_t> toInt(const Value& v);
std::optional<double> toFloat(const Value& v);
// Python str.split / rsplit semantics (separator nullopt: runs of whitespace).
std::vector<std::string> splitString(const std::string& s, const std::optional<std::string>& sep,
                                     std::int64_t maxsplit, bool fromRight);
std::string replaceString(const std::string& s, const std::string& from, const std::string& to,
                          std::int64_t count);

} // namespace atelier::jinja
