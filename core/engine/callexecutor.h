#pragma once

#include "net/call.h"
#include "net/posixsocket.h"

#include <optional>

namespace sockbench::callexecutor {

// The checks Python makes before it reaches the kernel (negative sizes, ports out of
// range, a buffer too small): a clear sentence, and the call never runs.
std::optional<CallResult> validate(const Call& call, AddressFamily family, SocketType type);

// What Python answers before it looks at the descriptor: validate()'s refusals, and
// recv(0) / recv_into() of nothing (b'' or 0 at once, with no system call).
std::optional<CallResult> answerWithoutKernel(const Call& call, AddressFamily family,
                                              SocketType type);
// A call on a closed socket, as Python answers it (its descriptor is -1 then): the answer
// without the kernel if there is one, close() succeeds, connect_ex() returns 9 (EBADF),
// anything else raises EBADF.
CallResult onClosedSocket(const Call& call, AddressFamily family, SocketType type);

struct Execution {
    CallResult result;
    int acceptedFd = -1; // accept(): the new descriptor, owned by the caller from now on
};

// Performs one call on a socket, on the calling (worker) thread. Close and socket() are
// the workbench's own business and are not handled here.
Execution run(PosixSocket& socket, const Call& call, BlockingWait& wait);

// getaddrinfo, gethostbyname, gethostbyaddr, gethostname.
CallResult runModuleCall(const Call& call);

} // namespace sockbench::callexecutor
