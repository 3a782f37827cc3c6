#include "inference/chat/jinja/template.hpp"

#include "inference/chat/jinja/builtins.hpp"
#include "inference/chat/jinja/error.hpp"
#include "inference/chat/jinja/globals.hpp"
#include "inference/chat/jinja/parser.hpp"

namespace atelier::jinja {
namespace {

// Jinja2 refuses unknown filters and tests when compiling, except inside if-statements and
// conditional expressions ("soft" frames), where they fail only when reached; loops, macros
// and other blocks nested there are strict again.
void checkNames(const Expr* e, bool soft) {
    if (!e) return;
    if (!soft && e->kind == Expr::Kind::Filter && !filters().count(e->name))
        fail("line " + std::to_string(e->line) + ": no filter named '" + e->name + "'");
    if (!soft && e->kind == Expr::Kind::Test && !tests().count(e->name))
        fail("line " + std::to_string(e->line) + ": no test named '" + e->name + "'");
    bool inner = soft || e->kind == Expr::Kind::Cond;
    for (const auto& c : e->children) checkNames(c.get(), inner);
    for (const auto& [k, v] : e->kwargs) checkNames(v.get(), inner);
}

void checkNames(const Body& body, bool soft) {
    for (const auto& n : body) {
        bool isIf = n->kind == Node::Kind::If;
        bool opensStrictFrame = n->kind == Node::Kind::For || n->kind == Node::Kind::Macro ||
                                n->kind == Node::Kind::CallBlock || n->kind == Node::Kind::With;
        checkNames(n->expr.get(), soft);
        checkNames(n->condition.get(), soft && !opensStrictFrame);
        checkNames(n->filter.get(), soft);
        for (const auto& [cond, b] : n->branches) {
            checkNames(cond.get(), true);
            checkNames(b, true);
        }
        for (const auto& p : n->params) checkNames(p.defaultValue.get(), soft && !opensStrictFrame);
        for (const auto& a : n->assignments) checkNames(a.second.get(), soft);
        checkNames(n->body, (soft || isIf) && !opensStrictFrame);
        checkNames(n->elseBody, (soft || isIf) && !opensStrictFrame);
    }
}

} // namespace

Template::Template(std::string_view source, const LexerOptions& options)
    : body_(parse(tokenize(source, options))) {
    checkNames(body_, false);
}

std::string Template::render(const Variables& variables, const RenderLimits& limits) const {
    auto globals = std::make_shared<Frame>();
    addBuiltinGlobals(*globals);
    for (const auto& [name, value] : variables) globals->vars[name] = value;
    Interpreter interpreter(limits);
    return interpreter.render(body_, globals);
}

} // namespace atelier::jinja
