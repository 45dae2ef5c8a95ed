#pragma once

#include "call.h"
#include "errnocatalog.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace sockbench::errnoexplainer {

// Teaching text for an error a call can end with: kept in resources/errno/, in the
// workbench's own words.
struct Explanation {
    QString name;    // "EADDRINUSE", "EAI_NONAME", "HOST_NOT_FOUND", "timeout"
    QString meaning; // what the kernel (or resolver) is saying, one or two sentences
    QString causes;  // what usually causes it in a student's program
    QString tryThis; // what to try
};

// The explanation for an error number, nullopt when there is none.
std::optional<Explanation> explain(ErrorDomain domain, int number);
// For a call's result: errors, and also timeout, interrupted and invalid arguments.
// nullopt for a result that is not a failure.
std::optional<Explanation> explain(const CallResult& result);

// What the socket was when the call failed: an error's usual text may fit another call or
// another socket better than this one.
struct Situation {
    CallKind call = CallKind::Socket;
    bool listening = false; // the call was made on a listening socket
    bool datagram = false;  // on a datagram (UDP) socket: no connection, no reset
    bool unixPath = false;  // on an AF_UNIX socket: a path, not an address and a port
};
// The explanation that fits the failed call: the error's own, unless the situation says
// more (send() on a listener gets "you sent on the listener", whatever errno this kernel
// gives for it; sendto() refused with EINVAL is about the address it was given; a UDP
// socket refused heard an ICMP "port unreachable", never a TCP reset).
std::optional<Explanation> explain(ErrorDomain domain, int number, const Situation& situation);

} // namespace sockbench::errnoexplainer
