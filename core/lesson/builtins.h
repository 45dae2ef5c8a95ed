#pragma once

#include "pysocket.h"
#include "value.h"

#include <functional>
#include <optional>

namespace sockbench::lesson::builtins {

// Python's builtins a lesson may call: print, len, str, int, bytes, bytearray, hex, repr,
// bool, float. nullopt: no builtin of that name.
std::optional<Value> lookup(const QString& name);

// Methods of str, bytes and bytearray: encode, decode, hex, upper, lower, strip, ...
// nullopt: no such method (the caller raises AttributeError).
std::optional<Value> method(const Value& object, const QString& name);

// Calls a builtin function or a str/bytes method (callee from lookup() or method()).
Value call(const Value& callee, const PyArgs& args,
           const std::function<void(const QString&)>& print);

} // namespace sockbench::lesson::builtins
