#pragma once

#include "call.h"
#include "endpoint.h"

#include <variant>

namespace sockbench::resolver {

// Turns the (host, port) a program passed into the address the kernel gets, the way
// Python's socket module does: '' is the wildcard address, '<broadcast>' the IPv4
// broadcast address, numeric forms are parsed, anything else goes through getaddrinfo().
// For AF_UNIX, host is the path. May block on a name lookup: call it on a worker.
std::variant<Endpoint, CallResult> resolveAddress(const CallArgs& args, AddressFamily family);

// The checks Python makes before any system call: a port outside 0–65535 and the like.
std::optional<CallResult> checkAddressArgs(const CallArgs& args, AddressFamily family,
                                           const QString& callName);

CallResult getAddrInfo(const CallArgs& args);
CallResult getHostByName(const CallArgs& args);
CallResult getHostByAddr(const CallArgs& args);
CallResult getHostName();

} // namespace sockbench::resolver
