#include "kernelwatcher.h"

#include <cerrno>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace sockbench {

std::unique_ptr<KernelWatcher> KernelWatcher::start(const KernelProbe& probe, Callbacks callbacks,
                                                    int* error)
{
    // Both descriptors or nothing: a watcher whose epoll_wait() nothing can wake would
    // never let its owner join it.
    const int epollFd = ::epoll_create1(EPOLL_CLOEXEC);
    if (epollFd < 0) {
        *error = errno;
        return nullptr;
    }
    const int wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = 0; // socket ids start at 1; 0 is the wake-up descriptor
    if (wakeFd < 0 || ::epoll_ctl(epollFd, EPOLL_CTL_ADD, wakeFd, &event) < 0) {
        *error = errno;
        if (wakeFd >= 0)
            ::close(wakeFd);
        ::close(epollFd);
        return nullptr;
    }
    std::unique_ptr<KernelWatcher> watcher(
        new KernelWatcher(probe, std::move(callbacks), epollFd, wakeFd));
    try {
        watcher->m_thread = std::thread([raw = watcher.get()] { raw->loop(); });
    } catch (const std::system_error& e) {
        *error = e.code().value() > 0 ? e.code().value() : EAGAIN;
        return nullptr; // the destructor closes both descriptors
    }
    return watcher;
}

KernelWatcher::KernelWatcher(const KernelProbe& probe, Callbacks callbacks, int epollFd, int wakeFd)
    : m_probe(probe)
    , m_callbacks(std::move(callbacks))
    , m_epollFd(epollFd)
    , m_wakeFd(wakeFd)
{
}

KernelWatcher::~KernelWatcher()
{
    m_stop.store(true);
    wake();
    if (m_thread.joinable())
        m_thread.join();
    ::close(m_wakeFd);
    ::close(m_epollFd);
}

void KernelWatcher::wake()
{
    const quint64 one = 1;
    [[maybe_unused]] const auto written = ::write(m_wakeFd, &one, sizeof one);
}

void KernelWatcher::watch(SocketId socket, int fd)
{
    epoll_event event{};
    // Edge-triggered: one notification per change (new data, new connection, FIN),
    // not a stream of them while data sits unread.
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLPRI | EPOLLET;
    event.data.u64 = socket.value;
    ::epoll_ctl(m_epollFd, EPOLL_CTL_ADD, fd, &event);
}

void KernelWatcher::unwatch(SocketId socket, int fd)
{
    ::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, nullptr);
    const std::lock_guard lock(m_mutex);
    m_dirty.remove(socket);
    m_following.remove(socket);
    m_lastLook.remove(socket);
}

void KernelWatcher::follow(SocketId socket)
{
    {
        const std::lock_guard lock(m_mutex);
        if (m_following.contains(socket))
            return; // followed already: its next look is scheduled
        m_following.insert(socket, true);
    }
    wake();
}

void KernelWatcher::followClosed(SocketId socket, const Endpoint& local, const Endpoint& peer,
                                 std::optional<TcpState> state)
{
    {
        const std::lock_guard lock(m_mutex);
        if (m_closed.size() >= kMaxFollowedClosed)
            return; // enough to teach with; the oldest ones keep being followed
        m_closed.insert(socket, ClosedConnection{local, peer, state});
    }
    wake();
}

void KernelWatcher::forgetClosed(SocketId socket)
{
    const std::lock_guard lock(m_mutex);
    m_closed.remove(socket);
}

int KernelWatcher::nextTimeoutMs(TimePoint now) const
{
    using std::chrono::milliseconds;
    std::optional<TimePoint> next;
    auto consider = [&next](TimePoint t) {
        if (!next || t < *next)
            next = t;
    };
    for (auto it = m_dirty.cbegin(); it != m_dirty.cend(); ++it)
        consider(m_lastLook.value(it.key()) + kMinInterval);
    for (auto it = m_following.cbegin(); it != m_following.cend(); ++it)
        consider(m_lastLook.value(it.key()) + kFollowInterval);
    if (!m_closed.isEmpty())
        consider(m_lastClosedSweep + kFollowInterval);
    if (!next)
        return -1;
    if (*next <= now)
        return 0;
    return static_cast<int>(std::chrono::ceil<milliseconds>(*next - now).count());
}

void KernelWatcher::loop()
{
    constexpr int kMaxEvents = 64;
    epoll_event events[kMaxEvents];
    while (!m_stop.load()) {
        // At most one pass per kMinInterval: a socket's notifications in between wait in
        // epoll's ready list (edge-triggered, none is lost) instead of waking this thread
        // once per packet while two threads ping-pong through the kernel.
        if (const auto quiet = m_lastPass + kMinInterval - std::chrono::steady_clock::now();
            quiet > std::chrono::steady_clock::duration::zero()) {
            pollfd wake{m_wakeFd, POLLIN, 0}; // a stop, or a socket to follow
            const int ms =
                static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(quiet).count());
            if (::poll(&wake, 1, ms) < 0 && errno != EINTR)
                break;
            if (m_stop.load())
                break;
        }
        int timeout = -1;
        {
            const std::lock_guard lock(m_mutex);
            timeout = nextTimeoutMs(std::chrono::steady_clock::now());
        }
        const int n = ::epoll_wait(m_epollFd, events, kMaxEvents, timeout);
        m_lastPass = std::chrono::steady_clock::now();
        if (n < 0 && errno != EINTR)
            break;
        if (m_stop.load())
            break;
        {
            const std::lock_guard lock(m_mutex);
            for (int i = 0; i < n; ++i) {
                if (events[i].data.u64 == 0) {
                    quint64 value = 0;
                    [[maybe_unused]] const auto r = ::read(m_wakeFd, &value, sizeof value);
                    continue;
                }
                m_dirty.insert(SocketId{static_cast<quint32>(events[i].data.u64)}, true);
            }
        }

        // Decide who is due under the lock; probe outside it (probing takes the socket's
        // own locks, and unwatch() may be waiting for ours).
        const auto now = std::chrono::steady_clock::now();
        QList<SocketId> due;
        // A copy of its own, not a second reference to m_closed's table: a table shared
        // with this thread would be changed in place by a follower that finds it unshared
        // (QHash asks with a relaxed load, which orders nothing with this thread's reads).
        std::vector<std::pair<SocketId, ClosedConnection>> closed;
        {
            const std::lock_guard lock(m_mutex);
            for (auto it = m_dirty.begin(); it != m_dirty.end();) {
                if (m_lastLook.value(it.key()) + kMinInterval <= now) {
                    due.append(it.key());
                    it = m_dirty.erase(it);
                } else {
                    ++it;
                }
            }
            for (auto it = m_following.cbegin(); it != m_following.cend(); ++it)
                if (m_lastLook.value(it.key()) + kFollowInterval <= now && !due.contains(it.key()))
                    due.append(it.key());
            for (const SocketId id : due)
                m_lastLook.insert(id, now);
            if (!m_closed.isEmpty() && m_lastClosedSweep + kFollowInterval <= now) {
                m_lastClosedSweep = now;
                closed.reserve(size_t(m_closed.size()));
                for (auto it = m_closed.cbegin(); it != m_closed.cend(); ++it)
                    closed.emplace_back(it.key(), it.value());
            }
        }
        for (const SocketId id : due) {
            const bool again = m_callbacks.observe(id);
            const std::lock_guard lock(m_mutex);
            if (again && m_lastLook.contains(id))
                m_following.insert(id, true);
            else
                m_following.remove(id);
        }
        for (const auto& [id, connection] : closed) {
            const auto state = m_probe.lookupClosed(connection.local, connection.peer);
            if (state == connection.state)
                continue;
            m_callbacks.closedChanged(id, state);
            const std::lock_guard lock(m_mutex);
            const auto followed = m_closed.find(id); // gone if forgotten meanwhile
            if (followed == m_closed.end())
                continue;
            if (state && *state != TcpState::Close)
                followed->state = state;
            else
                m_closed.erase(followed);
        }
    }
}

} // namespace sockbench
