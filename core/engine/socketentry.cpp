#include "socketentry.h"

#include <cerrno>

namespace sockbench {

namespace {

size_t laneIndex(LaneKind which)
{
    switch (which) {
    case LaneKind::Read:
        return 1;
    case LaneKind::Write:
        return 2;
    case LaneKind::Control:
    case LaneKind::Resolver:
        break;
    }
    return 0;
}

CallResult closedSocket()
{
    // Python's words for it: the strerror text, nothing added (the workbench's job
    // failure path turns this into the call's own answer on a closed socket).
    return CallResult::fromErrno(EBADF);
}

} // namespace

SocketEntry::SocketEntry(SocketId id, AddressFamily family, SocketType type, QString actor,
                         SocketId acceptedFrom)
    : m_id(id)
    , m_family(family)
    , m_type(type)
    , m_actor(std::move(actor))
    , m_acceptedFrom(acceptedFrom)
{
}

SocketEntry::~SocketEntry()
{
    shutdown(QStringLiteral("the workbench was closed"));
}

SocketEntry::Phase SocketEntry::phase() const
{
    const std::lock_guard lock(m_mutex);
    return m_phase;
}

void SocketEntry::open(int fd)
{
    const std::lock_guard lock(m_mutex);
    m_socket = std::make_unique<PosixSocket>(fd, m_family, m_type);
    m_phase = Phase::Open;
}

void SocketEntry::markFailed()
{
    const std::lock_guard lock(m_mutex);
    m_phase = Phase::Failed;
}

Lane* SocketEntry::laneLocked(LaneKind which, CallResult* failure)
{
    auto& slot = m_lanes[laneIndex(which)];
    if (!slot) {
        int error = 0;
        slot = Lane::start(QStringLiteral("socket %1 %2").arg(m_id.value).arg(laneName(which)),
                           Lane::Waits::OnSockets, &error);
        if (!slot) {
            // Out of descriptors (EMFILE) or threads: the call fails with that errno, as
            // Python's would if the kernel had refused it.
            *failure = CallResult::fromErrno(error);
            return nullptr;
        }
    }
    return slot.get();
}

void SocketEntry::post(LaneKind which, Lane::Job job)
{
    CallResult failure;
    {
        const std::lock_guard lock(m_mutex);
        const size_t index = laneIndex(which);
        if (m_stopped) {
            failure = CallResult::interrupted(QStringLiteral("the workbench was closed"));
        } else if (index == 0) {
            if (m_phase == Phase::Closed && !m_lanes[0]) {
                // Closed and its lanes retired: what the call would find is known.
                if (job.okIfClosed) {
                    failure = CallResult{};
                    failure.message = QStringLiteral("already closed: close() again does nothing");
                } else {
                    failure = closedSocket();
                }
            } else if (Lane* control = laneLocked(LaneKind::Control, &failure)) {
                ++m_controlOutstanding;
                auto done = [this] {
                    const std::lock_guard doneLock(m_mutex);
                    --m_controlOutstanding;
                };
                job.run = [run = std::move(job.run), done](Lane::Context& context) {
                    run(context);
                    done();
                };
                job.fail = [fail = std::move(job.fail), done](const CallResult& result) {
                    done();
                    if (fail)
                        fail(result);
                };
                const int error = control->post(job);
                if (error == 0)
                    return;
                failure = CallResult::fromErrno(error); // job.fail, below, says done()
            }
        } else if (m_phase == Phase::Closed || m_phase == Phase::Failed) {
            failure = closedSocket();
        } else if (m_controlOutstanding > 0 || m_forwarding[index] > 0) {
            // Queue behind the control calls already posted (and behind earlier calls
            // of this lane that are queued there too).
            if (Lane* control = laneLocked(LaneKind::Control, &failure)) {
                ++m_forwarding[index];
                Lane::Job forward;
                forward.call = job.call;
                auto fail = job.fail;
                forward.run = [this, which, job = std::move(job)](Lane::Context&) mutable {
                    dispatchForwarded(which, std::move(job));
                };
                forward.fail = [this, index, fail = std::move(fail)](const CallResult& result) {
                    {
                        const std::lock_guard failLock(m_mutex);
                        --m_forwarding[index];
                    }
                    if (fail)
                        fail(result);
                };
                const int error = control->post(forward);
                if (error == 0)
                    return;
                failure = CallResult::fromErrno(error);
                job = std::move(forward); // its fail, below, counts the forward off
            }
        } else if (Lane* lane = laneLocked(which, &failure)) {
            const int error = lane->post(job);
            if (error == 0)
                return;
            failure = CallResult::fromErrno(error);
        }
    }
    if (job.fail)
        job.fail(failure);
}

bool SocketEntry::runInline(LaneKind which, Lane::Job& job)
{
    const size_t index = laneIndex(which);
    std::shared_ptr<Lane> lane; // held: close() may retire and let go of it meanwhile
    {
        // Under the socket's lock, as post() decides: a call posted after this one queues
        // behind it, and one posted before it (or a control call) keeps it off the inline
        // path.
        const std::lock_guard lock(m_mutex);
        if (index == 0 || m_stopped || m_phase != Phase::Open || m_controlOutstanding > 0 ||
            m_forwarding[index] > 0)
            return false;
        CallResult failure;
        if (!laneLocked(which, &failure))
            return false; // post() reports why
        lane = m_lanes[index];
        if (!lane->claim(job.call))
            return false;
    }
    lane->runClaimed(job);
    return true;
}

void SocketEntry::dispatchForwarded(LaneKind which, Lane::Job job)
{
    CallResult failure;
    {
        const std::lock_guard lock(m_mutex);
        --m_forwarding[laneIndex(which)];
        if (m_stopped) {
            failure = CallResult::interrupted(QStringLiteral("the workbench was closed"));
        } else if (m_phase == Phase::Closed || m_phase == Phase::Failed) {
            failure = closedSocket();
        } else if (Lane* lane = laneLocked(which, &failure)) {
            const int error = lane->post(job);
            if (error == 0)
                return;
            failure = CallResult::fromErrno(error);
        }
    }
    if (job.fail)
        job.fail(failure);
}

bool SocketEntry::interrupt(CallId call)
{
    std::vector<std::shared_ptr<Lane>> lanes;
    {
        const std::lock_guard lock(m_mutex);
        for (auto& lane : m_lanes)
            if (lane)
                lanes.push_back(lane);
        for (auto& lane : m_retired)
            lanes.push_back(lane);
    }
    for (const auto& lane : lanes)
        if (lane->interrupt(call))
            return true;
    return false;
}

int SocketEntry::parkedOn(CallId call) const
{
    std::vector<std::shared_ptr<Lane>> lanes;
    {
        const std::lock_guard lock(m_mutex);
        for (const auto& lane : m_lanes)
            if (lane)
                lanes.push_back(lane);
    }
    for (const auto& lane : lanes)
        if (const int events = lane->parkedOn(call))
            return events;
    return 0;
}

void SocketEntry::interruptAll()
{
    std::vector<std::shared_ptr<Lane>> lanes;
    {
        const std::lock_guard lock(m_mutex);
        for (auto& lane : m_lanes)
            if (lane)
                lanes.push_back(lane);
    }
    for (const auto& lane : lanes)
        lane->interruptAllQueued();
}

bool SocketEntry::hasWork() const
{
    const std::lock_guard lock(m_mutex);
    for (const auto& lane : m_lanes)
        if (lane && lane->hasWork())
            return true;
    return false;
}

SocketEntry::Use::Use(SocketEntry& entry)
    : m_entry(entry)
{
    const std::lock_guard lock(entry.m_mutex);
    if (entry.m_closing || !entry.m_socket || !entry.m_socket->isOpen())
        return;
    ++entry.m_uses;
    m_socket = entry.m_socket.get();
}

SocketEntry::Use::~Use()
{
    if (!m_socket)
        return;
    const std::lock_guard lock(m_entry.m_mutex);
    if (--m_entry.m_uses == 0)
        m_entry.m_idle.notify_all();
}

SocketEntry::Closed SocketEntry::close(const std::function<void(int fd)>& beforeClose)
{
    Closed closed;
    std::vector<std::shared_ptr<Lane>> others;
    {
        const std::lock_guard lock(m_mutex);
        if (m_closing || !m_socket || !m_socket->isOpen())
            return closed; // already closed: Python's close() is then a no-op
        m_closing = true;
        for (size_t i = 1; i < 3; ++i)
            if (m_lanes[i])
                others.push_back(m_lanes[i]);
    }
    // Linux: close() from another thread does not wake a thread blocked on the same
    // descriptor, and a reused descriptor number would then be used by the wrong call.
    // So wake the other lanes first, wait until nobody uses the descriptor, then close.
    for (const auto& lane : others)
        lane->interruptRunning();
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_uses == 0; });
    closed.wasOpen = true;
    closed.fd = m_socket->fd();
    if (isTcp()) {
        if (auto local = m_socket->localAddress(); local.ok())
            closed.local = local.address;
        if (auto peer = m_socket->peerAddress(); peer.ok())
            closed.peer = peer.address;
        else
            closed.peer = m_knownPeer;
    }
    if (beforeClose)
        beforeClose(m_socket->fd());
    closed.result = m_socket->close();
    m_phase = Phase::Closed;
    // The read and write lanes finish what is queued (each call finds the socket closed)
    // and end; the control lane runs this very call, so its owner joins it later.
    std::shared_ptr<Lane> dataLanes[2] = {std::move(m_lanes[1]), std::move(m_lanes[2])};
    if (m_lanes[0]) {
        m_lanes[0]->retire();
        m_retired.push_back(std::move(m_lanes[0]));
    }
    lock.unlock();
    for (auto& lane : dataLanes) {
        if (lane) {
            lane->retire();
            lane->join();
        }
    }
    return closed;
}

void SocketEntry::rememberPeer(const Endpoint& peer)
{
    const std::lock_guard lock(m_mutex);
    m_knownPeer = peer;
}

std::vector<std::shared_ptr<Lane>> SocketEntry::takeRetiredLanes()
{
    const std::lock_guard lock(m_mutex);
    std::vector<std::shared_ptr<Lane>> retired;
    retired.swap(m_retired);
    return retired;
}

void SocketEntry::shutdown(const QString& why)
{
    std::vector<std::shared_ptr<Lane>> lanes;
    {
        const std::lock_guard lock(m_mutex);
        m_closing = true;
        m_stopped = true;
        for (auto& lane : m_lanes)
            if (lane)
                lanes.push_back(std::move(lane));
        for (auto& lane : m_retired)
            lanes.push_back(std::move(lane));
        m_retired.clear();
    }
    for (auto& lane : lanes)
        lane->stop(why);
    lanes.clear();
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_uses == 0; });
    if (m_socket && m_socket->isOpen())
        m_socket->close();
    if (m_phase != Phase::Failed)
        m_phase = Phase::Closed;
}

} // namespace sockbench
