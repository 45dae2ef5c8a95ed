#include "timeline.h"

#include <QTimer>

#include <algorithm>

namespace sockbench {

Timeline::Timeline(QObject* parent)
    : QObject(parent)
{
}

void Timeline::follow(const Trace& trace, quint64 fromSeq)
{
    disconnect(m_following);
    m_trace = &trace;
    m_live = true;
    m_batch.clear();
    m_nextSeq = std::max<quint64>(fromSeq, 1);
    m_events.clear();
    m_actors.clear();
    m_dropped = 0;
    m_following = connect(&trace, &Trace::appended, this, &Timeline::pull);
    Q_EMIT reset();
    pull();
}

void Timeline::start()
{
    clear();
    m_live = true;
}

void Timeline::add(const Event& event)
{
    if (m_batch.isEmpty())
        QTimer::singleShot(0, this, &Timeline::flush);
    m_batch << event;
}

void Timeline::flush()
{
    append(std::exchange(m_batch, {}));
}

void Timeline::setEvents(const QList<Event>& events)
{
    disconnect(m_following);
    m_trace = nullptr;
    m_live = false;
    m_batch.clear();
    m_events.clear();
    m_actors.clear();
    m_dropped = 0;
    for (const Event& e : events)
        remember(e);
    m_events.assign(events.begin(), events.end());
    Q_EMIT reset();
}

void Timeline::append(const QList<Event>& events)
{
    if (events.isEmpty())
        return;
    // Whatever would leave the front at once is never added.
    const qsizetype skip = std::max<qsizetype>(0, events.size() - kMaxEvents);
    const qsizetype overflow = size() + events.size() - skip - kMaxEvents;
    if (overflow > 0) {
        m_events.erase(m_events.begin(), m_events.begin() + overflow);
        m_dropped += overflow;
        Q_EMIT trimmed(overflow);
    }
    m_dropped += skip;
    const qsizetype first = size();
    for (qsizetype i = skip; i < events.size(); ++i) {
        remember(events[i]);
        m_events.push_back(events[i]);
    }
    Q_EMIT appended(first, size() - first);
}

void Timeline::truncate(qsizetype count)
{
    if (count >= size())
        return;
    m_events.resize(size_t(std::max<qsizetype>(count, 0)));
    Q_EMIT reset();
}

void Timeline::clear()
{
    disconnect(m_following);
    m_trace = nullptr;
    m_live = false;
    m_batch.clear();
    m_events.clear();
    m_actors.clear();
    m_dropped = 0;
    Q_EMIT reset();
}

void Timeline::pull()
{
    if (!m_trace)
        return;
    const QList<Event> fresh = m_trace->events(m_nextSeq);
    if (fresh.isEmpty())
        return;
    m_nextSeq = fresh.last().seq + 1;
    append(fresh);
}

qsizetype Timeline::indexOf(quint64 seq) const
{
    // Sequence numbers only grow along the timeline.
    const auto it = std::lower_bound(m_events.begin(), m_events.end(), seq,
                                     [](const Event& e, quint64 s) { return e.seq < s; });
    return it != m_events.end() && it->seq == seq ? qsizetype(it - m_events.begin()) : -1;
}

const Event* Timeline::find(quint64 seq) const
{
    const qsizetype index = indexOf(seq);
    return index < 0 ? nullptr : &m_events[size_t(index)];
}

QString Timeline::socketName(SocketId socket) const
{
    if (!socket.isValid())
        return {};
    if (m_namer) {
        const QString name = m_namer(socket);
        if (!name.isEmpty())
            return name;
    }
    return QStringLiteral("#%1").arg(socket.value);
}

void Timeline::remember(const Event& event)
{
    if (event.socket.isValid() && !m_actors.contains(event.socket) && !event.actor.isEmpty())
        m_actors.insert(event.socket, event.actor);
    // accept() makes a socket in the caller's actor.
    if (event.kind == EventKind::CallFinished && event.result.newSocket.isValid() &&
        !m_actors.contains(event.result.newSocket))
        m_actors.insert(event.result.newSocket, event.actor);
}

} // namespace sockbench
