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

// Set while this thread is inside Workbench::submit().
thread_local int t_submitting = 0;

struct Submitting {
    Submitting() { ++t_submitting; }
    ~Submitting() { --t_submitting; }
    Submitting(const Submitting&) = delete;
    Submitting& operator=(const Submitting&) = delete;
};

QByteArray sentSample(const CallArgs& args, qint64 count)
{
    const qint64 keep = std::min<qint64>(count, Trace::kPayloadPerEvent);
    if (keep <= 0 || args.payload.isEmpty())
        return {};
    if (args.repeat <= 1)
        return args.payload.left(static_cast<qsizetype>(keep));
    const qint64 copies = keep / args.payload.size() + 1;
    return args.payload.repeated(static_cast<qsizetype>(copies)).left(static_cast<qsizetype>(keep));
}

void fillPayload(Event& event)
{
    const CallKind kind = event.request.kind;
    if (kind == CallKind::Send || kind == CallKind::SendAll || kind == CallKind::SendTo) {
        event.requestedBytes = event.request.args.payloadLength();
        // A sendall that stopped part-way reports how far it got in count.
        const qint64 taken = event.result.ok() || event.result.partial ? event.result.count : 0;
        event.payloadSize = taken;
        event.payload = sentSample(event.request.args, taken);
    } else if (isDataCall(kind) && event.result.ok()) {
        event.payloadSize = event.result.data.size();
        event.payload = event.result.data;
    }
}

// The one queue a data call changes by itself (see KernelProbe::probe with a scope).
ProbeScope dataScope(CallKind kind)
{
    if (!isDataCall(kind))
        return ProbeScope::Everything;
    return laneOf(kind) == LaneKind::Read ? ProbeScope::ReceiveQueue : ProbeScope::SendQueue;
}

KernelSnapshot closedSnapshot(const KernelProbe& probe, const SocketEntry::Closed& closed)
{
    KernelSnapshot snapshot;
    if (closed.peer.isValid()) {
        // The descriptor is gone, but the connection may live on in the kernel.
        snapshot.valid = true;
        snapshot.tcpState = probe.lookupClosed(closed.local, closed.peer).value_or(TcpState::None);
    }
    return snapshot;
}

} // namespace

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

Lane::Job Workbench::makeJob(std::shared_ptr<SocketEntry> target, CallId id, Call call,
                             QString actor, Completion done)
{
    // Entries live as long as the workbench, so the job can hold a plain pointer; holding
    // a shared one could make a lane thread destroy its own entry.
    SocketEntry* raw = target.get();
    const SocketId socket = raw->id();
    Lane::Job job;
    job.call = id;
    job.okIfClosed = call.kind == CallKind::Close;
    // The call's place in the trace, taken before its system call: what the call causes
    // comes after it (see Trace::Place). onFirstWait and run share it, on the lane's
    // thread; a call told it waits while still queued (sayQueuedBlocked) has no place yet.
    auto place = std::make_shared<Trace::Place>();
    job.onFirstWait = [this, raw, id, call, actor, place] {
        Event event;
        event.kind = EventKind::CallBlocked;
        event.socket = raw->id();
        event.call = id;
        event.actor = actor;
        event.lane = laneOf(call.kind);
        event.request = call;
        {
            const SocketEntry::Use use(*raw);
            const std::lock_guard lock(raw->snapshotMutex());
            if (use)
                event.kernel = m_probe->probe(use->fd(), raw->family(), raw->type(),
                                              dataScope(call.kind), raw->lastSnapshot);
            if (event.kernel.valid)
                raw->lastSnapshot = event.kernel;
            m_trace->append(event, *place);
        }
        Q_EMIT callBlocked(id, raw->id());
    };
    job.run = [this, raw, id, call, actor, done, place](Lane::Context& context) {
        // A place is held only while the call runs without waiting: its first wait fills
        // it. So no place for a call said to be blocked while it was queued (it began
        // then, and its next wait says nothing), nor for close() with SO_LINGER, which may
        // wait in the kernel for seconds.
        if (!context.saidBlocked() && (call.kind != CallKind::Close || !raw->lingers.load()))
            *place = m_trace->reserve();
        runCall(raw, id, call, actor, done, context, m_trace->nowNs(), *place);
        place->giveUp();
    };
    job.fail = [this, raw, socket, id, call, actor, done](const CallResult& result) {
        // Never ran because the socket is closed: what Python's call on a closed socket
        // answers (connect_ex returns 9, recv(0) gives b'', an argument error still wins).
        const bool closed = result.outcome == Outcome::Error &&
                            result.errorDomain == ErrorDomain::Errno && result.errorNumber == EBADF;
        finishWithoutRunning(
            socket, id, call, actor,
            closed ? callexecutor::onClosedSocket(call, raw->family(), raw->type()) : result, done);
    };
    return job;
}

void Workbench::runCall(SocketEntry* target, CallId id, const Call& call, const QString& actor,
                        const Completion& done, BlockingWait& wait, qint64 startNs,
                        Trace::Place& place)
{
    Event event;
    event.kind = EventKind::CallFinished;
    event.socket = target->id();
    event.call = id;
    event.actor = actor;
    event.lane = laneOf(call.kind);
    event.request = call;
    event.startNs = startNs;

    if (call.kind == CallKind::Close) {
        const SocketEntry::Closed closed =
            target->close([this, target](int fd) { watching().unwatch(target->id(), fd); });
        event.result = closed.result;
        if (!closed.wasOpen)
            event.result.message = QStringLiteral("already closed: close() again does nothing");
        event.localAddress = closed.local;
        event.peerAddress = closed.peer;
        {
            const std::lock_guard lock(target->snapshotMutex());
            event.kernel = closedSnapshot(*m_probe, closed);
            target->lastSnapshot = event.kernel;
            m_trace->append(event, place);
        }
        if (closed.wasOpen && closed.peer.isValid())
            watching().followClosed(target->id(), closed.local, closed.peer,
                                    event.kernel.tcpState == TcpState::None
                                        ? std::nullopt
                                        : std::optional<TcpState>(event.kernel.tcpState));
        // Before the completion, which may forget the socket: the janitor then holds it
        // until this lane, which runs this very call, has ended.
        if (closed.wasOpen)
            reap(entry(target->id()), false);
        deliver(event, done);
        return;
    }

    const SocketEntry::Use use(*target);
    if (!use) {
        event.result = callexecutor::onClosedSocket(call, target->family(), target->type());
        fillPayload(event);
        m_trace->append(event, place);
        deliver(event, done);
        return;
    }
    std::shared_ptr<SocketEntry> accepted; // accept()'s new socket
    // Python checks its arguments (and answers recv(0)) before it looks at the descriptor.
    if (auto answer = callexecutor::answerWithoutKernel(call, target->family(), target->type())) {
        event.result = *answer;
    } else {
        callexecutor::Execution execution = callexecutor::run(*use, call, wait);
        event.result = std::move(execution.result);
        if (execution.acceptedFd >= 0) {
            accepted = addEntry(target->family(), target->type(), actor, target->id());
            event.result.newSocket = accepted->id();
            if (call.args.newFd >= 0)
                event.result.count = call.args.newFd; // the number the caller holds it by
            {
                const std::lock_guard lock(accepted->snapshotMutex());
                accepted->lastSnapshot =
                    m_probe->probe(execution.acceptedFd, target->family(), target->type());
            }
            accepted->rememberPeer(event.result.address);
            accepted->open(execution.acceptedFd);
            if (const SocketEntry::Use acceptedUse(*accepted); acceptedUse)
                if (const CallResult local = acceptedUse->localAddress(); local.ok())
                    event.result.acceptedLocal = local.address;
            watch(*accepted);
        }
    }
    if (event.result.ok() && call.kind == CallKind::SetSockOpt &&
        call.args.option == SocketOption::Linger)
        target->lingers.store(call.args.value != 0 && call.args.lingerSeconds > 0);
    if (event.result.ok() && event.result.address.isValid() &&
        ((call.kind == CallKind::Connect) ||
         (call.kind == CallKind::ConnectEx && event.result.count == 0) ||
         call.kind == CallKind::GetPeerName))
        target->rememberPeer(event.result.address);
    fillPayload(event);
    bool followUp = false;
    {
        // Probe and append under the socket's snapshot lock: an observation cannot slip
        // in between with an older view.
        const std::lock_guard lock(target->snapshotMutex());
        // A data call that moved bytes changed its own queue; a failure, an end of stream
        // or any other call may have changed the connection itself.
        const ProbeScope scope = event.result.ok() && event.result.count > 0
                                     ? dataScope(call.kind)
                                     : ProbeScope::Everything;
        event.kernel = m_probe->probe(use->fd(), target->family(), target->type(), scope,
                                      target->lastSnapshot);
        // Where the socket is now: a bind to port 0 or a connect picks a port the program
        // never named. Data calls move no address, so they skip the two system calls.
        if (!isDataCall(call.kind) || event.request.kind == CallKind::SendTo) {
            if (const CallResult local = use->localAddress(); local.ok())
                event.localAddress = local.address;
            if (const CallResult peer = use->peerAddress(); peer.ok())
                event.peerAddress = peer.address;
        }
        target->lastSnapshot = event.kernel;
        followUp = isTransitional(event.kernel.tcpState) || event.kernel.sendQueue > 0;
        m_trace->append(event, place);
    }
    if (accepted) {
        // The new socket's kernel view, right after the accept() that made it: before that
        // event nobody knows the socket (an observation the watcher made in between is
        // repeated here, so the first one that counts is never lost).
        const std::lock_guard lock(accepted->snapshotMutex());
        Event seen;
        seen.kind = EventKind::Observation;
        seen.socket = accepted->id();
        seen.actor = actor;
        seen.kernel = accepted->lastSnapshot;
        m_trace->append(seen);
    }
    if (followUp)
        watching().follow(target->id());
    deliver(event, done);
}

void Workbench::watch(SocketEntry& socket)
{
    // Under a use of the descriptor: the socket is open (published) already, and a close()
    // or the workbench's teardown must not close the descriptor while epoll is told of it
    // (a number reused meanwhile would be another socket's).
    if (const SocketEntry::Use use(socket); use)
        watching().watch(socket.id(), use->fd());
}

void Workbench::finish(Event event, const Completion& done)
{
    m_trace->append(event);
    deliver(event, done);
}

void Workbench::deliver(const Event& event, const Completion& done)
{
    {
        const std::lock_guard lock(m_mutex);
        m_pending.remove(event.call);
    }
    // The completion first, with every byte: whoever waits for the call's value has it
    // before anyone hears the call is over.
    if (done)
        done(event);
    // Receivers get the event as the trace keeps it: the received bytes as a sample only.
    // A queue of these across threads must not hold megabytes each (1 GiB in 1 MiB reads
    // would pile a gigabyte up in the window's event queue).
    // A copy of the sample, too: a short read shares the whole buffer it was read into.
    Event light = event;
    light.result.data = QByteArray();
    light.payload = QByteArray(event.payload.constData(),
                               std::min<qsizetype>(event.payload.size(), Trace::kPayloadSample));
    Q_EMIT callFinished(light);
}

void Workbench::finishWithoutRunning(SocketId socket, CallId id, const Call& call,
                                     const QString& actor, const CallResult& result,
                                     const Completion& done)
{
    Event event;
    event.kind = EventKind::CallFinished;
    event.socket = socket;
    event.call = id;
    event.actor = actor;
    event.lane = laneOf(call.kind);
    event.request = call;
    event.result = result;
    fillPayload(event);
    if (t_submitting == 0) {
        finish(std::move(event), done);
        return;
    }
    Lane* delivery = deliveryLane();
    if (!delivery) {
        // Teardown has stopped the delivery lane (or no thread could be had): deliver now
        // rather than never.
        finish(std::move(event), done);
        return;
    }
    Lane::Job job;
    job.call = id;
    job.run = [this, event, done](Lane::Context&) { finish(event, done); };
    job.fail = [this, event, done](const CallResult&) { finish(event, done); };
    if (delivery->post(job) != 0)
        finish(std::move(event), done); // no thread to be had: deliver now rather than never
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
