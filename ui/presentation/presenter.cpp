#include "presenter.h"

#include "stagemodel.h"
#include <QSet>

namespace sockbench {

Presenter::Presenter(const Trace& trace, StageModel& model, QObject* parent)
    : QObject(parent)
    , m_trace(trace)
    , m_model(model)
{
    m_nextSeq = trace.lastSeq() + 1;
    m_dwell.setSingleShot(true);
    connect(&m_dwell, &QTimer::timeout, this, &Presenter::presentNext);
    connect(&trace, &Trace::appended, this, &Presenter::fetch);
}

void Presenter::setSpeed(double speed)
{
    m_speed = std::max(0.0, speed);
    if (m_speed == 0)
        catchUp();
}

qint64 Presenter::lagNs() const
{
    if (m_pending.empty())
        return 0;
    return m_pending.back().timeNs - m_pending.front().timeNs;
}

void Presenter::restart(quint64 fromSeq)
{
    m_dwell.stop();
    m_pending.clear();
    m_nextSeq = fromSeq > 0 ? fromSeq : m_trace.lastSeq() + 1;
    // Events already in the trace were announced before: fetch them once the caller has
    // cleared the stage.
    if (fromSeq > 0)
        QMetaObject::invokeMethod(this, &Presenter::fetch, Qt::QueuedConnection);
    Q_EMIT lagChanged();
}

void Presenter::setSuspended(bool suspended)
{
    m_suspended = suspended;
    if (suspended) {
        m_dwell.stop();
        m_pending.clear();
        m_nextSeq = m_trace.lastSeq() + 1;
        Q_EMIT lagChanged();
    }
}

void Presenter::resumeFrom(quint64 fromSeq)
{
    m_suspended = false;
    m_dwell.stop();
    m_pending.clear();
    const QList<Event> past = m_trace.events(fromSeq);
    m_nextSeq = past.isEmpty() ? fromSeq : past.last().seq + 1;
    // Only the sockets made from there on: the old run's, closing meanwhile, are gone.
    QSet<SocketId> made;
    for (const Event& event : past) {
        if (event.kind == EventKind::CallFinished && event.result.ok() &&
            (event.request.kind == CallKind::Socket || event.request.kind == CallKind::Accept ||
             event.request.kind == CallKind::SocketPair)) {
            made.insert(event.result.newSocket);
            if (event.result.pairedSocket.isValid())
                made.insert(event.result.pairedSocket);
        }
        if (event.socket.isValid() && !made.contains(event.socket) &&
            !(event.request.kind == CallKind::Socket || event.request.kind == CallKind::SocketPair))
            continue;
        m_model.apply(event);
        Q_EMIT presented(event);
    }
    m_currentDwell = 0;
    Q_EMIT lagChanged();
    Q_EMIT caughtUp();
}

void Presenter::fetch()
{
    const QList<Event> fresh = m_trace.events(m_nextSeq);
    if (fresh.isEmpty())
        return;
    m_nextSeq = fresh.last().seq + 1;
    if (m_suspended)
        return;
    for (const Event& event : fresh)
        m_pending.push_back(event);
    // Too far behind: apply the oldest in one go. Their bytes still show, merged.
    if (static_cast<int>(m_pending.size()) > kCoalesceAbove) {
        const auto keep = static_cast<size_t>(kCoalesceAbove / 2);
        Q_EMIT advancing();
        while (m_pending.size() > keep) {
            m_model.apply(m_pending.front());
            Q_EMIT presented(m_pending.front());
            m_pending.pop_front();
        }
    }
    Q_EMIT lagChanged();
    if (!m_dwell.isActive())
        presentNext();
}

int Presenter::dwellFor(const Event& e) const
{
    if (m_speed <= 0)
        return 0;
    double ms = kBaseDwellMs;
    switch (e.kind) {
    case EventKind::Observation:
        ms = 250; // long enough to see a SYN or a FIN cross
        break;
    case EventKind::CallBlocked:
        ms = 350;
        break;
    case EventKind::CallFinished:
        if (!e.socket.isValid() || e.request.kind == CallKind::GetSockName ||
            e.request.kind == CallKind::GetPeerName || e.request.kind == CallKind::GetSockOpt)
            ms = 150;
        else if ((e.request.kind == CallKind::Send || e.request.kind == CallKind::SendAll ||
                  e.request.kind == CallKind::SendTo) &&
                 e.payloadSize > 0)
            ms = 900; // the chunk travels the wire
        else if (!e.result.ok())
            ms = 700;
        break;
    }
    // The more that waits, the quicker each goes, so the picture catches up by itself.
    const double hurry = m_pending.size() > 20 ? 0.25 : m_pending.size() > 5 ? 0.6 : 1.0;
    return static_cast<int>(ms * hurry / m_speed);
}

void Presenter::presentNext()
{
    while (!m_pending.empty()) {
        const Event event = m_pending.front();
        m_pending.pop_front();
        m_currentDwell = dwellFor(event);
        Q_EMIT advancing();
        m_model.apply(event);
        Q_EMIT presented(event);
        if (m_currentDwell > 0) {
            m_dwell.start(m_currentDwell);
            Q_EMIT lagChanged();
            return;
        }
    }
    m_currentDwell = 0;
    Q_EMIT lagChanged();
    Q_EMIT caughtUp();
}

void Presenter::catchUp()
{
    m_dwell.stop();
    const int saved = m_currentDwell;
    if (!m_pending.empty())
        Q_EMIT advancing();
    while (!m_pending.empty()) {
        m_model.apply(m_pending.front());
        Q_EMIT presented(m_pending.front());
        m_pending.pop_front();
    }
    m_currentDwell = saved > 0 ? 0 : 0;
    Q_EMIT lagChanged();
    Q_EMIT caughtUp();
}

} // namespace sockbench
