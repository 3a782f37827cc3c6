#pragma once
// Turns tokens into a tree of statements and expressions (Jinja2's grammar and precedence:
// conditional < or < and < not < comparison < + - < ~ < * / // % < ** < unary < postfix/filter).
#include "inference/chat/jinja/ast.hpp"
#include "inference/chat/jinja/lexer.hpp"

#include <vector>

namespace atelier::jinja {

// Throws atelier::Error (Template) naming the line for syntax errors and unknown tags.
Body parse(const std::vector<Token>& tokens);

} // namespace atelier::jinja
