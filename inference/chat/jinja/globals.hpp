#pragma once
// Global functions a template can call: Jinja2's range, dict, namespace and joiner, and the two
// Hugging Face adds, raise_exception(message) and strftime_now(format).
#include "inference/chat/jinja/interpreter.hpp"
#include "inference/chat/jinja/strftime.hpp"

namespace atelier::jinja {

void addBuiltinGlobals(Frame& frame);
// raise_exception(message): stops rendering with RaisedError(message).
Value makeRaiseException();
// strftime_now(format): formats the given date and time (never the system clock).
Value makeStrftimeNow(const DateTime& now);

} // namespace atelier::jinja
