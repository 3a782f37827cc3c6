#pragma once
// A parsed Jinja template, ready to render many times. Lexing follows Hugging Face's settings
// (trim_blocks, lstrip_blocks); unknown filters and tests are refused when parsing, as Jinja2
// refuses them when compiling.
#include "inference/chat/jinja/ast.hpp"
#include "inference/chat/jinja/interpreter.hpp"
#include "inference/chat/jinja/lexer.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace atelier::jinja {

using Variables = std::vector<std::pair<std::string, Value>>;

class Template {
public:
    // Throws atelier::Error (Template) with the line for a syntax error.
    explicit Template(std::string_view source, const LexerOptions& options = {});

    // Renders with Jinja2's global functions plus `variables` (which may add or shadow
    // globals, e.g. raise_exception). Throws atelier::Error (Template); raise_exception's
    // message is passed on as is (RaisedError).
    std::string render(const Variables& variables, const RenderLimits& limits = {}) const;

private:
    Body body_;
};

} // namespace atelier::jinja
