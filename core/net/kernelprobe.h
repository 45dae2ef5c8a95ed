#pragma once

#include "call.h"
#include "endpoint.h"

#include <QString>

#include <memory>
#include <optional>

namespace sockbench {

// The kernel's TCP states, in the kernel's own numbering order (include/net/tcp_states.h).
enum class TcpState : quint8 {
    None, // not a TCP socket, or no state could be read
    Established,
    SynSent,
    SynRecv,
    FinWait1,
    FinWait2,
    TimeWait,
    Close,
    CloseWait,
    LastAck,
    Listen,
    Closing,
};
QString tcpStateName(TcpState state); // "ESTABLISHED", "TIME_WAIT", ...
// States a connection passes through without any call of ours moving it on.
bool isTransitional(TcpState state);

// What the kernel says about one socket at one moment. Values the kernel does not report
// for this kind of socket stay -1.
struct KernelSnapshot {
    bool valid = false;
    TcpState tcpState = TcpState::None;
    qint32 recvQueue = -1;   // bytes received and not yet read (SIOCINQ); UDP: next datagram
    qint32 sendQueue = -1;   // bytes sent and not yet acknowledged (SIOCOUTQ)
    qint32 acceptQueue = -1; // listener: connections completed and waiting for accept()
    qint32 backlog = -1;     // listener: the accept queue's limit
    // AF_UNIX stream or seqpacket: the peer will send no more (it closed, or shut down its
    // writing). TCP says the same with CLOSE_WAIT; AF_UNIX has no states, and poll()'s
    // POLLRDHUP is the kernel's word for it.
    bool peerDone = false;
    friend bool operator==(const KernelSnapshot&, const KernelSnapshot&) = default;
};

// How much of a socket's kernel view a probe reads afresh.
enum class ProbeScope : quint8 {
    Everything,   // state and both queues
    ReceiveQueue, // SIOCINQ alone; the rest as last seen
    SendQueue,    // SIOCOUTQ alone; the rest as last seen
};

// Reads the kernel's view of sockets. Everything OS-specific about introspection sits
// behind this interface, so another OS is one more implementation.
class KernelProbe {
public:
    virtual ~KernelProbe() = default;
    virtual QString name() const = 0;
    virtual KernelSnapshot probe(int fd, AddressFamily family, SocketType type) const = 0;
    // One queue read afresh, everything else kept from `last`: what a data call on an
    // established connection changes itself, in one system call instead of three. The
    // rest moves on the peer's time, and the watcher catches up with it. An implementation
    // that cannot read one queue alone reads everything.
    virtual KernelSnapshot probe(int fd, AddressFamily family, SocketType type, ProbeScope scope,
                                 const KernelSnapshot& last) const
    {
        (void)scope;
        (void)last;
        return probe(fd, family, type);
    }
    // A TCP connection whose descriptor is already closed (FIN_WAIT2, TIME_WAIT, ...),
    // found by its addresses; nullopt once the kernel has forgotten it.
    virtual std::optional<TcpState> lookupClosed(const Endpoint& local,
                                                 const Endpoint& remote) const = 0;
};

// The best probe for this system.
std::unique_ptr<KernelProbe> makeKernelProbe();

} // namespace sockbench
