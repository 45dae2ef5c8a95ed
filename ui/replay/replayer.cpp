#include "replayer.h"

#include "presentation/stagemodel.h"
#include "views/selection.h"
#include "views/timeline.h"

#include <limits>

namespace sockbench {

Replayer::Replayer(StageModel& model, Timeline& timeline, EventSelection& selection,
                   QObject* parent)
    : QObject(parent)
    , m_model(model)
    , m_timeline(timeline)
    , m_selection(selection)
{
    m_play.setInterval(900);
    connect(&m_play, &QTimer::timeout, this, [this] {
        stepForward();
        if (atEnd())
            pause();
    });
    connect(&m_selection, &EventSelection::changed, this, &Replayer::followSelection);
}

void Replayer::start(const sessionfile::RecordedSession& session, const QStringList& actorOrder)
{
    pause();
    m_session = session;
    m_actorOrder = actorOrder;
    m_statementOfCall.clear();
    for (qsizetype i = 0; i < m_session.statements.size(); ++i)
        for (const CallId call : m_session.statements[i].calls)
            m_statementOfCall.insert(call, int(i));
    // A statement is over once every call it made has finished; the console lists it
    // there. Worked out once: a long recording steps without going over it again.
    QHash<CallId, int>& finishedAt = m_finishedAt;
    finishedAt.clear();
    m_socketFacts.clear();
    for (qsizetype i = 0; i < m_session.events.size(); ++i) {
        const Event& e = m_session.events[i];
        if (e.kind != EventKind::CallFinished)
            continue;
        finishedAt.insert(e.call, int(i));
        // socket(), socketpair() and accept() made descriptors; an accepted one has its
        // listener's family.
        if (!e.result.ok())
            continue;
        if (e.request.kind == CallKind::Socket || e.request.kind == CallKind::SocketPair)
            m_socketFacts.insert(e.result.newSocket, {e.result.count, e.request.args.family});
        if (e.request.kind == CallKind::SocketPair)
            m_socketFacts.insert(e.result.pairedSocket, {e.result.pairedFd, e.request.args.family});
        if (e.request.kind == CallKind::Accept)
            m_socketFacts.insert(e.result.newSocket,
                                 {e.result.count, socketFacts(e.socket).second});
    }
    m_statementEnds.clear();
    for (qsizetype k = 0; k < m_session.statements.size(); ++k) {
        const auto& calls = m_session.statements[k].calls;
        int end = -1;
        for (const CallId c : calls)
            end = std::max(end, finishedAt.value(c, std::numeric_limits<int>::max()));
        if (!calls.isEmpty() && end != std::numeric_limits<int>::max())
            m_statementEnds.push_back({end, int(k)});
    }
    std::sort(m_statementEnds.begin(), m_statementEnds.end());
    // Version 2: each statement is a line event, with the moment it began.
    m_statementBefore.clear();
    const bool lineEvents = m_session.version >= 2 && !m_session.statements.isEmpty();
    if (lineEvents) {
        int at = 0;
        for (const sessionfile::RecordedStatement& st : std::as_const(m_session.statements)) {
            while (at < total() && m_session.events[at].seq <= st.beforeSeq)
                ++at;
            m_statementBefore.push_back(at);
        }
    }
    m_step = 0;
    const auto names = m_session.socketNames;
    m_timeline.setSocketNamer([names](SocketId id) { return names.value(id); });
    m_active = true;
    // By steps, the recording opens where the run began: the peers already listening.
    rebuild(bySteps() ? positionOfStep(0) : 0);
}

void Replayer::stop()
{
    pause();
    m_active = false;
    m_session = {};
    m_statementOfCall.clear();
    m_statementEnds.clear();
    m_statementBefore.clear();
    m_finishedAt.clear();
    m_socketFacts.clear();
    m_position = 0;
    m_step = 0;
}

int Replayer::positionOfStep(int step) const
{
    // The moment after `step` statements ran: the events until the next one began; after
    // the last, every event.
    return step < int(m_statementBefore.size()) ? m_statementBefore[size_t(step)] : total();
}

void Replayer::showStep(int step)
{
    m_step = std::clamp(step, 0, int(m_statementBefore.size()));
    const int to = positionOfStep(m_step);
    if (to >= m_position)
        show(m_position, to);
    else
        rebuild(to);
}

const sessionfile::RecordedStatement* Replayer::currentStatement() const
{
    if (bySteps()) // the step that ran last
        return m_step > 0 ? &m_session.statements[m_step - 1] : nullptr;
    for (int i = m_position - 1; i >= 0; --i) {
        const Event& e = m_session.events[i];
        if (const auto it = m_statementOfCall.constFind(e.call); it != m_statementOfCall.cend())
            return &m_session.statements[*it];
    }
    return nullptr;
}

const Event* Replayer::finishedEvent(CallId call) const
{
    const auto it = m_finishedAt.constFind(call);
    return it == m_finishedAt.cend() ? nullptr : &m_session.events[*it];
}

std::pair<qint64, AddressFamily> Replayer::socketFacts(SocketId socket) const
{
    return m_socketFacts.value(socket, {-1, AddressFamily::Inet4});
}

QList<const sessionfile::RecordedStatement*> Replayer::statementsShown() const
{
    QList<const sessionfile::RecordedStatement*> shown;
    if (bySteps()) {
        for (int k = 0; k < m_step; ++k)
            shown << &m_session.statements[k];
        return shown;
    }
    for (const auto& [end, statement] : m_statementEnds) {
        if (end >= m_position)
            break;
        shown << &m_session.statements[statement];
    }
    return shown;
}

int Replayer::stepEnd(int from) const
{
    // Up to and including the next call that finished or began to wait (an accept() that
    // blocks is a moment of its own, as it is live); what the kernel showed by itself
    // right after it (observations) comes along.
    int to = from;
    while (to < total() && m_session.events[to].kind == EventKind::Observation)
        ++to;
    if (to < total())
        ++to;
    while (to < total() && m_session.events[to].kind == EventKind::Observation)
        ++to;
    return to;
}

void Replayer::stepForward()
{
    if (!m_active || atEnd())
        return;
    if (bySteps())
        return showStep(m_step + 1);
    const int to = stepEnd(m_position);
    show(m_position, to);
}

void Replayer::stepBack()
{
    if (bySteps()) {
        if (m_active && m_step > 0)
            showStep(m_step - 1);
        return;
    }
    if (!m_active || m_position == 0)
        return;
    // The step before this one: walk forward from the start to the last step end short of
    // the current position.
    int previous = 0;
    for (int p = 0; p < m_position;) {
        const int next = stepEnd(p);
        if (next >= m_position)
            break;
        previous = p = next;
    }
    rebuild(previous);
}

void Replayer::seek(int position)
{
    if (!m_active)
        return;
    position = std::clamp(position, 0, total());
    if (bySteps()) {
        // The last step whose moment is at or before the position picked.
        int step = 0;
        while (step < steps() && positionOfStep(step + 1) <= position)
            ++step;
        m_step = step;
    }
    if (position >= m_position)
        show(m_position, position);
    else
        rebuild(position);
}

void Replayer::rewind()
{
    if (bySteps())
        showStep(0);
    else
        seek(0);
}

void Replayer::play()
{
    if (!m_active)
        return;
    if (atEnd()) {
        m_step = 0;
        rebuild(bySteps() ? positionOfStep(0) : 0);
    }
    m_play.start();
    Q_EMIT playingChanged(true);
}

void Replayer::pause()
{
    if (!m_play.isActive())
        return;
    m_play.stop();
    Q_EMIT playingChanged(false);
}

void Replayer::show(int from, int to)
{
    for (int i = from; i < to; ++i)
        m_model.apply(m_session.events[i]);
    m_timeline.append(m_session.events.mid(from, to - from));
    m_position = to;
    // The moment to look at is the call the step ended on; kernel observations that came
    // along after it are in the views, but the inspector shows the call.
    quint64 selected = m_position > 0 ? m_session.events[m_position - 1].seq : 0;
    for (int i = m_position - 1; i >= 0; --i)
        if (m_session.events[i].kind != EventKind::Observation) {
            selected = m_session.events[i].seq;
            break;
        }
    m_moving = true;
    m_selection.select(selected);
    m_moving = false;
    Q_EMIT moved(m_position, total());
}

void Replayer::rebuild(int position)
{
    // The picture at an earlier moment: start from nothing and apply everything up to
    // there at once, with nothing flying across the wires.
    m_model.clear();
    QStringList actors;
    for (const QString& actor : std::as_const(m_actorOrder))
        if (actor != QLatin1String("main"))
            actors << actor;
    for (const Event& e : std::as_const(m_session.events))
        if (!e.actor.isEmpty() && e.actor != QLatin1String("reset") && !actors.contains(e.actor))
            actors << e.actor;
    for (const QString& actor : std::as_const(actors))
        m_model.addActor(actor);
    m_timeline.setEvents({});
    m_model.setAnimated(false);
    m_position = 0;
    show(0, position);
    m_model.setAnimated(true);
}

void Replayer::followSelection(quint64 seq)
{
    // A moment picked in the ladder or the log: the stage goes there too.
    if (!m_active || m_moving || seq == 0)
        return;
    const auto it = std::lower_bound(m_session.events.cbegin(), m_session.events.cend(), seq,
                                     [](const Event& e, quint64 s) { return e.seq < s; });
    if (it == m_session.events.cend() || it->seq != seq)
        return;
    seek(int(it - m_session.events.cbegin()) + 1);
}

} // namespace sockbench
