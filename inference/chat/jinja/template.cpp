#include "inference/chat/jinja/template.hpp"

#include "inference/chat/jinja/builtins.hpp"
#include "inference/chat/jinja/error.hpp"
#include "inference/chat/jinja/globals.hpp"
#include "inference/chat/jinja/parser.hpp"

namespace atelier::jinja {
namespace {

void checkNames(const Expr* e) {
    if (!e) return;
    if (e->kind == Expr::Kind::Filter && !filters().count(e->name))
        fail("line " + std::to_string(e->line) + ": no filter named '" + e->name + "'");
    if (e->kind == Expr::Kind::Test && !tests().count(e->name))
        fail("line " + std::to_string(e->line) + ": no test named '" + e->name + "'");
    for (const auto& c : e->children) checkNames(c.get());
    for (const auto& [k, v] : e->kwargs) checkNames(v.get());
}

void checkNames(const Body& body) {
    for (const auto& n : body) {
        checkNames(n->expr.get());
        checkNames(n->condition.get());
        checkNames(n->filter.get());
        for (const auto& [cond, b] : n->branches) {
            checkNames(cond.get());
            checkNames(b);
        }
        for (const auto& p : n->params) checkNames(p.defaultValue.get());
        for (const auto& a : n->assignments) checkNames(a.second.get());
        checkNames(n->body);
        checkNames(n->elseBody);
    }
}

} // namespace

Template::Template(std::string_view source, const LexerOptions& options)
    : body_(parse(tokenize(source, options))) {
    checkNames(body_);
}

std::string Template::render(const Variables& variables, const RenderLimits& limits) const {
    auto globals = std::make_shared<Frame>();
    addBuiltinGlobals(*globals);
    for (const auto& [name, value] : variables) globals->vars[name] = value;
    Interpreter interpreter(limits);
    return interpreter.render(body_, globals);
}

} // namespace atelier::jinja
