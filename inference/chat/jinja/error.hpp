#pragma once
// Every failure while parsing or rendering a template is an atelier::Error of kind Template.
#include "inference/util/error.hpp"

#include <string>

namespace atelier::jinja {

[[noreturn]] inline void fail(const std::string& message) {
    throw Error(ErrorKind::Template, message);
}

// Nesting allowed when printing, comparing or serialising values (a namespace may hold itself).
inline constexpr int kMaxValueDepth = 256;

} // namespace atelier::jinja

namespace atelier::jinja {

// raise_exception(message) from a template: its message is passed on untouched.
class RaisedError : public Error {
public:
    explicit RaisedError(const std::string& message) : Error(ErrorKind::Template, message) {}
};

} // namespace atelier::jinja
