#include "ladderlayout.h"

#include "presentation/describe.h"
#include "views/timeline.h"

#include <algorithm>

#include <cerrno>

namespace sockbench {

namespace {

Endpoint normal(const Endpoint& e)
{
    return e.unmapped();
}

QString connectionKey(const Endpoint& local, const Endpoint& peer)
{
    return normal(local).toString() + QLatin1Char('|') + normal(peer).toString();
}

QString portKey(const Endpoint& e)
{
    return e.family() == AddressFamily::Unix ? QString::fromUtf8(e.path())
                                             : QString::number(e.port());
}

// Whether a socket bound at `bound` receives what is addressed to `to`: the same address,
// or the same port on the wildcard address.
bool reaches(const Endpoint& bound, const Endpoint& to)
{
    const Endpoint a = normal(bound);
    const Endpoint b = normal(to);
    if (a == b)
        return true;
    if (a.family() == AddressFamily::Unix || b.family() == AddressFamily::Unix)
        return false;
    return a.port() == b.port() && (a.isAny() || b.isAny());
}

bool isStreamCall(CallKind kind)
{
    return kind == CallKind::Accept || kind == CallKind::Listen;
}

bool isRecv(CallKind kind)
{
    return kind == CallKind::Recv || kind == CallKind::RecvFrom || kind == CallKind::RecvInto ||
           kind == CallKind::RecvFromInto;
}

bool isSend(CallKind kind)
{
    return kind == CallKind::Send || kind == CallKind::SendAll || kind == CallKind::SendTo;
}

bool errnoIs(const CallResult& r, int number)
{
    return r.outcome == Outcome::Error && r.errorDomain == ErrorDomain::Errno &&
           r.errorNumber == number;
}

// Where a connect()/sendto() aimed, from the arguments as the program wrote them. Names
// other than localhost are not resolved here: the layout never makes a system call.
Endpoint destination(const CallArgs& args, AddressFamily family)
{
    if (family == AddressFamily::Unix)
        return Endpoint::unixPath(args.host.toUtf8());
    const auto port = quint16(std::clamp<qint64>(args.port, 0, 65535));
    if (auto literal = Endpoint::parseLiteral(args.host, port, AddressFamily::Unspecified))
        return *literal;
    if (args.host == QLatin1String("localhost") || args.host.isEmpty()) {
        if (family == AddressFamily::Inet6)
            return *Endpoint::parseLiteral(QStringLiteral("::1"), port, AddressFamily::Inet6);
        return Endpoint::inet4(0x7f000001, port);
    }
    return {};
}

} // namespace

LadderLayout::LadderLayout() = default;

void LadderLayout::clear()
{
    *this = LadderLayout();
}

void LadderLayout::rebuild(const Timeline& timeline)
{
    clear();
    append(timeline, 0, timeline.size());
}

void LadderLayout::append(const Timeline& timeline, qsizetype first, qsizetype count)
{
    const qsizetype end = std::min(first + count, timeline.size());
    for (qsizetype i = std::max<qsizetype>(first, 0); i < end; ++i)
        layoutEvent(timeline.at(i), timeline);
    refreshNames(timeline);
}

void LadderLayout::refreshNames(const Timeline& timeline)
{
    for (Lifeline& l : m_lifelines) {
        if (l.outside)
            continue;
        l.name = timeline.socketName(l.socket);
        if (l.actor.isEmpty())
            l.actor = timeline.actorOf(l.socket);
    }
}

void LadderLayout::trimBefore(quint64 seq)
{
    while (!m_marks.empty() && m_marks.front().seq < seq)
        m_marks.pop_front();
    while (!m_bars.empty() && m_bars.front().finishedSeq != 0 && m_bars.front().finishedSeq < seq) {
        m_bars.pop_front();
        ++m_barsTrimmed;
    }
    std::erase_if(m_arrows, [seq](const Arrow& a) { return std::max(a.seq, a.toSeq) < seq; });
    m_firstRow = m_marks.empty() ? m_nextRow : m_marks.front().row;
    for (const Arrow& a : m_arrows)
        m_firstRow = std::min({m_firstRow, a.fromRow, a.toRow});
    if (!m_bars.empty())
        m_firstRow = std::min(m_firstRow, m_bars.front().fromRow);
}

const LadderLayout::Mark* LadderLayout::markFor(quint64 seq) const
{
    const auto it = std::lower_bound(m_marks.begin(), m_marks.end(), seq,
                                     [](const Mark& m, quint64 s) { return m.seq < s; });
    return it != m_marks.end() && it->seq == seq ? &*it : nullptr;
}

qsizetype LadderLayout::markIndexAtRow(qsizetype row) const
{
    const auto it = std::lower_bound(m_marks.begin(), m_marks.end(), row,
                                     [](const Mark& m, qsizetype r) { return m.row < r; });
    return qsizetype(it - m_marks.begin());
}

int LadderLayout::ensureLifeline(SocketId socket, const QString& actor, qsizetype row)
{
    if (const int known = m_lifelineOf.value(socket, -1); known >= 0)
        return known;
    Lifeline l;
    l.socket = socket;
    l.actor = actor;
    l.name = QStringLiteral("#%1").arg(socket.value);
    l.firstRow = row;
    const int index = int(m_lifelines.size());
    m_lifelines.push_back(l);
    m_state.emplace_back();
    m_lifelineOf.insert(socket, index);
    if (!m_actorOrder.contains(actor))
        m_actorOrder.append(actor);
    assignColumns();
    return index;
}

int LadderLayout::outsideLifeline(qsizetype row)
{
    if (m_outside >= 0)
        return m_outside;
    Lifeline l;
    l.outside = true;
    l.name = QStringLiteral("outside");
    l.actor = QStringLiteral("outside the workbench");
    l.firstRow = row;
    m_outside = int(m_lifelines.size());
    m_lifelines.push_back(l);
    m_state.emplace_back();
    assignColumns();
    return m_outside;
}

void LadderLayout::assignColumns()
{
    // Hosts left to right in order of appearance, a host's sockets side by side; the
    // world outside the workbench at the far edge.
    int column = 0;
    for (const QString& actor : std::as_const(m_actorOrder))
        for (Lifeline& l : m_lifelines)
            if (!l.outside && l.actor == actor)
                l.column = column++;
    if (m_outside >= 0)
        m_lifelines[size_t(m_outside)].column = column;
}

void LadderLayout::addMark(const Event& event, int lifeline, qsizetype row, MarkKind kind,
                           QString text)
{
    m_marks.push_back(Mark{event.seq, lifeline, row, kind, std::move(text)});
}

void LadderLayout::indexLocal(int lifeline, const Endpoint& local)
{
    SocketState& s = m_state[size_t(lifeline)];
    if (s.local == local)
        return;
    if (s.local.isValid())
        m_byPort[portKey(s.local)].removeAll(lifeline);
    s.local = local;
    m_byPort[portKey(local)].append(lifeline);
}

void LadderLayout::learnAddresses(int lifeline, const Event& event)
{
    SocketState& s = m_state[size_t(lifeline)];
    Endpoint local = event.localAddress;
    if (!local.isValid() && event.request.kind == CallKind::Bind && event.result.ok())
        local = event.result.address;
    if (local.isValid())
        indexLocal(lifeline, local);
    if (event.peerAddress.isValid())
        s.peer = event.peerAddress;
}

int LadderLayout::findListener(const Endpoint& address) const
{
    for (int i : m_byPort.value(portKey(address)))
        if (m_state[size_t(i)].listening && m_lifelines[size_t(i)].closeRow < 0 &&
            reaches(m_state[size_t(i)].local, address))
            return i;
    return -1;
}

int LadderLayout::findBound(const Endpoint& address, SocketType type, int except) const
{
    for (int i : m_byPort.value(portKey(address))) {
        const SocketState& s = m_state[size_t(i)];
        if (i != except && s.type == type && !s.listening && m_lifelines[size_t(i)].closeRow < 0 &&
            reaches(s.local, address))
            return i;
    }
    return -1;
}

int LadderLayout::connectingClient(int listener) const
{
    const SocketState& l = m_state[size_t(listener)];
    if (!l.listening || !l.local.isValid())
        return -1;
    for (int i = 0; i < int(m_state.size()); ++i) {
        const SocketState& c = m_state[size_t(i)];
        if (c.connecting && !c.handshakeDrawn && isConnectionOriented(c.type) &&
            reaches(l.local, c.connectTo))
            return i;
    }
    return -1;
}

void LadderLayout::pair(int a, int b)
{
    m_state[size_t(a)].partner = b;
    m_state[size_t(b)].partner = a;
}

void LadderLayout::tryPair(int lifeline)
{
    SocketState& s = m_state[size_t(lifeline)];
    if (s.partner >= 0 || !s.local.isValid() || !s.peer.isValid())
        return;
    if (s.local.family() == AddressFamily::Unix) {
        // A client's AF_UNIX socket is usually unnamed, so addresses cannot tell two
        // clients of one listener apart: the oldest unpaired candidate is the one.
        for (int i = 0; i < int(m_state.size()); ++i) {
            const SocketState& c = m_state[size_t(i)];
            if (i != lifeline && c.connected && c.partner < 0 && !c.listening &&
                c.local.family() == AddressFamily::Unix && c.peer.path() == s.local.path() &&
                c.local.path() == s.peer.path() && m_lifelines[size_t(i)].closeRow < 0) {
                pair(lifeline, i);
                return;
            }
        }
        return;
    }
    const int other = m_byConnection.value(connectionKey(s.peer, s.local), -1);
    if (other >= 0 && other != lifeline && m_state[size_t(other)].partner < 0)
        pair(lifeline, other);
    else
        m_byConnection.insert(connectionKey(s.local, s.peer), lifeline);
}

void LadderLayout::layoutEvent(const Event& e, const Timeline& timeline)
{
    if (!e.socket.isValid())
        return; // module-level calls (getaddrinfo, ...) belong to no lifeline
    const QString actor = e.actor.isEmpty() ? timeline.actorOf(e.socket) : e.actor;

    if (e.kind == EventKind::Observation) {
        const int l = ensureLifeline(e.socket, actor, m_nextRow);
        SocketState& s = m_state[size_t(l)];
        const TcpState state = e.kernel.tcpState;
        const bool stateChanged = state != s.lastState;
        const bool queueChanged =
            s.listening && e.kernel.acceptQueue >= 0 && e.kernel.acceptQueue != s.lastAcceptQueue;
        s.lastState = state;
        if (e.kernel.acceptQueue >= 0)
            s.lastAcceptQueue = e.kernel.acceptQueue;
        // Queue fill changes come by the thousand in a bulk transfer: only what a student
        // reads as a moment (a new TCP state, a connection waiting) gets a row.
        if (!stateChanged && !queueChanged)
            return;
        QStringList parts;
        if (stateChanged)
            parts << (e.kernel.valid ? tcpStateName(state) : QStringLiteral("forgotten"));
        if (queueChanged)
            parts << QStringLiteral("accept queue %1/%2")
                         .arg(e.kernel.acceptQueue)
                         .arg(e.kernel.backlog);
        const qsizetype row = m_nextRow++;
        addMark(e, l, row, MarkKind::Kernel,
                QStringLiteral("kernel: ") + parts.join(QStringLiteral(" · ")));
        if (stateChanged && (state == TcpState::CloseWait || state == TcpState::Closing ||
                             state == TcpState::TimeWait))
            finArrived(
                l, e.seq, row,
                QStringLiteral("the kernel moved to %1: a FIN arrived").arg(tcpStateName(state)));
        return;
    }

    const int l = ensureLifeline(e.socket, actor, m_nextRow);
    if (e.kind == EventKind::CallBlocked) {
        const qsizetype row = m_nextRow++;
        addMark(e, l, row, MarkKind::Blocked, describe::call(e) + QStringLiteral(" blocks…"));
        m_openBars.insert(e.call, m_barsTrimmed + qsizetype(m_bars.size()));
        m_bars.push_back(Bar{l, row, -1, e.seq, 0, e.call});
        if (e.request.kind == CallKind::Connect || e.request.kind == CallKind::ConnectEx) {
            SocketState& s = m_state[size_t(l)];
            s.connectTo = destination(e.request.args,
                                      s.local.isValid() ? s.local.family() : AddressFamily::Inet4);
            s.connecting = s.connectTo.isValid();
        }
        return;
    }

    SocketState& s = m_state[size_t(l)];
    // What the call left the kernel in is known: only later changes are news.
    if (e.kernel.valid) {
        s.lastState = e.kernel.tcpState;
        if (e.kernel.acceptQueue >= 0)
            s.lastAcceptQueue = e.kernel.acceptQueue;
    }
    const CallKind kind = e.request.kind;
    const CallResult& r = e.result;
    if (kind == CallKind::Socket)
        s.type = e.request.args.type;
    else if (isStreamCall(kind))
        s.type = SocketType::Stream;
    const bool stream = isConnectionOriented(s.type);

    // A successful TCP connect() proves the three-way handshake took place; a refused one
    // proves a SYN went out and a RST came back. They get rows of their own above it.
    const bool isConnect = kind == CallKind::Connect || kind == CallKind::ConnectEx;
    const bool connected = isConnect && r.ok() && (kind == CallKind::Connect || r.count == 0);
    const bool refused =
        isConnect && (errnoIs(r, ECONNREFUSED) ||
                      (kind == CallKind::ConnectEx && r.ok() && r.count == ECONNREFUSED));
    // The listener's side may reach the trace first: accept() returning a connection whose
    // connect() is still waiting shows the handshake above the accept() instead.
    const int client = kind == CallKind::Accept && r.ok() ? connectingClient(l) : -1;
    const qsizetype handshake = m_nextRow;
    if ((stream && connected && !s.handshakeDrawn) || client >= 0)
        m_nextRow += 3;
    else if (stream && refused)
        m_nextRow += 2;
    const qsizetype row = m_nextRow++;
    const bool failed = !r.ok() || (kind == CallKind::ConnectEx && r.count != 0);
    addMark(e, l, row, failed ? MarkKind::Error : MarkKind::Call, markText(e));
    if (const auto open = m_openBars.constFind(e.call); open != m_openBars.cend()) {
        const qsizetype index = *open - m_barsTrimmed;
        if (index >= 0 && index < qsizetype(m_bars.size())) {
            m_bars[size_t(index)].toRow = row;
            m_bars[size_t(index)].finishedSeq = e.seq;
        }
        m_openBars.erase(open);
    }
    learnAddresses(l, e);

    switch (kind) {
    case CallKind::SetSockOpt:
        if (r.ok() && e.request.args.option == SocketOption::Linger)
            s.lingerZero = e.request.args.value != 0 && e.request.args.lingerSeconds == 0;
        break;
    case CallKind::Listen:
        if (r.ok())
            s.listening = true;
        break;
    case CallKind::Accept:
        if (r.ok() && r.newSocket.isValid()) {
            const SocketType listenerType = s.type;
            const int n = ensureLifeline(r.newSocket, actor, row);
            SocketState& accepted = m_state[size_t(n)];
            accepted.type = listenerType;
            accepted.connected = true;
            accepted.peer = r.address;
            if (r.acceptedLocal.isValid())
                indexLocal(n, r.acceptedLocal);
            tryPair(n);
            if (client >= 0) {
                const QString proof = QStringLiteral(
                    "accept() returned the connection: the kernel had completed the handshake");
                addInferred(ArrowKind::Syn, client, l, handshake, handshake + 1, e.seq, 0, proof);
                addInferred(ArrowKind::SynAck, l, client, handshake + 1, handshake + 2, e.seq, 0,
                            proof);
                addInferred(ArrowKind::Ack, client, l, handshake + 2, row, e.seq, 0, proof);
                m_state[size_t(client)].handshakeDrawn = true;
            }
        }
        break;
    case CallKind::Connect:
    case CallKind::ConnectEx: {
        const Endpoint aimed = destination(
            e.request.args, s.local.isValid() ? s.local.family() : e.request.args.family);
        s.connecting = false;
        if (connected) {
            s.connected = true;
            if (!s.peer.isValid())
                s.peer = r.address.isValid() ? r.address : aimed;
            if (!stream)
                break;
            tryPair(l);
            if (s.handshakeDrawn)
                break;
            s.handshakeDrawn = true;
            const int listener = findListener(s.peer);
            const int target = listener >= 0 ? listener : outsideLifeline(handshake);
            const QString proof =
                QStringLiteral("connect() returned: the kernel completed the handshake");
            addInferred(ArrowKind::Syn, l, target, handshake, handshake + 1, e.seq, 0, proof);
            addInferred(ArrowKind::SynAck, target, l, handshake + 1, handshake + 2, e.seq, 0,
                        proof);
            addInferred(ArrowKind::Ack, l, target, handshake + 2, row, e.seq, 0, proof);
        } else if (refused && stream) {
            const int bound = aimed.isValid() ? findBound(aimed, SocketType::Stream, l) : -1;
            const int target = bound >= 0 ? bound : outsideLifeline(handshake);
            const QString proof =
                QStringLiteral("ECONNREFUSED: nothing listens there, the kernel answered RST");
            addInferred(ArrowKind::Syn, l, target, handshake, handshake + 1, e.seq, 0, proof);
            addInferred(ArrowKind::Rst, target, l, handshake + 1, row, e.seq, 0, proof);
            s.resetSeen = true;
        }
        break;
    }
    case CallKind::Shutdown:
        if (r.ok() && stream && (e.request.args.how == SHUT_WR || e.request.args.how == SHUT_RDWR))
            finSent(l, e, row);
        break;
    case CallKind::Close:
        if (r.ok() && stream && s.connected && !s.listening) {
            if (s.lingerZero) {
                // SO_LINGER with a zero timeout: close() aborts the connection with a RST.
                const int to = s.partner >= 0 ? s.partner : outsideLifeline(row);
                addInferred(ArrowKind::Rst, l, to, row, row, e.seq, 0,
                            QStringLiteral("close() with SO_LINGER 0 resets the connection"));
                m_state[size_t(to)].resetSeen = true;
            } else if (s.finSent.row < 0) {
                finSent(l, e, row);
            }
        }
        if (r.ok()) {
            m_lifelines[size_t(l)].closeRow = row;
            if (s.local.isValid() && s.peer.isValid())
                m_byConnection.remove(connectionKey(s.local, s.peer));
        }
        break;
    default:
        break;
    }

    if (isSend(kind) && (r.ok() || r.partial) && e.payloadSize > 0) {
        if (stream)
            streamSend(l, e, row, e.payloadSize);
        else
            datagramSend(l, e, row);
    } else if (isRecv(kind) && r.ok()) {
        if (stream)
            streamRead(l, e, row, e.payloadSize);
        else
            datagramRead(l, e, row);
    }
    if ((isSend(kind) || isRecv(kind)) && errnoIs(r, ECONNRESET))
        resetArrived(l, e, row);
}

void LadderLayout::datagramSend(int lifeline, const Event& e, qsizetype row)
{
    SocketState& s = m_state[size_t(lifeline)];
    const Endpoint to = e.request.kind == CallKind::SendTo
                            ? destination(e.request.args, s.local.isValid() ? s.local.family()
                                                                            : AddressFamily::Inet4)
                            : s.peer;
    const Datagram d{lifeline,      s.local,
                     row,           e.seq,
                     e.payloadSize, e.payload.isEmpty() ? e.request.args.payload : e.payload};
    const int receiver = to.isValid() ? findBound(to, SocketType::Datagram, -1) : -1;
    if (receiver < 0) {
        const int outside = outsideLifeline(row);
        addData(lifeline, outside, row, row, e.seq, 0, d.bytes, d.sample);
        return;
    }
    SocketState& r = m_state[size_t(receiver)];
    for (auto it = r.earlyReads.begin(); it != r.earlyReads.end(); ++it) {
        if (reaches(s.local, it->source)) {
            addData(lifeline, receiver, row, it->row, e.seq, it->seq, d.bytes, d.sample);
            r.earlyReads.erase(it);
            return;
        }
    }
    r.datagrams.push_back(d);
}

void LadderLayout::datagramRead(int lifeline, const Event& e, qsizetype row)
{
    SocketState& s = m_state[size_t(lifeline)];
    const Endpoint source = e.result.address.isValid() ? e.result.address : s.peer;
    // Datagrams from one sender arrive in the order sent (on loopback nothing reorders):
    // the oldest one from this source is the one read.
    for (auto it = s.datagrams.begin(); it != s.datagrams.end(); ++it) {
        if (reaches(it->source, source)) {
            addData(it->from, lifeline, it->row, row, it->seq, e.seq, it->bytes, it->sample);
            s.datagrams.erase(it);
            return;
        }
    }
    if (source.isValid() && findBound(source, SocketType::Datagram, lifeline) >= 0) {
        s.earlyReads.push_back(Datagram{-1, source, row, e.seq, e.payloadSize, e.payload});
        return;
    }
    const int outside = outsideLifeline(row);
    addData(outside, lifeline, row, row, e.seq, e.seq, e.payloadSize, e.payload);
}

QString LadderLayout::markText(const Event& e)
{
    const QString call = describe::call(e);
    const CallResult& r = e.result;
    const QString arrow = QStringLiteral(" → ");
    if (!r.ok()) {
        QString text = call + arrow + r.errorName();
        if (r.partial)
            text += QStringLiteral(" after ") + describe::byteCount(r.count);
        return text;
    }
    switch (e.request.kind) {
    case CallKind::Recv:
    case CallKind::RecvFrom:
    case CallKind::RecvInto:
    case CallKind::RecvFromInto:
        return call + arrow +
               (e.payloadSize == 0 ? QStringLiteral("b''") : describe::byteCount(e.payloadSize));
    case CallKind::Send:
    case CallKind::SendAll:
    case CallKind::SendTo:
        return call + arrow + describe::byteCount(e.payloadSize);
    case CallKind::Accept:
        return call + arrow + QStringLiteral("peer ") + r.address.toString();
    case CallKind::Socket:
        return call;
    default: {
        const QString result = describe::result(e);
        return result == QLatin1String("ok") ? call : call + arrow + result;
    }
    }
}

} // namespace sockbench
