#include "inference/chat/jinja/interpreter.hpp"

#include "inference/chat/jinja/builtins.hpp"
#include "inference/chat/jinja/error.hpp"

#include <algorithm>

namespace atelier::jinja {

const Value* Frame::lookup(const std::string& name) const {
    for (const Frame* f = this; f; f = f->parent.get()) {
        auto it = f->vars.find(name);
        if (it != f->vars.end()) return &it->second;
    }
    return nullptr;
}

namespace {

// Jinja2's loop variable: index, index0, revindex, revindex0, first, last, length, previtem,
// nextitem, depth, depth0, cycle(...), changed(...).
class LoopObject : public Object, public std::enable_shared_from_this<LoopObject> {
public:
    explicit LoopObject(std::shared_ptr<const std::vector<Value>> items)
        : items_(std::move(items)) {}
    void setIndex(std::size_t i) { index_ = i; }

    std::string typeName() const override { return "LoopContext"; }
    std::string repr() const override {
        return "<LoopContext " + std::to_string(index_ + 1) + "/" + std::to_string(items_->size()) +
               ">";
    }
    std::optional<Value> attribute(std::string_view name) const override;

private:
    std::shared_ptr<const std::vector<Value>> items_;
    std::size_t index_ = 0;
    mutable std::optional<Value> lastChanged_;
    friend class LoopMethod;
};

class LoopMethod : public Callable {
public:
    LoopMethod(std::shared_ptr<const LoopObject> loop, std::string name)
        : loop_(std::move(loop)), name_(std::move(name)) {}
    std::string name() const override { return "loop." + name_; }
    Value call(Interpreter&, CallArgs& args) override {
        if (name_ == "cycle") {
            if (args.positional.empty()) fail("no items for cycling given");
            return args.positional[loop_->index_ % args.positional.size()];
        }
        // changed(*values): true when the values differ from the previous call's.
        Value current = Value::list(args.positional);
        bool changed = !loop_->lastChanged_ || !equals(*loop_->lastChanged_, current);
        loop_->lastChanged_ = current;
        return Value(changed);
    }

private:
    std::shared_ptr<const LoopObject> loop_;
    std::string name_;
};

std::optional<Value> LoopObject::attribute(std::string_view name) const {
    const std::int64_t n = static_cast<std::int64_t>(items_->size());
    const std::int64_t i = static_cast<std::int64_t>(index_);
    if (name == "index") return Value(i + 1);
    if (name == "index0") return Value(i);
    if (name == "revindex") return Value(n - i);
    if (name == "revindex0") return Value(n - i - 1);
    if (name == "first") return Value(i == 0);
    if (name == "last") return Value(i == n - 1);
    if (name == "length") return Value(n);
    if (name == "depth") return Value(std::int64_t{1});
    if (name == "depth0") return Value(std::int64_t{0});
    if (name == "previtem") {
        if (i == 0) return Value::undefined("there is no previous item");
        return (*items_)[index_ - 1];
    }
    if (name == "nextitem") {
        if (i + 1 >= n) return Value::undefined("there is no next item");
        return (*items_)[index_ + 1];
    }
    if (name == "cycle" || name == "changed")
        return Value::callable(std::make_shared<LoopMethod>(shared_from_this(), std::string(name)));
    return std::nullopt;
}

// A {% macro %} (or the body of a {% call %} block, named "caller"): renders its body in a new
// frame whose parent is where it was defined.
class Macro : public Callable {
public:
    // The closure is held weakly: the frame holds the macro, so a strong reference would be a
    // cycle that outlives the render.
    Macro(const Node& node, const std::shared_ptr<Frame>& closure, std::string name)
        : node_(node), closure_(closure), name_(std::move(name)) {}
    std::string name() const override { return name_; }
    std::string repr() const override { return "<Macro '" + name_ + "'>"; }

    Value call(Interpreter& in, CallArgs& args) override {
        Interpreter::CallDepthGuard guard(in);
        auto frame = std::make_shared<Frame>();
        frame->parent = closure_.lock();
        if (!frame->parent)
            fail("macro '" + name_ + "' called after the block that defined it ended");
        const auto& params = node_.params;
        std::vector<Value> varargs;
        for (std::size_t i = 0; i < args.positional.size(); ++i) {
            if (i < params.size())
                frame->vars[params[i].name] = args.positional[i];
            else
                varargs.push_back(args.positional[i]);
        }
        DictData kwargs;
        for (auto& [key, value] : args.named) {
            auto it = std::find_if(params.begin(), params.end(),
                                   [&](const MacroParam& p) { return p.name == key; });
            if (it != params.end()) {
                if (frame->vars.count(key))
                    fail("macro '" + name_ + "' got multiple values for argument '" + key + "'");
                frame->vars[key] = value;
            } else if (key == "caller") {
                frame->vars["caller"] = value;
            } else {
                kwargs.set(Value(key), value);
            }
        }
        for (const auto& p : params) {
            if (frame->vars.count(p.name)) continue;
            frame->vars[p.name] = Value::undefined("parameter '" + p.name + "' was not provided");
            if (p.defaultValue) frame->vars[p.name] = in.evalDefault(*p.defaultValue, frame);
        }
        frame->vars["varargs"] = Value::tuple(std::move(varargs));
        frame->vars["kwargs"] = Value::dict(std::move(kwargs));
        return Value(in.renderBody(node_.body, frame));
    }

private:
    const Node& node_;
    std::weak_ptr<Frame> closure_;
    std::string name_;
};

} // namespace

Interpreter::CallDepthGuard::CallDepthGuard(Interpreter& interpreter) : in(interpreter) {
    if (++in.callDepth_ > in.limits_.maxCallDepth) {
        --in.callDepth_;
        fail("macro calls nested deeper than " + std::to_string(in.limits_.maxCallDepth));
    }
}

void Interpreter::checkStringSize(std::size_t bytes) const {
    if (bytes > limits_.maxOutputBytes)
        fail("output larger than the limit of " + std::to_string(limits_.maxOutputBytes) +
             " bytes");
}

void Interpreter::countIterations(std::uint64_t n) {
    iterations_ += n;
    if (iterations_ > limits_.maxLoopIterations)
        fail("more than " + std::to_string(limits_.maxLoopIterations) + " loop iterations");
}

void Interpreter::append(std::string& out, std::string_view text) {
    checkStringSize(out.size() + text.size());
    out.append(text);
}

std::string Interpreter::render(const Body& body, std::shared_ptr<Frame> globals) {
    auto top = std::make_shared<Frame>();
    top->parent = std::move(globals);
    std::string out;
    // Namespaces may end up holding themselves; empty them all when the render ends.
    struct Release {
        Interpreter& in;
        ~Release() {
            for (auto& weak : in.created_)
                if (auto object = weak.lock()) object->releaseReferences();
            in.created_.clear();
        }
    } release{*this};
    try {
        exec(body, top, out);
    } catch (const RaisedError&) {
        throw;
    } catch (const Error& e) {
        fail("line " + std::to_string(line_) + ": " + e.what());
    }
    return out;
}

std::string Interpreter::renderBody(const Body& body, const std::shared_ptr<Frame>& frame) {
    std::string out;
    std::shared_ptr<Frame> f = frame;
    int savedLine = line_;
    exec(body, f, out);
    line_ = savedLine;
    return out;
}

Value Interpreter::evalDefault(const Expr& e, const std::shared_ptr<Frame>& frame) {
    return eval(e, frame);
}

Interpreter::Flow Interpreter::exec(const Body& body, std::shared_ptr<Frame>& frame,
                                    std::string& out) {
    for (const auto& node : body) {
        Flow flow = execNode(*node, frame, out);
        if (flow != Flow::Normal) return flow;
    }
    return Flow::Normal;
}

Interpreter::Flow Interpreter::execNode(const Node& node, std::shared_ptr<Frame>& frame,
                                        std::string& out) {
    line_ = node.line;
    switch (node.kind) {
    case Node::Kind::Text:
        append(out, node.text);
        return Flow::Normal;
    case Node::Kind::Output: {
        constantOutput_ = isConstantExpr(node.expr.get());
        Value v = eval(*node.expr, frame);
        constantOutput_ = false;
        if (v.isString())
            append(out, v.str());
        else
            append(out, toStr(v));
        return Flow::Normal;
    }
    case Node::Kind::If:
        for (const auto& [cond, body] : node.branches) {
            line_ = cond->line;
            if (truthy(eval(*cond, frame))) return exec(body, frame, out);
        }
        return exec(node.elseBody, frame, out);
    case Node::Kind::For:
        return execFor(node, frame, out);
    case Node::Kind::Set:
        assign(node.target, eval(*node.expr, frame), *frame);
        return Flow::Normal;
    case Node::Kind::SetBlock:
        assign(node.target, renderFiltered(node, frame), *frame);
        return Flow::Normal;
    case Node::Kind::Macro:
        frame->vars[node.name] = Value::callable(std::make_shared<Macro>(node, frame, node.name));
        return Flow::Normal;
    case Node::Kind::CallBlock: {
        const Expr& callExpr = *node.expr;
        Value callee = eval(*callExpr.children[0], frame);
        CallArgs args;
        evalArgs(callExpr, 1, frame, args);
        args.named.emplace_back("caller",
                                Value::callable(std::make_shared<Macro>(node, frame, "caller")));
        Value result = call(callee, args);
        append(out, toStr(result));
        return Flow::Normal;
    }
    case Node::Kind::FilterBlock:
        append(out, toStr(renderFiltered(node, frame)));
        return Flow::Normal;
    case Node::Kind::With: {
        auto inner = std::make_shared<Frame>();
        inner->parent = frame;
        for (const auto& [target, expr] : node.assignments)
            assign(target, eval(*expr, frame), *inner);
        return exec(node.body, inner, out);
    }
    case Node::Kind::Break:
        return Flow::Break;
    case Node::Kind::Continue:
        return Flow::Continue;
    case Node::Kind::Scope:
        return exec(node.body, frame, out);
    }
    return Flow::Normal;
}

Value Interpreter::renderFiltered(const Node& node, const std::shared_ptr<Frame>& frame) {
    std::string captured;
    std::shared_ptr<Frame> f = frame;
    exec(node.body, f, captured);
    Value v(std::move(captured));
    // The chain was parsed with a null input (none for a set block without filters); evaluate
    // it with the captured text, innermost filter first.
    std::vector<const Expr*> chain;
    for (const Expr* e = node.filter.get(); e; e = e->children[0].get()) chain.push_back(e);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        CallArgs args;
        evalArgs(**it, 1, frame, args);
        v = applyFilter((*it)->name, v, args);
    }
    return v;
}

Interpreter::Flow Interpreter::execFor(const Node& node, std::shared_ptr<Frame>& frame,
                                       std::string& out) {
    std::vector<Value> all = iterate(eval(*node.expr, frame));
    std::vector<Value> items;
    if (node.condition) {
        for (const Value& item : all) {
            auto probe = std::make_shared<Frame>();
            probe->parent = frame;
            assign(node.target, item, *probe);
            countIterations(1);
            if (truthy(eval(*node.condition, probe))) items.push_back(item);
        }
    } else {
        items = std::move(all);
    }
    if (items.empty()) return exec(node.elseBody, frame, out);
    auto shared = std::make_shared<const std::vector<Value>>(std::move(items));
    auto loop = std::make_shared<LoopObject>(shared);
    Value loopValue = Value::object(loop);
    for (std::size_t i = 0; i < shared->size(); ++i) {
        countIterations(1);
        loop->setIndex(i);
        auto iteration = std::make_shared<Frame>();
        iteration->parent = frame;
        iteration->vars["loop"] = loopValue;
        assign(node.target, (*shared)[i], *iteration);
        Flow flow = exec(node.body, iteration, out);
        if (flow == Flow::Break) break;
    }
    return Flow::Normal;
}

void Interpreter::assign(const Target& target, const Value& value, Frame& frame) {
    if (!target.attribute.empty()) {
        const Value* ns = frame.lookup(target.names[0]);
        if (!ns || !ns->isObject() || !ns->obj()->setAttribute(target.attribute, value))
            fail("cannot assign attribute on non-namespace object");
        return;
    }
    if (!target.unpack) {
        frame.vars[target.names[0]] = value;
        return;
    }
    std::vector<Value> parts = iterate(value);
    if (parts.size() < target.names.size())
        fail("not enough values to unpack (expected " + std::to_string(target.names.size()) +
             ", got " + std::to_string(parts.size()) + ")");
    if (parts.size() > target.names.size())
        fail("too many values to unpack (expected " + std::to_string(target.names.size()) + ")");
    for (std::size_t i = 0; i < parts.size(); ++i) frame.vars[target.names[i]] = parts[i];
}

void Interpreter::evalArgs(const Expr& e, std::size_t first, const std::shared_ptr<Frame>& frame,
                           CallArgs& args) {
    for (std::size_t i = first; i < e.children.size(); ++i)
        args.positional.push_back(eval(*e.children[i], frame));
    for (const auto& [key, expr] : e.kwargs) args.named.emplace_back(key, eval(*expr, frame));
}

Value Interpreter::call(const Value& callee, CallArgs& args) {
    if (callee.isCallable()) return callee.fn()->call(*this, args);
    if (callee.isUndefined()) {
        fail(callee.undefinedHint().empty() ? "called an undefined value" : callee.undefinedHint());
    }
    fail("'" + callee.typeName() + "' object is not callable");
}

Value Interpreter::eval(const Expr& e, const std::shared_ptr<Frame>& frame) {
    switch (e.kind) {
    case Expr::Kind::Literal:
        return e.value;
    case Expr::Kind::Name: {
        const Value* v = frame->lookup(e.name);
        return v ? *v : Value::undefined("'" + e.name + "' is undefined");
    }
    case Expr::Kind::ListLit:
    case Expr::Kind::TupleLit: {
        std::vector<Value> items;
        for (const auto& c : e.children) items.push_back(eval(*c, frame));
        return e.kind == Expr::Kind::ListLit ? Value::list(std::move(items))
                                             : Value::tuple(std::move(items));
    }
    case Expr::Kind::DictLit: {
        DictData d;
        for (std::size_t i = 0; i + 1 < e.children.size(); i += 2) {
            Value key = eval(*e.children[i], frame);
            if (key.isList() && !key.isTuple()) fail("unhashable type: 'list'");
            if (key.isDict()) fail("unhashable type: 'dict'");
            d.set(std::move(key), eval(*e.children[i + 1], frame));
        }
        return Value::dict(std::move(d));
    }
    case Expr::Kind::Attr:
        return getAttr(eval(*e.children[0], frame), e.name);
    case Expr::Kind::Item:
        return getItem(eval(*e.children[0], frame), eval(*e.children[1], frame));
    case Expr::Kind::Slice:
        return evalSlice(e, frame);
    case Expr::Kind::Call: {
        Value callee = eval(*e.children[0], frame);
        CallArgs args;
        evalArgs(e, 1, frame, args);
        return call(callee, args);
    }
    case Expr::Kind::Filter: {
        Value input = eval(*e.children[0], frame);
        CallArgs args;
        evalArgs(e, 1, frame, args);
        return applyFilter(e.name, input, args);
    }
    case Expr::Kind::Test: {
        Value input = eval(*e.children[0], frame);
        CallArgs args;
        evalArgs(e, 1, frame, args);
        bool r = applyTest(e.name, input, args);
        return Value(e.negated ? !r : r);
    }
    case Expr::Kind::Not:
        return Value(!truthy(eval(*e.children[0], frame)));
    case Expr::Kind::Neg:
    case Expr::Kind::Pos: {
        Value v = eval(*e.children[0], frame);
        if (v.isUndefined()) fail(v.undefinedHint());
        if (!v.isNumber())
            fail(std::string("bad operand type for unary ") +
                 (e.kind == Expr::Kind::Neg ? "-" : "+") + ": '" + v.typeName() + "'");
        if (e.kind == Expr::Kind::Pos) return v.isBool() ? Value(v.asInt()) : v;
        if (v.isFloat()) return Value(-v.asDouble());
        if (v.asInt() == INT64_MIN) fail("integer overflow");
        return Value(-v.asInt());
    }
    case Expr::Kind::Binary: {
        Value a = eval(*e.children[0], frame);
        Value b = eval(*e.children[1], frame);
        return evalBinary(e.name, a, b);
    }
    case Expr::Kind::Compare: {
        Value left = eval(*e.children[0], frame);
        for (std::size_t i = 0; i < e.ops.size(); ++i) {
            Value right = eval(*e.children[i + 1], frame);
            const std::string& op = e.ops[i];
            bool r;
            if (op == "==")
                r = equals(left, right);
            else if (op == "!=")
                r = !equals(left, right);
            else if (op == "in")
                r = contains(right, left);
            else if (op == "not in")
                r = !contains(right, left);
            else {
                if (left.isUndefined()) fail(left.undefinedHint());
                if (right.isUndefined()) fail(right.undefinedHint());
                if (!(left.isNumber() && right.isNumber()) &&
                    !(left.isString() && right.isString()) && !(left.isList() && right.isList()))
                    fail("'" + op + "' not supported between instances of '" + left.typeName() +
                         "' and '" + right.typeName() + "'");
                int c = compare(left, right);
                r = op == "<" ? c < 0 : op == ">" ? c > 0 : op == "<=" ? c <= 0 : c >= 0;
            }
            if (!r) return Value(false);
            left = std::move(right);
        }
        return Value(true);
    }
    case Expr::Kind::And: {
        Value a = eval(*e.children[0], frame);
        return truthy(a) ? eval(*e.children[1], frame) : a;
    }
    case Expr::Kind::Or: {
        Value a = eval(*e.children[0], frame);
        return truthy(a) ? a : eval(*e.children[1], frame);
    }
    case Expr::Kind::Cond:
        if (truthy(eval(*e.children[0], frame))) return eval(*e.children[1], frame);
        if (e.children[2]) return eval(*e.children[2], frame);
        return Value::undefined("the inline if-expression on line " + std::to_string(e.line) +
                                " evaluated to false and no else section was defined.");
    }
    return Value();
}

} // namespace atelier::jinja
