#pragma once

// Inside the peers: the state a running peer shares with the completions of its calls,
// and one accepted connection. Not for use outside core/services.

#include "peer.h"

#include <QSet>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>

namespace sockbench::services {

class Link;
// Serves one accepted connection: a chain of calls, each submitted from the completion
// of the one before.
using ServeConnection = std::function<void(const std::shared_ptr<Link>&)>;

// Shared by the Peer and every completion of its calls, which run on worker threads and
// may outlive the Peer object by a moment.
class PeerState : public std::enable_shared_from_this<PeerState> {
public:
    PeerState(Workbench& workbench, PeerKind kind, QString actor, ServeConnection serve);

    Workbench& workbench;
    const PeerKind kind;
    const QString actor;
    const ServeConnection serve; // TCP peers
    PeerOptions options;         // set by start(), read-only afterwards
    std::atomic<bool> stopping{false};

    // The peer's own call: the completion (on a worker) is skipped once the peer stops.
    Workbench::Ticket submit(SocketId socket, const Call& call, Workbench::Completion done = {});
    // Counts a socket as the peer's until its close() finished. False while stopping: the
    // caller closes it at once.
    bool adopt(SocketId socket);
    void closeSocket(SocketId socket);

    void attach(Peer* owner);
    void detach();
    void reportListening(const Endpoint& address);
    void reportStartFailed(const QString& sentence);
    void reportConnection(const QString& line);
    void reportStoppedOnce();

    void acceptNext();
    void receiveDatagram();
    // Runs fn after ms on the Peer's thread, unless the peer is gone or stopping.
    void later(int ms, std::function<void()> fn);

    mutable std::mutex mutex; // guards everything below
    QSet<SocketId> open;
    QList<SocketId> all;
    SocketId listener;
    Endpoint address;
    bool listening = false;
    bool startFailed = false;
    bool stoppedReported = false;
    int served = 0;
    CallId listenCall; // cancelled when bind() fails
    CallId readyCall;

private:
    template <typename Emit> void post(Emit emit);

    std::mutex m_ownerMutex; // guards m_owner; held while a signal is posted
    Peer* m_owner = nullptr;
};

// One accepted connection, alive while a call of its chain is out.
class Link : public std::enable_shared_from_this<Link> {
public:
    using Then = std::function<void(const Event&)>;
    Link(std::shared_ptr<PeerState> state, SocketId socket, Endpoint peer);

    // Submits a call on this connection; then runs with its result (on a worker) unless
    // the peer is stopping, in which case the chain simply ends: stop() closes the socket.
    void call(const Call& call, Then then = {});
    // Closes the connection and reports one line, "CLIENT  what" (once).
    void finish(const QString& what);

    const PeerOptions& options() const { return m_state->options; }
    SocketId socket() const { return m_socket; }
    const Endpoint& peer() const { return m_peer; }

    // The handler's own memory. Only the chain touches it, one call after another.
    QByteArray buffer;
    qint64 count = 0;
    std::chrono::steady_clock::time_point deadline;

private:
    std::shared_ptr<PeerState> m_state;
    SocketId m_socket;
    Endpoint m_peer;
    std::atomic<bool> m_finished{false};
};

// The handlers, one per kind (handlers.cpp).
void serveEcho(const std::shared_ptr<Link>& link);
void servePatientReceiver(const std::shared_ptr<Link>& link);
void serveDaytime(const std::shared_ptr<Link>& link);
void serveCourseWeb(const std::shared_ptr<Link>& link);

} // namespace sockbench::services
