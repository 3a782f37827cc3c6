#pragma once
// The parsed form of a template: expressions and statements, with the line each starts on.
#include "inference/chat/jinja/value.hpp"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace atelier::jinja {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
    enum class Kind {
        Literal,  // value
        Name,     // name
        ListLit,  // children
        TupleLit, // children
        DictLit,  // children: key, value, key, value...
        Attr,     // children[0] . name
        Item,     // children[0] [ children[1] ]
        Slice,    // children[0] [ children[1] : children[2] : children[3] ] (null when omitted)
        Call,     // children[0] ( children[1..], kwargs )
        Filter,   // children[0] | name ( children[1..], kwargs ); children[0] null in filter blocks
        Test,     // children[0] is [not] name ( children[1..], kwargs ); negated
        Not,      // not children[0]
        Neg,      // - children[0]
        Pos,      // + children[0]
        Binary,   // children[0] op children[1]: + - * / // % ** ~
        Compare,  // children[0] ops[0] children[1] ops[1] children[2] ... (chained)
        And,
        Or,
        Cond, // children[1] if children[0] else children[2] (children[2] may be null)
    };
    Kind kind = Kind::Literal;
    int line = 1;
    Value value;
    std::string name;
    bool negated = false;
    std::vector<ExprPtr> children;
    std::vector<std::string> ops;
    std::vector<std::pair<std::string, ExprPtr>> kwargs;
};

struct Node;
using NodePtr = std::unique_ptr<Node>;
using Body = std::vector<NodePtr>;

// What a for loop or a set statement assigns to: one name, several names (unpacking),
// or a namespace attribute ("ns.attr").
struct Target {
    std::vector<std::string> names;
    bool unpack = false;
    std::string attribute; // non-empty: names[0].attribute
};

struct MacroParam {
    std::string name;
    ExprPtr defaultValue; // may be null
};

struct Node {
    enum class Kind {
        Text,        // text
        Output,      // {{ expr }}
        If,          // branches (condition, body), elseBody
        For,         // target in expr [if condition] body [else elseBody]
        Set,         // target = expr
        SetBlock,    // target, body, filter (optional: {% set x | f %})
        Macro,       // name, params, body
        CallBlock,   // expr (the call), params (caller's), body
        FilterBlock, // filter (chain with null input), body
        With,        // assignments (targets + exprs), body
        Break,
        Continue,
        Scope, // a plain body (the generation extension's block)
    };
    Kind kind = Kind::Text;
    int line = 1;
    std::string text;
    ExprPtr expr;
    ExprPtr condition;
    ExprPtr filter;
    Target target;
    std::vector<std::pair<ExprPtr, Body>> branches;
    Body body;
    Body elseBody;
    std::string name;
    std::vector<MacroParam> params;
    std::vector<std::pair<Target, ExprPtr>> assignments;
};

} // namespace atelier::jinja
