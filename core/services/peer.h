#pragma once

#include "engine/workbench.h"

#include <QObject>

#include <chrono>
#include <memory>
#include <optional>

namespace sockbench::services {

// A built-in peer the course's examples need: a small server run through the workbench's
// one door (Workbench::submit), so that every call it makes is in the trace under its
// actor's name and its sockets are drawn on the stage like anyone's.
struct PeerKind {
    QString name;    // "course-web"
    QString summary; // one line for `sockbench serve --list` and the window's menu
    SocketType type = SocketType::Stream;
};
QList<PeerKind> peerKinds();
std::optional<PeerKind> findPeerKind(const QString& name);

struct PeerOptions {
    // Loopback unless asked otherwise: "", "0.0.0.0" and "::" mean every interface.
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0; // 0: the kernel picks a free port
    // course-web: how long a client may take to send its whole request, and after the
    // answer how long the peer waits for the client to close before it closes itself.
    std::chrono::milliseconds requestTimeout{10000};
    int backlog = 128;
    // Forget each socket once its close() finished (Workbench::forget), so that a server
    // that runs for days keeps flat memory: `sockbench serve` does. The window keeps them,
    // to draw the connections that were.
    bool forgetClosed = false;
};

class PeerState;

// One running peer. A TCP peer accepts in a loop; each connection it accepts is served
// by a chain of calls on the new socket's own worker lanes ("the new socket is passed to
// a thread", as the course puts it), so any number of clients are served at once. A UDP
// peer answers datagram after datagram on its one socket.
//
// Threads: the peer's calls complete on the workbench's workers, which post the signals
// to the Peer's own thread: they are emitted there, in the order things happened.
// Destroying the peer stops it.
class Peer : public QObject {
    Q_OBJECT
public:
    // nullptr for a kind that does not exist. actor: whose calls they are on the stage and
    // in the trace (the kind's name when empty).
    static std::unique_ptr<Peer> create(const QString& kind, Workbench& workbench,
                                        const QString& actor = {});
    ~Peer() override;

    const PeerKind& kind() const;
    QString actor() const;

    // Starts listening: socket(), SO_REUSEADDR (TCP), bind(), listen(), then accept() in a
    // loop. Returns the id of the peer's getsockname() call, the last of its start: by the
    // time that call's result is out, listening() or startFailed() has been emitted and
    // address() is set. An invalid id if it was started before.
    CallId start(const PeerOptions& options = {});
    // Closes every socket the peer has (a blocked accept() or recv() ends at once);
    // stopped() follows once every close() finished.
    void stop();

    bool isListening() const;
    Endpoint address() const; // where it listens, once it does
    // Every socket it has had, oldest first (with forgetClosed: those not forgotten yet).
    QList<SocketId> sockets() const;
    int openSockets() const;
    int connectionsServed() const;

Q_SIGNALS:
    void listening(const sockbench::Endpoint& address);
    // One sentence saying why it could not listen ("port 80 on 127.0.0.1 is ...").
    void startFailed(const QString& sentence);
    // One line per connection once it ends (for UDP: per datagram), beginning with the
    // client's address.
    void connectionFinished(const QString& line);
    void stopped();

private:
    explicit Peer(std::shared_ptr<PeerState> state);
    std::shared_ptr<PeerState> m_state;
};

// The sentence for a bind()/listen() that failed when starting on host:port.
QString startFailure(const CallResult& result, const QString& host, quint16 port);

} // namespace sockbench::services
