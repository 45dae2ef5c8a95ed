// The life of one call on its lane: the job a call becomes, the system call and the kernel's
// view after it, the events it leaves in the trace, and the delivery of its result.
#include "workbench.h"

#include "callexecutor.h"
#include "kernelwatcher.h"
#include "lane.h"
#include "socketentry.h"

#include <QMetaMethod>

#include <algorithm>
#include <cerrno>
#include <memory>

namespace sockbench {

namespace {

// An event of call id on socket: its kind, who made the call, on which lane, with what.
Event callEvent(EventKind kind, SocketId socket, CallId id, const QString& actor, const Call& call)
{
    Event event;
    event.kind = kind;
    event.socket = socket;
    event.call = id;
    event.actor = actor;
    event.lane = laneOf(call.kind);
    event.request = call;
    // What the program asked to send, known from the start: a send still blocked says how
    // much it waits to hand over (fillPayload says how much moved, once it has ended).
    if (call.kind == CallKind::Send || call.kind == CallKind::SendAll ||
        call.kind == CallKind::SendTo)
        event.requestedBytes = call.args.payloadLength();
    return event;
}

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

Lane::Job Workbench::makeJob(std::shared_ptr<SocketEntry> target, CallId id, Call call,
                             QString actor, Completion done)
{
    // Entries live as long as the workbench, so the job can hold a plain pointer; holding
    // a shared one could make a lane thread destroy its own entry.
    SocketEntry* raw = target.get();
    const SocketId socket = raw->id();
    // What the job's three ways to end share, made once, rather than a copy of the call
    // (its payload, its strings) and of the completion in each closure.
    // The call's place in the trace is taken before its system call: what the call causes
    // comes after it (see Trace::Place). onFirstWait and run share it, on the lane's
    // thread; a call told it waits while still queued (sayQueuedBlocked) has no place yet.
    struct Shared {
        Call call;
        QString actor;
        Completion done;
        Trace::Place place;
    };
    auto shared = std::make_shared<Shared>();
    shared->call = std::move(call);
    shared->actor = std::move(actor);
    shared->done = std::move(done);
    Lane::Job job;
    job.call = id;
    job.okIfClosed = shared->call.kind == CallKind::Close;
    job.onFirstWait = [this, raw, id, shared] {
        const Call& c = shared->call;
        Event event = callEvent(EventKind::CallBlocked, raw->id(), id, shared->actor, c);
        {
            const SocketEntry::Use use(*raw);
            const std::lock_guard lock(raw->snapshotMutex());
            if (use)
                event.kernel = m_probe->probe(use->fd(), raw->family(), raw->type(),
                                              dataScope(c.kind), raw->lastSnapshot);
            if (event.kernel.valid)
                raw->lastSnapshot = event.kernel;
            m_trace->append(event, shared->place);
        }
        Q_EMIT callBlocked(id, raw->id());
    };
    job.run = [this, raw, id, shared](Lane::Context& context) {
        // A place is held only while the call runs without waiting: its first wait fills
        // it. So no place for a call said to be blocked while it was queued (it began
        // then, and its next wait says nothing), nor for close() with SO_LINGER, which may
        // wait in the kernel for seconds.
        const Call& c = shared->call;
        if (!context.saidBlocked() && (c.kind != CallKind::Close || !raw->lingers.load()))
            shared->place = m_trace->reserve();
        runCall(raw, id, c, shared->actor, shared->done, context, m_trace->nowNs(), shared->place);
        shared->place.giveUp();
    };
    job.fail = [this, raw, socket, id, shared](const CallResult& result) {
        // Never ran because the socket is closed: what Python's call on a closed socket
        // answers (connect_ex returns 9, recv(0) gives b'', an argument error still wins).
        const Call& c = shared->call;
        const bool closed = result.outcome == Outcome::Error &&
                            result.errorDomain == ErrorDomain::Errno && result.errorNumber == EBADF;
        finishWithoutRunning(socket, id, c, shared->actor,
                             closed ? callexecutor::onClosedSocket(c, raw->family(), raw->type())
                                    : result,
                             shared->done);
    };
    return job;
}

void Workbench::runCall(SocketEntry* target, CallId id, const Call& call, const QString& actor,
                        const Completion& done, BlockingWait& wait, qint64 startNs,
                        Trace::Place& place)
{
    Event event = callEvent(EventKind::CallFinished, target->id(), id, actor, call);
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
    // Nobody listening (a headless run, a benchmark): no copy to make.
    static const QMetaMethod finished = QMetaMethod::fromSignal(&Workbench::callFinished);
    if (!isSignalConnected(finished))
        return;
    // Receivers get the event as the trace keeps it: the received bytes as a sample only.
    // A queue of these across threads must not hold megabytes each (1 GiB in 1 MiB reads
    // would pile a gigabyte up in the window's event queue).
    // A copy of the sample, too: a short read shares the whole buffer it was read into, and
    // a send's request shares the program's whole payload (sendall(b'x' * 2**30) would stay
    // a gigabyte in the window for as long as anyone kept the event).
    const auto sample = [](const QByteArray& bytes) {
        return QByteArray(bytes.constData(),
                          std::min<qsizetype>(bytes.size(), Trace::kPayloadSample));
    };
    Event light = event;
    light.result.data = QByteArray();
    light.payload = sample(event.payload);
    light.request.args.payload = sample(event.request.args.payload);
    Q_EMIT callFinished(light);
}

void Workbench::finishWithoutRunning(SocketId socket, CallId id, const Call& call,
                                     const QString& actor, const CallResult& result,
                                     const Completion& done)
{
    Event event = callEvent(EventKind::CallFinished, socket, id, actor, call);
    event.result = result;
    fillPayload(event);
    if (!Submitting::active()) {
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

} // namespace sockbench
