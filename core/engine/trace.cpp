#include "trace.h"

#include <algorithm>
#include <memory>
#include <utility>

namespace sockbench {

namespace {

// The bytes alone, without the spare room of the buffer they were read into: a recv(65536)
// that returned 20 bytes must not keep 64 KiB alive for as long as the event lives.
QByteArray owned(const QByteArray& bytes)
{
    if (bytes.capacity() <= bytes.size())
        return bytes;
    return QByteArray(bytes.constData(), bytes.size());
}

// A place reserved and not filled, or given up: in the deque to keep seq arithmetic, never
// read.
bool isPlace(const std::unique_ptr<Event>& event)
{
    return !event;
}

// The copy the trace keeps, made before the lock is taken: its memory (often a fresh page,
// whose first touch is slow) is written while the other threads go on appending. The
// received bytes live in payload only; the request keeps a sample; a payload no larger
// than a sample is copied here, a larger one under the lock, once the budgets say how much
// of it stays.
std::unique_ptr<Event> prepare(const Event& stamped)
{
    auto kept = std::make_unique<Event>(stamped);
    kept->result.data = QByteArray();
    kept->request.args.payload = owned(kept->request.args.payload.left(Trace::kPayloadSample));
    if (kept->payload.size() <= Trace::kPayloadSample)
        kept->payload = owned(kept->payload);
    return kept;
}

} // namespace

Trace::Trace(QObject* parent)
    : QObject(parent)
    , m_start(std::chrono::steady_clock::now())
{
}

qint64 Trace::nowNs() const
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                                m_start)
        .count();
}

Trace::Place::Place(Place&& other) noexcept
    : m_trace(std::exchange(other.m_trace, nullptr))
    , m_seq(std::exchange(other.m_seq, 0))
{
}

Trace::Place& Trace::Place::operator=(Place&& other) noexcept
{
    if (this != &other) {
        giveUp();
        m_trace = std::exchange(other.m_trace, nullptr);
        m_seq = std::exchange(other.m_seq, 0);
    }
    return *this;
}

void Trace::Place::giveUp()
{
    if (m_seq != 0 && m_trace)
        m_trace->release(m_seq);
    m_seq = 0;
}

Trace::Place Trace::reserve()
{
    Place place;
    {
        const std::lock_guard lock(m_mutex);
        m_nextSeq++;
        m_events.emplace_back();
        m_held.push_back(m_nextSeq - 1);
        place.m_trace = this;
        place.m_seq = m_nextSeq - 1;
        evictLocked();
    }
    return place;
}

void Trace::release(quint64 seq)
{
    {
        const std::lock_guard lock(m_mutex);
        const auto it = std::find(m_held.begin(), m_held.end(), seq);
        if (it == m_held.end())
            return;
        m_held.erase(it);
        publishLocked();
    }
    notify();
}

void Trace::publishLocked()
{
    m_published = m_held.empty() ? m_nextSeq - 1 : m_held.front() - 1;
}

quint64 Trace::append(Event& stamped)
{
    quint64 seq = 0;
    std::unique_ptr<Event> kept = prepare(stamped);
    {
        const std::lock_guard lock(m_mutex);
        seq = m_nextSeq++;
        // Time is taken under the lock so that sequence order and time order agree.
        stamped.timeNs = nowNs();
        storeLocked(stamped, seq, *kept);
        m_events.push_back(std::move(kept));
        evictLocked();
        publishLocked();
    }
    notify();
    return seq;
}

quint64 Trace::append(Event& stamped, Place& place)
{
    if (!place.held() || place.m_trace != this)
        return append(stamped);
    const quint64 seq = std::exchange(place.m_seq, 0);
    std::unique_ptr<Event> kept = prepare(stamped);
    {
        const std::lock_guard lock(m_mutex);
        const auto held = std::find(m_held.begin(), m_held.end(), seq);
        if (held != m_held.end())
            m_held.erase(held);
        std::unique_ptr<Event>* slot = nullptr;
        qint64 before = nowNs();
        if (!m_events.empty() && seq >= m_firstSeq) {
            const auto index = static_cast<size_t>(seq - m_firstSeq);
            slot = &m_events[index];
            // Sequence order and time order agree: the event takes the time of the first
            // one stored behind its place, if that came sooner.
            for (size_t next = index + 1; next < m_events.size(); ++next)
                if (!isPlace(m_events[next])) {
                    before = std::min(before, m_events[next]->timeNs);
                    break;
                }
        }
        stamped.timeNs = before;
        storeLocked(stamped, seq, *kept);
        if (slot)
            *slot = std::move(kept);
        else // the place is already gone: stamped and counted, nothing kept
            m_payloadStored -= kept->payload.size();
        publishLocked();
    }
    notify();
    return seq;
}

void Trace::storeLocked(Event& stamped, quint64 seq, Event& event)
{
    if (stamped.startNs == 0 || stamped.startNs > stamped.timeNs)
        stamped.startNs = stamped.timeNs;
    stamped.seq = seq;
    event.seq = seq;
    event.timeNs = stamped.timeNs;
    event.startNs = stamped.startNs;
    auto& totals = m_totals[event.socket];
    qsizetype keep = std::min<qsizetype>(event.payload.size(), kPayloadPerEvent);
    if (m_payloadStored + keep > m_limits.payloadTotal ||
        totals.payloadKept + keep > kPayloadPerSocket)
        keep = std::min<qsizetype>(keep, kPayloadSample);
    if (keep < event.payload.size() || event.payload.capacity() > event.payload.size())
        event.payload = owned(event.payload.left(keep)); // the big buffer is let go
    m_payloadStored += event.payload.size();
    totals.payloadKept += event.payload.size();

    if (event.kind == EventKind::CallFinished) {
        ++totals.calls;
        if (!event.result.ok())
            ++totals.errors;
        switch (event.request.kind) {
        case CallKind::Send:
        case CallKind::SendAll:
        case CallKind::SendTo:
            totals.bytesSent += event.payloadSize;
            break;
        case CallKind::Recv:
        case CallKind::RecvFrom:
        case CallKind::RecvInto:
        case CallKind::RecvFromInto:
            totals.bytesReceived += event.payloadSize;
            break;
        default:
            break;
        }
    }
}

void Trace::evictLocked()
{
    while (!m_events.empty() && static_cast<qsizetype>(m_events.size()) > m_limits.maxEvents) {
        if (!isPlace(m_events.front()))
            m_payloadStored -= m_events.front()->payload.size();
        m_events.pop_front();
        ++m_firstSeq;
    }
}

void Trace::setLimits(const Limits& limits)
{
    const std::lock_guard lock(m_mutex);
    m_limits.maxEvents = std::max<qsizetype>(limits.maxEvents, 0);
    m_limits.payloadTotal = std::max<qint64>(limits.payloadTotal, 0);
    evictLocked();
}

Trace::Limits Trace::limits() const
{
    const std::lock_guard lock(m_mutex);
    return m_limits;
}

void Trace::forgetSocket(SocketId socket)
{
    const std::lock_guard lock(m_mutex);
    m_totals.remove(socket);
}

void Trace::notify()
{
    if (m_notifyPending.exchange(true))
        return;
    // Queued into the trace's own thread, so consumers there get one signal per turn of
    // the event loop however many events arrived meanwhile.
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_notifyPending.store(false);
            // An append that lands between the store above and lastSeq() below is reported
            // now, and its own notify() has queued one more call: that one has nothing new.
            const quint64 last = lastSeq();
            if (last == m_lastNotified)
                return;
            m_lastNotified = last;
            Q_EMIT appended(last);
        },
        Qt::QueuedConnection);
}

quint64 Trace::firstSeq() const
{
    const std::lock_guard lock(m_mutex);
    return m_events.empty() ? m_nextSeq : m_firstSeq;
}

quint64 Trace::lastSeq() const
{
    const std::lock_guard lock(m_mutex);
    return m_published;
}

qsizetype Trace::size() const
{
    const std::lock_guard lock(m_mutex);
    return static_cast<qsizetype>(m_events.size());
}

std::optional<Event> Trace::event(quint64 seq) const
{
    const std::lock_guard lock(m_mutex);
    if (m_events.empty() || seq < m_firstSeq || seq > m_published)
        return std::nullopt;
    const std::unique_ptr<Event>& event = m_events[static_cast<size_t>(seq - m_firstSeq)];
    if (isPlace(event))
        return std::nullopt;
    return *event;
}

QList<Event> Trace::events(quint64 fromSeq, qsizetype max) const
{
    const std::lock_guard lock(m_mutex);
    QList<Event> out;
    if (m_events.empty())
        return out;
    const quint64 first = m_firstSeq;
    size_t index = fromSeq <= first ? 0 : static_cast<size_t>(fromSeq - first);
    for (; index < m_events.size() && first + index <= m_published && (max < 0 || out.size() < max);
         ++index)
        if (!isPlace(m_events[index]))
            out.append(*m_events[index]);
    return out;
}

Trace::SocketTotals Trace::totals(SocketId socket) const
{
    const std::lock_guard lock(m_mutex);
    return m_totals.value(socket);
}

qint64 Trace::payloadBytesStored() const
{
    const std::lock_guard lock(m_mutex);
    return m_payloadStored;
}

} // namespace sockbench
