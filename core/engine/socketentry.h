#pragma once

#include "event.h"
#include "lane.h"
#include "net/kernelprobe.h"
#include "net/posixsocket.h"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace sockbench {

// One socket of the workbench: its descriptor, its lanes, and the bookkeeping that lets
// close() run safely while other lanes are inside system calls on the descriptor.
class SocketEntry {
public:
    enum class Phase : quint8 { Creating, Open, Failed, Closed };

    SocketEntry(SocketId id, AddressFamily family, SocketType type, QString actor,
                SocketId acceptedFrom = {});
    ~SocketEntry();
    SocketEntry(const SocketEntry&) = delete;
    SocketEntry& operator=(const SocketEntry&) = delete;

    SocketId id() const { return m_id; }
    AddressFamily family() const { return m_family; }
    SocketType type() const { return m_type; }
    const QString& actor() const { return m_actor; }
    SocketId acceptedFrom() const { return m_acceptedFrom; }
    bool isTcp() const { return m_type == SocketType::Stream && m_family != AddressFamily::Unix; }
    Phase phase() const;

    // The descriptor once socket() succeeded (or accept() made it).
    void open(int fd);
    void markFailed(); // socket() failed

    // Posts job to its lane. Order: calls of one lane run in the order posted, and a read
    // or write call waits for every control call (socket, bind, listen, close, ...) posted
    // before it - it travels through the control lane's queue while any is outstanding.
    // Read and write calls never wait for each other: that is what makes the socket full
    // duplex. Once the socket is closed, calls fail with EBADF, as Python reports.
    void post(LaneKind which, Lane::Job job);
    // Runs a read or write call on the calling thread when post() would have run it on an
    // idle lane at once: no control call outstanding, nothing queued or running on that
    // lane (Lane::claim). False, with job untouched, when it cannot: then post() it.
    bool runInline(LaneKind which, Lane::Job& job);
    // The lane's running or queued call, if any.
    bool interrupt(CallId call);
    // What the call waits for, if one of this socket's lanes has it parked (Lane::parkedOn).
    int parkedOn(CallId call) const;
    void interruptAll();
    bool hasWork() const;

    // A use of the descriptor by a system call or a probe. While one is alive close()
    // waits; once close() has begun, acquiring fails and the caller reports EBADF.
    class Use {
    public:
        explicit Use(SocketEntry& entry);
        ~Use();
        Use(const Use&) = delete;
        Use& operator=(const Use&) = delete;
        explicit operator bool() const { return m_socket != nullptr; }
        PosixSocket* operator->() const { return m_socket; }
        PosixSocket& operator*() const { return *m_socket; }

    private:
        SocketEntry& m_entry;
        PosixSocket* m_socket = nullptr;
    };

    struct Closed {
        CallResult result;
        bool wasOpen = false;
        Endpoint local; // TCP: the connection's addresses, to follow it after close
        Endpoint peer;
        int fd = -1; // the number the descriptor had (already closed)
    };
    // close(): stops new uses, interrupts the read and write lanes' running calls, waits
    // for every use to end, closes the descriptor, and retires the lanes (their queued
    // calls still run, and fail with EBADF). beforeClose runs with the descriptor still
    // open and no use alive: the place to stop watching it.
    Closed close(const std::function<void(int fd)>& beforeClose);

    // The peer as last known (connect, accept): getpeername() no longer answers once the
    // connection has moved on to TIME_WAIT, but close() still wants to follow it.
    void rememberPeer(const Endpoint& peer);

    // Lanes that have been retired and whose threads must be joined by the owner. A
    // retired lane ends by itself once its queue is empty (what is queued behind close()
    // fails at once with EBADF), so joining one waits no longer than that.
    std::vector<std::shared_ptr<Lane>> takeRetiredLanes();

    // Destruction path: cancels queued calls, interrupts running ones, joins every lane
    // and closes the descriptor.
    void shutdown(const QString& why);

    // The kernel's view as last recorded in the trace, so that observations record only
    // changes. Hold snapshotMutex() from probe to append: trace order = probe order.
    std::mutex& snapshotMutex() { return m_snapshotMutex; }
    KernelSnapshot lastSnapshot; // guarded by snapshotMutex()
    // setsockopt(SO_LINGER) turned lingering on: close() may then wait in the kernel.
    std::atomic<bool> lingers{false};

private:
    // The lane, started on first use; nullptr (and *failure says why) when it cannot be.
    Lane* laneLocked(LaneKind which, CallResult* failure);
    void dispatchForwarded(LaneKind which, Lane::Job job);

    const SocketId m_id;
    const AddressFamily m_family;
    const SocketType m_type;
    const QString m_actor;
    const SocketId m_acceptedFrom;

    mutable std::mutex m_mutex; // guards everything below
    std::condition_variable m_idle;
    Phase m_phase = Phase::Creating;
    std::unique_ptr<PosixSocket> m_socket;
    int m_uses = 0;
    bool m_closing = false;
    bool m_stopped = false; // shutdown() ran: no lane starts again
    // Shared so that interrupt() can hold a lane while another thread retires it.
    std::shared_ptr<Lane> m_lanes[3];
    std::vector<std::shared_ptr<Lane>> m_retired;
    Endpoint m_knownPeer;
    int m_controlOutstanding = 0; // control calls posted and not yet finished
    int m_forwarding[3] = {};     // per lane: calls travelling through the control lane

    std::mutex m_snapshotMutex;
};

} // namespace sockbench
