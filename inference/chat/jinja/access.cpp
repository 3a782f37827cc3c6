// Attribute access, subscripts, slices, iteration and membership with Jinja2's rules:
// "a.b" tries the attribute then the item, "a[b]" the item then the attribute, and what is
// missing is an undefined value that renders empty but fails when used further.
#include "inference/chat/jinja/builtins.hpp"
#include "inference/chat/jinja/error.hpp"
#include "inference/chat/jinja/interpreter.hpp"
#include "inference/chat/jinja/utf8.hpp"

namespace atelier::jinja {
namespace {

std::string objectTypeRepr(const Value& v) {
    if (v.isNone()) return "None";
    return v.typeName() + " object";
}

Value missingAttribute(const Value& object, std::string_view name) {
    return Value::undefined("'" + objectTypeRepr(object) + "' has no attribute '" +
                            std::string(name) + "'");
}

// Python's slice.indices(): clamps start/stop for a sequence of `length` with `step`.
void sliceIndices(std::int64_t length, std::optional<std::int64_t> start,
                  std::optional<std::int64_t> stop, std::int64_t step, std::int64_t& outStart,
                  std::int64_t& outStop) {
    auto clamp = [&](std::optional<std::int64_t> v, std::int64_t dflt) {
        if (!v) return dflt;
        std::int64_t x = *v;
        if (x < 0) {
            x += length;
            if (x < 0) x = step < 0 ? -1 : 0;
        } else if (x >= length) {
            x = step < 0 ? length - 1 : length;
        }
        return x;
    };
    outStart = clamp(start, step < 0 ? length - 1 : 0);
    outStop = clamp(stop, step < 0 ? -1 : length);
}

} // namespace

// Built only from literals: Jinja2 folds such a {{ ... }} when compiling, and a slice that fails
// there becomes undefined instead of an error.
bool isConstantExpr(const Expr* e) {
    if (!e) return true;
    switch (e->kind) {
    case Expr::Kind::Literal:
        return true;
    case Expr::Kind::ListLit:
    case Expr::Kind::TupleLit:
    case Expr::Kind::DictLit:
    case Expr::Kind::Not:
    case Expr::Kind::Neg:
    case Expr::Kind::Pos:
    case Expr::Kind::Binary:
    case Expr::Kind::Compare:
    case Expr::Kind::And:
    case Expr::Kind::Or:
    case Expr::Kind::Cond:
    case Expr::Kind::Slice:
    case Expr::Kind::Item:
        for (const auto& c : e->children)
            if (!isConstantExpr(c.get())) return false;
        return true;
    default:
        return false;
    }
}

namespace {

std::optional<std::int64_t> sliceBound(const Value& v, const char* what) {
    if (v.isUndefined() || v.isNone()) return std::nullopt;
    if (v.isInt() || v.isBool()) return v.asInt();
    fail(std::string("slice ") + what + " must be an integer or None, not '" + v.typeName() + "'");
}

} // namespace

Value Interpreter::getAttr(const Value& object, std::string_view name) {
    switch (object.kind()) {
    case Value::Kind::Undefined:
        fail(object.undefinedHint().empty()
                 ? "undefined value has no attribute '" + std::string(name) + "'"
                 : object.undefinedHint());
    case Value::Kind::Dict: {
        if (auto m = boundMethod(object, name)) return *m;
        if (const Value* v = object.dictData().find(name)) return *v;
        return missingAttribute(object, name);
    }
    case Value::Kind::Object:
        if (auto v = object.obj()->attribute(name)) return *v;
        return missingAttribute(object, name);
    case Value::Kind::List:
        for (std::size_t i = 0; i < object.fields().size() && i < object.items().size(); ++i)
            if (object.fields()[i] == name) return object.items()[i];
        if (auto m = boundMethod(object, name)) return *m;
        return missingAttribute(object, name);
    default:
        if (auto m = boundMethod(object, name)) return *m;
        return missingAttribute(object, name);
    }
}

Value Interpreter::getItem(const Value& object, const Value& key) {
    switch (object.kind()) {
    case Value::Kind::Undefined:
        fail(object.undefinedHint().empty() ? "undefined value has no item"
                                            : object.undefinedHint());
    case Value::Kind::Dict:
        if (const Value* v = object.dictData().find(key)) return *v;
        break;
    case Value::Kind::List:
        if (!object.isPlainList()) break; // generators and dict views cannot be indexed
        if (key.isInt() || key.isBool()) {
            std::int64_t n = static_cast<std::int64_t>(object.items().size());
            std::int64_t i = key.asInt();
            if (i < 0) i += n;
            if (i >= 0 && i < n) return object.items()[static_cast<std::size_t>(i)];
            return Value::undefined("'" + objectTypeRepr(object) + "' has no element " +
                                    std::to_string(key.asInt()));
        }
        break;
    case Value::Kind::String:
        if (key.isInt() || key.isBool()) {
            const std::string& s = object.str();
            std::vector<std::size_t> offs = utf8::offsets(s);
            std::int64_t n = static_cast<std::int64_t>(offs.size()) - 1;
            std::int64_t i = key.asInt();
            if (i < 0) i += n;
            if (i >= 0 && i < n) {
                auto idx = static_cast<std::size_t>(i);
                return Value(s.substr(offs[idx], offs[idx + 1] - offs[idx]));
            }
            return Value::undefined("'str object' has no element " + std::to_string(key.asInt()));
        }
        break;
    case Value::Kind::Object:
        if (key.isString()) {
            if (auto v = object.obj()->attribute(key.str())) return *v;
        }
        break;
    default:
        break;
    }
    if (key.isString()) return getAttr(object.isUndefined() ? Value::none() : object, key.str());
    return Value::undefined("'" + objectTypeRepr(object) + "' has no element " + repr(key));
}

Value Interpreter::evalSlice(const Expr& e, const std::shared_ptr<Frame>& frame) {
    Value object = eval(*e.children[0], frame);
    Value parts[3];
    for (int k = 0; k < 3; ++k)
        if (e.children[static_cast<std::size_t>(k) + 1])
            parts[k] = eval(*e.children[static_cast<std::size_t>(k) + 1], frame);
    if (object.isUndefined()) fail(object.undefinedHint());
    std::optional<std::int64_t> start = sliceBound(parts[0], "start");
    std::optional<std::int64_t> stop = sliceBound(parts[1], "stop");
    std::int64_t step = sliceBound(parts[2], "step").value_or(1);
    if (step == 0) fail("slice step cannot be zero");

    auto pick = [&](std::int64_t length, auto&& take) {
        std::int64_t from = 0, to = 0;
        sliceIndices(length, start, stop, step, from, to);
        for (std::int64_t i = from; step > 0 ? i < to : i > to; i += step)
            take(static_cast<std::size_t>(i));
    };
    if (object.isPlainList()) {
        std::vector<Value> out;
        pick(static_cast<std::int64_t>(object.items().size()),
             [&](std::size_t i) { out.push_back(object.items()[i]); });
        return object.isTuple() ? Value::tuple(std::move(out)) : Value::list(std::move(out));
    }
    if (object.isString()) {
        const std::string& s = object.str();
        std::string out;
        if (utf8::isAscii(s)) {
            pick(static_cast<std::int64_t>(s.size()), [&](std::size_t i) { out += s[i]; });
        } else {
            std::vector<std::size_t> offs = utf8::offsets(s);
            pick(static_cast<std::int64_t>(offs.size()) - 1,
                 [&](std::size_t i) { out.append(s, offs[i], offs[i + 1] - offs[i]); });
        }
        return Value(std::move(out));
    }
    // Jinja2 compiles slices to plain Python subscripts, so these fail (unlike "x[i]").
    if (constantOutput_)
        return Value::undefined("'" + object.typeName() + "' object is not subscriptable");
    if (object.isDict()) fail("unhashable type: 'slice'");
    fail("'" + object.typeName() + "' object is not subscriptable");
}

std::vector<Value> Interpreter::iterate(const Value& value) {
    switch (value.kind()) {
    case Value::Kind::Undefined:
        return {};
    case Value::Kind::List:
        if (!value.listData().deferredError.empty()) fail(value.listData().deferredError);
        if (value.isOneShot()) { // a generator runs once; later loops over it see nothing
            if (value.listData().consumed) return {};
            value.listData().consumed = true;
        }
        return value.items();
    case Value::Kind::Dict: {
        std::vector<Value> keys;
        for (const auto& [k, v] : value.dictData().entries) keys.push_back(k);
        return keys;
    }
    case Value::Kind::String: {
        std::vector<Value> chars;
        for (auto& c : utf8::characters(value.str())) chars.emplace_back(std::move(c));
        return chars;
    }
    default:
        fail("'" + value.typeName() + "' object is not iterable");
    }
}

bool Interpreter::contains(const Value& container, const Value& item) {
    switch (container.kind()) {
    case Value::Kind::Undefined:
        return false;
    case Value::Kind::String:
        if (!item.isString())
            fail("'in <string>' requires string as left operand, not " + item.typeName());
        return container.str().find(item.str()) != std::string::npos;
    case Value::Kind::List:
        if (container.isOneShot()) container.listData().consumed = true;
        for (const Value& v : container.items())
            if (equals(v, item)) return true;
        return false;
    case Value::Kind::Dict:
        return container.dictData().find(item) != nullptr;
    default:
        fail("argument of type '" + container.typeName() + "' is not iterable");
    }
}

} // namespace atelier::jinja
