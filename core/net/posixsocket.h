#pragma once

#include "call.h"
#include "endpoint.h"

#include <atomic>
#include <chrono>
#include <optional>

namespace sockbench {

class PayloadCursor;

using Clock = std::chrono::steady_clock;
using Deadline = std::optional<Clock::time_point>; // nullopt: wait as long as it takes

enum class WaitOutcome : quint8 { Ready, TimedOut, Interrupted };

// How a call waits for its descriptor. The engine implements it with poll() on the socket
// plus a wake-up descriptor, so any wait can be interrupted at once.
class BlockingWait {
public:
    virtual ~BlockingWait() = default;
    // Waits until fd reports one of events (POLLIN/POLLOUT), the deadline passes or the
    // call is interrupted. fd < 0 waits for the deadline or an interrupt only.
    virtual WaitOutcome wait(int fd, short events, Deadline deadline) = 0;
};

// Python's three modes: blocking (no timeout), a timeout, or non-blocking (timeout 0).
struct TimeoutMode {
    std::optional<std::chrono::nanoseconds> timeout;
    bool isBlocking() const { return !timeout; }
    bool isNonBlocking() const { return timeout && timeout->count() == 0; }
    Deadline deadlineFromNow() const;
};

// One real socket descriptor and the system calls on it, with Python's socket-module
// semantics. The descriptor is always O_NONBLOCK underneath; blocking and timeouts are
// made with BlockingWait, which is what makes every wait interruptible. Sockets are
// close-on-exec, and nothing here can raise SIGPIPE.
//
// Threads: calls of different directions may run at once (recv on one thread while send
// runs on another); the owner makes sure close() runs alone.
class PosixSocket {
public:
    // socket(family, type, proto). On success the result's count holds the descriptor.
    static CallResult create(AddressFamily family, SocketType type, int proto, int* fd);
    // socketpair(family, type, proto): two connected descriptors in fds.
    static CallResult createPair(AddressFamily family, SocketType type, int proto, int fds[2]);

    PosixSocket(int fd, AddressFamily family, SocketType type);
    ~PosixSocket();
    PosixSocket(const PosixSocket&) = delete;
    PosixSocket& operator=(const PosixSocket&) = delete;

    int fd() const { return m_fd; }
    bool isOpen() const { return m_fd >= 0; }
    AddressFamily family() const { return m_family; }
    SocketType type() const { return m_type; }

    TimeoutMode timeoutMode() const;
    void setTimeoutMode(TimeoutMode mode);

    CallResult bind(const Endpoint& address);
    CallResult listen(std::optional<int> backlog);
    // On success *newFd is the accepted descriptor (close-on-exec, non-blocking) and the
    // result's address is the peer.
    CallResult accept(BlockingWait& wait, int* newFd);
    // connect() raises on failure; connect_ex (asErrorCode) returns the errno as count.
    CallResult connect(const Endpoint& address, BlockingWait& wait, bool asErrorCode);
    int socketError() const; // SO_ERROR: the pending error, which reading clears
    CallResult send(const QByteArray& data, qint64 repeat, int flags, BlockingWait& wait);
    CallResult sendAll(const QByteArray& data, qint64 repeat, int flags, BlockingWait& wait);
    CallResult sendTo(const QByteArray& data, const Endpoint& address, int flags,
                      BlockingWait& wait);
    // recv / recvfrom / recv_into / recvfrom_into: up to size bytes; withAddress fills the
    // result's address with the sender (for a connected stream: none, as in Python).
    CallResult receive(qint64 size, int flags, bool withAddress, BlockingWait& wait);
    CallResult shutdown(int how);
    CallResult close();
    CallResult localAddress() const;
    CallResult peerAddress() const;
    // SocketOption::Integer takes its level and number from `level` and `number`; with
    // `raw` bytes (a struct such as ip_mreq) those are the value, as the program gave them.
    CallResult setOption(SocketOption option, qint64 value, qint64 lingerSeconds, int level = 0,
                         int number = 0, const QByteArray& raw = {});
    CallResult getOption(SocketOption option, int level = 0, int number = 0) const;

    // Largest recv size and payload accepted per call: a clear error beyond it, never an
    // allocation that takes the machine down.
    static constexpr qint64 kMaxReceiveSize = 64 * 1024 * 1024;

private:
    // The socket's mode for one call with these MSG_* flags.
    TimeoutMode modeForFlags(int flags) const;
    qint64 sendSome(const PayloadCursor& payload, qint64 offset, int flags, int* error);
    CallResult sendLoop(const QByteArray& data, qint64 repeat, int flags, BlockingWait& wait,
                        bool all);
    CallResult receiveAll(qint64 size, int flags, BlockingWait& wait); // blocking MSG_WAITALL
    bool readShutDown() const; // shutdown(SHUT_RD) has been done (POLLRDHUP)

    int m_fd = -1;
    AddressFamily m_family;
    SocketType m_type;
    std::atomic<qint64> m_timeoutNs{-1}; // -1 blocking, 0 non-blocking, > 0 timeout
};

} // namespace sockbench
