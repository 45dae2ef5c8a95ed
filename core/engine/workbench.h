#pragma once

#include "event.h"
#include "lane.h"
#include "trace.h"

#include <QHash>
#include <QObject>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace sockbench {

class KernelProbe;
class KernelWatcher;
class Lane;
class SocketEntry;

// The one door to sockets. Everything in the program that wants a socket call submits it
// here and gets a call id back at once; the call runs on a worker lane of its socket and
// its result arrives as an Event (in the trace, through callFinished, and through the
// optional completion). No other code touches a socket.
//
// Threads: submit(), interrupt() and the queries are safe from any thread and never make
// a system call on a workbench socket (but stillParked(): one poll that never waits).
// Destroying the workbench interrupts every blocked
// call, joins every worker and closes every descriptor it opened. Completions may go on
// submitting while it does (a peer closes its sockets, an accept() hands over a new one):
// from the moment destruction begins such calls finish at once as Interrupted ("the
// workbench was closed"), and every call's completion still runs exactly once.
class Workbench : public QObject {
    Q_OBJECT
public:
    struct Ticket {
        CallId call;
        SocketId socket; // socket(): the new socket's id, known at once
    };
    // Runs on the worker thread right after the event is in the trace; keep it short.
    // The event carries the full received data even where the trace keeps a sample.
    using Completion = std::function<void(const Event&)>;

    struct SocketInfo {
        SocketId id;
        AddressFamily family = AddressFamily::Inet4;
        SocketType type = SocketType::Stream;
        QString actor;
        SocketId acceptedFrom; // set for sockets that accept() returned
        bool open = false;     // has a descriptor now
    };

    explicit Workbench(QObject* parent = nullptr);
    explicit Workbench(std::unique_ptr<KernelProbe> probe, QObject* parent = nullptr);
    ~Workbench() override;

    Trace& trace() { return *m_trace; }
    const Trace& trace() const { return *m_trace; }
    const KernelProbe& probe() const { return *m_probe; }

    // socket() needs no socket id (a new one is made); module calls (getaddrinfo, ...)
    // take none. Invalid requests finish at once with an Invalid result.
    Ticket submit(SocketId socket, const Call& call, const QString& actor, Completion done = {});
    Ticket createSocket(AddressFamily family, SocketType type, const QString& actor,
                        Completion done = {});

    // A queued call is cancelled; a running one stops waiting at once. Both finish with
    // an Interrupted result. Returns false when the call is unknown or already finished.
    bool interrupt(CallId call);
    // Interrupts every call that is waiting or queued.
    void interruptAll();
    // Submits close() for every socket that is still open; returns the tickets.
    QList<Ticket> closeAll(const QString& actor);
    // Forgets a socket that is closed (or whose socket() failed), so that a long-running
    // server does not remember every connection it ever had: sockets() and socket() no
    // longer know it, a call on its id finishes Invalid as for an id never made, and its
    // totals leave the trace (its events stay, within the trace's limits). False, and
    // nothing done, for a socket that is open or not yet closed.
    bool forget(SocketId socket);

    // A duplicate (F_DUPFD_CLOEXEC) of the socket's descriptor, owned by the caller, for
    // another process to wait on (select/poll) - never for calls, which go through
    // submit(). Taken under the socket's use guard, so it cannot race close(): -1 with
    // errno EBADF once close() has begun (or for an unknown id), or dup's own errno.
    // Safe from any thread; never blocks on a call.
    int duplicateDescriptor(SocketId socket) const;

    QList<SocketInfo> sockets() const;
    std::optional<SocketInfo> socket(SocketId id) const;
    // Calls submitted and not yet finished.
    QList<CallId> pendingCalls() const;
    // Whether a call is parked in a wait that nothing has answered yet: it waits on its
    // socket and the kernel has no readiness for it (asked with a poll that never waits),
    // or it waits on a deadline only. False while it is about to move: queued, running,
    // woken, its socket ready, or finished (its end is on its way). For deciding that a
    // run is settled: a call the kernel has already answered is not "blocked".
    bool stillParked(CallId call) const;

    // Submits and waits for the result on the calling thread. For tools and tests only:
    // never on the UI thread. nullopt if the wait timed out (the call goes on).
    std::optional<Event> callAndWait(SocketId socket, const Call& call, const QString& actor,
                                     std::chrono::milliseconds timeout);

Q_SIGNALS:
    // Emitted on the worker thread; receivers in other threads get it queued. The event
    // carries a sample of the received bytes only (result.data is empty, payload at most
    // Trace::kPayloadSample bytes); the completion given to submit() gets them all, and
    // runs before this is emitted.
    void callBlocked(sockbench::CallId call, sockbench::SocketId socket);
    void callFinished(const sockbench::Event& event);

private:
    // Held while this thread is inside submit() (or callAndWait()'s hand-off): a result known
    // at once is then delivered from the delivery lane, never from inside the call.
    class Submitting {
    public:
        Submitting();
        ~Submitting();
        Submitting(const Submitting&) = delete;
        Submitting& operator=(const Submitting&) = delete;
        static bool active();
    };
    struct Pending {
        SocketId socket;
        LaneKind lane;
    };
    std::shared_ptr<SocketEntry> entry(SocketId id) const;
    std::shared_ptr<SocketEntry> addEntry(AddressFamily family, SocketType type,
                                          const QString& actor, SocketId acceptedFrom);
    // nullptr once teardown has begun, or if its thread cannot start.
    Lane* janitorLane();
    // On the janitor: joins the threads of a closed socket's lanes as soon as they end,
    // then lets go of the entry (which may be its last owner, if it was forgotten).
    void reap(std::shared_ptr<SocketEntry> closed, bool shutdown);
    // nullptr when the lane cannot be had: *failure says why (closing, EMFILE, EAGAIN).
    Lane* resolverLane(CallResult* failure);
    // nullptr once teardown has stopped it, or if its thread cannot start.
    Lane* deliveryLane();
    // The kernel watcher, started on first need if the constructor could not start it;
    // nullptr with *failure (EMFILE, ENFILE, ...) when it still cannot.
    KernelWatcher* watcher(CallResult* failure);
    // The watcher of a socket that exists: a socket is made only once there is one.
    KernelWatcher& watching() const { return *m_watching.load(std::memory_order_acquire); }
    Lane::Job makeJob(std::shared_ptr<SocketEntry> entry, CallId id, Call call, QString actor,
                      Completion done);
    void runCall(SocketEntry* entry, CallId id, const Call& call, const QString& actor,
                 const Completion& done, BlockingWait& wait, qint64 startNs, Trace::Place& place);
    void watch(SocketEntry& socket);                  // the kernel watcher follows an open socket
    void finish(Event event, const Completion& done); // append, then deliver
    void deliver(const Event& event, const Completion& done);
    void finishWithoutRunning(SocketId socket, CallId id, const Call& call, const QString& actor,
                              const CallResult& result, const Completion& done);
    bool observe(SocketId id);
    void observeClosed(SocketId id, std::optional<TcpState> state);

    std::unique_ptr<KernelProbe> m_probe;
    Trace* m_trace; // child QObject
    std::atomic<quint64> m_nextCall{1};
    // guards m_sockets, m_nextSocket, m_pending, m_resolver, m_delivery, m_janitor,
    // m_unreaped, m_watcher, m_closing, m_deliveryStopped
    mutable std::mutex m_mutex;
    // Set when destruction begins: no new socket, no new lane from then on.
    bool m_closing = false;
    bool m_deliveryStopped = false;
    QHash<SocketId, std::shared_ptr<SocketEntry>> m_sockets;
    quint32 m_nextSocket = 1;
    QHash<CallId, Pending> m_pending;
    std::unique_ptr<Lane> m_resolver;
    // Results known while submit() still runs (an unknown or closed socket) are delivered
    // from here, never from inside submit(): the caller learns the call id first.
    std::unique_ptr<Lane> m_delivery;
    // Joins the lanes of closed sockets (made at the first close): their threads and
    // wake-up descriptors are gone moments after the close, whatever comes next.
    std::unique_ptr<Lane> m_janitor;
    // Closed sockets no janitor could take (its thread would not start): let go at teardown.
    QList<std::shared_ptr<SocketEntry>> m_unreaped;
    // Stopped only after every lane has been joined: calls use it until they end.
    std::unique_ptr<KernelWatcher> m_watcher;
    std::atomic<KernelWatcher*> m_watching{nullptr}; // m_watcher, for lock-free reads
};

} // namespace sockbench

Q_DECLARE_METATYPE(sockbench::Workbench::Ticket)
