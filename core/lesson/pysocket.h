#pragma once

#include "engine/event.h"
#include "value.h"

#include <functional>
#include <optional>

namespace sockbench::lesson {

// The arguments of one Python call, as written.
struct PyArgs {
    ValueList positional;
    QList<std::pair<QString, Value>> keywords;
    SourcePos pos;
    QString function; // for messages: "bind", "socket.getaddrinfo"

    // Python's parameter binding for a signature given as names; names after `required`
    // are optional (nullopt when not passed). Raises TypeError like Python does.
    QList<std::optional<Value>> bind(const QStringList& names, int required) const;
};

// A socket-module operation turned into a workbench call, with the conversion of its
// result event into the Python value the statement receives.
struct PreparedCall {
    SocketId socket; // none for socket() and module functions
    Call call;
    std::function<Value(const Event&)> toValue;
};

// The Python socket module, as far as lessons use it. Everything here is pure: the calls
// it prepares are performed by the workbench, never here.
namespace pysocket {

// socket.NAME: constants (AF_INET, SO_REUSEADDR, ...) and functions (socket.socket,
// getaddrinfo, inet_aton, ...). nullopt: the module has no such attribute.
std::optional<Value> moduleAttribute(const QString& name);
QStringList exportedNames(); // what `from socket import *` binds

// Socket method or module function that needs the workbench (raises PyError on bad
// arguments); nullopt when the name is a local operation (see callLocal).
std::optional<PreparedCall> prepare(const Value& callee, const PyArgs& args);

// Functions and methods that need no socket call: gettimeout(), fileno(), inet_aton(),
// htons(), ... nullopt when the callee is not one of them.
std::optional<Value> callLocal(const Value& callee, const PyArgs& args);

// Whether `socket.NAME` / `sock.NAME` exists as a method or function.
bool hasSocketMethod(const QString& name);

} // namespace pysocket
} // namespace sockbench::lesson
