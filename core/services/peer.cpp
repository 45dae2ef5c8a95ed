#include "peer.h"

#include "net/calls.h"
#include "peerstate.h"

#include <QFile>
#include <QTimer>

#include <cerrno>

namespace sockbench::services {

QList<PeerKind> peerKinds()
{
    return {
        {QStringLiteral("course-web"),
         QStringLiteral("the course's local web page (examples 1 and 2): GET /5062CEM.php, "
                        "optionally ?lecturer=NAME, as a one-line request or HTTP/1.x"),
         SocketType::Stream},
        {QStringLiteral("echo"),
         QStringLiteral("TCP echo: sends back every byte it receives until the client closes"),
         SocketType::Stream},
        {QStringLiteral("udp-echo"),
         QStringLiteral("UDP echo: sends every datagram back to where it came from"),
         SocketType::Datagram},
        {QStringLiteral("patient-receiver"),
         QStringLiteral("reads until the client shuts down its sending side, answers with the "
                        "byte count as ASCII digits, and closes"),
         SocketType::Stream},
        {QStringLiteral("daytime"),
         QStringLiteral("writes the date and time as one line (RFC 867) and closes"),
         SocketType::Stream},
    };
}

std::optional<PeerKind> findPeerKind(const QString& name)
{
    for (const PeerKind& kind : peerKinds())
        if (kind.name == name)
            return kind;
    return std::nullopt;
}

namespace {

// The first port an ordinary user may bind: Linux's net.ipv4.ip_unprivileged_port_start
// (1024 unless the machine says otherwise; containers often lower it).
int unprivilegedPortStart()
{
    QFile file(QStringLiteral("/proc/sys/net/ipv4/ip_unprivileged_port_start"));
    bool ok = false;
    const int start = file.open(QIODevice::ReadOnly) ? file.readAll().trimmed().toInt(&ok) : 0;
    return ok ? start : 1024;
}

} // namespace

QString startFailure(const CallResult& result, const QString& host, quint16 port)
{
    const auto literal = Endpoint::parseLiteral(host, port, AddressFamily::Unspecified);
    const QString where =
        literal ? literal->toString() : QStringLiteral("%1:%2").arg(host).arg(port);
    const QString name = result.errorName();
    if (result.outcome == Outcome::Invalid)
        return QStringLiteral("cannot listen on %1: %2.").arg(where, result.message);
    if (result.errorDomain != ErrorDomain::Errno)
        return QStringLiteral("cannot listen on %1: %2 is not a host name this machine can "
                              "resolve (%3: %4).")
            .arg(where, host, name, result.message);
    if (name == QLatin1String("EADDRINUSE"))
        return QStringLiteral("cannot listen on %1: the port is in use - another program is "
                              "listening there (--port 0 picks a free port).")
            .arg(where);
    if (const int start = unprivilegedPortStart();
        name == QLatin1String("EACCES") && port > 0 && port < start)
        return QStringLiteral("cannot listen on %1: on this machine ports below %2 are "
                              "privileged (net.ipv4.ip_unprivileged_port_start), and binding "
                              "one needs root or the CAP_NET_BIND_SERVICE capability (--port 0 "
                              "picks a free port).")
            .arg(where)
            .arg(start);
    if (name == QLatin1String("EADDRNOTAVAIL"))
        return QStringLiteral("cannot listen on %1: %2 is not an address of this machine.")
            .arg(where, host);
    return QStringLiteral("cannot listen on %1: %2 (%3).").arg(where, result.message, name);
}

// --- PeerState ------------------------------------------------------------------------

PeerState::PeerState(Workbench& workbench_, PeerKind kind_, QString actor_, ServeConnection serve_)
    : workbench(workbench_)
    , kind(std::move(kind_))
    , actor(std::move(actor_))
    , serve(std::move(serve_))
{
}

Workbench::Ticket PeerState::submit(SocketId socket, const Call& call, Workbench::Completion done)
{
    return workbench.submit(socket, call, actor, std::move(done));
}

bool PeerState::adopt(SocketId socket)
{
    const std::lock_guard lock(mutex);
    if (stopping.load())
        return false;
    open.insert(socket);
    all.append(socket);
    return true;
}

void PeerState::closeSocket(SocketId socket)
{
    auto self = shared_from_this();
    workbench.submit(socket, calls::close(), actor, [self, socket](const Event&) {
        bool last = false;
        bool forget = false;
        {
            const std::lock_guard lock(self->mutex);
            self->open.remove(socket);
            forget = self->options.forgetClosed;
            if (forget)
                self->all.removeOne(socket); // a short list: the sockets still open
            last = self->stopping.load() && self->open.isEmpty() && !self->stoppedReported;
            if (last)
                self->stoppedReported = true;
        }
        if (forget)
            self->workbench.forget(socket);
        if (last)
            self->reportStoppedOnce();
    });
}

void PeerState::attach(Peer* owner)
{
    const std::lock_guard lock(m_ownerMutex);
    m_owner = owner;
}

void PeerState::detach()
{
    const std::lock_guard lock(m_ownerMutex);
    m_owner = nullptr;
}

// The signals are emitted in the Peer's own thread: a worker only posts them, with the
// owner locked so that the Peer cannot go away in between (a Peer that is destroyed
// before the post is delivered takes the post with it).
template <typename Emit> void PeerState::post(Emit emit)
{
    const std::lock_guard lock(m_ownerMutex);
    if (m_owner)
        QMetaObject::invokeMethod(
            m_owner, [owner = m_owner, emit] { emit(owner); }, Qt::QueuedConnection);
}

void PeerState::reportListening(const Endpoint& at)
{
    post([at](Peer* owner) { Q_EMIT owner->listening(at); });
}

void PeerState::reportStartFailed(const QString& sentence)
{
    post([sentence](Peer* owner) { Q_EMIT owner->startFailed(sentence); });
}

void PeerState::reportConnection(const QString& line)
{
    {
        const std::lock_guard lock(mutex);
        ++served;
    }
    post([line](Peer* owner) { Q_EMIT owner->connectionFinished(line); });
}

void PeerState::reportStoppedOnce()
{
    post([](Peer* owner) { Q_EMIT owner->stopped(); });
}

void PeerState::later(int ms, std::function<void()> fn)
{
    const std::lock_guard lock(m_ownerMutex);
    if (!m_owner)
        return;
    Peer* owner = m_owner;
    QMetaObject::invokeMethod(
        owner, [owner, ms, fn] { QTimer::singleShot(ms, owner, fn); }, Qt::QueuedConnection);
}

void PeerState::acceptNext()
{
    if (stopping.load())
        return;
    auto self = shared_from_this();
    submit(listener, calls::accept(), [self](const Event& e) {
        const SocketId accepted = e.result.newSocket;
        if (e.result.ok() && accepted.isValid()) {
            if (!self->adopt(accepted)) { // stopping: the newcomer is closed at once
                self->workbench.submit(accepted, calls::close(), self->actor);
                return;
            }
            self->serve(std::make_shared<Link>(self, accepted, e.result.address));
            self->acceptNext();
            return;
        }
        if (self->stopping.load())
            return;
        const QString name = e.result.errorName();
        // Interrupted from the window: a server goes on serving. accept(2): errors of
        // connections that died in the queue are passed on; retry as for EAGAIN.
        if (e.result.outcome == Outcome::Interrupted || name == QLatin1String("ECONNABORTED") ||
            name == QLatin1String("EPROTO") || name == QLatin1String("EPERM") ||
            name == QLatin1String("ENETDOWN") || name == QLatin1String("EHOSTUNREACH") ||
            name == QLatin1String("ENONET") || name == QLatin1String("ENETUNREACH") ||
            name == QLatin1String("EINTR") || name == QLatin1String("EAGAIN")) {
            self->acceptNext();
            return;
        }
        // Out of descriptors or memory: try again in a moment rather than spin.
        if (name == QLatin1String("EMFILE") || name == QLatin1String("ENFILE") ||
            name == QLatin1String("ENOBUFS") || name == QLatin1String("ENOMEM")) {
            self->reportConnection(QStringLiteral("accept() failed: %1 (%2); trying again in "
                                                  "0.2 s")
                                       .arg(name, e.result.message));
            self->later(200, [self] { self->acceptNext(); });
            return;
        }
        self->reportConnection(QStringLiteral("accept() failed: %1 (%2); no more connections")
                                   .arg(name, e.result.message));
    });
}

void PeerState::receiveDatagram()
{
    if (stopping.load())
        return;
    auto self = shared_from_this();
    submit(listener, calls::recvFrom(65535), [self](const Event& e) {
        if (self->stopping.load())
            return;
        if (e.result.ok()) {
            const Endpoint from = e.result.address;
            const qint64 size = e.result.data.size();
            // The answer goes out on the write lane while the read lane takes the next one.
            self->submit(self->listener, calls::sendTo(e.result.data, from.host(), from.port()),
                         [self, from, size](const Event& sent) {
                             if (self->stopping.load())
                                 return;
                             self->reportConnection(
                                 sent.result.ok()
                                     ? QStringLiteral("%1  datagram of %2 bytes, echoed")
                                           .arg(from.toString())
                                           .arg(size)
                                     : QStringLiteral("%1  datagram of %2 bytes; sendto() "
                                                      "failed: %3")
                                           .arg(from.toString())
                                           .arg(size)
                                           .arg(sent.result.errorName()));
                         });
            self->receiveDatagram();
            return;
        }
        // ECONNREFUSED: an ICMP "port unreachable" for an earlier answer; not our problem.
        const QString name = e.result.errorName();
        if (e.result.outcome == Outcome::Interrupted || name == QLatin1String("ECONNREFUSED") ||
            name == QLatin1String("EINTR") || name == QLatin1String("EAGAIN")) {
            self->receiveDatagram();
            return;
        }
        self->reportConnection(QStringLiteral("recvfrom() failed: %1 (%2); no more datagrams")
                                   .arg(name, e.result.message));
    });
}

// --- Link -----------------------------------------------------------------------------

Link::Link(std::shared_ptr<PeerState> state, SocketId socket, Endpoint peer)
    : m_state(std::move(state))
    , m_socket(socket)
    , m_peer(std::move(peer))
{
}

void Link::call(const Call& call, Then then)
{
    auto self = shared_from_this();
    m_state->submit(m_socket, call, [self, then = std::move(then)](const Event& e) {
        if (then && !self->m_state->stopping.load())
            then(e);
    });
}

void Link::finish(const QString& what)
{
    if (m_finished.exchange(true))
        return;
    m_state->closeSocket(m_socket);
    m_state->reportConnection(QStringLiteral("%1  %2").arg(m_peer.toString(), what));
}

// --- Peer -----------------------------------------------------------------------------

std::unique_ptr<Peer> Peer::create(const QString& kindName, Workbench& workbench,
                                   const QString& actor)
{
    const auto kind = findPeerKind(kindName);
    if (!kind)
        return nullptr;
    ServeConnection serve;
    if (kind->name == QLatin1String("course-web"))
        serve = serveCourseWeb;
    else if (kind->name == QLatin1String("echo"))
        serve = serveEcho;
    else if (kind->name == QLatin1String("patient-receiver"))
        serve = servePatientReceiver;
    else if (kind->name == QLatin1String("daytime"))
        serve = serveDaytime;
    auto state =
        std::make_shared<PeerState>(workbench, *kind, actor.isEmpty() ? kind->name : actor, serve);
    std::unique_ptr<Peer> peer(new Peer(state));
    state->attach(peer.get());
    return peer;
}

Peer::Peer(std::shared_ptr<PeerState> state)
    : m_state(std::move(state))
{
    qRegisterMetaType<sockbench::Endpoint>();
}

Peer::~Peer()
{
    stop();
    m_state->detach();
}

const PeerKind& Peer::kind() const
{
    return m_state->kind;
}

QString Peer::actor() const
{
    return m_state->actor;
}

CallId Peer::start(const PeerOptions& options)
{
    PeerState& s = *m_state;
    auto self = m_state;
    // Held while the start is submitted: a completion that needs the ids waits for them.
    const std::lock_guard lock(s.mutex);
    if (s.listener.isValid() || s.stopping.load())
        return {};
    s.options = options;
    const auto literal = Endpoint::parseLiteral(options.host, 0, AddressFamily::Unspecified);
    const AddressFamily family = literal ? literal->family() : AddressFamily::Inet4;
    const bool stream = s.kind.type == SocketType::Stream;

    // The first call of the start that fails says why; what is queued behind it is
    // cancelled or harmless, and the socket is closed.
    auto failed = [self](const Event& e) {
        if (e.result.ok())
            return false;
        CallId cancel;
        {
            const std::lock_guard failLock(self->mutex);
            if (self->startFailed || self->stopping.load())
                return true;
            self->startFailed = true;
            cancel = self->listenCall;
        }
        self->reportStartFailed(startFailure(e.result, self->options.host, self->options.port));
        // Linux would listen() on an ephemeral port after a failed bind(): cancel it. It
        // is still queued behind this very call on the socket's control lane.
        if (cancel.isValid())
            self->workbench.interrupt(cancel);
        self->closeSocket(self->listener);
        return true;
    };

    const auto created = s.workbench.createSocket(family, s.kind.type, s.actor, failed);
    s.listener = created.socket;
    s.open.insert(created.socket);
    s.all.append(created.socket);
    if (stream) // a restarted server can bind its port while old connections sit in TIME_WAIT
        s.submit(created.socket, calls::setsockopt(SocketOption::ReuseAddr, 1), failed);
    auto ready = [self](const Event& e) {
        {
            const std::lock_guard readyLock(self->mutex);
            if (self->startFailed || self->stopping.load())
                return;
            self->listening = true;
            self->address = e.localAddress;
        }
        self->reportListening(e.localAddress);
        if (self->kind.type == SocketType::Stream)
            self->acceptNext();
        else
            self->receiveDatagram();
    };
    s.submit(created.socket, calls::bind(options.host, options.port),
             [failed, ready, stream](const Event& e) {
                 if (!failed(e) && !stream)
                     ready(e);
             });
    if (stream)
        s.listenCall = s.submit(created.socket, calls::listen(options.backlog),
                                [failed, ready](const Event& e) {
                                    if (e.result.outcome == Outcome::Interrupted)
                                        return; // cancelled after bind() failed
                                    if (!failed(e))
                                        ready(e);
                                })
                           .call;
    s.readyCall = s.submit(created.socket, calls::getsockname()).call;
    return s.readyCall;
}

void Peer::stop()
{
    QList<SocketId> open;
    bool nothingOpen = false;
    {
        const std::lock_guard lock(m_state->mutex);
        if (m_state->stopping.exchange(true))
            return;
        open = m_state->open.values();
        nothingOpen = open.isEmpty();
        if (nothingOpen)
            m_state->stoppedReported = true;
    }
    std::sort(open.begin(), open.end());
    for (const SocketId socket : open)
        m_state->closeSocket(socket);
    if (nothingOpen)
        QMetaObject::invokeMethod(this, &Peer::stopped, Qt::QueuedConnection);
}

bool Peer::isListening() const
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->listening;
}

Endpoint Peer::address() const
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->address;
}

QList<SocketId> Peer::sockets() const
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->all;
}

int Peer::openSockets() const
{
    const std::lock_guard lock(m_state->mutex);
    return int(m_state->open.size());
}

int Peer::connectionsServed() const
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->served;
}

} // namespace sockbench::services
