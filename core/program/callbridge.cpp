#include "callbridge.h"

#include "net/calls.h"

#include <QJsonArray>

#include <cerrno>
#include <climits>
#include <cstring>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sockbench::program {

namespace {

const QString kT = QStringLiteral("t");

std::optional<SocketOption> optionOf(qint64 level, qint64 option)
{
    if (level == SOL_SOCKET) {
        switch (option) {
        case SO_REUSEADDR:
            return SocketOption::ReuseAddr;
        case SO_REUSEPORT:
            return SocketOption::ReusePort;
        case SO_LINGER:
            return SocketOption::Linger;
        case SO_RCVBUF:
            return SocketOption::RcvBuf;
        case SO_SNDBUF:
            return SocketOption::SndBuf;
        case SO_BROADCAST:
            return SocketOption::Broadcast;
        case SO_KEEPALIVE:
            return SocketOption::KeepAlive;
        case SO_ERROR:
            return SocketOption::Error;
        case SO_TYPE:
            return SocketOption::Type;
        case SO_ACCEPTCONN:
            return SocketOption::AcceptConn;
        default:
            return std::nullopt;
        }
    }
    if (level == IPPROTO_TCP && option == TCP_NODELAY)
        return SocketOption::TcpNoDelay;
    return std::nullopt;
}

// The protocol's address: ["host", port], ["host", port, flowinfo, scope_id] or
// {"unix": "hex"}; into the call's arguments as the program gave it.
void addressInto(CallArgs& a, const QJsonValue& value)
{
    if (value.isObject()) {
        // The resolver makes the path's bytes from the text again (UTF-8): a path that is
        // not UTF-8 does not survive the trip.
        a.host = QString::fromUtf8(QByteArray::fromHex(
            value.toObject().value(QStringLiteral("unix")).toString().toLatin1()));
        return;
    }
    const QJsonArray parts = value.toArray();
    a.host = parts.at(0).toString();
    a.port = parts.at(1).toInteger();
    if (parts.size() > 2)
        a.flowInfo = quint32(parts.at(2).toInteger());
    if (parts.size() > 3)
        a.scopeId = quint32(parts.at(3).toInteger());
}

QJsonValue addressJson(const Endpoint& address)
{
    switch (address.family()) {
    case AddressFamily::Unspecified:
        return QJsonValue::Null;
    case AddressFamily::Unix:
        return QJsonObject{{QStringLiteral("unix"), QString::fromLatin1(address.path().toHex())}};
    case AddressFamily::Inet4:
        return QJsonArray{address.host(), int(address.port())};
    case AddressFamily::Inet6:
        return QJsonArray{address.host(), int(address.port()), qint64(address.flowInfo()),
                          qint64(address.scopeId())};
    }
    return QJsonValue::Null;
}

// The descriptor number the stand-in reserved for a new socket; -1 when none came (or a
// number no descriptor can have).
int reservedFd(const QJsonObject& m, const char* key)
{
    const qint64 fd = m.value(QLatin1String(key)).toInteger(-1);
    return fd >= 0 && fd <= INT_MAX ? int(fd) : -1;
}

QJsonObject errorReply(int number)
{
    return {{QStringLiteral("outcome"), QStringLiteral("error")},
            {QStringLiteral("errno"), number},
            {QStringLiteral("message"), QString::fromLocal8Bit(::strerror(number))}};
}

QString invalidException(const QString& message)
{
    if (message.startsWith(QLatin1String("negative buffersize")) ||
        message.startsWith(QLatin1String("buffer too small")) ||
        message.startsWith(QLatin1String("Timeout value")))
        return QStringLiteral("ValueError");
    if (message.contains(QLatin1String("port must be 0-65535")))
        return QStringLiteral("OverflowError");
    return QStringLiteral("OSError");
}

// The `ret` frame for a finished call (without id), and the bytes it carries.
QJsonObject resultJson(const Event& e, QByteArray* blob)
{
    const CallResult& r = e.result;
    QJsonObject out;
    switch (r.outcome) {
    case Outcome::Ok:
        out.insert(QStringLiteral("outcome"), QStringLiteral("ok"));
        break;
    case Outcome::Error:
        out.insert(QStringLiteral("outcome"),
                   r.errorDomain == ErrorDomain::AddrInfo     ? QStringLiteral("gaierror")
                   : r.errorDomain == ErrorDomain::HostLookup ? QStringLiteral("herror")
                                                              : QStringLiteral("error"));
        out.insert(QStringLiteral("errno"), r.errorNumber);
        out.insert(QStringLiteral("message"), r.message);
        break;
    case Outcome::Timeout:
        out.insert(QStringLiteral("outcome"), QStringLiteral("timeout"));
        break;
    case Outcome::Interrupted:
        out.insert(QStringLiteral("outcome"), QStringLiteral("interrupted"));
        out.insert(QStringLiteral("message"), r.message);
        break;
    case Outcome::Invalid:
        out.insert(QStringLiteral("outcome"), QStringLiteral("invalid"));
        out.insert(QStringLiteral("exception"), invalidException(r.message));
        out.insert(QStringLiteral("message"), r.message);
        break;
    }
    if (r.partial) {
        out.insert(QStringLiteral("partial"), true);
        out.insert(QStringLiteral("count"), r.count);
    }
    if (!r.ok())
        return out;
    switch (e.request.kind) {
    case CallKind::Socket:
        out.insert(QStringLiteral("sock"), qint64(r.newSocket.value));
        break;
    case CallKind::SocketPair:
        out.insert(QStringLiteral("sock"), qint64(r.newSocket.value));
        out.insert(QStringLiteral("sock2"), qint64(r.pairedSocket.value));
        break;
    case CallKind::Accept:
        out.insert(QStringLiteral("sock"), qint64(r.newSocket.value));
        out.insert(QStringLiteral("addr"), addressJson(r.address));
        break;
    case CallKind::Send:
    case CallKind::SendAll:
    case CallKind::SendTo:
    case CallKind::ConnectEx:
        out.insert(QStringLiteral("count"), r.count);
        break;
    case CallKind::GetSockOpt:
        out.insert(QStringLiteral("count"), r.count);
        out.insert(QStringLiteral("linger"), r.lingerSeconds);
        break;
    case CallKind::Recv:
        *blob = r.data;
        break;
    case CallKind::RecvInto:
        *blob = r.data;
        out.insert(QStringLiteral("count"), r.count);
        break;
    case CallKind::RecvFrom:
        *blob = r.data;
        out.insert(QStringLiteral("addr"), addressJson(r.address));
        break;
    case CallKind::RecvFromInto:
        *blob = r.data;
        out.insert(QStringLiteral("count"), r.count);
        out.insert(QStringLiteral("addr"), addressJson(r.address));
        break;
    case CallKind::GetSockName:
    case CallKind::GetPeerName:
        out.insert(QStringLiteral("addr"), addressJson(r.address));
        break;
    case CallKind::GetAddrInfo: {
        QJsonArray entries;
        for (const AddrInfoEntry& entry : r.addrInfo)
            entries.append(QJsonArray{entry.family, entry.socketType, entry.protocol,
                                      entry.canonicalName, addressJson(entry.address)});
        out.insert(QStringLiteral("addrinfo"), entries);
        break;
    }
    case CallKind::GetHostByAddr:
        out.insert(QStringLiteral("hostent"),
                   QJsonArray{r.hostEntry.name, QJsonArray::fromStringList(r.hostEntry.aliases),
                              QJsonArray::fromStringList(r.hostEntry.addresses)});
        break;
    case CallKind::GetHostByName:
    case CallKind::GetHostName:
        out.insert(QStringLiteral("text"), r.text);
        break;
    default:
        break;
    }
    return out;
}

} // namespace

struct CallBridge::Shared {
    Workbench* workbench = nullptr;
    ActorOf actorOf;
    // guards owner and backend, null once the bridge is gone; held while a frame is
    // handled, so the bridge cannot go away under it (recursive: replies take it again)
    std::recursive_mutex lifeMutex;
    CallBridge* owner = nullptr;
    BackendProcess* backend = nullptr;
    bool send(const QJsonObject& message, const QByteArray& blob = {}, const QList<int>& fds = {})
    {
        // The backend makes its channel in start(), before any frame can arrive.
        return backend && backend->send(message, blob, fds);
    }
    // guards calls and sockets; recursive so that a receiver connected directly to
    // callStarted may ask threadOf() from inside the emission
    mutable std::recursive_mutex callsMutex;
    QHash<CallId, qint64> calls; // running call -> the thread that made it
    QSet<SocketId> sockets;      // the program's sockets not closed yet
};

CallBridge::CallBridge(Workbench& workbench, BackendProcess& backend, ActorOf actorOf,
                       QObject* parent)
    : QObject(parent)
    , m_workbench(workbench)
    , m_shared(std::make_shared<Shared>())
{
    m_shared->workbench = &workbench;
    m_shared->actorOf = std::move(actorOf);
    m_shared->owner = this;
    m_shared->backend = &backend;
    backend.setFrameHandler(frameHandler());
}

CallBridge::~CallBridge()
{
    const std::lock_guard lock(m_shared->lifeMutex);
    m_shared->owner = nullptr;
    m_shared->backend = nullptr;
}

std::function<bool(Channel::Frame&)> CallBridge::frameHandler()
{
    // Holds the shared part, not the bridge: the backend may outlive the bridge.
    return [s = m_shared](Channel::Frame& frame) {
        const std::lock_guard lock(s->lifeMutex);
        return s->owner && s->owner->handleFrame(frame);
    };
}

void CallBridge::reply(const QJsonObject& request, const QJsonObject& answer)
{
    QJsonObject out = answer;
    out.insert(kT, QStringLiteral("ret"));
    out.insert(QStringLiteral("id"), request.value(QStringLiteral("id")));
    const std::lock_guard lock(m_shared->lifeMutex);
    m_shared->send(out);
}

bool CallBridge::handleFrame(Channel::Frame& frame)
{
    const QJsonObject& m = frame.message;
    if (m.value(kT).toString() != QLatin1String("call"))
        return false;
    for (int fd : frame.fds) // the backend never sends one with a call
        ::close(fd);
    frame.fds.clear();

    const QString op = m.value(QStringLiteral("op")).toString();
    const auto kind = callKindFromName(op);
    if (!kind) {
        reply(m, {{QStringLiteral("outcome"), QStringLiteral("invalid")},
                  {QStringLiteral("exception"), QStringLiteral("OSError")},
                  {QStringLiteral("message"),
                   QStringLiteral("the workbench has no call %1()").arg(op)}});
        return true;
    }
    const qint64 tid = m.value(QStringLiteral("tid")).toInteger();
    const SocketId socket{quint32(m.value(QStringLiteral("sock")).toInteger())};
    AddressFamily family = AddressFamily::Inet4;
    if (socket.isValid())
        if (const auto info = m_workbench.socket(socket))
            family = info->family;

    Call call;
    call.kind = *kind;
    CallArgs& a = call.args;
    a.flags = int(m.value(QStringLiteral("flags")).toInteger());
    switch (*kind) {
    case CallKind::Socket:
    case CallKind::SocketPair: {
        const auto f = fromNativeFamily(int(m.value(QStringLiteral("family")).toInteger()));
        if (!f || *f == AddressFamily::Unspecified) {
            reply(m, errorReply(EAFNOSUPPORT));
            return true;
        }
        const qint64 type = m.value(QStringLiteral("type")).toInteger();
        if (type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_SEQPACKET) {
            // The workbench follows stream, datagram and seqpacket sockets only. Any other
            // kind gets the kernel's own answer first, as python3 would: EPERM for a raw
            // socket without CAP_NET_RAW (a normal user), EINVAL for a type number that
            // names none. What the kernel would make is refused as a type not supported.
            const int probe = ::socket(int(m.value(QStringLiteral("family")).toInteger()),
                                       int(type) | SOCK_CLOEXEC,
                                       int(m.value(QStringLiteral("proto")).toInteger()));
            if (probe < 0) {
                reply(m, errorReply(errno));
                return true;
            }
            ::close(probe);
            QJsonObject refused = errorReply(ESOCKTNOSUPPORT);
            refused[QStringLiteral("message")] =
                QStringLiteral("%1 (the workbench follows stream, datagram and seqpacket "
                               "sockets only)")
                    .arg(refused.value(QStringLiteral("message")).toString());
            reply(m, refused);
            return true;
        }
        a.family = *f;
        family = *f;
        a.type = type == SOCK_STREAM  ? SocketType::Stream
                 : type == SOCK_DGRAM ? SocketType::Datagram
                                      : SocketType::SeqPacket;
        a.proto = int(m.value(QStringLiteral("proto")).toInteger());
        a.newFd = reservedFd(m, "fd");
        a.newPairedFd = reservedFd(m, "fd2");
        break;
    }
    case CallKind::Accept:
        a.newFd = reservedFd(m, "fd");
        break;
    case CallKind::Bind:
    case CallKind::Connect:
    case CallKind::ConnectEx:
        addressInto(a, m.value(QStringLiteral("addr")));
        break;
    case CallKind::SendTo:
        addressInto(a, m.value(QStringLiteral("addr")));
        a.payload = frame.blob;
        break;
    case CallKind::Send:
    case CallKind::SendAll:
        a.payload = frame.blob;
        break;
    case CallKind::Listen:
        if (m.contains(QStringLiteral("backlog")))
            a.backlog = int(m.value(QStringLiteral("backlog")).toInteger());
        break;
    case CallKind::Recv:
    case CallKind::RecvFrom:
        a.size = m.value(QStringLiteral("size")).toInteger();
        break;
    case CallKind::RecvInto:
    case CallKind::RecvFromInto:
        a.size = m.value(QStringLiteral("size")).toInteger();
        a.bufferSize = m.value(QStringLiteral("buffer_size")).toInteger();
        break;
    case CallKind::Shutdown:
        a.how = int(m.value(QStringLiteral("how")).toInteger());
        break;
    case CallKind::SetSockOpt:
    case CallKind::GetSockOpt: {
        const qint64 level = m.value(QStringLiteral("level")).toInteger();
        const qint64 number = m.value(QStringLiteral("option")).toInteger();
        // Options the workbench names are its own; any other goes to the kernel as an int,
        // which is what CPython passes for an int value (the stand-in sends only those).
        const auto option = optionOf(level, number);
        a.option = option.value_or(SocketOption::Integer);
        a.optionLevel = int(level);
        a.optionNumber = int(number);
        a.value = m.value(QStringLiteral("value")).toInteger();
        a.lingerSeconds = m.value(QStringLiteral("linger")).toInteger();
        // A struct value (ip_mreq for IP_ADD_MEMBERSHIP, ...) comes as its bytes.
        if (*kind == CallKind::SetSockOpt)
            a.payload = frame.blob;
        break;
    }
    case CallKind::SetBlocking:
        a.blocking = m.value(QStringLiteral("blocking")).toBool();
        break;
    case CallKind::SetTimeout: {
        const QJsonValue t = m.value(QStringLiteral("timeout"));
        if (!t.isNull() && !t.isUndefined())
            a.timeout = t.toDouble();
        break;
    }
    case CallKind::GetAddrInfo: {
        const QJsonValue host = m.value(QStringLiteral("host"));
        a.hostIsNone = host.isNull();
        a.host = host.toString();
        a.service = m.value(QStringLiteral("service")).toString();
        const auto f = fromNativeFamily(int(m.value(QStringLiteral("family")).toInteger()));
        if (!f) {
            reply(m,
                  {{QStringLiteral("outcome"), QStringLiteral("gaierror")},
                   {QStringLiteral("errno"), EAI_FAMILY},
                   {QStringLiteral("message"), QString::fromLocal8Bit(gai_strerror(EAI_FAMILY))}});
            return true;
        }
        a.family = *f;
        a.typeFilter = int(m.value(QStringLiteral("type")).toInteger());
        a.proto = int(m.value(QStringLiteral("proto")).toInteger());
        break;
    }
    case CallKind::GetHostByName:
    case CallKind::GetHostByAddr:
        a.host = m.value(QStringLiteral("host")).toString();
        break;
    default:
        break;
    }

    const QString actor = m_shared->actorOf ? m_shared->actorOf(tid) : QStringLiteral("main");
    const CallKind callKind = *kind;
    std::weak_ptr<Shared> weak = m_shared;
    const QJsonValue id = m.value(QStringLiteral("id"));
    auto done = [weak, id, callKind](const Event& e) {
        const auto s = weak.lock();
        if (!s)
            return;
        qint64 callerTid = 0;
        const bool made = (callKind == CallKind::Socket || callKind == CallKind::Accept ||
                           callKind == CallKind::SocketPair) &&
                          e.result.ok() && e.result.newSocket.isValid();
        QList<SocketId> madeSockets;
        if (made)
            madeSockets << e.result.newSocket;
        if (made && e.result.pairedSocket.isValid())
            madeSockets << e.result.pairedSocket;
        {
            // Waits for handleFrame() to have recorded the call and said it started.
            const std::lock_guard lock(s->callsMutex);
            callerTid = s->calls.take(e.call);
            for (const SocketId fresh : std::as_const(madeSockets))
                s->sockets.insert(fresh);
            if (callKind == CallKind::Close)
                s->sockets.remove(e.socket);
        }
        QByteArray blob;
        QJsonObject answer = resultJson(e, &blob);
        QList<int> fds;
        for (const SocketId fresh : std::as_const(madeSockets)) {
            const int fd = s->workbench->duplicateDescriptor(fresh);
            if (fd < 0) {
                // Out of descriptors: every socket the call made goes, as python3's would.
                const int error = errno;
                answer = errorReply(error);
                for (const int taken : std::as_const(fds))
                    ::close(taken);
                fds.clear();
                for (const SocketId gone : std::as_const(madeSockets))
                    s->workbench->submit(gone, calls::close(), e.actor);
                break;
            }
            fds << fd;
        }
        if (!fds.isEmpty())
            answer.insert(QStringLiteral("fd"), true);
        answer.insert(kT, QStringLiteral("ret"));
        answer.insert(QStringLiteral("id"), id);
        {
            const std::lock_guard lock(s->lifeMutex);
            if (s->owner)
                Q_EMIT s->owner->callEnded(callerTid, e.call, e);
            s->send(answer, blob, fds);
        }
        for (const int fd : std::as_const(fds))
            ::close(fd);
    };

    const std::lock_guard lock(m_shared->callsMutex);
    const Workbench::Ticket ticket = m_workbench.submit(socket, call, actor, std::move(done));
    m_shared->calls.insert(ticket.call, tid);
    Q_EMIT callStarted(tid, ticket.call, describe(call, family));
    return true;
}

std::optional<qint64> CallBridge::threadOf(CallId call) const
{
    const std::lock_guard lock(m_shared->callsMutex);
    const auto it = m_shared->calls.constFind(call);
    if (it == m_shared->calls.cend())
        return std::nullopt;
    return *it;
}

QList<CallId> CallBridge::pendingCalls() const
{
    const std::lock_guard lock(m_shared->callsMutex);
    return m_shared->calls.keys();
}

QSet<SocketId> CallBridge::sockets() const
{
    const std::lock_guard lock(m_shared->callsMutex);
    return m_shared->sockets;
}

void CallBridge::interruptAll()
{
    for (CallId call : pendingCalls())
        m_workbench.interrupt(call);
}

void CallBridge::closeAll()
{
    interruptAll();
    std::weak_ptr<Shared> weak = m_shared;
    for (SocketId socket : sockets()) {
        const auto info = m_workbench.socket(socket);
        m_workbench.submit(socket, calls::close(), info ? info->actor : QString(),
                           [weak](const Event& e) {
                               if (const auto s = weak.lock()) {
                                   const std::lock_guard lock(s->callsMutex);
                                   s->sockets.remove(e.socket);
                               }
                           });
    }
}

} // namespace sockbench::program
