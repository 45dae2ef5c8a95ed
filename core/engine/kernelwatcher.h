#pragma once

#include "net/call.h"
#include "net/kernelprobe.h"

#include <QHash>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace sockbench {

// Notices when the kernel's view of a socket may have changed without any call of ours:
// data arriving, the peer closing, a connection completing in a listener's queue. It
// listens with edge-triggered epoll on every open socket and re-probes sockets whose
// state moves on by itself (SYN_SENT, FIN_WAIT1, unacknowledged bytes). After close()
// it keeps following the TCP connection by its addresses (FIN_WAIT2, TIME_WAIT) until
// the kernel forgets it.
//
// Observations are coalesced: a socket is looked at no more than once per
// kMinInterval, so a bulk transfer cannot flood the trace.
class KernelWatcher {
public:
    static constexpr std::chrono::milliseconds kMinInterval{10};
    static constexpr std::chrono::milliseconds kFollowInterval{50};
    static constexpr int kMaxFollowedClosed = 256;

    struct Callbacks {
        // Probe socket and record a change; return true while it should be looked at
        // again soon without a kernel notification (transitional state, unacked bytes).
        std::function<bool(SocketId)> observe;
        // A closed socket's connection changed state; nullopt: the kernel forgot it.
        std::function<void(SocketId, std::optional<TcpState>)> closedChanged;
    };

    // The running watcher, or nullptr with *error set to the errno that stopped it:
    // EMFILE or ENFILE (no descriptor for epoll or its wake-up eventfd), EAGAIN (no thread).
    static std::unique_ptr<KernelWatcher> start(const KernelProbe& probe, Callbacks callbacks,
                                                int* error);
    ~KernelWatcher();
    KernelWatcher(const KernelWatcher&) = delete;
    KernelWatcher& operator=(const KernelWatcher&) = delete;

    void watch(SocketId socket, int fd);
    // Must run before the descriptor is closed.
    void unwatch(SocketId socket, int fd);
    // Look at this socket again soon (after a call left it transitional).
    void follow(SocketId socket);
    void followClosed(SocketId socket, const Endpoint& local, const Endpoint& peer,
                      std::optional<TcpState> state);
    // Stops following a closed socket's connection (the workbench forgot the socket).
    void forgetClosed(SocketId socket);

private:
    KernelWatcher(const KernelProbe& probe, Callbacks callbacks, int epollFd, int wakeFd);
    using TimePoint = std::chrono::steady_clock::time_point;
    struct ClosedConnection {
        Endpoint local;
        Endpoint peer;
        std::optional<TcpState> state;
    };
    void loop();
    void wake();
    int nextTimeoutMs(TimePoint now) const; // caller holds m_mutex

    const KernelProbe& m_probe;
    Callbacks m_callbacks;
    int m_epollFd = -1;
    int m_wakeFd = -1;
    std::mutex m_mutex; // guards the maps below
    QHash<SocketId, TimePoint> m_lastLook;
    QHash<SocketId, bool> m_dirty;     // notified, waiting for its interval
    QHash<SocketId, bool> m_following; // re-probe every kFollowInterval
    QHash<SocketId, ClosedConnection> m_closed;
    TimePoint m_lastClosedSweep{};
    TimePoint m_lastPass{}; // the loop's thread's own: when its last epoll_wait() returned
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

} // namespace sockbench
