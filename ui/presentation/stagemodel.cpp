#include "stagemodel.h"

#include "describe.h"
#include "net/errnocatalog.h"

namespace sockbench {

QString roleName(const SocketView& socket)
{
    const QString port = socket.peer.isValid() && socket.peer.family() != AddressFamily::Unix
                             ? QStringLiteral(" :%1").arg(socket.peer.port())
                             : QString();
    if (socket.outside)
        return QStringLiteral("outside end");
    if (socket.listened)
        return QStringLiteral("listener");
    if (socket.acceptedFrom.isValid())
        return QStringLiteral("conn from") + (port.isEmpty() ? QStringLiteral(" a client") : port);
    if (!port.isEmpty())
        return QStringLiteral("socket to") + port;
    return QStringLiteral("socket");
}

QString teachingStateName(TeachingState state)
{
    switch (state) {
    case TeachingState::Created:
        return QStringLiteral("created");
    case TeachingState::Bound:
        return QStringLiteral("bound");
    case TeachingState::Listening:
        return QStringLiteral("listening");
    case TeachingState::Connected:
        return QStringLiteral("connected");
    case TeachingState::WriteShut:
        return QStringLiteral("write-shut");
    case TeachingState::ReadShut:
        return QStringLiteral("read-shut");
    case TeachingState::BothShut:
        return QStringLiteral("shut down");
    case TeachingState::Closed:
        return QStringLiteral("closed");
    }
    return {};
}

QList<CallKind> suggestedCalls(const SocketView& s)
{
    const bool stream = isConnectionOriented(s.type);
    switch (s.state) {
    case TeachingState::Created:
        return stream ? QList<CallKind>{CallKind::Bind, CallKind::Connect}
                      : QList<CallKind>{CallKind::Bind, CallKind::SendTo};
    case TeachingState::Bound:
        return stream ? QList<CallKind>{CallKind::Listen}
                      : QList<CallKind>{CallKind::RecvFrom, CallKind::SendTo};
    case TeachingState::Listening:
        return {CallKind::Accept};
    case TeachingState::Connected:
        // The peer has finished (its FIN came, or an AF_UNIX peer closed): what is left is
        // reading the rest, b'' at the end, and closing this end too.
        if (stream && s.isTcp() && s.kernel.valid && s.kernel.tcpState == TcpState::Close)
            return {CallKind::Close}; // broken: reset, or gone from under it
        if (stream && (s.kernel.peerDone || s.kernel.tcpState == TcpState::CloseWait))
            return {CallKind::Recv, CallKind::Close};
        return {CallKind::Send, CallKind::Recv};
    case TeachingState::WriteShut:
        if (s.isTcp() && s.kernel.valid && s.kernel.tcpState == TcpState::Close)
            return {CallKind::Close}; // finished: both FINs went
        return {CallKind::Recv, CallKind::Close};
    case TeachingState::ReadShut:
        return {CallKind::Send, CallKind::Close};
    case TeachingState::BothShut:
        return {CallKind::Close};
    case TeachingState::Closed:
        return {};
    }
    return {};
}

QString outsideHostName(const Endpoint& address)
{
    return QStringLiteral("outside %1").arg(address.toString());
}

bool isOutsideHost(const QString& actor)
{
    return actor.startsWith(QLatin1String("outside "));
}

namespace {

// Two addresses name the same socket end: an IPv4 peer seen from an IPv6 socket is
// ::ffff:a.b.c.d, the very same address.
bool sameEnd(const Endpoint& a, const Endpoint& b)
{
    if (!a.isValid() || !b.isValid())
        return false;
    return a.unmapped() == b.unmapped();
}

// A datagram to 127.0.0.1:port reaches a socket bound to 0.0.0.0:port as well.
bool reaches(const Endpoint& to, const Endpoint& bound)
{
    if (sameEnd(to, bound))
        return true;
    const Endpoint t = to.unmapped();
    const Endpoint b = bound.unmapped();
    return b.isAny() && t.port() == b.port() && t.port() != 0;
}

} // namespace

StageModel::StageModel(QObject* parent)
    : QObject(parent)
{
}

const SocketView* StageModel::socket(SocketId id) const
{
    const auto it = m_sockets.constFind(id);
    return it == m_sockets.cend() ? nullptr : &*it;
}

void StageModel::clear()
{
    m_sockets.clear();
    m_order.clear();
    m_actors.clear();
    m_outside.clear();
    m_undecided.clear();
    m_nextOutside = kFirstOutside;
    m_lastSeq = 0;
    Q_EMIT cleared();
}

void StageModel::addActor(const QString& actor)
{
    if (actor.isEmpty() || m_actors.contains(actor))
        return;
    m_actors << actor;
    Q_EMIT actorAdded(actor);
}

SocketView& StageModel::add(SocketId id, const QString& actor, AddressFamily family,
                            SocketType type)
{
    addActor(actor);
    SocketView& view = m_sockets[id];
    view.id = id;
    view.actor = actor;
    view.family = family;
    view.type = type;
    m_order << id;
    return view;
}

SocketId StageModel::peerOf(SocketId id) const
{
    const SocketView* s = socket(id);
    if (!s || s->state == TeachingState::Closed)
        return {};
    if (s->pairedWith.isValid()) {
        const SocketView* other = socket(s->pairedWith);
        return other && other->state != TeachingState::Closed ? other->id : SocketId{};
    }
    if (isConnectionOriented(s->type)) {
        if (!s->peer.isValid())
            return {};
        for (const SocketView& other : m_sockets)
            if (other.id != id && other.state != TeachingState::Closed &&
                other.state != TeachingState::Listening && sameEnd(other.local, s->peer) &&
                sameEnd(other.peer, s->local))
                return other.id;
        return {};
    }
    return s->peer.isValid() ? findByLocal(s->peer, SocketType::Datagram) : SocketId{};
}

QHash<SocketId, SocketId> StageModel::peers() const
{
    const auto ends = [](const Endpoint& local, const Endpoint& peer) {
        return local.unmapped().toString() + QLatin1Char('|') + peer.unmapped().toString();
    };
    // The open connected ends by their (local, peer), the first in peerOf()'s order kept.
    QHash<QString, SocketId> byEnds;
    for (const SocketView& s : m_sockets)
        if (s.state != TeachingState::Closed && s.state != TeachingState::Listening &&
            s.local.isValid() && s.peer.isValid())
            if (const QString key = ends(s.local, s.peer); !byEnds.contains(key))
                byEnds.insert(key, s.id);
    QHash<SocketId, SocketId> out;
    for (const SocketView& s : m_sockets) {
        SocketId peer;
        if (isConnectionOriented(s.type) && !s.pairedWith.isValid() &&
            s.state != TeachingState::Closed) {
            if (!s.peer.isValid() || !s.local.isValid())
                continue;
            peer = byEnds.value(ends(s.peer, s.local));
            if (peer == s.id) // connected to itself: peerOf() looks past it
                peer = peerOf(s.id);
        } else {
            peer = peerOf(s.id);
        }
        if (peer.isValid())
            out.insert(s.id, peer);
    }
    return out;
}

QHash<SocketId, SocketId> StageModel::waitingInQueues() const
{
    // The listeners by port (a listener on 0.0.0.0 takes connections to 127.0.0.1 too),
    // and every connection an accept() has returned, open or closed since, by its two ends
    // (the accepted socket's local and peer): a connection is one pair of ends, whichever
    // listener took it.
    QHash<quint16, QList<SocketId>> listeners;
    QSet<QString> accepted;
    const auto ends = [](const Endpoint& a, const Endpoint& b) {
        return a.unmapped().toString() + QLatin1Char('|') + b.unmapped().toString();
    };
    for (const SocketView& s : m_sockets) {
        if (s.state == TeachingState::Listening && s.local.isValid() && s.local.port() != 0)
            listeners[s.local.port()] << s.id;
        if (s.acceptedFrom.isValid() && s.peer.isValid() && s.local.isValid())
            accepted.insert(ends(s.peer, s.local));
    }
    QHash<SocketId, SocketId> out;
    if (listeners.isEmpty())
        return out;
    for (const SocketView& s : m_sockets) {
        // A client closed while its connection still waits in the queue: its kernel keeps
        // its end (FIN_WAIT1/2, CLOSING) and the listener's queue still counts it (lesson
        // 09's six closed clients beside "6, backlog 5").
        const TcpState k = s.kernel.tcpState;
        const bool closedButQueued =
            s.state == TeachingState::Closed && s.kernel.valid &&
            (k == TcpState::FinWait1 || k == TcpState::FinWait2 || k == TcpState::Closing);
        if (!isConnectionOriented(s.type) || s.acceptedFrom.isValid() || s.pairedWith.isValid() ||
            (s.state == TeachingState::Closed && !closedButQueued) ||
            s.state == TeachingState::Listening || !s.peer.isValid() || !s.local.isValid() ||
            s.family == AddressFamily::Unix || accepted.contains(ends(s.local, s.peer)))
            continue;
        // The handshake is done (connect() returned, or the kernel says so), and the kernel
        // has not dropped the connection since (a reset leaves it in CLOSE).
        if (!closedButQueued &&
            (s.kernel.valid ? k != TcpState::Established : s.state != TeachingState::Connected))
            continue;
        // The listener the client reached: its exact address first, then a wildcard one.
        // An IPv4 listener never takes an IPv6 client; a dual-stack IPv6 one takes both.
        const Endpoint to = s.peer.unmapped();
        SocketId best;
        for (const SocketId listener : listeners.value(s.peer.port())) {
            const SocketView* l = socket(listener);
            if (!l || l->type != s.type || !reaches(s.peer, l->local) ||
                (l->family == AddressFamily::Inet4 && to.family() != AddressFamily::Inet4))
                continue;
            best = listener;
            if (!l->local.unmapped().isAny())
                break;
        }
        if (best.isValid())
            out.insert(s.id, best);
    }
    return out;
}

SocketId StageModel::findByLocal(const Endpoint& address, SocketType type) const
{
    for (const SocketView& other : m_sockets)
        if (other.type == type && other.state != TeachingState::Closed &&
            reaches(address, other.local))
            return other.id;
    return {};
}

void StageModel::apply(const Event& event)
{
    m_lastSeq = event.seq;
    if (!event.socket.isValid())
        return; // module calls (getaddrinfo, ...) belong to no socket on the stage
    if (event.kind == EventKind::CallFinished && event.request.kind == CallKind::Socket) {
        if (!event.result.ok() || m_sockets.contains(event.socket))
            return;
        SocketView& view =
            add(event.socket, event.actor, event.request.args.family, event.request.args.type);
        view.fd = event.result.count;
        view.kernel = event.kernel;
        view.lastKind = CallKind::Socket;
        view.lastCall = describe::call(event);
        view.lastResult = describe::result(event);
        Q_EMIT socketAdded(event.socket);
        Q_EMIT acted(event.socket);
        return;
    }
    if (event.kind == EventKind::CallFinished && event.request.kind == CallKind::SocketPair) {
        // Two sockets, connected to each other from the start.
        if (!event.result.ok() || m_sockets.contains(event.result.newSocket) ||
            m_sockets.contains(event.result.pairedSocket))
            return;
        const SocketId ends[2] = {event.result.newSocket, event.result.pairedSocket};
        for (int i = 0; i < 2; ++i) {
            SocketView& view =
                add(ends[i], event.actor, event.request.args.family, event.request.args.type);
            view.pairedWith = ends[1 - i];
            view.state = TeachingState::Connected;
            view.lastKind = CallKind::SocketPair;
            view.lastCall = describe::call(event);
            view.lastResult = describe::result(event);
            if (i == 0)
                view.kernel = event.kernel;
        }
        for (const SocketId id : ends) {
            Q_EMIT socketAdded(id);
            Q_EMIT acted(id);
        }
        return;
    }
    const auto it = m_sockets.find(event.socket);
    if (it == m_sockets.end())
        return;
    if (event.kind != EventKind::Observation)
        Q_EMIT acted(event.socket);
    SocketView& view = *it;
    switch (event.kind) {
    case EventKind::CallBlocked:
        view.blockedCall = event.call;
        view.blockedKind = event.request.kind;
        view.blockedSinceNs = event.timeNs;
        if (event.kernel.valid)
            view.kernel = event.kernel;
        Q_EMIT socketChanged(view.id);
        return;
    case EventKind::Observation: {
        const KernelSnapshot before = view.kernel;
        view.kernel = event.kernel;
        Q_EMIT socketChanged(view.id);
        // The kernel's states prove the segments that moved them.
        const SocketId peer = peerOf(view.id);
        if (before.tcpState != TcpState::CloseWait && event.kernel.tcpState == TcpState::CloseWait)
            animateSegment(peer, view.id, QStringLiteral("FIN"));
        return;
    }
    case EventKind::CallFinished:
        finished(event);
        settleOutside();
        return;
    }
}

bool StageModel::mayStillBeOurs(const SocketView& s) const
{
    for (const SocketView& other : m_sockets) {
        if (other.outside || other.id == s.id || !isConnectionOriented(other.type))
            continue;
        // A client of a workbench listener, closed since: the other end was the listener's
        // queue, which died with it, never a program outside.
        if (!s.acceptedFrom.isValid() && other.listened && reaches(s.peer, other.local))
            return true;
        if (other.state == TeachingState::Closed)
            continue;
        if (!s.acceptedFrom.isValid()) {
            // A client of a workbench listener: accept() will show its end, if ever called.
            if (other.state == TeachingState::Listening && reaches(s.peer, other.local))
                return true;
        } else if (!other.acceptedFrom.isValid() &&
                   (other.state == TeachingState::Created || other.state == TeachingState::Bound) &&
                   (!other.local.isValid() || other.local.port() == 0 ||
                    sameEnd(other.local, s.peer))) {
            // A workbench client whose connect() has not come through the trace yet.
            return true;
        }
    }
    return false;
}

void StageModel::settleOutside()
{
    const QList<SocketId> undecided = m_undecided;
    for (const SocketId id : undecided) {
        const SocketView* s = socket(id);
        if (!s || s->state == TeachingState::Closed || !s->peer.isValid() || !s->isTcp() ||
            peerOf(id).isValid()) {
            m_undecided.removeAll(id);
            continue;
        }
        if (mayStillBeOurs(*s))
            continue;
        m_undecided.removeAll(id);
        const SocketId end{m_nextOutside++};
        const Endpoint local = s->local;
        const Endpoint peer = s->peer;
        const AddressFamily family = s->family;
        SocketView& view = add(end, outsideHostName(peer), family, SocketType::Stream);
        view.outside = true;
        view.state = TeachingState::Connected;
        view.local = peer;
        view.peer = local;
        view.lastCall = tr("a program outside the workbench");
        view.lastResult = tr("connected to %1").arg(local.toString());
        m_outside.insert(id, end);
        Q_EMIT socketAdded(end);
    }
}

void StageModel::animateBytes(SocketId from, SocketId to, const QByteArray& sample, qint64 size,
                              bool datagram)
{
    if (m_animated)
        Q_EMIT bytesSent(from, to, sample, size, datagram);
}

void StageModel::animateSegment(SocketId from, SocketId to, const QString& kind)
{
    if (m_animated)
        Q_EMIT controlSegment(from, to, kind);
}

void StageModel::finished(const Event& event)
{
    SocketView& view = m_sockets[event.socket];
    const CallKind kind = event.request.kind;
    const CallResult& r = event.result;
    if (view.blockedCall == event.call)
        view.blockedCall = {};
    view.lastCallId = event.call;
    view.lastKind = kind;
    view.lastCall = describe::call(event);
    view.lastResult = describe::result(event);
    view.lastFailed = !r.ok() && r.outcome != Outcome::Interrupted;
    view.lastErrorName = r.ok() ? QString() : r.errorName();
    view.lastErrorText = r.ok() ? QString() : r.message;
    view.lastException = r.outcome == Outcome::Error
                             ? errnocatalog::pythonException(r.errorDomain, r.errorNumber)
                             : QString();
    if (event.kernel.valid)
        view.kernel = event.kernel;
    const Endpoint localBefore = view.local;
    if (event.localAddress.isValid() && kind != CallKind::Close)
        view.local = event.localAddress;
    if (event.peerAddress.isValid() && kind != CallKind::Close)
        view.peer = event.peerAddress;
    // A port that appears by any call but bind() is the kernel's choice, whether the call
    // succeeded or not: a refused connect() keeps the ephemeral port it was given
    // (getsockname() says 0.0.0.0 and that port).
    if (kind != CallKind::Bind && view.family != AddressFamily::Unix && view.local.isValid() &&
        view.local.port() != 0 && (!localBefore.isValid() || localBefore.port() == 0))
        view.localChosenByKernel = true;
    // Linux releases the port a failed connect() picked (the socket goes back to CLOSE and
    // out of the bind table) while getsockname() goes on reporting it.
    const bool refused = (kind == CallKind::Connect && !r.ok()) ||
                         (kind == CallKind::ConnectEx && r.ok() && r.count != 0);
    if (refused && view.isTcp() && view.state == TeachingState::Created &&
        view.localChosenByKernel && view.kernel.valid && view.kernel.tcpState == TcpState::Close)
        view.localLetGo = true;
    else if (kind == CallKind::Bind ||
             ((kind == CallKind::Connect || kind == CallKind::ConnectEx) && !refused))
        view.localLetGo = false;

    if (r.ok()) {
        switch (kind) {
        case CallKind::Bind:
            view.state = TeachingState::Bound;
            view.localChosenByKernel =
                event.request.args.port == 0 && view.family != AddressFamily::Unix;
            break;
        case CallKind::Listen:
            if (!localBefore.isValid() || localBefore.port() == 0)
                view.localChosenByKernel = true; // Linux binds an ephemeral port on the fly
            view.state = TeachingState::Listening;
            view.listened = true;
            break;
        case CallKind::Connect:
        case CallKind::ConnectEx:
            if (kind == CallKind::ConnectEx && r.count != 0)
                break;
            if (!localBefore.isValid() || localBefore.port() == 0)
                view.localChosenByKernel = view.family != AddressFamily::Unix;
            view.state = TeachingState::Connected;
            m_undecided << view.id;
            if (view.isTcp()) {
                const SocketId server = findByLocal(view.peer, SocketType::Stream);
                animateSegment(view.id, server, QStringLiteral("SYN"));
            }
            break;
        case CallKind::SendTo:
            if (!localBefore.isValid() || localBefore.port() == 0)
                view.localChosenByKernel = true;
            if (view.state == TeachingState::Created)
                view.state = TeachingState::Bound; // the kernel bound it to send
            break;
        case CallKind::Shutdown: {
            const int how = event.request.args.how;
            const bool read = how == 0 || how == 2 || view.state == TeachingState::ReadShut;
            const bool write = how == 1 || how == 2 || view.state == TeachingState::WriteShut;
            view.state = read && write ? TeachingState::BothShut
                         : write       ? TeachingState::WriteShut
                                       : TeachingState::ReadShut;
            if (write && view.isTcp())
                animateSegment(view.id, peerOf(view.id), QStringLiteral("FIN"));
            break;
        }
        case CallKind::Close: {
            const SocketId peer = peerOf(view.id);
            const bool wasConnected =
                view.state == TeachingState::Connected || view.state == TeachingState::ReadShut;
            view.state = TeachingState::Closed;
            view.blockedCall = {};
            if (wasConnected && view.isTcp())
                animateSegment(view.id, peer, QStringLiteral("FIN"));
            // The snapshot was read before the descriptor went. A connection lives on in the
            // kernel (FIN_WAIT, TIME_WAIT: the watcher follows it); anything else - a
            // listener and its queue, an unconnected socket - is released with the close.
            if (!view.isTcp() || !view.peer.isValid())
                view.kernel = KernelSnapshot{};
            if (const auto end = m_outside.constFind(view.id); end != m_outside.cend()) {
                m_sockets[*end].state = TeachingState::Closed; // as far as we can tell
                Q_EMIT socketChanged(*end);
            }
            break;
        }
        case CallKind::Accept: {
            // add() grows the hash, which may move every view in it, `view` too: what the
            // new socket takes from the listener is read first, and `view` not after.
            const SocketId listener = view.id;
            const Endpoint listenerLocal = view.local;
            const bool portChosenByKernel = view.localChosenByKernel;
            SocketView& accepted = add(r.newSocket, event.actor, view.family, view.type);
            accepted.acceptedFrom = listener;
            accepted.fd = r.count;
            accepted.state = TeachingState::Connected;
            accepted.peer = r.address;
            accepted.local = r.acceptedLocal.isValid() ? r.acceptedLocal : listenerLocal;
            // The listener's port, labelled as the listener's is (one label per port).
            accepted.localChosenByKernel =
                portChosenByKernel && accepted.local.port() == listenerLocal.port();
            accepted.lastKind = CallKind::Accept;
            accepted.lastCall = QStringLiteral("made by accept()");
            accepted.lastResult = QStringLiteral("peer %1").arg(r.address.toString());
            m_undecided << accepted.id;
            Q_EMIT socketAdded(accepted.id);
            Q_EMIT socketChanged(listener);
            return;
        }
        default:
            break;
        }
        if (isDataCall(kind) && event.payloadSize > 0) {
            const bool sending =
                kind == CallKind::Send || kind == CallKind::SendAll || kind == CallKind::SendTo;
            const bool datagram = view.type == SocketType::Datagram;
            if (sending) {
                view.bytesSent += event.payloadSize;
                view.datagramsSent += datagram ? 1 : 0;
                SocketId to;
                if (kind == CallKind::SendTo) {
                    // The destination is the address the program named, resolved.
                    if (auto literal = Endpoint::parseLiteral(
                            event.request.args.host, static_cast<quint16>(event.request.args.port),
                            AddressFamily::Unspecified))
                        to = findByLocal(*literal, view.type);
                    else
                        to = findByLocal(Endpoint::inet4(0x7f000001, static_cast<quint16>(
                                                                         event.request.args.port)),
                                         view.type);
                } else {
                    to = peerOf(view.id);
                }
                animateBytes(view.id, to, event.payload, event.payloadSize, datagram);
            } else {
                view.bytesReceived += event.payloadSize;
                view.datagramsReceived += datagram ? 1 : 0;
                // Nobody on the stage sent these: they came from the outside end.
                if (const auto end = m_outside.constFind(view.id); end != m_outside.cend())
                    animateBytes(*end, view.id, event.payload, event.payloadSize, datagram);
            }
        }
    } else if (r.outcome == Outcome::Error && r.errorName() == QLatin1String("ECONNRESET")) {
        animateSegment(peerOf(view.id), view.id, QStringLiteral("RST"));
    }
    Q_EMIT socketChanged(view.id);
}

} // namespace sockbench
