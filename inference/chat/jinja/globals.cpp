#include "inference/chat/jinja/globals.hpp"

#include "inference/chat/jinja/builtins.hpp"
#include "inference/chat/jinja/error.hpp"

#include <functional>

namespace atelier::jinja {
namespace {

class Function : public Callable {
public:
    using Fn = std::function<Value(Interpreter&, CallArgs&)>;
    Function(std::string name, Fn fn) : name_(std::move(name)), fn_(std::move(fn)) {}
    std::string name() const override { return name_; }
    Value call(Interpreter& in, CallArgs& args) override { return fn_(in, args); }

private:
    std::string name_;
    Fn fn_;
};

Value function(std::string name, Function::Fn fn) {
    return Value::callable(std::make_shared<Function>(std::move(name), std::move(fn)));
}

// namespace(...): the one object a template may assign attributes to, so values can leave loops.
class Namespace : public Object {
public:
    std::string typeName() const override { return "Namespace"; }
    std::optional<Value> attribute(std::string_view name) const override {
        if (const Value* v = attrs_.find(name)) return *v;
        return std::nullopt;
    }
    bool setAttribute(std::string_view name, Value value) override {
        attrs_.set(Value(std::string(name)), std::move(value));
        return true;
    }
    std::string repr() const override {
        return "<Namespace " + jinja::repr(Value::dict(attrs_)) + ">";
    }
    void releaseReferences() override { attrs_.entries.clear(); }

private:
    DictData attrs_;
};

// joiner(sep=", "): returns "" the first time it is called and sep afterwards.
class Joiner : public Callable {
public:
    explicit Joiner(std::string sep) : sep_(std::move(sep)) {}
    std::string name() const override { return "joiner"; }
    Value call(Interpreter&, CallArgs&) override {
        if (!used_) {
            used_ = true;
            return Value("");
        }
        return Value(sep_);
    }

private:
    std::string sep_;
    bool used_ = false;
};

Value range(Interpreter& in, CallArgs& args) {
    if (!args.named.empty()) fail("range() takes no keyword arguments");
    std::vector<std::int64_t> n;
    for (const Value& v : args.positional) {
        if (!v.isInt() && !v.isBool())
            fail("'" + v.typeName() + "' object cannot be interpreted as an integer");
        n.push_back(v.asInt());
    }
    std::int64_t start = 0, stop = 0, step = 1;
    if (n.size() == 1)
        stop = n[0];
    else if (n.size() == 2 || n.size() == 3) {
        start = n[0];
        stop = n[1];
        if (n.size() == 3) step = n[2];
    } else {
        fail("range expected 1 to 3 arguments, got " + std::to_string(n.size()));
    }
    if (step == 0) fail("range() arg 3 must not be zero");
    std::vector<Value> items;
    for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
        if (items.size() >= in.limits().maxCollectionItems)
            fail("range() larger than the limit of " +
                 std::to_string(in.limits().maxCollectionItems) + " items");
        items.emplace_back(i);
        if ((step > 0 && i > INT64_MAX - step) || (step < 0 && i < INT64_MIN - step)) break;
    }
    return Value::list(std::move(items));
}

} // namespace

void addBuiltinGlobals(Frame& frame) {
    frame.vars["range"] = function("range", range);
    frame.vars["dict"] = function("dict", [](Interpreter&, CallArgs& args) {
        DictData d;
        if (args.positional.size() > 1) fail("dict expected at most 1 argument");
        if (!args.positional.empty()) {
            const Value& src = args.positional[0];
            if (!src.isDict()) fail("dict() accepts a mapping and keyword arguments here");
            d = src.dictData();
        }
        for (auto& [k, v] : args.named) d.set(Value(k), v);
        return Value::dict(std::move(d));
    });
    frame.vars["namespace"] = function("namespace", [](Interpreter& in, CallArgs& args) {
        auto ns = std::make_shared<Namespace>();
        in.track(ns);
        for (const Value& src : args.positional) {
            if (!src.isDict()) fail("namespace() accepts a mapping and keyword arguments");
            for (const auto& [k, v] : src.dictData().entries) ns->setAttribute(toStr(k), v);
        }
        for (auto& [k, v] : args.named) ns->setAttribute(k, v);
        return Value::object(ns);
    });
    frame.vars["joiner"] = function("joiner", [](Interpreter&, CallArgs& args) {
        ArgReader r("joiner", args, {"sep"});
        return Value::callable(std::make_shared<Joiner>(toStr(r.get(0, Value(", ")))));
    });
}

Value makeRaiseException() {
    return function("raise_exception", [](Interpreter&, CallArgs& args) -> Value {
        ArgReader r("raise_exception", args, {"message"});
        throw RaisedError(toStr(r.get(0, Value(""))));
    });
}

Value makeStrftimeNow(const DateTime& now) {
    return function("strftime_now", [now](Interpreter&, CallArgs& args) {
        ArgReader r("strftime_now", args, {"format"});
        Value format = r.get(0, Value());
        if (!format.isString())
            fail("strftime_now() argument must be str, not " + format.typeName());
        return Value(formatTime(format.str(), now));
    });
}

} // namespace atelier::jinja
