#include "calls.h"

namespace sockbench::calls {

Call socket(AddressFamily family, SocketType type, int proto);

namespace {

Call make(CallKind kind)
{
    Call call;
    call.kind = kind;
    return call;
}

Call addressed(CallKind kind, const QString& host, qint64 port)
{
    Call call = make(kind);
    call.args.host = host;
    call.args.port = port;
    return call;
}

Call sized(CallKind kind, qint64 size)
{
    Call call = make(kind);
    call.args.size = size;
    return call;
}

Call payload(CallKind kind, const QByteArray& data, qint64 repeat)
{
    Call call = make(kind);
    call.args.payload = data;
    call.args.repeat = repeat;
    return call;
}

} // namespace

Call socketpair(AddressFamily family, SocketType type, int proto)
{
    Call call = socket(family, type, proto);
    call.kind = CallKind::SocketPair;
    return call;
}

Call socket(AddressFamily family, SocketType type, int proto)
{
    Call call = make(CallKind::Socket);
    call.args.family = family;
    call.args.type = type;
    call.args.proto = proto;
    return call;
}

Call setsockopt(SocketOption option, qint64 value, qint64 lingerSeconds)
{
    Call call = make(CallKind::SetSockOpt);
    call.args.option = option;
    call.args.value = value;
    call.args.lingerSeconds = lingerSeconds;
    return call;
}

Call getsockopt(SocketOption option)
{
    Call call = make(CallKind::GetSockOpt);
    call.args.option = option;
    return call;
}

Call bind(const QString& host, qint64 port)
{
    return addressed(CallKind::Bind, host, port);
}

Call listen(std::optional<int> backlog)
{
    Call call = make(CallKind::Listen);
    call.args.backlog = backlog;
    return call;
}

Call accept()
{
    return make(CallKind::Accept);
}
Call connect(const QString& host, qint64 port)
{
    return addressed(CallKind::Connect, host, port);
}
Call connectEx(const QString& host, qint64 port)
{
    return addressed(CallKind::ConnectEx, host, port);
}
Call send(const QByteArray& data, qint64 repeat)
{
    return payload(CallKind::Send, data, repeat);
}
Call sendAll(const QByteArray& data, qint64 repeat)
{
    return payload(CallKind::SendAll, data, repeat);
}

Call sendTo(const QByteArray& data, const QString& host, qint64 port)
{
    Call call = addressed(CallKind::SendTo, host, port);
    call.args.payload = data;
    return call;
}

Call recv(qint64 size)
{
    return sized(CallKind::Recv, size);
}
Call recvFrom(qint64 size)
{
    return sized(CallKind::RecvFrom, size);
}

Call recvInto(qint64 bufferSize, qint64 size)
{
    Call call = sized(CallKind::RecvInto, size);
    call.args.bufferSize = bufferSize;
    return call;
}

Call recvFromInto(qint64 bufferSize, qint64 size)
{
    Call call = sized(CallKind::RecvFromInto, size);
    call.args.bufferSize = bufferSize;
    return call;
}

Call shutdown(int how)
{
    Call call = make(CallKind::Shutdown);
    call.args.how = how;
    return call;
}

Call close()
{
    return make(CallKind::Close);
}
Call getsockname()
{
    return make(CallKind::GetSockName);
}
Call getpeername()
{
    return make(CallKind::GetPeerName);
}

Call setblocking(bool blocking)
{
    Call call = make(CallKind::SetBlocking);
    call.args.blocking = blocking;
    return call;
}

Call settimeout(std::optional<double> seconds)
{
    Call call = make(CallKind::SetTimeout);
    call.args.timeout = seconds;
    return call;
}

Call getaddrinfo(const QString& host, const QString& service, AddressFamily family, int socketType,
                 int proto, int flags)
{
    Call call = make(CallKind::GetAddrInfo);
    call.args.host = host;
    call.args.hostIsNone = host.isNull();
    call.args.service = service;
    call.args.family = family;
    call.args.typeFilter = socketType;
    call.args.proto = proto;
    call.args.flags = flags;
    return call;
}

Call gethostbyname(const QString& name)
{
    Call call = make(CallKind::GetHostByName);
    call.args.host = name;
    return call;
}

Call gethostbyaddr(const QString& address)
{
    Call call = make(CallKind::GetHostByAddr);
    call.args.host = address;
    return call;
}

Call gethostname()
{
    return make(CallKind::GetHostName);
}

} // namespace sockbench::calls
