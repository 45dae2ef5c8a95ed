#pragma once

#include "engine/event.h"

#include <functional>

namespace sockbench::codegen::c {

// The C a finished call stands for, with the values it really had: the descriptor,
// the address, the bytes, and what the call returned (or its errno) as a comment. A call
// still blocked (its CallBlocked event) is shown as it was called, not yet returned.
struct SocketFacts {
    qint64 fd = -1;
    AddressFamily family = AddressFamily::Inet4;
};
// facts tells the descriptor number and family of a workbench socket.
QString render(const Event& event, const std::function<SocketFacts(SocketId)>& facts);

} // namespace sockbench::codegen::c
