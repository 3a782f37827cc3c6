#include "inference/chat/jinja/parser.hpp"

#include "inference/chat/jinja/error.hpp"

#include <algorithm>
#include <initializer_list>

namespace atelier::jinja {
namespace {

constexpr int kMaxNesting = 200; // expression and block nesting; deeper is refused, not crashed

class Parser {
public:
    explicit Parser(const std::vector<Token>& tokens) : t_(tokens) {}

    Body parseTemplate() {
        Body body = parseBody({});
        if (cur().type != Token::Type::End) failHere("unexpected '" + cur().text + "'");
        return body;
    }

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

    // ---- statements -------------------------------------------------------------------------

    // Parses until a block tag whose name is in `stop`; leaves the position on that name.
    Body parseBody(std::initializer_list<std::string_view> stop) {
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

    NodePtr parseStatement() {
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
                expectBlockEnd();
                n->body = parseBody({"endset"});
                advance();
                expectBlockEnd();
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
            expectBlockEnd();
            n->body = parseBody({"endcall"});
            advance();
            expectBlockEnd();
        } else if (tag == "filter") {
            n->kind = Node::Kind::FilterBlock;
            n->filter = parseFilterChain(nullptr, false);
            expectBlockEnd();
            n->body = parseBody({"endfilter"});
            advance();
            expectBlockEnd();
        } else if (tag == "with") {
            n->kind = Node::Kind::With;
            while (cur().type != Token::Type::BlockEnd) {
                if (!n->assignments.empty()) expectOp(",");
                Target target = parseTarget(false);
                expectOp("=");
                n->assignments.emplace_back(std::move(target), parseExpression());
            }
            expectBlockEnd();
            n->body = parseBody({"endwith"});
            advance();
            expectBlockEnd();
        } else if (tag == "break" || tag == "continue") {
            n->kind = tag == "break" ? Node::Kind::Break : Node::Kind::Continue;
            expectBlockEnd();
        } else if (tag == "generation") {
            // Hugging Face's AssistantTracker tag: marks assistant text, renders its body as is.
            n->kind = Node::Kind::Scope;
            expectBlockEnd();
            n->body = parseBody({"endgeneration"});
            advance();
            expectBlockEnd();
        } else if (tag == "include" || tag == "import" || tag == "from" || tag == "extends" ||
                   tag == "block") {
            fail("line " + std::to_string(n->line) + ": '" + tag +
                 "' is not available: chat templates have no access to other files");
        } else {
            fail("line " + std::to_string(n->line) + ": unknown tag '" + tag + "'");
        }
        return n;
    }

    Target parseTarget(bool allowAttribute) {
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

    std::vector<MacroParam> parseParams() {
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

    // ---- expressions ------------------------------------------------------------------------

    ExprPtr make(Expr::Kind kind, int line) {
        auto e = std::make_unique<Expr>();
        e->kind = kind;
        e->line = line;
        return e;
    }

    // "a, b" without parentheses makes a tuple (in {{ }}, set and for).
    ExprPtr parseTuple(bool allowEmptyEnd, bool withCondExpr = true) {
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

    ExprPtr parseExpression() {
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

    ExprPtr parseOr() {
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

    ExprPtr parseAnd() {
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

    ExprPtr parseNot() {
        if (isName("not")) {
            DepthGuard guard(*this);
            auto e = make(Expr::Kind::Not, cur().line);
            advance();
            e->children.push_back(parseNot());
            return e;
        }
        return parseCompare();
    }

    ExprPtr parseCompare() {
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

    ExprPtr binary(std::string op, ExprPtr left, ExprPtr right, int line) {
        auto e = make(Expr::Kind::Binary, line);
        e->name = std::move(op);
        e->children.push_back(std::move(left));
        e->children.push_back(std::move(right));
        return e;
    }

    ExprPtr parseMath1() {
        ExprPtr left = parseConcat();
        while (isOp("+") || isOp("-")) {
            std::string op = cur().text;
            int line = cur().line;
            advance();
            left = binary(op, std::move(left), parseConcat(), line);
        }
        return left;
    }

    ExprPtr parseConcat() {
        ExprPtr left = parseMath2();
        while (isOp("~")) {
            int line = cur().line;
            advance();
            left = binary("~", std::move(left), parseMath2(), line);
        }
        return left;
    }

    ExprPtr parseMath2() {
        ExprPtr left = parsePow();
        while (isOp("*") || isOp("/") || isOp("//") || isOp("%")) {
            std::string op = cur().text;
            int line = cur().line;
            advance();
            left = binary(op, std::move(left), parsePow(), line);
        }
        return left;
    }

    ExprPtr parsePow() {
        ExprPtr left = parseUnary(true);
        while (isOp("**")) {
            int line = cur().line;
            advance();
            left = binary("**", std::move(left), parseUnary(true), line);
        }
        return left;
    }

    ExprPtr parseUnary(bool withFilter) {
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

    ExprPtr parsePrimary() {
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

    ExprPtr parsePostfix(ExprPtr node) {
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

    ExprPtr parseSubscript(ExprPtr node, int line) {
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
    void parseArgs(Expr& e) {
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

    ExprPtr parseCall(ExprPtr callee) {
        auto e = make(Expr::Kind::Call, cur().line);
        e->children.push_back(std::move(callee));
        parseArgs(*e);
        return e;
    }

    // "| name(args) | name2 ..." applied to input (null for filter blocks and set blocks).
    ExprPtr parseFilterChain(ExprPtr input, bool leadingPipe = true) {
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

    ExprPtr parseFilterExpr(ExprPtr node) {
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
                            c.type == Token::Type::Int || c.type == Token::Type::Float ||
                            isOp("[") || isOp("{")) &&
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
};

} // namespace

Body parse(const std::vector<Token>& tokens) {
    return Parser(tokens).parseTemplate();
}

} // namespace atelier::jinja
