#include "posixsocket.h"

#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace sockbench {

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

    // The bytes from offset as at most max pieces for one sendmsg(): with the window's
    // quarter MiB each, far more than a socket buffer takes in one call.
    int pieces(qint64 offset, iovec* out, int max) const
    {
        int count = 0;
        while (offset < m_total && count < max) {
            const auto [bytes, length] = at(offset);
            out[count++] = {const_cast<char*>(bytes), static_cast<size_t>(length)};
            offset += length;
        }
        return count;
    }

private:
    QByteArray m_pattern;
    QByteArray m_window;
    qint64 m_total;
};

namespace {

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

bool readyNow(int fd, short events)
{
    pollfd one{fd, events, 0};
    return ::poll(&one, 1, 0) == 1;
}

// Python's sock_call_ex (Modules/socketmodule.c), over a descriptor that is always
// O_NONBLOCK underneath:
// - with a timeout: poll() for readiness first, then the system call; an EWOULDBLOCK after
//   a ready poll() is a false positive, and it waits again, until the deadline. So a call
//   that can never be ready (recv on a listener, accept on a connected socket) times out
//   instead of saying what the kernel would say.
// - blocking: the system call first; where the kernel's blocking call would sleep
//   (EWOULDBLOCK here) it waits for readiness with no deadline, and calls again.
// - non-blocking: the system call, once.
// attempt(int* error) returns the result, or nullopt with *error set; EINTR retries it.
template <typename Attempt>
CallResult sockCall(int fd, short events, const TimeoutMode& mode, Deadline deadline,
                    BlockingWait& wait, Attempt&& attempt)
{
    const bool hasTimeout = mode.timeout && !mode.isNonBlocking();
    for (bool first = true;; first = false) {
        // A look first (poll() with no wait), so that only a call that really waits is
        // reported blocked: the wait is what the trace shows as CallBlocked. After a false
        // positive always the wait, which sees the deadline and an interrupt.
        if (hasTimeout && !(first && readyNow(fd, events)))
            if (const auto outcome = wait.wait(fd, events, deadline); outcome != WaitOutcome::Ready)
                return waitFailure(outcome);
        int error = 0;
        std::optional<CallResult> result;
        do {
            error = 0;
            result = attempt(&error);
        } while (!result && error == EINTR);
        if (result)
            return *result;
        if (!wouldBlock(error) || mode.isNonBlocking())
            return CallResult::fromErrno(error);
        if (hasTimeout)
            continue;
        if (const auto outcome = wait.wait(fd, events, std::nullopt); outcome != WaitOutcome::Ready)
            return waitFailure(outcome);
    }
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
    const int nativeType = toNativeSocketType(type) | SOCK_CLOEXEC | SOCK_NONBLOCK;
    const int created = ::socket(toNativeFamily(family), nativeType, proto);
    if (created < 0)
        return CallResult::fromErrno(errno);
    *fd = created;
    CallResult result;
    result.count = created;
    return result;
}

CallResult PosixSocket::createPair(AddressFamily family, SocketType type, int proto, int fds[2])
{
    const int nativeType = toNativeSocketType(type) | SOCK_CLOEXEC | SOCK_NONBLOCK;
    // Linux makes pairs of AF_UNIX only; any other family says EOPNOTSUPP, as in Python.
    if (::socketpair(toNativeFamily(family), nativeType, proto, fds) != 0)
        return CallResult::fromErrno(errno);
    CallResult result;
    result.count = fds[0];
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
    return sockCall(m_fd, POLLIN, mode, mode.deadlineFromNow(), wait,
                    [this, newFd](int* error) -> std::optional<CallResult> {
                        sockaddr_storage peer{};
                        socklen_t length = sizeof peer;
                        const int fd = ::accept4(m_fd, reinterpret_cast<sockaddr*>(&peer), &length,
                                                 SOCK_CLOEXEC | SOCK_NONBLOCK);
                        if (fd < 0) {
                            *error = errno;
                            return std::nullopt;
                        }
                        *newFd = fd;
                        CallResult result;
                        result.count = fd;
                        if (auto endpoint =
                                Endpoint::fromSockaddr(reinterpret_cast<sockaddr*>(&peer), length))
                            result.address = *endpoint;
                        return result;
                    });
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
        // With a timeout Python raises that EAGAIN at once (it waits only on EINPROGRESS).
        if (wouldBlock(error) && m_family == AddressFamily::Unix && mode.isBlocking()) {
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

TimeoutMode PosixSocket::modeForFlags(int flags) const
{
    // MSG_DONTWAIT makes a call on a blocking socket non-blocking. With a timeout Python
    // still waits for readiness first and retries a call that says EWOULDBLOCK, so the
    // flag changes nothing there.
    const TimeoutMode mode = timeoutMode();
    if ((flags & MSG_DONTWAIT) && mode.isBlocking())
        return TimeoutMode{std::chrono::nanoseconds(0)};
    return mode;
}

qint64 PosixSocket::sendSome(const PayloadCursor& payload, qint64 offset, int flags, int* error)
{
    // One system call for everything left, as Python's one send() of its whole buffer:
    // a repeated pattern goes as many pieces of its window, never as the window alone.
    constexpr int kPieces = 256;
    iovec pieces[kPieces];
    msghdr message{};
    message.msg_iov = pieces;
    message.msg_iovlen = static_cast<size_t>(payload.pieces(offset, pieces, kPieces));
    for (;;) {
        const ssize_t n = ::sendmsg(m_fd, &message, flags | MSG_NOSIGNAL | MSG_DONTWAIT);
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
    const TimeoutMode mode = modeForFlags(flags);
    const Deadline deadline = mode.deadlineFromNow(); // sendall: one deadline for it all
    // send() is one system call. A blocking stream send() takes every byte before it
    // returns (the kernel waits for room as often as it must): on the non-blocking
    // descriptor that is the call repeated with waits between, and the count is the same.
    // sendall() is Python's loop of sends, each with the time left.
    const bool loop = all || (mode.isBlocking() && m_type == SocketType::Stream);
    qint64 sent = 0;
    for (;;) {
        CallResult step = sockCall(m_fd, POLLOUT, mode, deadline, wait,
                                   [&](int* error) -> std::optional<CallResult> {
                                       const qint64 n = sendSome(payload, sent, flags, error);
                                       if (n < 0)
                                           return std::nullopt;
                                       CallResult result;
                                       result.count = n;
                                       return result;
                                   });
        if (!step.ok()) {
            // A send() that already moved bytes reports them, as the kernel does.
            if (sent > 0 && !all) {
                CallResult result;
                result.count = sent;
                return result;
            }
            step.count = sent;
            step.partial = sent > 0;
            return step;
        }
        sent += step.count;
        if (!loop || sent >= payload.total()) {
            CallResult result;
            result.count = sent;
            return result;
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
    return sendLoop(data, repeat, flags, wait, true);
}

CallResult PosixSocket::sendTo(const QByteArray& data, const Endpoint& address, int flags,
                               BlockingWait& wait)
{
    sockaddr_storage storage{};
    const socklen_t length = address.toSockaddr(storage);
    if (length == 0)
        return CallResult::invalid(QStringLiteral("sendto(): that address cannot be used"));
    const TimeoutMode mode = modeForFlags(flags);
    return sockCall(m_fd, POLLOUT, mode, mode.deadlineFromNow(), wait,
                    [&](int* error) -> std::optional<CallResult> {
                        const ssize_t n =
                            ::sendto(m_fd, data.constData(), static_cast<size_t>(data.size()),
                                     flags | MSG_NOSIGNAL | MSG_DONTWAIT,
                                     reinterpret_cast<const sockaddr*>(&storage), length);
                        if (n < 0) {
                            *error = errno;
                            return std::nullopt;
                        }
                        CallResult result;
                        result.count = n;
                        result.address = address;
                        return result;
                    });
}

bool PosixSocket::readShutDown() const
{
    pollfd fd{m_fd, POLLRDHUP, 0};
    return ::poll(&fd, 1, 0) == 1 && (fd.revents & POLLRDHUP);
}

CallResult PosixSocket::receive(qint64 size, int flags, bool withAddress, BlockingWait& wait)
{
    const TimeoutMode mode = modeForFlags(flags);
    // MSG_WAITALL only waits on a blocking descriptor: with a timeout or non-blocking the
    // kernel returns what is there, so Python does too.
    if ((flags & MSG_WAITALL) && !(flags & MSG_PEEK) && mode.isBlocking() &&
        m_type == SocketType::Stream)
        return receiveAll(size, flags & ~MSG_WAITALL, wait);
    QByteArray buffer(static_cast<qsizetype>(size), Qt::Uninitialized);
    return sockCall(m_fd, POLLIN, mode, mode.deadlineFromNow(), wait,
                    [&](int* error) -> std::optional<CallResult> {
                        sockaddr_storage from{};
                        socklen_t fromLength = sizeof from;
                        const ssize_t n = ::recvfrom(
                            m_fd, buffer.data(), static_cast<size_t>(size), flags | MSG_DONTWAIT,
                            withAddress ? reinterpret_cast<sockaddr*>(&from) : nullptr,
                            withAddress ? &fromLength : nullptr);
                        CallResult result;
                        if (n < 0) {
                            *error = errno;
                            // Linux: a blocking recv() on a datagram socket shut down for reading
                            // returns 0 at once, where MSG_DONTWAIT says EAGAIN (and poll() says
                            // readable, so waiting would spin).
                            if (wouldBlock(*error) && mode.isBlocking() &&
                                m_type == SocketType::Datagram && readShutDown())
                                return result;
                            return std::nullopt;
                        }
                        buffer.truncate(static_cast<qsizetype>(n));
                        result.count = n;
                        result.data = buffer;
                        if (withAddress && fromLength > 0)
                            if (auto endpoint = Endpoint::fromSockaddr(
                                    reinterpret_cast<sockaddr*>(&from), fromLength))
                                result.address = *endpoint;
                        return result;
                    });
}

CallResult PosixSocket::receiveAll(qint64 size, int flags, BlockingWait& wait)
{
    // A blocking recv(n, MSG_WAITALL): reads until n bytes, the end of the stream or an
    // error, and returns what it has if anything (as the kernel does when a signal ends
    // it; here an interrupt). Each read is non-blocking and each wait interruptible.
    QByteArray buffer(static_cast<qsizetype>(size), Qt::Uninitialized);
    qint64 got = 0;
    std::optional<CallResult> failure;
    while (got < size) {
        const ssize_t n = ::recv(m_fd, buffer.data() + got, static_cast<size_t>(size - got),
                                 flags | MSG_DONTWAIT);
        if (n > 0) {
            got += n;
            continue;
        }
        if (n == 0)
            break;
        const int error = errno;
        if (error == EINTR)
            continue;
        if (!wouldBlock(error)) {
            failure = CallResult::fromErrno(error);
            break;
        }
        if (const auto outcome = wait.wait(m_fd, POLLIN, std::nullopt);
            outcome != WaitOutcome::Ready) {
            failure = waitFailure(outcome);
            break;
        }
    }
    if (failure && got == 0)
        return *failure;
    buffer.truncate(static_cast<qsizetype>(got));
    CallResult result;
    result.count = got;
    result.data = buffer;
    return result;
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

} // namespace sockbench
