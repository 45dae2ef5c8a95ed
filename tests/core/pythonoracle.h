#pragma once

// The machine's own answer, taken in the same run. Where the answer is the kernel's to give
// (the state after a refused connect(), TIME_WAIT and SO_REUSEADDR, buffer sizes, how much a
// send() takes, the backlog it reports), a test makes the same calls the way Python's socket
// module makes them - plain system calls on loopback, in this process - and asserts that
// the workbench gives the same answer. Nothing here uses the workbench: it is the oracle.

#include "engine/event.h"

#include <QByteArray>
#include <QString>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <utility>

namespace sockbench::test::oracle {

// How long an oracle call may wait before it gives up: it guards the test against a kernel
// that would block where this one answers at once, and is never reached on a healthy run.
constexpr int kGuardSeconds = 10;

// "ok", or the errno's name as the C library spells it ("EINVAL").
inline QString outcome(int error)
{
    if (error == 0)
        return QStringLiteral("ok");
    const char* name = ::strerrorname_np(error);
    return name ? QString::fromLatin1(name) : QStringLiteral("errno %1").arg(error);
}

// The workbench's answer in the same words: "ok", the errno's name, or "timeout".
inline QString outcome(const Event& event)
{
    if (event.result.ok())
        return QStringLiteral("ok");
    if (event.result.outcome == Outcome::Error && event.result.errorDomain == ErrorDomain::Errno)
        return outcome(event.result.errorNumber);
    return event.result.errorName();
}

// A numeric IPv4 or IPv6 host and a port; the length is 0 if host is not numeric.
inline socklen_t address(const char* host, quint16 port, sockaddr_storage& out)
{
    out = {};
    auto* v4 = reinterpret_cast<sockaddr_in*>(&out);
    if (::inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        return sizeof(sockaddr_in);
    }
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&out);
    if (::inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        return sizeof(sockaddr_in6);
    }
    return 0;
}

// A socket as Python's socket.socket() holds one: a descriptor, and a timeout that Python
// keeps by itself (None: a blocking descriptor; a number: a non-blocking descriptor and
// poll() before each call; 0: non-blocking, no wait). Each call returns its outcome().
class PythonSocket {
public:
    explicit PythonSocket(int family = AF_INET, int type = SOCK_STREAM)
        : m_fd(::socket(family, type | SOCK_CLOEXEC, 0))
    {
        guard();
    }
    ~PythonSocket()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    PythonSocket(const PythonSocket&) = delete;
    PythonSocket& operator=(const PythonSocket&) = delete;

    int fd() const { return m_fd; }
    bool isValid() const { return m_fd >= 0; }

    // settimeout(seconds); std::nullopt is settimeout(None), 0 is setblocking(False).
    void settimeout(std::optional<double> seconds)
    {
        m_timeout = seconds;
        const int flags = ::fcntl(m_fd, F_GETFL);
        ::fcntl(m_fd, F_SETFL, seconds ? flags | O_NONBLOCK : flags & ~O_NONBLOCK);
    }

    QString bind(const char* host, quint16 port)
    {
        sockaddr_storage to{};
        const socklen_t length = address(host, port, to);
        return result(::bind(m_fd, reinterpret_cast<const sockaddr*>(&to), length));
    }
    QString listen(int backlog) { return result(::listen(m_fd, backlog)); }
    QString shutdown(int how) { return result(::shutdown(m_fd, how)); }

    // The port getsockname() reports (0 if none).
    quint16 port() const
    {
        sockaddr_storage local{};
        socklen_t length = sizeof local;
        if (::getsockname(m_fd, reinterpret_cast<sockaddr*>(&local), &length) != 0)
            return 0;
        return ntohs(local.ss_family == AF_INET6
                         ? reinterpret_cast<const sockaddr_in6*>(&local)->sin6_port
                         : reinterpret_cast<const sockaddr_in*>(&local)->sin_port);
    }

    // sock.connect((host, port)), as CPython's internal_connect() does it: connect(); with
    // a timeout, EINPROGRESS is waited for with poll() and the end read from SO_ERROR
    // (EISCONN there counts as connected).
    QString connect(const char* host, quint16 port)
    {
        sockaddr_storage to{};
        const socklen_t length = address(host, port, to);
        if (::connect(m_fd, reinterpret_cast<const sockaddr*>(&to), length) == 0)
            return outcome(0);
        const int error = errno;
        if (!m_timeout || *m_timeout <= 0 || error != EINPROGRESS)
            return outcome(error);
        pollfd wait{m_fd, POLLOUT, 0};
        const int ready = ::poll(&wait, 1, static_cast<int>(*m_timeout * 1000));
        if (ready == 0)
            return QStringLiteral("timeout");
        if (ready < 0)
            return outcome(errno);
        int ended = 0;
        socklen_t size = sizeof ended;
        if (::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &ended, &size) != 0)
            return outcome(errno);
        return outcome(ended == EISCONN ? 0 : ended);
    }

    // sock.accept() on a blocking socket; the new socket goes to *into.
    QString accept(PythonSocket* into = nullptr)
    {
        const int fd = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0)
            return outcome(errno);
        if (into) {
            if (into->m_fd >= 0)
                ::close(into->m_fd);
            into->m_fd = fd;
            into->guard();
        } else {
            ::close(fd);
        }
        return outcome(0);
    }

    // One send() of length bytes at data; *count gets what the kernel took.
    QString send(const char* data, size_t length, qint64* count)
    {
        const ssize_t n = ::send(m_fd, data, length, MSG_NOSIGNAL);
        *count = n < 0 ? 0 : n;
        return result(n < 0 ? -1 : 0);
    }

    // One recv(); the bytes go to *data.
    QString recv(size_t size, QByteArray* data)
    {
        data->resize(static_cast<qsizetype>(size));
        const ssize_t n = ::recv(m_fd, data->data(), size, 0);
        data->resize(n < 0 ? 0 : n);
        return result(n < 0 ? -1 : 0);
    }

    QString close()
    {
        const int rc = ::close(std::exchange(m_fd, -1));
        return result(rc);
    }

    QString setsockopt(int level, int option, int value)
    {
        return result(::setsockopt(m_fd, level, option, &value, sizeof value));
    }
    // The option's value, or nullopt if getsockopt() failed.
    std::optional<int> getsockopt(int level, int option) const
    {
        int value = 0;
        socklen_t length = sizeof value;
        if (::getsockopt(m_fd, level, option, &value, &length) != 0)
            return std::nullopt;
        return value;
    }
    std::optional<tcp_info> tcpInfo() const
    {
        tcp_info info{};
        socklen_t length = sizeof info;
        if (::getsockopt(m_fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0)
            return std::nullopt;
        return info;
    }

private:
    QString result(int rc) const { return outcome(rc == 0 ? 0 : errno); }
    // A blocking call that the kernel would keep waiting gives up after kGuardSeconds
    // (EAGAIN) instead of hanging the test.
    void guard()
    {
        const timeval limit{kGuardSeconds, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        ::setsockopt(m_fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    }

    int m_fd = -1;
    std::optional<double> m_timeout;
};

// The backlog the kernel reports (TCP_INFO) for a listener that asked for `asked`: on Linux
// listen()'s argument capped by net.core.somaxconn. Asked of a raw listener; -1: no answer.
inline int reportedBacklog(int asked)
{
    PythonSocket listener;
    if (listener.bind("127.0.0.1", 0) != QLatin1String("ok") ||
        listener.listen(asked) != QLatin1String("ok"))
        return -1;
    const auto info = listener.tcpInfo();
    return info ? static_cast<int>(info->tcpi_sacked) : -1;
}

} // namespace sockbench::test::oracle
