#include "inference/chat/jinja/parser.hpp"
#include "inference/chat/jinja/parser_internal.hpp"

// Statements: the template body, tags ({% if %}, {% for %}, {% set %}, {% macro %} ...),
// assignment targets and macro parameters.
namespace atelier::jinja {
namespace detail {

Body Parser::parseTemplate() {
    Body body = parseBody({});
    if (cur().type != Token::Type::End) failHere("unexpected '" + cur().text + "'");
    return body;
}

Body Parser::parseBody(std::initializer_list<std::string_view> stop) {
    DepthGuard guard(*this);
    Body body;
    while (true) {
        const Token& tok = cur();
        if (tok.type == Token::Type::End) {
            if (stop.size() != 0)
                failHere("unexpected end of template, expected '" + std::string(*stop.begin()) +
                         "'");
            return body;
        }
        if (tok.type == Token::Type::Text) {
            auto n = std::make_unique<Node>();
            n->kind = Node::Kind::Text;
            n->line = tok.line;
            n->text = tok.text;
            body.push_back(std::move(n));
            advance();
        } else if (tok.type == Token::Type::VarBegin) {
            auto n = std::make_unique<Node>();
            n->kind = Node::Kind::Output;
            n->line = tok.line;
            advance();
            n->expr = parseTuple(true);
            if (cur().type != Token::Type::VarEnd)
                failHere("expected end of print statement, got " + describe(cur()));
            advance();
            body.push_back(std::move(n));
        } else if (tok.type == Token::Type::BlockBegin) {
            advance();
            if (cur().type != Token::Type::Name)
                failHere("expected a statement name, got " + describe(cur()));
            if (std::find(stop.begin(), stop.end(), cur().text) != stop.end()) return body;
            body.push_back(parseStatement());
        } else {
            failHere("unexpected " + describe(tok));
        }
    }
}

NodePtr Parser::parseStatement() {
    auto n = std::make_unique<Node>();
    n->line = cur().line;
    std::string tag = expectName();
    if (tag == "if") {
        n->kind = Node::Kind::If;
        ExprPtr cond = parseTuple(false);
        expectBlockEnd();
        while (true) {
            Body b = parseBody({"elif", "else", "endif"});
            n->branches.emplace_back(std::move(cond), std::move(b));
            std::string which = expectName();
            if (which == "elif") {
                cond = parseTuple(false);
                expectBlockEnd();
                continue;
            }
            if (which == "else") {
                expectBlockEnd();
                n->elseBody = parseBody({"endif"});
                advance();
            }
            expectBlockEnd();
            break;
        }
    } else if (tag == "for") {
        n->kind = Node::Kind::For;
        n->target = parseTarget(false);
        if (!acceptName("in")) failHere("expected 'in', got " + describe(cur()));
        n->expr = parseTuple(false, false);
        if (acceptName("if")) n->condition = parseExpression();
        if (isName("recursive")) failHere("recursive for loops are not supported");
        expectBlockEnd();
        n->body = parseBody({"endfor", "else"});
        if (expectName() == "else") {
            expectBlockEnd();
            n->elseBody = parseBody({"endfor"});
            advance();
        }
        expectBlockEnd();
    } else if (tag == "set") {
        n->target = parseTarget(true);
        if (acceptOp("=")) {
            n->kind = Node::Kind::Set;
            n->expr = parseTuple(false);
            expectBlockEnd();
        } else {
            n->kind = Node::Kind::SetBlock;
            if (n->target.unpack || !n->target.attribute.empty())
                failHere("a block set assigns one name");
            if (isOp("|")) n->filter = parseFilterChain(nullptr);
            n->body = parseBlock("endset");
        }
    } else if (tag == "macro") {
        n->kind = Node::Kind::Macro;
        n->name = expectName();
        n->params = parseParams();
        expectBlockEnd();
        n->body = parseBody({"endmacro"});
        advance();
        if (cur().type == Token::Type::Name) advance(); // {% endmacro name %}
        expectBlockEnd();
    } else if (tag == "call") {
        n->kind = Node::Kind::CallBlock;
        if (isOp("(")) n->params = parseParams();
        n->expr = parseExpression();
        if (n->expr->kind != Expr::Kind::Call) failHere("expected a call after 'call'");
        n->body = parseBlock("endcall");
    } else if (tag == "filter") {
        n->kind = Node::Kind::FilterBlock;
        n->filter = parseFilterChain(nullptr, false);
        n->body = parseBlock("endfilter");
    } else if (tag == "with") {
        n->kind = Node::Kind::With;
        while (cur().type != Token::Type::BlockEnd) {
            if (!n->assignments.empty()) expectOp(",");
            Target target = parseTarget(false);
            expectOp("=");
            n->assignments.emplace_back(std::move(target), parseExpression());
        }
        n->body = parseBlock("endwith");
    } else if (tag == "break" || tag == "continue") {
        n->kind = tag == "break" ? Node::Kind::Break : Node::Kind::Continue;
        expectBlockEnd();
    } else if (tag == "generation") {
        // Hugging Face's AssistantTracker tag: marks assistant text, renders its body as is.
        n->kind = Node::Kind::Scope;
        n->body = parseBlock("endgeneration");
    } else if (tag == "include" || tag == "import" || tag == "from" || tag == "extends" ||
               tag == "block") {
        fail("line " + std::to_string(n->line) + ": '" + tag +
             "' is not available: chat templates have no access to other files");
    } else {
        fail("line " + std::to_string(n->line) + ": unknown tag '" + tag + "'");
    }
    return n;
}

Body Parser::parseBlock(std::string_view endTag) {
    expectBlockEnd();
    Body body = parseBody({endTag});
    advance(); // the end tag's name
    expectBlockEnd();
    return body;
}

Target Parser::parseTarget(bool allowAttribute) {
    Target target;
    bool parens = acceptOp("(");
    target.names.push_back(expectName());
    if (allowAttribute && !parens && acceptOp(".")) {
        target.attribute = expectName();
        return target;
    }
    while (acceptOp(",")) {
        target.unpack = true;
        if (cur().type != Token::Type::Name) break;
        target.names.push_back(expectName());
    }
    if (parens) {
        expectOp(")");
        target.unpack = true;
    }
    return target;
}

std::vector<MacroParam> Parser::parseParams() {
    std::vector<MacroParam> params;
    expectOp("(");
    while (!acceptOp(")")) {
        if (!params.empty()) expectOp(",");
        if (acceptOp(")")) break;
        MacroParam p;
        p.name = expectName();
        if (acceptOp("="))
            p.defaultValue = parseExpression();
        else if (!params.empty() && params.back().defaultValue)
            failHere("a parameter without a default follows one with a default");
        params.push_back(std::move(p));
    }
    return params;
}

} // namespace detail

Body parse(const std::vector<Token>& tokens) {
    return detail::Parser(tokens).parseTemplate();
}

} // namespace atelier::jinja
