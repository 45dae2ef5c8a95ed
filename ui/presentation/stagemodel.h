#pragma once

#include "engine/event.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QStringList>

#include <functional>

namespace sockbench {

// Where a socket is in the life the course teaches. It suggests the next call; it never
// forbids one.
enum class TeachingState : quint8 {
    Created,
    Bound,
    Listening,
    Connected,
    WriteShut, // shutdown(SHUT_WR): done sending, still reading
    ReadShut,  // shutdown(SHUT_RD): done reading, still sending
    BothShut,
    Closed,
};
QString teachingStateName(TeachingState state);

// Everything the stage shows about one socket, derived from the trace alone.
struct SocketView {
    SocketId id;
    QString actor;
    AddressFamily family = AddressFamily::Inet4;
    SocketType type = SocketType::Stream;
    SocketId acceptedFrom;
    SocketId pairedWith; // socketpair(): the other end (unnamed ends have no address to match)
    qint64 fd = -1;
    Endpoint local;
    Endpoint peer;
    bool localChosenByKernel = false; // port 0 at bind(), or connect()/sendto() unbound
    // A TCP connect() that failed on a socket never bound: getsockname() still says the
    // port it was given, but the kernel has let it go (another socket may bind it now).
    bool localLetGo = false;
    bool listened = false; // listen() succeeded on it once (it may be closed now)
    TeachingState state = TeachingState::Created;
    KernelSnapshot kernel;
    // A call waiting in the kernel right now.
    CallId blockedCall;
    CallKind blockedKind = CallKind::Recv;
    qint64 blockedSinceNs = 0;
    // The newest call that finished on this socket.
    CallId lastCallId;
    CallKind lastKind = CallKind::Socket;
    QString lastCall;   // "recv(1024)"
    QString lastResult; // "b'hello'" or "EADDRINUSE"
    bool lastFailed = false;
    QString lastErrorName;
    QString lastErrorText;
    QString lastException; // "ConnectionRefusedError"
    qint64 bytesSent = 0;
    qint64 bytesReceived = 0;
    qint64 datagramsSent = 0;
    qint64 datagramsReceived = 0;
    // The other end of a connection, in a program outside the workbench: drawn as a host
    // of its own ("outside 127.0.0.1:54321"), known only by what our socket saw.
    bool outside = false;

    bool isBlocked() const { return blockedCall.isValid(); }
    bool isTcp() const { return type == SocketType::Stream && family != AddressFamily::Unix; }
    bool isListening() const { return state == TeachingState::Listening; }
};

// What to call a socket no variable of the script names (a built-in peer's, a program's
// outside the workbench): its role, told apart by its peer's port where it has one —
// "listener", "conn from :51100", "outside end", "socket". Never a bare number.
QString roleName(const SocketView& socket);

// The calls that make sense next for a socket in this state (the stage highlights them).
QList<CallKind> suggestedCalls(const SocketView& socket);

// The host name the stage gives a program outside the workbench.
QString outsideHostName(const Endpoint& address);
bool isOutsideHost(const QString& actor);

// Builds the stage's picture of every socket from trace events, in trace order. It
// says when bytes leave one socket for another and when the kernel's state proves a
// connection's set-up or tear-down (SYN, FIN, RST), so the views can animate them.
class StageModel : public QObject {
    Q_OBJECT
public:
    explicit StageModel(QObject* parent = nullptr);

    void apply(const Event& event);
    void clear();

    QList<SocketId> sockets() const { return m_order; }
    const SocketView* socket(SocketId id) const;
    QStringList actors() const { return m_actors; }
    // The workbench socket at the other end of this one's connection (or the bound socket
    // a datagram is addressed to); invalid when the peer is outside the workbench.
    SocketId peerOf(SocketId id) const;
    // Every socket's peer that peerOf() names, found in one pass: for the wires of a stage
    // with thousands of sockets, asking peerOf() of each would take time quadratic in them.
    QHash<SocketId, SocketId> peers() const;
    // Connections the kernel has completed that no accept() has taken yet: each client end
    // and the listener whose accept queue holds it. One pass, as peers().
    QHash<SocketId, SocketId> waitingInQueues() const;
    // The newest event that was applied.
    quint64 lastSeq() const { return m_lastSeq; }
    // Adds a host that has no socket yet (the window's "new host").
    void addActor(const QString& actor);
    // Off while a replay rebuilds the picture at once: states change, nothing flies.
    void setAnimated(bool animated) { m_animated = animated; }

Q_SIGNALS:
    // A call on this socket finished or began to wait: where the action is now.
    void acted(sockbench::SocketId socket);
    void actorAdded(const QString& actor);
    void socketAdded(sockbench::SocketId socket);
    void socketChanged(sockbench::SocketId socket);
    // Bytes one socket sent, on their way to another (to is invalid when the receiver is
    // not a workbench socket).
    void bytesSent(sockbench::SocketId from, sockbench::SocketId to, const QByteArray& sample,
                   qint64 size, bool datagram);
    // A control segment the kernel's states prove: "SYN", "FIN" or "RST".
    void controlSegment(sockbench::SocketId from, sockbench::SocketId to, const QString& kind);
    void cleared();

private:
    SocketView& add(SocketId id, const QString& actor, AddressFamily family, SocketType type);
    void finished(const Event& event);
    void animateBytes(SocketId from, SocketId to, const QByteArray& sample, qint64 size,
                      bool datagram);
    void animateSegment(SocketId from, SocketId to, const QString& kind);
    SocketId findByLocal(const Endpoint& address, SocketType type) const;
    // Connected TCP sockets whose other end is no workbench socket get an outside end.
    bool mayStillBeOurs(const SocketView& socket) const;
    void settleOutside();

    QHash<SocketId, SocketView> m_sockets;
    bool m_animated = true;
    QHash<SocketId, SocketId> m_outside; // workbench socket -> its outside end
    QList<SocketId> m_undecided;         // connected; whose is the other end?
    quint32 m_nextOutside = kFirstOutside;
    static constexpr quint32 kFirstOutside = 0x80000000u; // far above the workbench's ids
    QList<SocketId> m_order;
    QStringList m_actors;
    quint64 m_lastSeq = 0;
};

} // namespace sockbench
