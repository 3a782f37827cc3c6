#include "inference/chat/jinja/parser_internal.hpp"

// Expressions, by Jinja2's precedence: conditional < or < and < not < comparison < + - < ~ <
// * / // % < ** < unary < postfix/filter.
namespace atelier::jinja::detail {

ExprPtr Parser::make(Expr::Kind kind, int line) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->line = line;
    return e;
}

// "a, b" without parentheses makes a tuple (in {{ }}, set and for).
ExprPtr Parser::parseTuple(bool allowEmptyEnd, bool withCondExpr) {
    (void)allowEmptyEnd;
    int line = cur().line;
    ExprPtr first = withCondExpr ? parseExpression() : parseOr();
    if (!isOp(",")) return first;
    auto tuple = make(Expr::Kind::TupleLit, line);
    tuple->children.push_back(std::move(first));
    while (acceptOp(",")) {
        if (cur().type == Token::Type::BlockEnd || cur().type == Token::Type::VarEnd ||
            isName("if"))
            break;
        tuple->children.push_back(withCondExpr ? parseExpression() : parseOr());
    }
    return tuple;
}

ExprPtr Parser::parseExpression() {
    DepthGuard guard(*this);
    int line = cur().line;
    ExprPtr expr = parseOr();
    while (acceptName("if")) {
        auto cond = make(Expr::Kind::Cond, line);
        cond->children.push_back(parseOr());
        cond->children.push_back(std::move(expr));
        cond->children.push_back(acceptName("else") ? parseExpression() : nullptr);
        expr = std::move(cond);
    }
    return expr;
}

ExprPtr Parser::parseOr() {
    ExprPtr left = parseAnd();
    while (isName("or")) {
        auto e = make(Expr::Kind::Or, cur().line);
        advance();
        e->children.push_back(std::move(left));
        e->children.push_back(parseAnd());
        left = std::move(e);
    }
    return left;
}

ExprPtr Parser::parseAnd() {
    ExprPtr left = parseNot();
    while (isName("and")) {
        auto e = make(Expr::Kind::And, cur().line);
        advance();
        e->children.push_back(std::move(left));
        e->children.push_back(parseNot());
        left = std::move(e);
    }
    return left;
}

ExprPtr Parser::parseNot() {
    if (isName("not")) {
        DepthGuard guard(*this);
        auto e = make(Expr::Kind::Not, cur().line);
        advance();
        e->children.push_back(parseNot());
        return e;
    }
    return parseCompare();
}

ExprPtr Parser::parseCompare() {
    int line = cur().line;
    ExprPtr first = parseMath1();
    ExprPtr cmp;
    while (true) {
        std::string op;
        if (cur().type == Token::Type::Op &&
            (isOp("==") || isOp("!=") || isOp("<") || isOp(">") || isOp("<=") || isOp(">="))) {
            op = cur().text;
            advance();
        } else if (isName("in")) {
            op = "in";
            advance();
        } else if (isName("not") && peek().type == Token::Type::Name && peek().text == "in") {
            op = "not in";
            advance();
            advance();
        } else {
            break;
        }
        if (!cmp) {
            cmp = make(Expr::Kind::Compare, line);
            cmp->children.push_back(std::move(first));
        }
        cmp->ops.push_back(op);
        cmp->children.push_back(parseMath1());
    }
    return cmp ? std::move(cmp) : std::move(first);
}

ExprPtr Parser::binary(std::string op, ExprPtr left, ExprPtr right, int line) {
    auto e = make(Expr::Kind::Binary, line);
    e->name = std::move(op);
    e->children.push_back(std::move(left));
    e->children.push_back(std::move(right));
    return e;
}

ExprPtr Parser::parseMath1() {
    ExprPtr left = parseConcat();
    while (isOp("+") || isOp("-")) {
        std::string op = cur().text;
        int line = cur().line;
        advance();
        left = binary(op, std::move(left), parseConcat(), line);
    }
    return left;
}

ExprPtr Parser::parseConcat() {
    ExprPtr left = parseMath2();
    while (isOp("~")) {
        int line = cur().line;
        advance();
        left = binary("~", std::move(left), parseMath2(), line);
    }
    return left;
}

ExprPtr Parser::parseMath2() {
    ExprPtr left = parsePow();
    while (isOp("*") || isOp("/") || isOp("//") || isOp("%")) {
        std::string op = cur().text;
        int line = cur().line;
        advance();
        left = binary(op, std::move(left), parsePow(), line);
    }
    return left;
}

ExprPtr Parser::parsePow() {
    ExprPtr left = parseUnary(true);
    while (isOp("**")) {
        int line = cur().line;
        advance();
        left = binary("**", std::move(left), parseUnary(true), line);
    }
    return left;
}

ExprPtr Parser::parseUnary(bool withFilter) {
    DepthGuard guard(*this);
    ExprPtr node;
    if (isOp("-") || isOp("+")) {
        auto e = make(isOp("-") ? Expr::Kind::Neg : Expr::Kind::Pos, cur().line);
        advance();
        e->children.push_back(parseUnary(false));
        node = std::move(e);
    } else {
        node = parsePrimary();
    }
    node = parsePostfix(std::move(node));
    if (withFilter) node = parseFilterExpr(std::move(node));
    return node;
}

ExprPtr Parser::parsePrimary() {
    const Token& tok = cur();
    int line = tok.line;
    switch (tok.type) {
    case Token::Type::Name: {
        static const std::pair<const char*, int> kConstants[] = {
            {"true", 1}, {"True", 1}, {"false", 0}, {"False", 0}, {"none", 2}, {"None", 2}};
        for (auto [word, which] : kConstants) {
            if (tok.text == word) {
                auto e = make(Expr::Kind::Literal, line);
                e->value = which == 2 ? Value::none() : Value(which == 1);
                advance();
                return e;
            }
        }
        auto e = make(Expr::Kind::Name, line);
        e->name = tok.text;
        advance();
        return e;
    }
    case Token::Type::String: {
        std::string text;
        while (cur().type == Token::Type::String) {
            text += cur().text;
            advance();
        }
        auto e = make(Expr::Kind::Literal, line);
        e->value = Value(std::move(text));
        return e;
    }
    case Token::Type::Int: {
        auto e = make(Expr::Kind::Literal, line);
        e->value = Value(tok.intValue);
        advance();
        return e;
    }
    case Token::Type::Float: {
        auto e = make(Expr::Kind::Literal, line);
        e->value = Value(tok.floatValue);
        advance();
        return e;
    }
    case Token::Type::Op:
        if (tok.text == "(") {
            advance();
            if (acceptOp(")")) return make(Expr::Kind::TupleLit, line);
            ExprPtr first = parseExpression();
            if (acceptOp(")")) return first;
            auto tuple = make(Expr::Kind::TupleLit, line);
            tuple->children.push_back(std::move(first));
            while (acceptOp(",")) {
                if (isOp(")")) break;
                tuple->children.push_back(parseExpression());
            }
            expectOp(")");
            return tuple;
        }
        if (tok.text == "[") {
            advance();
            auto list = make(Expr::Kind::ListLit, line);
            while (!acceptOp("]")) {
                if (!list->children.empty()) {
                    expectOp(",");
                    if (acceptOp("]")) break;
                }
                list->children.push_back(parseExpression());
            }
            return list;
        }
        if (tok.text == "{") {
            advance();
            auto dict = make(Expr::Kind::DictLit, line);
            while (!acceptOp("}")) {
                if (!dict->children.empty()) {
                    expectOp(",");
                    if (acceptOp("}")) break;
                }
                dict->children.push_back(parseExpression());
                expectOp(":");
                dict->children.push_back(parseExpression());
            }
            return dict;
        }
        break;
    default:
        break;
    }
    failHere("unexpected " + describe(tok));
}

ExprPtr Parser::parsePostfix(ExprPtr node) {
    while (true) {
        int line = cur().line;
        if (isOp(".")) {
            advance();
            if (cur().type == Token::Type::Name) {
                auto e = make(Expr::Kind::Attr, line);
                e->name = cur().text;
                advance();
                e->children.push_back(std::move(node));
                node = std::move(e);
            } else if (cur().type == Token::Type::Int) {
                auto e = make(Expr::Kind::Item, line);
                e->children.push_back(std::move(node));
                auto idx = make(Expr::Kind::Literal, line);
                idx->value = Value(cur().intValue);
                advance();
                e->children.push_back(std::move(idx));
                node = std::move(e);
            } else {
                failHere("expected an attribute name after '.'");
            }
        } else if (isOp("[")) {
            advance();
            node = parseSubscript(std::move(node), line);
        } else if (isOp("(")) {
            node = parseCall(std::move(node));
        } else {
            return node;
        }
    }
}

ExprPtr Parser::parseSubscript(ExprPtr node, int line) {
    ExprPtr parts[3];
    bool slice = false;
    if (!isOp(":")) parts[0] = parseExpression();
    if (acceptOp(":")) {
        slice = true;
        if (!isOp("]") && !isOp(":")) parts[1] = parseExpression();
        if (acceptOp(":") && !isOp("]")) parts[2] = parseExpression();
    } else if (isOp(",")) {
        failHere("tuple subscripts are not supported");
    }
    expectOp("]");
    auto e = make(slice ? Expr::Kind::Slice : Expr::Kind::Item, line);
    e->children.push_back(std::move(node));
    if (slice) {
        for (auto& p : parts) e->children.push_back(std::move(p));
    } else {
        e->children.push_back(std::move(parts[0]));
    }
    return e;
}

// Parses "( args, name=value )" into e (children after the first, kwargs).
void Parser::parseArgs(Expr& e) {
    expectOp("(");
    bool first = true;
    while (!acceptOp(")")) {
        if (!first) {
            expectOp(",");
            if (acceptOp(")")) break;
        }
        first = false;
        if (isOp("*") || isOp("**")) failHere("*args and **kwargs in calls are not supported");
        if (cur().type == Token::Type::Name && peek().type == Token::Type::Op &&
            peek().text == "=") {
            std::string key = cur().text;
            advance();
            advance();
            e.kwargs.emplace_back(std::move(key), parseExpression());
        } else {
            if (!e.kwargs.empty()) failHere("a positional argument follows a keyword argument");
            e.children.push_back(parseExpression());
        }
    }
}

ExprPtr Parser::parseCall(ExprPtr callee) {
    auto e = make(Expr::Kind::Call, cur().line);
    e->children.push_back(std::move(callee));
    parseArgs(*e);
    return e;
}

// "| name(args) | name2 ..." applied to input (null for filter blocks and set blocks).
ExprPtr Parser::parseFilterChain(ExprPtr input, bool leadingPipe) {
    bool first = true;
    while (first ? (!leadingPipe || isOp("|")) : isOp("|")) {
        if (!first || leadingPipe) expectOp("|");
        first = false;
        auto e = make(Expr::Kind::Filter, cur().line);
        e->name = expectName();
        while (acceptOp(".")) e->name += "." + expectName();
        e->children.push_back(std::move(input));
        if (isOp("(")) parseArgs(*e);
        input = std::move(e);
    }
    return input;
}

ExprPtr Parser::parseFilterExpr(ExprPtr node) {
    while (true) {
        if (isOp("|")) {
            node = parseFilterChain(std::move(node));
        } else if (isName("is")) {
            auto e = make(Expr::Kind::Test, cur().line);
            advance();
            e->negated = acceptName("not");
            e->name = expectName();
            while (acceptOp(".")) e->name += "." + expectName();
            e->children.push_back(std::move(node));
            const Token& c = cur();
            if (isOp("(")) {
                parseArgs(*e);
            } else if ((c.type == Token::Type::Name || c.type == Token::Type::String ||
                        c.type == Token::Type::Int || c.type == Token::Type::Float || isOp("[") ||
                        isOp("{")) &&
                       !isName("else") && !isName("or") && !isName("and")) {
                if (isName("is")) failHere("tests cannot be chained with 'is'");
                e->children.push_back(parsePostfix(parsePrimary()));
            }
            node = std::move(e);
        } else if (isOp("(")) {
            node = parseCall(std::move(node));
        } else {
            return node;
        }
    }
}

} // namespace atelier::jinja::detail
