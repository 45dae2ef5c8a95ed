#include "posixsocket.h"

#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sockbench {

namespace {

// A payload given as a pattern repeated many times (b'x' * 1_000_000_000) is sent from a
// window of a few hundred KiB instead of being built in memory.
class PayloadCursor {
public:
    PayloadCursor(const QByteArray& pattern, qint64 repeat)
        : m_pattern(pattern)
        , m_total(pattern.size() * std::max<qint64>(repeat, 0))
    {
        if (repeat > 1 && !pattern.isEmpty()) {
            constexpr qint64 kWindow = 256 * 1024;
            const qint64 copies = std::min(repeat, kWindow / pattern.size() + 2);
            m_window = pattern.repeated(static_cast<qsizetype>(copies));
        } else {
            m_window = pattern;
        }
    }
    qint64 total() const { return m_total; }
    // The contiguous bytes available from offset.
    std::pair<const char*, qint64> at(qint64 offset) const
    {
        if (m_pattern.isEmpty())
            return {m_window.constData(), 0};
        const qint64 start = m_window.size() == m_total ? offset : offset % m_pattern.size();
        const qint64 length = std::min<qint64>(m_window.size() - start, m_total - offset);
        return {m_window.constData() + start, length};
    }

private:
    QByteArray m_pattern;
    QByteArray m_window;
    qint64 m_total;
};

bool wouldBlock(int error)
{
    return error == EAGAIN || error == EWOULDBLOCK;
}

CallResult waitFailure(WaitOutcome outcome)
{
    if (outcome == WaitOutcome::TimedOut)
        return CallResult::timedOut();
    return CallResult::interrupted(QStringLiteral("interrupted while waiting"));
}

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

Deadline TimeoutMode::deadlineFromNow() const
{
    if (!timeout || timeout->count() == 0)
        return std::nullopt;
    return Clock::now() + *timeout;
}

CallResult PosixSocket::create(AddressFamily family, SocketType type, int proto, int* fd)
{
    if (family == AddressFamily::Unspecified)
        return CallResult::invalid(
            QStringLiteral("socket(): choose an address family: AF_INET, AF_INET6 or AF_UNIX"));
    const int nativeType =
        (type == SocketType::Stream ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC | SOCK_NONBLOCK;
    const int created = ::socket(toNativeFamily(family), nativeType, proto);
    if (created < 0)
        return CallResult::fromErrno(errno);
    *fd = created;
    CallResult result;
    result.count = created;
    return result;
}

PosixSocket::PosixSocket(int fd, AddressFamily family, SocketType type)
    : m_fd(fd)
    , m_family(family)
    , m_type(type)
{
}

PosixSocket::~PosixSocket()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

TimeoutMode PosixSocket::timeoutMode() const
{
    const qint64 ns = m_timeoutNs.load(std::memory_order_relaxed);
    if (ns < 0)
        return {};
    return TimeoutMode{std::chrono::nanoseconds(ns)};
}

void PosixSocket::setTimeoutMode(TimeoutMode mode)
{
    m_timeoutNs.store(mode.timeout ? mode.timeout->count() : -1, std::memory_order_relaxed);
}

CallResult PosixSocket::bind(const Endpoint& address)
{
    sockaddr_storage storage{};
    const socklen_t length = address.toSockaddr(storage);
    if (length == 0)
        return CallResult::invalid(QStringLiteral("bind(): that address cannot be used"));
    if (::bind(m_fd, reinterpret_cast<const sockaddr*>(&storage), length) != 0)
        return CallResult::fromErrno(errno);
    CallResult result;
    result.address = address;
    return result;
}

CallResult PosixSocket::listen(std::optional<int> backlog)
{
    // Python: listen() with no argument picks min(SOMAXCONN, 128); a negative backlog is 0.
    const int n = backlog ? std::max(*backlog, 0) : std::min(SOMAXCONN, 128);
    if (::listen(m_fd, n) != 0)
        return CallResult::fromErrno(errno);
    CallResult result;
    result.count = n;
    return result;
}

CallResult PosixSocket::accept(BlockingWait& wait, int* newFd)
{
    const TimeoutMode mode = timeoutMode();
    const Deadline deadline = mode.deadlineFromNow();
    for (;;) {
        sockaddr_storage peer{};
        socklen_t length = sizeof peer;
        const int fd = ::accept4(m_fd, reinterpret_cast<sockaddr*>(&peer), &length,
                                 SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd >= 0) {
            *newFd = fd;
            CallResult result;
            result.count = fd;
            if (auto endpoint = Endpoint::fromSockaddr(reinterpret_cast<sockaddr*>(&peer), length))
                result.address = *endpoint;
            return result;
        }
        const int error = errno;
        if (error == EINTR)
            continue;
        if (!wouldBlock(error) || mode.isNonBlocking())
            return CallResult::fromErrno(error);
        if (const auto outcome = wait.wait(m_fd, POLLIN, deadline); outcome != WaitOutcome::Ready)
            return waitFailure(outcome);
    }
}

int PosixSocket::socketError() const
{
    int error = 0;
    socklen_t length = sizeof error;
    if (::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
        return errno;
    return error;
}

CallResult PosixSocket::connect(const Endpoint& address, BlockingWait& wait, bool asErrorCode)
{
    auto finish = [asErrorCode](int error) {
        if (asErrorCode || error == 0) {
            CallResult result;
            result.count = error;
            return result;
        }
        return CallResult::fromErrno(error);
    };
    sockaddr_storage storage{};
    const socklen_t length = address.toSockaddr(storage);
    if (length == 0)
        return CallResult::invalid(QStringLiteral("connect(): that address cannot be used"));
    const TimeoutMode mode = timeoutMode();
    const Deadline deadline = mode.deadlineFromNow();
    bool waited = false;
    for (;;) {
        if (::connect(m_fd, reinterpret_cast<const sockaddr*>(&storage), length) == 0) {
            CallResult result = finish(0);
            result.address = address;
            return result;
        }
        int error = errno;
        // An AF_UNIX listener with a full queue answers EAGAIN instead of making us wait;
        // a blocking connect() keeps trying, as the kernel would for a blocking socket.
        if (wouldBlock(error) && m_family == AddressFamily::Unix && !mode.isNonBlocking()) {
            using namespace std::chrono_literals;
            Deadline retry = Clock::now() + 10ms;
            if (deadline && *deadline < *retry)
                retry = deadline;
            const auto outcome = wait.wait(-1, 0, retry);
            if (outcome == WaitOutcome::Interrupted)
                return waitFailure(outcome);
            if (deadline && Clock::now() >= *deadline)
                return asErrorCode ? finish(EAGAIN) : CallResult::timedOut();
            continue;
        }
        if (waited && error == EINPROGRESS) {
            // A fresh attempt: the one we waited for was ended under us (a shutdown() from
            // another thread disconnects a connecting socket). A blocking connect() reports
            // that attempt's end, never starts another.
            const int ended = socketError();
            return finish(ended != 0 ? ended : ECONNRESET);
        }
        // EALREADY: a connect still under way (ours, after a wake-up that came early, or a
        // non-blocking one the program started before). Only a blocking socket waits for
        // it; with a timeout Python raises it at once.
        const bool alreadyWaits = error == EALREADY && mode.isBlocking();
        if (error != EINPROGRESS && error != EINTR && !alreadyWaits)
            return finish(error);
        if (mode.isNonBlocking())
            return finish(EINPROGRESS);
        const auto outcome = wait.wait(m_fd, POLLOUT, deadline);
        if (outcome == WaitOutcome::TimedOut && asErrorCode)
            return finish(EAGAIN); // Python's connect_ex reports a timeout as EWOULDBLOCK
        if (outcome != WaitOutcome::Ready)
            return waitFailure(outcome);
        if (mode.isBlocking()) {
            // Linux: connect() again, once the handshake has ended, says how it ended (0,
            // or the error) and leaves the socket where the kernel's blocking connect()
            // does: connected (a later connect() says EISCONN, as in Python), or
            // unconnected again (listen() and another connect() work).
            waited = true;
            continue;
        }
        // With a timeout Python reads SO_ERROR instead, and so leaves the socket as the
        // kernel's non-blocking connect does: a later connect() succeeds once, listen()
        // after a refusal says EINVAL. The workbench does what Python does.
        const int ended = socketError();
        CallResult result = finish(ended);
        if (ended == 0)
            result.address = address;
        return result;
    }
}

qint64 PosixSocket::sendSome(const char* data, qint64 length, int flags, int* error)
{
    for (;;) {
        const ssize_t n =
            ::send(m_fd, data, static_cast<size_t>(length), flags | MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0)
            return n;
        if (errno != EINTR) {
            *error = errno;
            return -1;
        }
    }
}

CallResult PosixSocket::sendLoop(const QByteArray& data, qint64 repeat, int flags,
                                 BlockingWait& wait, bool all)
{
    const PayloadCursor payload(data, repeat);
    // MSG_DONTWAIT makes this one call non-blocking, whatever the socket's mode.
    const TimeoutMode mode =
        (flags & MSG_DONTWAIT) ? TimeoutMode{std::chrono::nanoseconds(0)} : timeoutMode();
    const Deadline deadline = mode.deadlineFromNow();
    // A blocking send() in Linux waits until the kernel has taken every byte of a stream
    // send; with a timeout or non-blocking, one send() that may take fewer.
    const bool loop = all || mode.isBlocking();
    qint64 sent = 0;
    bool waitedOnce = false;
    auto partialOr = [&sent](CallResult failure) {
        failure.count = sent;
        failure.partial = sent > 0;
        return failure;
    };
    for (;;) {
        if (!loop && mode.timeout && !mode.isNonBlocking() && !waitedOnce) {
            // Python with a timeout waits for room first, then sends once.
            waitedOnce = true;
            if (const auto outcome = wait.wait(m_fd, POLLOUT, deadline);
                outcome != WaitOutcome::Ready)
                return waitFailure(outcome);
        }
        const auto [bytes, length] = payload.at(sent);
        int error = 0;
        const qint64 n = length > 0 || sent == 0 ? sendSome(bytes, length, flags, &error) : 0;
        if (n >= 0) {
            sent += n;
            if (!loop || sent >= payload.total()) {
                CallResult result;
                result.count = sent;
                return result;
            }
            continue;
        }
        if (!wouldBlock(error) || mode.isNonBlocking()) {
            // A plain send() that already moved bytes reports them, as the kernel does.
            if (sent > 0 && !all) {
                CallResult result;
                result.count = sent;
                return result;
            }
            return partialOr(CallResult::fromErrno(error));
        }
        if (!loop) {
            if (const auto outcome = wait.wait(m_fd, POLLOUT, deadline);
                outcome != WaitOutcome::Ready)
                return waitFailure(outcome);
            continue;
        }
        const auto outcome = wait.wait(m_fd, POLLOUT, deadline);
        if (outcome != WaitOutcome::Ready) {
            if (!all && sent > 0) {
                CallResult result;
                result.count = sent;
                return result;
            }
            return partialOr(waitFailure(outcome));
        }
    }
}

CallResult PosixSocket::send(const QByteArray& data, qint64 repeat, int flags, BlockingWait& wait)
{
    return sendLoop(data, repeat, flags, wait, false);
}

CallResult PosixSocket::sendAll(const QByteArray& data, qint64 repeat, int flags,
                                BlockingWait& wait)
{
    CallResult result = sendLoop(data, repeat, flags, wait, true);
    return result;
}

CallResult PosixSocket::sendTo(const QByteArray& data, const Endpoint& address, int flags,
                               BlockingWait& wait)
{
    sockaddr_storage storage{};
    const socklen_t length = address.toSockaddr(storage);
    if (length == 0)
        return CallResult::invalid(QStringLiteral("sendto(): that address cannot be used"));
    // MSG_DONTWAIT makes this one call non-blocking, whatever the socket's mode.
    const TimeoutMode mode =
        (flags & MSG_DONTWAIT) ? TimeoutMode{std::chrono::nanoseconds(0)} : timeoutMode();
    const Deadline deadline = mode.deadlineFromNow();
    for (;;) {
        const ssize_t n = ::sendto(m_fd, data.constData(), static_cast<size_t>(data.size()),
                                   flags | MSG_NOSIGNAL | MSG_DONTWAIT,
                                   reinterpret_cast<const sockaddr*>(&storage), length);
        if (n >= 0) {
            CallResult result;
            result.count = n;
            result.address = address;
            return result;
        }
        const int error = errno;
        if (error == EINTR)
            continue;
        if (!wouldBlock(error) || mode.isNonBlocking())
            return CallResult::fromErrno(error);
        if (const auto outcome = wait.wait(m_fd, POLLOUT, deadline); outcome != WaitOutcome::Ready)
            return waitFailure(outcome);
    }
}

CallResult PosixSocket::receive(qint64 size, int flags, bool withAddress, BlockingWait& wait)
{
    QByteArray buffer(static_cast<qsizetype>(size), Qt::Uninitialized);
    // MSG_DONTWAIT makes this one call non-blocking, whatever the socket's mode.
    const TimeoutMode mode =
        (flags & MSG_DONTWAIT) ? TimeoutMode{std::chrono::nanoseconds(0)} : timeoutMode();
    const Deadline deadline = mode.deadlineFromNow();
    for (;;) {
        sockaddr_storage from{};
        socklen_t fromLength = sizeof from;
        const ssize_t n =
            ::recvfrom(m_fd, buffer.data(), static_cast<size_t>(size), flags | MSG_DONTWAIT,
                       withAddress ? reinterpret_cast<sockaddr*>(&from) : nullptr,
                       withAddress ? &fromLength : nullptr);
        if (n >= 0) {
            buffer.truncate(static_cast<qsizetype>(n));
            CallResult result;
            result.count = n;
            result.data = buffer;
            if (withAddress && fromLength > 0)
                if (auto endpoint =
                        Endpoint::fromSockaddr(reinterpret_cast<sockaddr*>(&from), fromLength))
                    result.address = *endpoint;
            return result;
        }
        const int error = errno;
        if (error == EINTR)
            continue;
        if (!wouldBlock(error) || mode.isNonBlocking())
            return CallResult::fromErrno(error);
        if (const auto outcome = wait.wait(m_fd, POLLIN, deadline); outcome != WaitOutcome::Ready)
            return waitFailure(outcome);
    }
}

CallResult PosixSocket::shutdown(int how)
{
    if (::shutdown(m_fd, how) != 0)
        return CallResult::fromErrno(errno);
    return {};
}

CallResult PosixSocket::close()
{
    const int fd = m_fd;
    m_fd = -1;
    // Linux releases the descriptor even when close() reports EINTR; never retry it.
    if (::close(fd) != 0 && errno != EINTR)
        return CallResult::fromErrno(errno);
    return {};
}

CallResult PosixSocket::localAddress() const
{
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    if (::getsockname(m_fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0)
        return CallResult::fromErrno(errno);
    CallResult result;
    if (auto endpoint = Endpoint::fromSockaddr(reinterpret_cast<sockaddr*>(&storage), length))
        result.address = *endpoint;
    return result;
}

CallResult PosixSocket::peerAddress() const
{
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    if (::getpeername(m_fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0)
        return CallResult::fromErrno(errno);
    CallResult result;
    if (auto endpoint = Endpoint::fromSockaddr(reinterpret_cast<sockaddr*>(&storage), length))
        result.address = *endpoint;
    return result;
}

CallResult PosixSocket::setOption(SocketOption option, qint64 value, qint64 lingerSeconds,
                                  int level, int number)
{
    const auto native = nativeOption(option, level, number);
    int rc = 0;
    if (option == SocketOption::Linger) {
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
