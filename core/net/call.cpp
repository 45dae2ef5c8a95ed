#include "call.h"

#include "codegen/pyrepr.h"

#include <array>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <utility>

namespace sockbench {

namespace {

constexpr std::array<std::pair<CallKind, const char*>, 26> kCallNames{{
    {CallKind::Socket, "socket"},
    {CallKind::SetSockOpt, "setsockopt"},
    {CallKind::GetSockOpt, "getsockopt"},
    {CallKind::Bind, "bind"},
    {CallKind::Listen, "listen"},
    {CallKind::Accept, "accept"},
    {CallKind::Connect, "connect"},
    {CallKind::ConnectEx, "connect_ex"},
    {CallKind::Send, "send"},
    {CallKind::SendAll, "sendall"},
    {CallKind::SendTo, "sendto"},
    {CallKind::Recv, "recv"},
    {CallKind::RecvFrom, "recvfrom"},
    {CallKind::RecvInto, "recv_into"},
    {CallKind::RecvFromInto, "recvfrom_into"},
    {CallKind::Shutdown, "shutdown"},
    {CallKind::Close, "close"},
    {CallKind::GetSockName, "getsockname"},
    {CallKind::GetPeerName, "getpeername"},
    {CallKind::SetBlocking, "setblocking"},
    {CallKind::SetTimeout, "settimeout"},
    {CallKind::GetAddrInfo, "getaddrinfo"},
    {CallKind::GetHostByName, "gethostbyname"},
    {CallKind::GetHostByAddr, "gethostbyaddr"},
    {CallKind::GetHostName, "gethostname"},
    {CallKind::SocketPair, "socketpair"},
}};

struct OptionName {
    SocketOption option;
    const char* name;
    const char* level;
};

constexpr std::array<OptionName, 11> kOptionNames{{
    {SocketOption::ReuseAddr, "SO_REUSEADDR", "SOL_SOCKET"},
    {SocketOption::ReusePort, "SO_REUSEPORT", "SOL_SOCKET"},
    {SocketOption::Linger, "SO_LINGER", "SOL_SOCKET"},
    {SocketOption::RcvBuf, "SO_RCVBUF", "SOL_SOCKET"},
    {SocketOption::SndBuf, "SO_SNDBUF", "SOL_SOCKET"},
    {SocketOption::Broadcast, "SO_BROADCAST", "SOL_SOCKET"},
    {SocketOption::KeepAlive, "SO_KEEPALIVE", "SOL_SOCKET"},
    {SocketOption::Error, "SO_ERROR", "SOL_SOCKET"},
    {SocketOption::Type, "SO_TYPE", "SOL_SOCKET"},
    {SocketOption::AcceptConn, "SO_ACCEPTCONN", "SOL_SOCKET"},
    {SocketOption::TcpNoDelay, "TCP_NODELAY", "IPPROTO_TCP"},
}};

} // namespace

QString callName(CallKind kind)
{
    for (const auto& [k, name] : kCallNames)
        if (k == kind)
            return QString::fromLatin1(name);
    return QStringLiteral("?");
}

std::optional<CallKind> callKindFromName(const QString& name)
{
    for (const auto& [k, n] : kCallNames)
        if (name == QLatin1String(n))
            return k;
    return std::nullopt;
}

bool isModuleCall(CallKind kind)
{
    switch (kind) {
    case CallKind::GetAddrInfo:
    case CallKind::GetHostByName:
    case CallKind::GetHostByAddr:
    case CallKind::GetHostName:
        return true;
    default:
        return false;
    }
}

bool isDataCall(CallKind kind)
{
    switch (kind) {
    case CallKind::Send:
    case CallKind::SendAll:
    case CallKind::SendTo:
    case CallKind::Recv:
    case CallKind::RecvFrom:
    case CallKind::RecvInto:
    case CallKind::RecvFromInto:
        return true;
    default:
        return false;
    }
}

QString socketTypeName(SocketType type)
{
    switch (type) {
    case SocketType::Stream:
        return QStringLiteral("SOCK_STREAM");
    case SocketType::Datagram:
        return QStringLiteral("SOCK_DGRAM");
    case SocketType::SeqPacket:
        return QStringLiteral("SOCK_SEQPACKET");
    }
    return {};
}

int toNativeSocketType(SocketType type)
{
    switch (type) {
    case SocketType::Stream:
        return SOCK_STREAM;
    case SocketType::Datagram:
        return SOCK_DGRAM;
    case SocketType::SeqPacket:
        return SOCK_SEQPACKET;
    }
    return SOCK_STREAM;
}

QString nativeSocketTypeName(int type)
{
    switch (type) {
    case SOCK_STREAM:
        return QStringLiteral("SOCK_STREAM");
    case SOCK_DGRAM:
        return QStringLiteral("SOCK_DGRAM");
    case SOCK_RAW:
        return QStringLiteral("SOCK_RAW");
    case SOCK_SEQPACKET:
        return QStringLiteral("SOCK_SEQPACKET");
    default:
        return QString::number(type);
    }
}

QString optionName(SocketOption option)
{
    for (const auto& entry : kOptionNames)
        if (entry.option == option)
            return QString::fromLatin1(entry.name);
    return {};
}

QString optionLevelName(SocketOption option)
{
    for (const auto& entry : kOptionNames)
        if (entry.option == option)
            return QString::fromLatin1(entry.level);
    return {};
}

namespace {

struct IntegerOption {
    int level;
    int number;
    const char* levelName;
    const char* name;
};

// Well-known integer options, for names on screen and in exported code.
const IntegerOption kIntegerOptions[] = {
    {SOL_SOCKET, SO_RCVLOWAT, "SOL_SOCKET", "SO_RCVLOWAT"},
    {SOL_SOCKET, SO_SNDLOWAT, "SOL_SOCKET", "SO_SNDLOWAT"},
    {SOL_SOCKET, SO_OOBINLINE, "SOL_SOCKET", "SO_OOBINLINE"},
    {SOL_SOCKET, SO_DONTROUTE, "SOL_SOCKET", "SO_DONTROUTE"},
    {SOL_SOCKET, SO_PRIORITY, "SOL_SOCKET", "SO_PRIORITY"},
    {SOL_SOCKET, SO_DOMAIN, "SOL_SOCKET", "SO_DOMAIN"},
    {SOL_SOCKET, SO_PROTOCOL, "SOL_SOCKET", "SO_PROTOCOL"},
    {IPPROTO_TCP, TCP_MAXSEG, "IPPROTO_TCP", "TCP_MAXSEG"},
    {IPPROTO_TCP, TCP_KEEPIDLE, "IPPROTO_TCP", "TCP_KEEPIDLE"},
    {IPPROTO_TCP, TCP_KEEPINTVL, "IPPROTO_TCP", "TCP_KEEPINTVL"},
    {IPPROTO_TCP, TCP_KEEPCNT, "IPPROTO_TCP", "TCP_KEEPCNT"},
    {IPPROTO_TCP, TCP_QUICKACK, "IPPROTO_TCP", "TCP_QUICKACK"},
    {IPPROTO_TCP, TCP_USER_TIMEOUT, "IPPROTO_TCP", "TCP_USER_TIMEOUT"},
    {IPPROTO_IP, IP_TTL, "IPPROTO_IP", "IP_TTL"},
    {IPPROTO_IP, IP_TOS, "IPPROTO_IP", "IP_TOS"},
    {IPPROTO_IP, IP_MULTICAST_TTL, "IPPROTO_IP", "IP_MULTICAST_TTL"},
    {IPPROTO_IP, IP_MULTICAST_LOOP, "IPPROTO_IP", "IP_MULTICAST_LOOP"},
    {IPPROTO_IP, IP_MULTICAST_IF, "IPPROTO_IP", "IP_MULTICAST_IF"},
    {IPPROTO_IP, IP_ADD_MEMBERSHIP, "IPPROTO_IP", "IP_ADD_MEMBERSHIP"},
    {IPPROTO_IP, IP_DROP_MEMBERSHIP, "IPPROTO_IP", "IP_DROP_MEMBERSHIP"},
    {IPPROTO_IPV6, IPV6_JOIN_GROUP, "IPPROTO_IPV6", "IPV6_JOIN_GROUP"},
    {IPPROTO_IPV6, IPV6_LEAVE_GROUP, "IPPROTO_IPV6", "IPV6_LEAVE_GROUP"},
    {IPPROTO_IPV6, IPV6_MULTICAST_IF, "IPPROTO_IPV6", "IPV6_MULTICAST_IF"},
    {IPPROTO_IPV6, IPV6_V6ONLY, "IPPROTO_IPV6", "IPV6_V6ONLY"},
    {IPPROTO_IPV6, IPV6_UNICAST_HOPS, "IPPROTO_IPV6", "IPV6_UNICAST_HOPS"},
};

QString levelText(int level)
{
    switch (level) {
    case SOL_SOCKET:
        return QStringLiteral("SOL_SOCKET");
    case IPPROTO_IP:
        return QStringLiteral("IPPROTO_IP");
    case IPPROTO_TCP:
        return QStringLiteral("IPPROTO_TCP");
    case IPPROTO_UDP:
        return QStringLiteral("IPPROTO_UDP");
    case IPPROTO_IPV6:
        return QStringLiteral("IPPROTO_IPV6");
    default:
        return QString::number(level);
    }
}

} // namespace

QString optionName(const CallArgs& args)
{
    if (args.option != SocketOption::Integer)
        return optionName(args.option);
    for (const auto& known : kIntegerOptions)
        if (known.level == args.optionLevel && known.number == args.optionNumber)
            return QString::fromLatin1(known.name);
    return QString::number(args.optionNumber);
}

QString optionLevelName(const CallArgs& args)
{
    if (args.option != SocketOption::Integer)
        return optionLevelName(args.option);
    return levelText(args.optionLevel);
}

QString optionValueText(const CallArgs& args)
{
    if (!args.payload.isEmpty())
        return codegen::bytesRepr(args.payload);
    return QString::number(args.value);
}

std::optional<SocketOption> optionFromName(const QString& name)
{
    for (const auto& entry : kOptionNames)
        if (name == QLatin1String(entry.name))
            return entry.option;
    return std::nullopt;
}

QString outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Ok:
        return QStringLiteral("ok");
    case Outcome::Error:
        return QStringLiteral("error");
    case Outcome::Timeout:
        return QStringLiteral("timeout");
    case Outcome::Interrupted:
        return QStringLiteral("interrupted");
    case Outcome::Invalid:
        return QStringLiteral("invalid");
    }
    return {};
}

QString CallResult::errorName() const
{
    if (outcome == Outcome::Error)
        return errnocatalog::name(errorDomain, errorNumber);
    return outcomeName(outcome);
}

CallResult CallResult::fromErrno(int number)
{
    return fromError(ErrorDomain::Errno, number);
}

CallResult CallResult::fromError(ErrorDomain domain, int number)
{
    CallResult r;
    r.outcome = Outcome::Error;
    r.errorDomain = domain;
    r.errorNumber = number;
    r.message = errnocatalog::description(domain, number);
    return r;
}

CallResult CallResult::invalid(const QString& sentence)
{
    CallResult r;
    r.outcome = Outcome::Invalid;
    r.message = sentence;
    return r;
}

CallResult CallResult::timedOut()
{
    CallResult r;
    r.outcome = Outcome::Timeout;
    r.message = QStringLiteral("timed out");
    return r;
}

CallResult CallResult::interrupted(const QString& why)
{
    CallResult r;
    r.outcome = Outcome::Interrupted;
    r.message = why;
    return r;
}

} // namespace sockbench
