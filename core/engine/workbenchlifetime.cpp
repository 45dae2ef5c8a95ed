#include "workbench.h"

#include "kernelwatcher.h"
#include "lane.h"
#include "socketentry.h"

#include <QSet>

// The workbench's lifetime: what it starts (the kernel watcher, the resolver and delivery
// lanes, each socket's entry), what the watcher reports back, and the teardown that stops
// it all in an order no running call can trip over.

namespace sockbench {

Workbench::Workbench(QObject* parent)
    : Workbench(makeKernelProbe(), parent)
{
}

Workbench::Workbench(std::unique_ptr<KernelProbe> probe, QObject* parent)
    : QObject(parent)
    , m_probe(std::move(probe))
    , m_trace(new Trace(this))
{
    qRegisterMetaType<sockbench::Event>();
    qRegisterMetaType<sockbench::CallId>();
    qRegisterMetaType<sockbench::SocketId>();
    // Started now so that it is there before the first socket; if the process is out of
    // descriptors, the first socket() tries again (and fails with the errno if it must).
    CallResult ignored;
    watcher(&ignored);
}

Workbench::~Workbench()
{
    const QString why = QStringLiteral("the workbench was closed");
    // Nothing new starts from here on: no socket() (it finishes as Interrupted), no new
    // resolver lane. Completions running meanwhile may still submit; those calls find
    // their socket stopped and are answered through the delivery lane.
    {
        const std::lock_guard lock(m_mutex);
        m_closing = true;
    }
    // Stop every socket: wake its blocked calls, join its lanes, close its descriptor. An
    // accept() that returned just before may have made a socket meanwhile, so go round
    // until every socket that exists has been stopped. A stopped socket's lanes are
    // joined, so it can make no more; the loop ends.
    QSet<SocketId> stopped;
    for (;;) {
        QList<std::shared_ptr<SocketEntry>> running;
        {
            const std::lock_guard lock(m_mutex);
            for (const auto& e : std::as_const(m_sockets))
                if (!stopped.contains(e->id()))
                    running.append(e);
        }
        if (running.isEmpty())
            break;
        for (const auto& e : std::as_const(running)) {
            e->shutdown(why);
            stopped.insert(e->id());
        }
    }
    // The resolver is not re-created once closing: the pointer stays put.
    Lane* resolver = nullptr;
    {
        const std::lock_guard lock(m_mutex);
        resolver = m_resolver.get();
    }
    if (resolver)
        resolver->stop(why); // its completions may submit: they are refused as above
    // What waits to be delivered is delivered now (a cancelled job's fail is its finish).
    // After this, a result known inside submit() is delivered there and then.
    Lane* delivery = nullptr;
    {
        const std::lock_guard lock(m_mutex);
        delivery = m_delivery.get();
    }
    if (delivery)
        delivery->stop(why);
    {
        const std::lock_guard lock(m_mutex);
        m_deliveryStopped = true;
    }
    // The janitor last of the workers: it holds closed sockets that were forgotten, whose
    // lanes may still be finishing; what waits runs now (a cancelled job's fail is its work).
    Lane* janitor = nullptr;
    {
        const std::lock_guard lock(m_mutex);
        janitor = m_janitor.get();
    }
    if (janitor)
        janitor->stop(why);
    // No lane runs any more, so no call can reach the watcher: stop it (outside the lock:
    // its last observation may look a socket up), then let go of everything else.
    std::unique_ptr<KernelWatcher> watcher;
    std::unique_ptr<Lane> resolverOwned;
    std::unique_ptr<Lane> deliveryOwned;
    std::unique_ptr<Lane> janitorOwned;
    QList<std::shared_ptr<SocketEntry>> unreaped;
    QHash<SocketId, std::shared_ptr<SocketEntry>> sockets;
    {
        const std::lock_guard lock(m_mutex);
        m_watching.store(nullptr);
        watcher = std::move(m_watcher);
        resolverOwned = std::move(m_resolver);
        deliveryOwned = std::move(m_delivery);
        janitorOwned = std::move(m_janitor);
    }
    watcher.reset();
    {
        const std::lock_guard lock(m_mutex);
        sockets.swap(m_sockets);
        unreaped.swap(m_unreaped);
    }
}

KernelWatcher* Workbench::watcher(CallResult* failure)
{
    const std::lock_guard lock(m_mutex);
    if (!m_watcher) {
        int error = 0;
        m_watcher = KernelWatcher::start(
            *m_probe,
            KernelWatcher::Callbacks{
                [this](SocketId id) { return observe(id); },
                [this](SocketId id, std::optional<TcpState> state) { observeClosed(id, state); },
            },
            &error);
        if (!m_watcher) {
            *failure = CallResult::fromErrno(error);
            return nullptr;
        }
        m_watching.store(m_watcher.get(), std::memory_order_release);
    }
    return m_watcher.get();
}

std::shared_ptr<SocketEntry> Workbench::entry(SocketId id) const
{
    const std::lock_guard lock(m_mutex);
    return m_sockets.value(id);
}

std::shared_ptr<SocketEntry> Workbench::addEntry(AddressFamily family, SocketType type,
                                                 const QString& actor, SocketId acceptedFrom)
{
    const std::lock_guard lock(m_mutex);
    // socket() is refused once closing; a socket accept() already made is still taken in,
    // so that the destructor finds it and closes it.
    if (m_closing && !acceptedFrom.isValid())
        return nullptr;
    const SocketId id{m_nextSocket++};
    auto created = std::make_shared<SocketEntry>(id, family, type, actor, acceptedFrom);
    m_sockets.insert(id, created);
    return created;
}

Lane* Workbench::deliveryLane()
{
    const std::lock_guard lock(m_mutex);
    if (!m_delivery && !m_deliveryStopped) {
        int error = 0;
        m_delivery = Lane::start(QStringLiteral("delivery"), Lane::Waits::OnNothing, &error);
    }
    return m_delivery.get();
}

Lane* Workbench::resolverLane(CallResult* failure)
{
    const std::lock_guard lock(m_mutex);
    if (m_closing) {
        *failure = CallResult::interrupted(QStringLiteral("the workbench was closed"));
        return nullptr;
    }
    if (!m_resolver) {
        int error = 0;
        m_resolver = Lane::start(QStringLiteral("resolver"), Lane::Waits::OnNothing, &error);
        if (!m_resolver) {
            *failure = CallResult::fromErrno(error);
            return nullptr;
        }
    }
    return m_resolver.get();
}

bool Workbench::observe(SocketId id)
{
    auto target = entry(id);
    if (!target)
        return false;
    const SocketEntry::Use use(*target);
    if (!use)
        return false;
    const std::lock_guard lock(target->snapshotMutex());
    const KernelSnapshot now = m_probe->probe(use->fd(), target->family(), target->type());
    if (now != target->lastSnapshot) {
        Event event;
        event.kind = EventKind::Observation;
        event.socket = id;
        event.actor = target->actor();
        event.kernel = now;
        target->lastSnapshot = now;
        m_trace->append(event);
    }
    return isTransitional(now.tcpState) || now.sendQueue > 0;
}

void Workbench::observeClosed(SocketId id, std::optional<TcpState> state)
{
    auto target = entry(id);
    if (!target)
        return;
    const std::lock_guard lock(target->snapshotMutex());
    KernelSnapshot now;
    now.valid = state.has_value();
    now.tcpState = state.value_or(TcpState::None);
    if (now == target->lastSnapshot)
        return;
    Event event;
    event.kind = EventKind::Observation;
    event.socket = id;
    event.actor = target->actor();
    event.kernel = now;
    target->lastSnapshot = now;
    m_trace->append(event);
}

} // namespace sockbench
