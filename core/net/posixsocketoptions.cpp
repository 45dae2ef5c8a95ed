// setsockopt() and getsockopt(): the options a lesson names, mapped to the kernel's own
// level and number, and those given as raw numbers passed through as they are.

#include "posixsocket.h"

#include <cerrno>
#include <climits>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace sockbench {

namespace {

struct NativeOption {
    int level;
    int name;
};

NativeOption nativeOption(SocketOption option, int level, int number)
{
    switch (option) {
    case SocketOption::Integer:
        return {level, number};
    case SocketOption::ReuseAddr:
        return {SOL_SOCKET, SO_REUSEADDR};
    case SocketOption::ReusePort:
        return {SOL_SOCKET, SO_REUSEPORT};
    case SocketOption::Linger:
        return {SOL_SOCKET, SO_LINGER};
    case SocketOption::RcvBuf:
        return {SOL_SOCKET, SO_RCVBUF};
    case SocketOption::SndBuf:
        return {SOL_SOCKET, SO_SNDBUF};
    case SocketOption::Broadcast:
        return {SOL_SOCKET, SO_BROADCAST};
    case SocketOption::KeepAlive:
        return {SOL_SOCKET, SO_KEEPALIVE};
    case SocketOption::Error:
        return {SOL_SOCKET, SO_ERROR};
    case SocketOption::Type:
        return {SOL_SOCKET, SO_TYPE};
    case SocketOption::AcceptConn:
        return {SOL_SOCKET, SO_ACCEPTCONN};
    case SocketOption::TcpNoDelay:
        return {IPPROTO_TCP, TCP_NODELAY};
    }
    return {SOL_SOCKET, 0};
}

} // namespace

CallResult PosixSocket::setOption(SocketOption option, qint64 value, qint64 lingerSeconds,
                                  int level, int number, const QByteArray& raw)
{
    const auto native = nativeOption(option, level, number);
    int rc = 0;
    if (!raw.isEmpty()) {
        rc = ::setsockopt(m_fd, native.level, native.name, raw.constData(),
                          static_cast<socklen_t>(raw.size()));
    } else if (option == SocketOption::Linger) {
        linger l{};
        l.l_onoff = static_cast<int>(value);
        l.l_linger = static_cast<int>(lingerSeconds);
        rc = ::setsockopt(m_fd, native.level, native.name, &l, sizeof l);
    } else {
        if (value < INT_MIN || value > INT_MAX)
            return CallResult::invalid(
                QStringLiteral("setsockopt(): %1 does not fit in a C int").arg(value));
        const int v = static_cast<int>(value);
        rc = ::setsockopt(m_fd, native.level, native.name, &v, sizeof v);
    }
    if (rc != 0)
        return CallResult::fromErrno(errno);
    return {};
}

CallResult PosixSocket::getOption(SocketOption option, int level, int number) const
{
    const auto native = nativeOption(option, level, number);
    CallResult result;
    if (option == SocketOption::Linger) {
        linger l{};
        socklen_t length = sizeof l;
        if (::getsockopt(m_fd, native.level, native.name, &l, &length) != 0)
            return CallResult::fromErrno(errno);
        result.count = l.l_onoff;
        result.lingerSeconds = l.l_linger;
        return result;
    }
    int v = 0;
    socklen_t length = sizeof v;
    if (::getsockopt(m_fd, native.level, native.name, &v, &length) != 0)
        return CallResult::fromErrno(errno);
    result.count = v;
    return result;
}

} // namespace sockbench
