#include "workbench.h"

#include "callexecutor.h"
#include "kernelwatcher.h"
#include "lane.h"
#include "socketentry.h"

#include <cerrno>
#include <fcntl.h>
#include <future>
#include <poll.h>
#include <unistd.h>

namespace sockbench {

namespace {

// How many submit()s this thread is inside (see Workbench::Submitting).
thread_local int t_submitting = 0;

} // namespace

Workbench::Submitting::Submitting()
{
    ++t_submitting;
}

Workbench::Submitting::~Submitting()
{
    --t_submitting;
}

bool Workbench::Submitting::active()
{
    return t_submitting > 0;
}

Workbench::Ticket Workbench::createSocket(AddressFamily family, SocketType type,
                                          const QString& actor, Completion done)
{
    Call call;
    call.kind = CallKind::Socket;
    call.args.family = family;
    call.args.type = type;
    return submit({}, call, actor, std::move(done));
}

Workbench::Ticket Workbench::submit(SocketId socket, const Call& call, const QString& actor,
                                    Completion done)
{
    const Submitting submitting;
    const CallId id{m_nextCall.fetch_add(1)};
    const LaneKind laneKind = laneOf(call.kind);

    if (isModuleCall(call.kind)) {
        {
            const std::lock_guard lock(m_mutex);
            m_pending.insert(id, Pending{{}, laneKind});
        }
        Lane::Job job;
        job.call = id;
        job.run = [this, id, call, actor, done](Lane::Context&) {
            Event event;
            event.kind = EventKind::CallFinished;
            event.call = id;
            event.actor = actor;
            event.lane = LaneKind::Resolver;
            event.request = call;
            event.startNs = m_trace->nowNs();
            event.result = callexecutor::runModuleCall(call);
            finish(std::move(event), done);
        };
        job.fail = [this, id, call, actor, done](const CallResult& result) {
            finishWithoutRunning({}, id, call, actor, result, done);
        };
        CallResult failure;
        if (Lane* resolver = resolverLane(&failure)) {
            if (const int error = resolver->post(job); error != 0)
                job.fail(CallResult::fromErrno(error));
        } else {
            job.fail(failure);
        }
        return {id, {}};
    }

    if (call.kind == CallKind::Socket || call.kind == CallKind::SocketPair) {
        auto created = addEntry(call.args.family, call.args.type, actor, {});
        if (!created) {
            {
                const std::lock_guard lock(m_mutex);
                m_pending.insert(id, Pending{{}, laneKind});
            }
            finishWithoutRunning(
                {}, id, call, actor,
                CallResult::interrupted(QStringLiteral("the workbench was closed")), done);
            return {id, {}};
        }
        const SocketId newId = created->id();
        {
            const std::lock_guard lock(m_mutex);
            m_pending.insert(id, Pending{newId, laneKind});
        }
        SocketEntry* raw = created.get();
        Lane::Job job;
        job.call = id;
        job.run = [this, raw, id, call, actor, done](Lane::Context&) {
            Event event;
            event.kind = EventKind::CallFinished;
            event.socket = raw->id();
            event.call = id;
            event.actor = actor;
            event.lane = LaneKind::Control;
            event.request = call;
            event.startNs = m_trace->nowNs();
            int fds[2] = {-1, -1};
            int& fd = fds[0];
            const bool pair = call.kind == CallKind::SocketPair;
            // The watcher first: a socket nobody can watch is not made (EMFILE, as the
            // socket itself would have said a moment later).
            if (watcher(&event.result))
                event.result = pair ? PosixSocket::createPair(call.args.family, call.args.type,
                                                              call.args.proto, fds)
                                    : PosixSocket::create(call.args.family, call.args.type,
                                                          call.args.proto, &fd);
            std::shared_ptr<SocketEntry> second;
            if (event.result.ok() && pair) {
                // The second socket is made here, as accept() makes its new one: nobody
                // knows its id before it has a descriptor.
                second = addEntry(raw->family(), raw->type(), actor, {});
                if (!second) {
                    ::close(fds[0]);
                    ::close(fds[1]);
                    event.result =
                        CallResult::interrupted(QStringLiteral("the workbench was closed"));
                }
            }
            if (!event.result.ok()) {
                raw->markFailed();
                finish(std::move(event), done);
                return;
            }
            event.result.newSocket = raw->id();
            // The numbers the caller holds them by: its own, when it reserved them.
            event.result.count = call.args.newFd >= 0 ? call.args.newFd : fds[0];
            if (second) {
                event.result.pairedSocket = second->id();
                event.result.pairedFd = call.args.newPairedFd >= 0 ? call.args.newPairedFd : fds[1];
                {
                    const std::lock_guard lock(second->snapshotMutex());
                    second->lastSnapshot = m_probe->probe(fds[1], raw->family(), raw->type());
                }
                second->open(fds[1]);
                watch(*second);
            }
            {
                const std::lock_guard snapshotLock(raw->snapshotMutex());
                event.kernel = m_probe->probe(fd, raw->family(), raw->type());
                raw->lastSnapshot = event.kernel;
            }
            // Open before anyone hears of it: a caller told "created" may use it at once.
            // Calls submitted meanwhile queue behind this one on the control lane.
            raw->open(fd);
            watch(*raw);
            finish(std::move(event), done);
        };
        // Never ran (its lane could not start, or it was cancelled): no socket was made.
        job.fail = [this, raw, newId, id, call, actor, done](const CallResult& result) {
            raw->markFailed();
            finishWithoutRunning(newId, id, call, actor, result, done);
        };
        created->post(LaneKind::Control, std::move(job));
        return {id, newId};
    }

    auto target = entry(socket);
    if (!target) {
        finishWithoutRunning(
            socket, id, call, actor,
            CallResult::invalid(
                socket.isValid() ? QStringLiteral("there is no socket #%1").arg(socket.value)
                                 : QStringLiteral("%1() needs a socket").arg(callName(call.kind))),
            done);
        return {id, socket};
    }
    {
        const std::lock_guard lock(m_mutex);
        m_pending.insert(id, Pending{socket, laneKind});
    }
    target->post(laneKind, makeJob(target, id, call, actor, std::move(done)));
    return {id, socket};
}

bool Workbench::stillParked(CallId call) const
{
    std::shared_ptr<SocketEntry> target;
    {
        const std::lock_guard lock(m_mutex);
        const auto it = m_pending.constFind(call);
        if (it == m_pending.cend())
            return false;
        if (it->lane == LaneKind::Resolver)
            return true; // the resolver waits on no socket of ours
        target = m_sockets.value(it->socket);
    }
    if (!target)
        return false;
    const int events = target->parkedOn(call);
    if (events == 0)
        return false;
    if (events == Lane::kWaitsForDeadline)
        return true;
    const SocketEntry::Use use(*target);
    if (!use)
        return false; // closing: the call is being interrupted
    pollfd fd{use->fd(), short(events), 0};
    return ::poll(&fd, 1, 0) == 0;
}

bool Workbench::interrupt(CallId call)
{
    std::shared_ptr<SocketEntry> target;
    Lane* resolver = nullptr; // lives as long as the workbench once made
    {
        const std::lock_guard lock(m_mutex);
        const auto it = m_pending.constFind(call);
        if (it == m_pending.cend())
            return false;
        if (it->lane == LaneKind::Resolver)
            resolver = m_resolver.get();
        else
            target = m_sockets.value(it->socket);
    }
    // Outside the lock: a cancelled call finishes right here, and finishing takes it.
    if (resolver)
        return resolver->interrupt(call);
    return target && target->interrupt(call);
}

void Workbench::interruptAll()
{
    QList<std::shared_ptr<SocketEntry>> all;
    {
        const std::lock_guard lock(m_mutex);
        all = m_sockets.values();
    }
    for (const auto& e : all)
        e->interruptAll();
}

QList<Workbench::Ticket> Workbench::closeAll(const QString& actor)
{
    QList<SocketId> open;
    {
        const std::lock_guard lock(m_mutex);
        for (const auto& e : std::as_const(m_sockets)) {
            const auto phase = e->phase();
            if (phase == SocketEntry::Phase::Open || phase == SocketEntry::Phase::Creating)
                open.append(e->id());
        }
    }
    std::sort(open.begin(), open.end());
    QList<Ticket> tickets;
    Call close;
    close.kind = CallKind::Close;
    for (const SocketId id : open)
        tickets.append(submit(id, close, actor));
    return tickets;
}

QList<Workbench::SocketInfo> Workbench::sockets() const
{
    QList<SocketInfo> out;
    {
        const std::lock_guard lock(m_mutex);
        for (const auto& e : m_sockets)
            out.append(SocketInfo{e->id(), e->family(), e->type(), e->actor(), e->acceptedFrom(),
                                  e->phase() == SocketEntry::Phase::Open});
    }
    std::sort(out.begin(), out.end(),
              [](const SocketInfo& a, const SocketInfo& b) { return a.id < b.id; });
    return out;
}

int Workbench::duplicateDescriptor(SocketId socket) const
{
    const auto target = entry(socket);
    if (!target) {
        errno = EBADF;
        return -1;
    }
    const SocketEntry::Use use(*target);
    if (!use) {
        errno = EBADF;
        return -1;
    }
    return ::fcntl(use->fd(), F_DUPFD_CLOEXEC, 0);
}

std::optional<Workbench::SocketInfo> Workbench::socket(SocketId id) const
{
    auto e = entry(id);
    if (!e)
        return std::nullopt;
    return SocketInfo{e->id(),    e->family(),       e->type(),
                      e->actor(), e->acceptedFrom(), e->phase() == SocketEntry::Phase::Open};
}

QList<CallId> Workbench::pendingCalls() const
{
    const std::lock_guard lock(m_mutex);
    QList<CallId> out = m_pending.keys();
    std::sort(out.begin(), out.end());
    return out;
}

std::optional<Event> Workbench::callAndWait(SocketId socket, const Call& call, const QString& actor,
                                            std::chrono::milliseconds timeout)
{
    // A read or write call whose lane is idle runs right here, on the thread that waits for
    // it anyway, as a blocking call runs on a program's own thread: no hand-off to the
    // lane's thread and back. It is the same call: the same trace, events and waits, and
    // interrupt() reaches it (though it may outlast `timeout`, as a blocking call would).
    const LaneKind laneKind = laneOf(call.kind);
    if ((laneKind == LaneKind::Read || laneKind == LaneKind::Write) && !isModuleCall(call.kind)) {
        if (auto target = entry(socket)) {
            const CallId id{m_nextCall.fetch_add(1)};
            {
                const std::lock_guard lock(m_mutex);
                m_pending.insert(id, Pending{socket, laneKind});
            }
            std::optional<Event> result;
            Lane::Job job =
                makeJob(target, id, call, actor, [&result](const Event& e) { result = e; });
            if (target->runInline(laneKind, job))
                return result;
            // Not idle: the lane runs it, after what it has.
            auto promise = std::make_shared<std::promise<Event>>();
            auto future = promise->get_future();
            job = makeJob(target, id, call, actor,
                          [promise](const Event& event) { promise->set_value(event); });
            const Submitting submitting; // a result known at once is delivered elsewhere
            target->post(laneKind, std::move(job));
            if (future.wait_for(timeout) != std::future_status::ready)
                return std::nullopt;
            return future.get();
        }
    }
    auto promise = std::make_shared<std::promise<Event>>();
    auto future = promise->get_future();
    submit(socket, call, actor, [promise](const Event& event) { promise->set_value(event); });
    if (future.wait_for(timeout) != std::future_status::ready)
        return std::nullopt;
    return future.get();
}

} // namespace sockbench
