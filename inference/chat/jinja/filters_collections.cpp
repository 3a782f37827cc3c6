// Jinja2's filters over sequences and mappings: length, first, last, join, list, unique,
// reverse, sort, dictsort, items, select/reject(attr), map, sum, min, max, batch, groupby.
// Where Jinja2 returns a generator these return a list, which renders the same once listed.
#include "inference/chat/jinja/builtins.hpp"
#include "inference/chat/jinja/error.hpp"
#include "inference/chat/jinja/interpreter.hpp"
#include "inference/chat/jinja/utf8.hpp"

#include <algorithm>

namespace atelier::jinja {
namespace {

// "a.b.0" looks up item-first at each step, as Jinja2's attribute getters do.
Value attributePath(Interpreter& in, const Value& item, const std::string& path) {
    Value v = item;
    std::size_t start = 0;
    while (true) {
        std::size_t dot = path.find('.', start);
        std::string part =
            path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        bool numeric = !part.empty() && std::all_of(part.begin(), part.end(),
                                                    [](char c) { return c >= '0' && c <= '9'; });
        v = in.getItem(v,
                       numeric ? Value(static_cast<std::int64_t>(std::stoll(part))) : Value(part));
        if (dot == std::string::npos) return v;
        start = dot + 1;
    }
}

Value sortKey(const Value& v, bool caseSensitive) {
    if (!caseSensitive && v.isString()) return Value(utf8::toLower(v.str()));
    return v;
}

std::vector<Value> selectOrReject(Interpreter& in, const Value& input, const CallArgs& args,
                                  bool select, bool byAttribute) {
    std::vector<Value> rest = args.positional;
    std::string attribute;
    if (byAttribute) {
        if (rest.empty())
            fail(std::string(select ? "selectattr" : "rejectattr") + "() needs an attribute name");
        attribute = toStr(rest.front());
        rest.erase(rest.begin());
    }
    std::string test;
    if (!rest.empty()) {
        test = toStr(rest.front());
        rest.erase(rest.begin());
    }
    std::vector<Value> out;
    if (!truthy(input)) return out; // Jinja2 yields nothing for a falsy input (None included)
    for (const Value& item : in.iterate(input)) {
        Value subject = byAttribute ? attributePath(in, item, attribute) : item;
        bool pass;
        if (test.empty()) {
            pass = truthy(subject);
        } else {
            CallArgs testArgs;
            testArgs.positional = rest;
            testArgs.named = args.named;
            pass = in.applyTest(test, subject, testArgs);
        }
        if (pass == select) out.push_back(item);
    }
    return out;
}

std::optional<Value> extreme(Interpreter& in, const Value& v, const CallArgs& args, bool wantMax) {
    ArgReader r(wantMax ? "max" : "min", args, {"case_sensitive", "attribute"});
    bool caseSensitive = truthy(r.get(0, Value(false)));
    Value attribute = r.get(1, Value::none());
    std::optional<Value> best;
    Value bestKey;
    for (const Value& item : in.iterate(v)) {
        Value key = sortKey(attribute.isNone() ? item : attributePath(in, item, toStr(attribute)),
                            caseSensitive);
        if (!best || (wantMax ? compare(key, bestKey) > 0 : compare(key, bestKey) < 0)) {
            best = item;
            bestKey = key;
        }
    }
    return best;
}

// Jinja2 returns generators from these filters; they loop and list like lists.
Value generator(std::vector<Value> items) {
    return Value::iterator(std::move(items), "generator", true);
}

// A generator filter whose work failed: Jinja2 only reports it when the generator runs.
template <typename F> Value lazily(F&& work) {
    try {
        return work();
    } catch (const RaisedError&) {
        throw;
    } catch (const Error& e) {
        Value g = Value::iterator({}, "generator", true);
        const_cast<ListData&>(g.listData()).deferredError = e.what();
        return g;
    }
}

} // namespace

void addCollectionFilters(FilterTable& t) {
    t["length"] = FILTER({
        ArgReader r("length", args, {});
        switch (v.kind()) {
        case Value::Kind::Undefined:
            return Value(std::int64_t{0});
        case Value::Kind::String:
            return Value(static_cast<std::int64_t>(utf8::length(v.str())));
        case Value::Kind::List:
            if (v.isOneShot()) fail("object of type '" + v.typeName() + "' has no len()");
            return Value(static_cast<std::int64_t>(v.items().size()));
        case Value::Kind::Dict:
            return Value(static_cast<std::int64_t>(v.dictData().entries.size()));
        default:
            fail("object of type '" + v.typeName() + "' has no len()");
        }
    });
    t["count"] = t["length"];
    t["first"] = FILTER({
        ArgReader r("first", args, {});
        std::vector<Value> items = in.iterate(v);
        if (items.empty()) return Value::undefined("No first item, sequence was empty.");
        return items.front();
    });
    t["last"] = FILTER({
        ArgReader r("last", args, {});
        std::vector<Value> items = in.iterate(v);
        if (items.empty()) return Value::undefined("No last item, sequence was empty.");
        return items.back();
    });
    t["join"] = FILTER({
        ArgReader r("join", args, {"d", "attribute"});
        std::string sep = toStr(r.get(0, Value("")));
        Value attribute = r.get(1, Value::none());
        std::string out;
        bool first = true;
        for (const Value& item : in.iterate(v)) {
            if (!first) out += sep;
            first = false;
            out += toStr(attribute.isNone() ? item : attributePath(in, item, toStr(attribute)));
            in.checkStringSize(out.size());
        }
        return Value(std::move(out));
    });
    t["list"] = FILTER(ArgReader r("list", args, {}); return Value::list(in.iterate(v)););
    t["unique"] =
        FILTER(return lazily([&]() -> Value {
                          ArgReader r("unique", args, {"case_sensitive", "attribute"});
                          bool caseSensitive = truthy(r.get(0, Value(false)));
                          Value attribute = r.get(1, Value::none());
                          std::vector<Value> out, seen;
                          for (const Value& item : in.iterate(v)) {
                              Value key = sortKey(attribute.isNone()
                                                      ? item
                                                      : attributePath(in, item, toStr(attribute)),
                                                  caseSensitive);
                              if (std::any_of(seen.begin(), seen.end(),
                                              [&](const Value& s) { return equals(s, key); }))
                                  continue;
                              seen.push_back(key);
                              out.push_back(item);
                          }
                          return generator(std::move(out));
                      }););
    t["reverse"] = FILTER({
        ArgReader r("reverse", args, {});
        if (v.isString()) {
            std::vector<std::string> chars = utf8::characters(v.str());
            std::string out;
            for (auto it = chars.rbegin(); it != chars.rend(); ++it) out += *it;
            return Value(std::move(out));
        }
        std::vector<Value> items = in.iterate(v);
        std::reverse(items.begin(), items.end());
        // Python's reversed(): an iterator over a list, tuple or dict; a generator cannot be
        // reversed, so Jinja2 lists it first.
        if (v.isOneShot()) return Value::list(std::move(items));
        return Value::iterator(std::move(items),
                               v.isDict() ? "dict_reversekeyiterator"
                                          : (v.isTuple() ? "reversed" : "list_reverseiterator"),
                               true);
    });
    t["sort"] = FILTER({
        ArgReader r("sort", args, {"reverse", "case_sensitive", "attribute"});
        bool reverse = truthy(r.get(0, Value(false)));
        bool caseSensitive = truthy(r.get(1, Value(false)));
        Value attribute = r.get(2, Value::none());
        std::vector<Value> items = in.iterate(v);
        std::vector<std::pair<Value, Value>> keyed;
        for (const Value& item : items)
            keyed.emplace_back(
                sortKey(attribute.isNone() ? item : attributePath(in, item, toStr(attribute)),
                        caseSensitive),
                item);
        std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
            return reverse ? compare(b.first, a.first) < 0 : compare(a.first, b.first) < 0;
        });
        std::vector<Value> out;
        for (auto& [k, item] : keyed) out.push_back(item);
        return Value::list(std::move(out));
    });
    t["dictsort"] = FILTER({
        ArgReader r("dictsort", args, {"case_sensitive", "by", "reverse"});
        bool caseSensitive = truthy(r.get(0, Value(false)));
        std::string by = toStr(r.get(1, Value("key")));
        bool reverse = truthy(r.get(2, Value(false)));
        if (!v.isDict()) fail("dictsort: a mapping is required");
        if (by != "key" && by != "value") fail("You can only sort by either \"key\" or \"value\"");
        std::vector<std::pair<Value, Value>> entries = v.dictData().entries;
        std::stable_sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) {
            const Value& x = by == "key" ? a.first : a.second;
            const Value& y = by == "key" ? b.first : b.second;
            int c = compare(sortKey(x, caseSensitive), sortKey(y, caseSensitive));
            return reverse ? c > 0 : c < 0;
        });
        std::vector<Value> out;
        for (auto& [k, val] : entries) out.push_back(Value::tuple({k, val}));
        return Value::list(std::move(out));
    });
    t["items"] = FILTER(return lazily([&]() -> Value {
                                   ArgReader r("items", args, {});
                                   if (v.isUndefined()) return generator({});
                                   if (!v.isDict()) fail("Can only get item pairs from a mapping.");
                                   std::vector<Value> out;
                                   for (const auto& [k, val] : v.dictData().entries)
                                       out.push_back(Value::tuple({k, val}));
                                   return generator(std::move(out));
                               }););
    t["select"] =
        FILTER(return lazily([&] { return generator(selectOrReject(in, v, args, true, false)); }););
    t["reject"] = FILTER(
        return lazily([&] { return generator(selectOrReject(in, v, args, false, false)); }););
    t["selectattr"] =
        FILTER(return lazily([&] { return generator(selectOrReject(in, v, args, true, true)); }););
    t["rejectattr"] =
        FILTER(return lazily([&] { return generator(selectOrReject(in, v, args, false, true)); }););
    t["map"] = FILTER(return lazily([&]() -> Value {
                                 std::vector<Value> out;
                                 if (!truthy(v))
                                     return generator({}); // as Jinja2: nothing for a falsy input
                                 const Value* attribute = nullptr;
                                 std::optional<Value> dflt;
                                 for (const auto& [k, val] : args.named) {
                                     if (k == "attribute")
                                         attribute = &val;
                                     else if (k == "default")
                                         dflt = val;
                                 }
                                 if (attribute) {
                                     for (const Value& item : in.iterate(v)) {
                                         Value got = attributePath(in, item, toStr(*attribute));
                                         out.push_back(got.isUndefined() && dflt ? *dflt : got);
                                     }
                                     return generator(std::move(out));
                                 }
                                 if (args.positional.empty())
                                     fail("map() needs a filter name or attribute=");
                                 std::string filter = toStr(args.positional[0]);
                                 CallArgs rest;
                                 rest.positional.assign(args.positional.begin() + 1,
                                                        args.positional.end());
                                 rest.named = args.named;
                                 for (const Value& item : in.iterate(v)) {
                                     CallArgs copy = rest;
                                     out.push_back(in.applyFilter(filter, item, copy));
                                 }
                                 return generator(std::move(out));
                             }););
    t["sum"] = FILTER({
        ArgReader r("sum", args, {"attribute", "start"});
        Value attribute = r.get(0, Value::none());
        Value total = r.get(1, Value(std::int64_t{0}));
        for (const Value& item : in.iterate(v)) {
            CallArgs none;
            Value x = attribute.isNone() ? item : attributePath(in, item, toStr(attribute));
            if (!total.isNumber() || !x.isNumber())
                fail("unsupported operand type(s) for +: '" + total.typeName() + "' and '" +
                     x.typeName() + "'");
            total = (total.isFloat() || x.isFloat()) ? Value(total.asDouble() + x.asDouble())
                                                     : Value(total.asInt() + x.asInt());
        }
        return total;
    });
    t["min"] = FILTER({
        auto best = extreme(in, v, args, false);
        return best ? *best : Value::undefined("No aggregated item, sequence was empty.");
    });
    t["max"] = FILTER({
        auto best = extreme(in, v, args, true);
        return best ? *best : Value::undefined("No aggregated item, sequence was empty.");
    });
    t["batch"] =
        FILTER(return lazily([&]() -> Value {
                          ArgReader r("batch", args, {"linecount", "fill_with"});
                          std::int64_t size = r.get(0, Value()).asInt();
                          if (size <= 0) fail("batch size must be positive");
                          std::optional<Value> fill = r.get(1);
                          if (fill && fill->isNone()) fill.reset();
                          std::vector<Value> out, current;
                          for (const Value& item : in.iterate(v)) {
                              current.push_back(item);
                              if (static_cast<std::int64_t>(current.size()) == size) {
                                  out.push_back(Value::list(std::move(current)));
                                  current.clear();
                              }
                          }
                          if (!current.empty()) {
                              while (fill && static_cast<std::int64_t>(current.size()) < size)
                                  current.push_back(*fill);
                              out.push_back(Value::list(std::move(current)));
                          }
                          return generator(std::move(out));
                      }););
    t["groupby"] = FILTER({
        ArgReader r("groupby", args, {"attribute", "default", "case_sensitive"});
        std::string attribute = toStr(r.get(0, Value()));
        std::optional<Value> dflt = r.get(1);
        bool caseSensitive = truthy(r.get(2, Value(false)));
        struct Keyed {
            Value sortKey, original, item;
        };
        std::vector<Keyed> keyed;
        for (const Value& item : in.iterate(v)) {
            Value key = attributePath(in, item, attribute);
            if (key.isUndefined() && dflt) key = *dflt;
            keyed.push_back({sortKey(key, caseSensitive), key, item});
        }
        std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
            return compare(a.sortKey, b.sortKey) < 0;
        });
        // The grouper is the first member's own value (not the case-folded key).
        std::vector<Value> groups;
        for (std::size_t i = 0; i < keyed.size();) {
            std::vector<Value> members;
            std::size_t j = i;
            for (; j < keyed.size() && equals(keyed[j].sortKey, keyed[i].sortKey); ++j)
                members.push_back(keyed[j].item);
            groups.push_back(Value::namedTuple({keyed[i].original, Value::list(std::move(members))},
                                               {"grouper", "list"}));
            i = j;
        }
        return Value::list(std::move(groups));
    });
}

} // namespace atelier::jinja
