#pragma once
// JSON in and out for template values, matching Python's json module: dumps() as Hugging Face's
// tojson filter calls it (ensure_ascii=False, indent, separators, sort_keys) and loads()
// keeping integers apart from floats and object keys in file order.
#include "inference/chat/jinja/value.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace atelier::jinja {

struct JsonFormat {
    std::optional<std::string> indent; // nullopt: one line
    std::string itemSeparator = ", ";  // Python's default is "," when indent is given
    std::string keySeparator = ": ";
    bool sortKeys = false;
    bool ensureAscii = false;
};

// Throws atelier::Error (Template) for values JSON cannot hold (undefined, callables, objects).
std::string toJson(const Value& value, const JsonFormat& format = {});

// Throws atelier::Error (Invalid) with the byte offset for malformed input.
Value parseJson(std::string_view text);

} // namespace atelier::jinja
