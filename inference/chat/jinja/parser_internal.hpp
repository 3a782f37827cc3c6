#pragma once
// The parser's shared state and token helpers, private to parser_statements.cpp (tags and
// bodies) and parser_expressions.cpp (Jinja2's expression grammar).
#include "inference/chat/jinja/ast.hpp"
#include "inference/chat/jinja/error.hpp"
#include "inference/chat/jinja/lexer.hpp"

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace atelier::jinja::detail {

constexpr int kMaxNesting = 200; // expression and block nesting; deeper is refused, not crashed

class Parser {
public:
    explicit Parser(const std::vector<Token>& tokens) : t_(tokens) {}

    Body parseTemplate();

private:
    const std::vector<Token>& t_;
    std::size_t i_ = 0;
    int depth_ = 0;

    struct DepthGuard {
        Parser& p;
        explicit DepthGuard(Parser& parser) : p(parser) {
            if (++p.depth_ > kMaxNesting) p.failHere("template nested too deeply");
        }
        ~DepthGuard() { --p.depth_; }
    };

    const Token& cur() const { return t_[i_]; }
    const Token& peek(std::size_t n = 1) const { return t_[std::min(i_ + n, t_.size() - 1)]; }
    void advance() {
        if (i_ + 1 < t_.size()) ++i_;
    }

    [[noreturn]] void failHere(const std::string& message) const {
        fail("line " + std::to_string(cur().line) + ": " + message);
    }

    static std::string describe(const Token& t) {
        switch (t.type) {
        case Token::Type::End:
            return "end of template";
        case Token::Type::BlockEnd:
            return "end of statement block";
        case Token::Type::VarEnd:
            return "end of print statement";
        case Token::Type::Text:
            return "template data";
        case Token::Type::String:
            return "string";
        case Token::Type::Int:
        case Token::Type::Float:
            return "number";
        default:
            return "'" + t.text + "'";
        }
    }

    bool isOp(std::string_view op) const {
        return cur().type == Token::Type::Op && cur().text == op;
    }
    bool isName(std::string_view name) const {
        return cur().type == Token::Type::Name && cur().text == name;
    }
    bool acceptOp(std::string_view op) {
        if (!isOp(op)) return false;
        advance();
        return true;
    }
    bool acceptName(std::string_view name) {
        if (!isName(name)) return false;
        advance();
        return true;
    }
    void expectOp(std::string_view op) {
        if (!acceptOp(op)) failHere("expected '" + std::string(op) + "', got " + describe(cur()));
    }
    std::string expectName() {
        if (cur().type != Token::Type::Name) failHere("expected a name, got " + describe(cur()));
        std::string n = cur().text;
        advance();
        return n;
    }
    void expectBlockEnd() {
        if (cur().type != Token::Type::BlockEnd)
            failHere("expected end of statement block, got " + describe(cur()));
        advance();
    }

    // ---- statements (parser_statements.cpp) ---------------------------------------------------

    // Parses until a block tag whose name is in `stop`; leaves the position on that name.
    Body parseBody(std::initializer_list<std::string_view> stop);
    NodePtr parseStatement();
    // The rest of a block tag after its arguments: "%}", the body, then "{% endTag %}".
    Body parseBlock(std::string_view endTag);
    Target parseTarget(bool allowAttribute);
    std::vector<MacroParam> parseParams();

    // ---- expressions (parser_expressions.cpp) -------------------------------------------------

    ExprPtr make(Expr::Kind kind, int line);
    ExprPtr parseTuple(bool allowEmptyEnd, bool withCondExpr = true);
    ExprPtr parseExpression();
    ExprPtr parseOr();
    ExprPtr parseAnd();
    ExprPtr parseNot();
    ExprPtr parseCompare();
    ExprPtr binary(std::string op, ExprPtr left, ExprPtr right, int line);
    ExprPtr parseMath1();
    ExprPtr parseConcat();
    ExprPtr parseMath2();
    ExprPtr parsePow();
    ExprPtr parseUnary(bool withFilter);
    ExprPtr parsePrimary();
    ExprPtr parsePostfix(ExprPtr node);
    ExprPtr parseSubscript(ExprPtr node, int line);
    void parseArgs(Expr& e);
    ExprPtr parseCall(ExprPtr callee);
    ExprPtr parseFilterChain(ExprPtr input, bool leadingPipe = true);
    ExprPtr parseFilterExpr(ExprPtr node);
};

} // namespace atelier::jinja::detail
