#pragma once
// The values a template computes with, modelled on the Python objects Jinja2 hands around:
// undefined, none, bool, int, float, str, list/tuple, insertion-ordered dict, objects with
// attributes (namespace(), loop) and callables (macros, globals, bound methods).
// Lists and dicts are shared and never changed once built (the sandbox Hugging Face uses is
// immutable); namespace attributes are the one thing a template may assign to.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace atelier::jinja {

class Value;
class Interpreter;

struct ListData {
    std::vector<Value> items;
    bool tuple = false;
    std::vector<std::string> fields; // a named tuple's attribute names (groupby's grouper, list)
    // Non-empty for what Python would hand over as another type: "generator" and reverse
    // iterators (one pass, always true, no len()), and "dict_keys"/"dict_values"/"dict_items"
    // views. They iterate like lists but print, test and serialise like those Python types.
    std::string pythonType;
    bool oneShot = false;
    std::string deferredError; // a generator that fails when it runs (Jinja2's lazy filters)
    mutable bool consumed = false;
};

struct DictData {
    std::vector<std::pair<Value, Value>> entries; // in insertion order
    const Value* find(const Value& key) const;
    const Value* find(std::string_view key) const;
    const Value* find(const char* key) const { return find(std::string_view(key)); }
    const Value* find(const std::string& key) const { return find(std::string_view(key)); }
    void set(Value key, Value value); // replaces an existing key in place
};

// An object with named attributes (namespace(), loop). Item access falls back to attributes.
class Object {
public:
    virtual ~Object() = default;
    virtual std::string typeName() const = 0;
    // nullopt when the attribute does not exist.
    virtual std::optional<Value> attribute(std::string_view name) const = 0;
    virtual bool setAttribute(std::string_view name, Value value);
    // Drops the values it holds (breaks reference cycles when a render ends).
    virtual void releaseReferences() {}
    virtual std::string repr() const;
};

struct CallArgs {
    std::vector<Value> positional;
    std::vector<std::pair<std::string, Value>> named;
};

class Callable {
public:
    virtual ~Callable() = default;
    virtual std::string name() const = 0;
    virtual Value call(Interpreter& interpreter, CallArgs& args) = 0;
    virtual std::string repr() const;
};

class Value {
public:
    enum class Kind { Undefined, None, Bool, Int, Float, String, List, Dict, Object, Callable };

    Value() = default; // undefined
    static Value undefined(std::string hint = {});
    static Value none();
    Value(bool b);
    Value(int i) : Value(static_cast<std::int64_t>(i)) {}
    Value(std::int64_t i);
    Value(double d);
    Value(std::string s);
    Value(std::string_view s) : Value(std::string(s)) {}
    Value(const char* s) : Value(std::string(s)) {}
    static Value list(std::vector<Value> items);
    static Value tuple(std::vector<Value> items);
    static Value namedTuple(std::vector<Value> items, std::vector<std::string> fields);
    // A generator or iterator (oneShot) or a dict view, see ListData::pythonType.
    static Value iterator(std::vector<Value> items, std::string pythonType, bool oneShot);
    static Value dict(DictData data = {});
    static Value object(std::shared_ptr<Object> object);
    static Value callable(std::shared_ptr<Callable> callable);

    Kind kind() const { return kind_; }
    bool isUndefined() const { return kind_ == Kind::Undefined; }
    bool isNone() const { return kind_ == Kind::None; }
    bool isBool() const { return kind_ == Kind::Bool; }
    bool isInt() const { return kind_ == Kind::Int; }
    bool isFloat() const { return kind_ == Kind::Float; }
    bool isNumber() const {
        return kind_ == Kind::Int || kind_ == Kind::Float || kind_ == Kind::Bool;
    }
    bool isString() const { return kind_ == Kind::String; }
    bool isList() const { return kind_ == Kind::List; }
    bool isTuple() const { return kind_ == Kind::List && list_->tuple; }
    bool isDict() const { return kind_ == Kind::Dict; }
    bool isObject() const { return kind_ == Kind::Object; }
    bool isCallable() const { return kind_ == Kind::Callable; }

    bool asBool() const { return b_; }
    std::int64_t asInt() const { return kind_ == Kind::Bool ? (b_ ? 1 : 0) : i_; }
    double asDouble() const;
    const std::string& str() const { return *s_; }
    const std::vector<Value>& items() const { return list_->items; }
    const std::vector<std::string>& fields() const { return list_->fields; }
    // A plain list or tuple (not a generator, iterator or dict view).
    bool isPlainList() const { return kind_ == Kind::List && list_->pythonType.empty(); }
    bool isOneShot() const { return kind_ == Kind::List && list_->oneShot; }
    const ListData& listData() const { return *list_; }
    const DictData& dictData() const { return *dict_; }
    const std::shared_ptr<Object>& obj() const { return object_; }
    const std::shared_ptr<Callable>& fn() const { return callable_; }
    // For undefined: what was missing, e.g. "'x' is undefined".
    const std::string& undefinedHint() const { return *s_; }

    // Python's type name for messages: "str", "int", "list", "NoneType", ...
    std::string typeName() const;

private:
    Kind kind_ = Kind::Undefined;
    bool b_ = false;
    std::int64_t i_ = 0;
    double d_ = 0;
    std::shared_ptr<const std::string> s_ = emptyString();
    std::shared_ptr<const ListData> list_;
    std::shared_ptr<const DictData> dict_;
    std::shared_ptr<Object> object_;
    std::shared_ptr<Callable> callable_;

    static const std::shared_ptr<const std::string>& emptyString();
};

// Python semantics.
bool truthy(const Value& v);
std::string toStr(const Value& v); // str(v); undefined renders as ""
std::string repr(const Value& v);  // repr(v)
std::string reprString(std::string_view s);
std::string formatFloat(double d); // float.__repr__
bool equals(const Value& a, const Value& b);
// <0, 0, >0; throws atelier::Error (Template) for types Python cannot order.
int compare(const Value& a, const Value& b);

} // namespace atelier::jinja
