#pragma once

#include "backendprocess.h"
#include "channel.h"

#include "engine/workbench.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace sockbench::program {

// Performs a backend's socket calls on the workbench (docs/backend-protocol.md, "Socket
// calls"): each `call` frame becomes a sockbench::Call submitted with Workbench::submit,
// and the call's completion sends the `ret` frame straight back from the worker lane,
// with a duplicate of the new socket's descriptor for socket() and accept().
//
// Make it before BackendProcess::start(): the constructor installs handleFrame() as the
// backend's frame handler, so that no call can arrive before the bridge is there.
//
// Threads: handleFrame() runs on the backend's reader thread; completions run on worker
// lanes; every other member is safe from any thread. The actor function is called on the
// reader thread and must be thread safe. Either may outlive the other: once the bridge is
// gone, calls still running finish without answering and new call frames are left to
// frameReceived().
class CallBridge : public QObject {
    Q_OBJECT
public:
    // The actor a thread's sockets are drawn on (its actor, or its starter's).
    using ActorOf = std::function<QString(qint64 tid)>;

    CallBridge(Workbench& workbench, BackendProcess& backend, ActorOf actorOf,
               QObject* parent = nullptr);
    ~CallBridge() override;

    // Takes `call` frames (true); leaves every other frame (false).
    bool handleFrame(Channel::Frame& frame);
    std::function<bool(Channel::Frame&)> frameHandler();

    // The thread that made a call still running; nullopt once it has ended.
    std::optional<qint64> threadOf(CallId call) const;
    // Calls submitted and not yet answered.
    QList<CallId> pendingCalls() const;
    // The program's sockets that are not closed yet.
    QSet<SocketId> sockets() const;

    // Interrupts every call of the program that has not ended: each answers "interrupted".
    void interruptAll();
    // Reset: interrupts every call, then closes every socket the program still has.
    void closeAll();

    // The call as the program wrote it, shortly: "accept()", "recv(1024)",
    // "bind(('127.0.0.1', 0))", "sendall(<70000 bytes>)".
    static QString describe(const Call& call, AddressFamily family);

Q_SIGNALS:
    // Emitted on the reader thread once the call is submitted, always before callEnded
    // for the same call; receivers elsewhere get them queued, in that order.
    void callStarted(qint64 tid, sockbench::CallId call, const QString& text);
    // Emitted on the worker that finished the call, before its answer goes back.
    void callEnded(qint64 tid, sockbench::CallId call, const sockbench::Event& event);

private:
    struct Shared; // what completions hold: they may outlive the bridge
    void reply(const QJsonObject& request, const QJsonObject& answer);

    Workbench& m_workbench;
    std::shared_ptr<Shared> m_shared;
};

} // namespace sockbench::program
