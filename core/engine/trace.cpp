#include "trace.h"

namespace sockbench {

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

quint64 Trace::append(Event& stamped)
{
    quint64 seq = 0;
    {
        const std::lock_guard lock(m_mutex);
        // Time is taken under the lock so that sequence order and time order agree.
        stamped.timeNs = nowNs();
        if (stamped.startNs == 0 || stamped.startNs > stamped.timeNs)
            stamped.startNs = stamped.timeNs;
        stamped.seq = m_nextSeq;
        Event event = stamped;
        event.result.data = QByteArray();
        if (event.request.args.payload.size() > kPayloadSample)
            event.request.args.payload = event.request.args.payload.left(kPayloadSample);
        qsizetype keep = std::min<qsizetype>(event.payload.size(), kPayloadPerEvent);
        if (m_payloadStored + keep > kPayloadTotal)
            keep = std::min<qsizetype>(keep, kPayloadSample);
        if (keep < event.payload.size())
            event.payload = event.payload.left(keep); // a copy: the big buffer is let go
        m_payloadStored += event.payload.size();

        auto& totals = m_totals[event.socket];
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

        seq = m_nextSeq++;
        m_events.push_back(std::move(event));
        while (static_cast<qsizetype>(m_events.size()) > kMaxEvents) {
            m_payloadStored -= m_events.front().payload.size();
            m_events.pop_front();
        }
    }
    notify();
    return seq;
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
    return m_events.empty() ? m_nextSeq : m_events.front().seq;
}

quint64 Trace::lastSeq() const
{
    const std::lock_guard lock(m_mutex);
    return m_nextSeq - 1;
}

qsizetype Trace::size() const
{
    const std::lock_guard lock(m_mutex);
    return static_cast<qsizetype>(m_events.size());
}

std::optional<Event> Trace::event(quint64 seq) const
{
    const std::lock_guard lock(m_mutex);
    if (m_events.empty() || seq < m_events.front().seq || seq >= m_nextSeq)
        return std::nullopt;
    return m_events[static_cast<size_t>(seq - m_events.front().seq)];
}

QList<Event> Trace::events(quint64 fromSeq, qsizetype max) const
{
    const std::lock_guard lock(m_mutex);
    QList<Event> out;
    if (m_events.empty())
        return out;
    const quint64 first = m_events.front().seq;
    size_t index = fromSeq <= first ? 0 : static_cast<size_t>(fromSeq - first);
    for (; index < m_events.size() && (max < 0 || out.size() < max); ++index)
        out.append(m_events[index]);
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
