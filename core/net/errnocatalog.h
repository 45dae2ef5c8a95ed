#pragma once

#include <QString>

#include <optional>

namespace sockbench {

// Where an error number comes from: the kernel's errno, getaddrinfo()'s EAI_* codes (Python's
// socket.gaierror) or the resolver's h_errno (Python's socket.herror).
enum class ErrorDomain : quint8 { Errno, AddrInfo, HostLookup };

// Names, texts and the Python exception for every error the core can report.
namespace errnocatalog {

QString name(ErrorDomain domain, int number);        // "EADDRINUSE", "EAI_NONAME", "HOST_NOT_FOUND"
QString description(ErrorDomain domain, int number); // the C library's text: strerror() etc.
// The exception Python raises for it: "ConnectionRefusedError", "socket.gaierror", ...
QString pythonException(ErrorDomain domain, int number);

struct Lookup {
    ErrorDomain domain;
    int number;
};
// "EADDRINUSE" -> {Errno, 98}; "EAI_NONAME" -> {AddrInfo, -2}; unknown names -> nullopt.
// Any case; the aliases EWOULDBLOCK, EDEADLOCK and ENOTSUP give their numbers too.
std::optional<Lookup> lookup(const QString& name);

// Every errno name this system knows, for completeness checks.
QStringList allErrnoNames();

} // namespace errnocatalog
} // namespace sockbench
