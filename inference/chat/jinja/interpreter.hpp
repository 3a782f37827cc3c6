#pragma once
// Walks the parsed template and writes its output. The sandbox: no file, network or clock access
// (the date comes from the caller), values cannot be mutated except namespace attributes, and
// loops, call depth and output size are bounded so a hostile template ends in a clear error.
#include "inference/chat/jinja/ast.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace atelier::jinja {

struct RenderLimits {
    std::size_t maxOutputBytes = 32u << 20;      // also the largest string a template may build
    std::uint64_t maxLoopIterations = 2'000'000; // over the whole render
    int maxCallDepth = 200;                      // nested macro calls
    std::size_t maxCollectionItems = 1u << 22;   // largest list range() or "*" may build
};

// One level of variables. For-loop iterations, macros and with-blocks open a new one;
// if-blocks do not (Jinja2's scoping).
struct Frame {
    std::unordered_map<std::string, Value> vars;
    std::shared_ptr<Frame> parent;

    const Value* lookup(const std::string& name) const;
};

class Interpreter {
public:
    explicit Interpreter(const RenderLimits& limits) : limits_(limits) {}

    // Renders a whole template; errors carry "line N: " except raise_exception's message.
    std::string render(const Body& body, std::shared_ptr<Frame> globals);

    // Used by macros, filters, tests and methods.
    std::string renderBody(const Body& body, const std::shared_ptr<Frame>& frame);
    Value call(const Value& callee, CallArgs& args);
    Value getAttr(const Value& object, std::string_view name);
    Value getItem(const Value& object, const Value& key);
    std::vector<Value> iterate(const Value& value);
    Value applyFilter(const std::string& name, const Value& input, CallArgs& args);
    bool applyTest(const std::string& name, const Value& input, CallArgs& args);
    bool contains(const Value& container, const Value& item);
    Value evalDefault(const Expr& e, const std::shared_ptr<Frame>& frame);
    const RenderLimits& limits() const { return limits_; }
    void checkStringSize(std::size_t bytes) const;
    void countIterations(std::uint64_t n);
    // Objects that may reference themselves (namespaces) are released when the render ends.
    void track(const std::shared_ptr<Object>& object) { created_.push_back(object); }

    struct CallDepthGuard {
        Interpreter& in;
        explicit CallDepthGuard(Interpreter& interpreter);
        ~CallDepthGuard() { --in.callDepth_; }
    };

private:
    enum class Flow { Normal, Break, Continue };

    RenderLimits limits_;
    std::uint64_t iterations_ = 0;
    int callDepth_ = 0;
    int line_ = 0;
    std::vector<std::weak_ptr<Object>> created_;
    bool constantOutput_ = false; // evaluating a {{ }} made only of literals

    Flow exec(const Body& body, std::shared_ptr<Frame>& frame, std::string& out);
    Flow execNode(const Node& node, std::shared_ptr<Frame>& frame, std::string& out);
    Flow execFor(const Node& node, std::shared_ptr<Frame>& frame, std::string& out);
    // {% set x %} and {% filter %} blocks: the body's text through the node's filter chain.
    Value renderFiltered(const Node& node, const std::shared_ptr<Frame>& frame);
    void assign(const Target& target, const Value& value, Frame& frame);
    void append(std::string& out, std::string_view text);

    Value eval(const Expr& e, const std::shared_ptr<Frame>& frame);
    Value evalBinary(const std::string& op, const Value& a, const Value& b);
    Value evalSlice(const Expr& e, const std::shared_ptr<Frame>& frame);
    void evalArgs(const Expr& e, std::size_t first, const std::shared_ptr<Frame>& frame,
                  CallArgs& args);
};

} // namespace atelier::jinja
