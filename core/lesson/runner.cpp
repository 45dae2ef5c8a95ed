#include "runner.h"

#include "lessonpeers.h"
#include "parser.h"
#include "unparse.h"

namespace sockbench::lesson {

Runner::Runner(Workbench& workbench, QObject* parent)
    : QObject(parent)
    , m_workbench(workbench)
    , m_peers(std::make_unique<LessonPeers>(workbench))
{
    qRegisterMetaType<sockbench::lesson::StepOutcome>();
    // Connected first, so the names are there before anyone else hears of the reset.
    connect(this, &Runner::resetDone, this, [this] { m_peers->bindNames(m_names); });
    m_playTimer.setSingleShot(true);
    m_deadlockTimer.setSingleShot(true);
    connect(&m_playTimer, &QTimer::timeout, this, &Runner::issue);
    connect(&m_deadlockTimer, &QTimer::timeout, this, &Runner::declareDeadlock);
    // The workbench emits on its workers; these arrive queued, in this object's thread.
    connect(&workbench, &Workbench::callFinished, this, &Runner::onCallFinished);
    connect(&workbench, &Workbench::callBlocked, this, &Runner::onCallBlocked);
}

Runner::~Runner() = default;

void Runner::load(const Script& script)
{
    // The new script is in place before the reset reports back, so whoever listens to
    // resetDone sees the lesson that is starting, not the one that ended.
    m_script = script;
    m_steps = flattenSteps(script);
    m_replayTo = -1; // a step back still under way belongs to the old script
    reset();
}

void Runner::setMode(Mode mode)
{
    if (m_mode == mode)
        return;
    m_mode = mode;
    Q_EMIT modeChanged(mode);
}

QString Runner::actorState(const QString& name) const
{
    const auto it = m_actors.find(name);
    if (it == m_actors.end())
        return QStringLiteral("idle");
    const Actor& actor = it->second;
    if (actor.stopped)
        return QStringLiteral("stopped at line %1").arg(actor.stoppedAtLine);
    if (actor.runningStep < 0)
        return QStringLiteral("idle");
    const int line = m_steps[static_cast<size_t>(actor.runningStep)].pos.line;
    if (actor.blocked)
        return QStringLiteral("blocked in %1 at line %2").arg(actor.blockedCall).arg(line);
    return QStringLiteral("running line %1").arg(line);
}

int Runner::runningStep(const QString& actor) const
{
    const auto it = m_actors.find(actor);
    return it == m_actors.end() ? -1 : it->second.runningStep;
}

QStringList Runner::threads() const
{
    QStringList out;
    for (const auto& [name, actor] : m_actors)
        out << name;
    return out;
}

QString Runner::nameOf(SocketId socket) const
{
    QString best;
    for (auto it = m_names.cbegin(); it != m_names.cend(); ++it)
        if (it->kind == Value::Kind::Socket && it->socket->id == socket &&
            (best.isEmpty() || it.key() < best))
            best = it.key();
    return best;
}

int Runner::insertStatement(const QString& actor, const QString& source, QString* error)
{
    if (m_mode == Mode::Resetting) {
        if (error)
            *error = QStringLiteral("the lesson is being reset; try again in a moment");
        return -1;
    }
    auto parsed = parse(source, QString());
    if (auto* problem = std::get_if<ParseError>(&parsed)) {
        if (error)
            *error = problem->format(QString());
        return -1;
    }
    std::vector<RunStep> added = flattenSteps(std::get<Script>(parsed));
    if (added.empty()) {
        if (error)
            *error = QStringLiteral("there is no statement to run");
        return -1;
    }
    const int at = m_next + m_insertedWaiting;
    const QString lane = QStringLiteral("%1#%2").arg(actor).arg(++m_clicks);
    for (RunStep& step : added) {
        step.actor = actor;
        step.lane = lane;
        step.inserted = true;
    }
    m_steps.insert(m_steps.begin() + at, added.begin(), added.end());
    m_insertedWaiting += static_cast<int>(added.size());
    if (m_awaiting < 0 && m_mode != Mode::Playing) {
        setMode(Mode::Stepping);
        issue();
    }
    return at;
}

void Runner::step()
{
    if (m_mode == Mode::Resetting || m_mode == Mode::Finished || m_awaiting >= 0 || atEnd())
        return;
    setMode(Mode::Stepping);
    issue();
}

void Runner::play()
{
    if (m_mode == Mode::Resetting || m_mode == Mode::Finished || atEnd())
        return;
    setMode(Mode::Playing);
    if (m_awaiting < 0 && !m_playTimer.isActive())
        issue(); // a "# pause" on the step we start from has been honoured already
}

void Runner::pause()
{
    m_playTimer.stop();
    m_runTo = -1;
    m_replayTo = -1;
    if (m_mode == Mode::Playing)
        setMode(m_awaiting >= 0 ? Mode::Stepping : Mode::Idle);
}

void Runner::runToLine(int line)
{
    m_runTo = line;
    if (!atEnd() && m_steps[static_cast<size_t>(m_next)].pos.line >= line)
        return;
    play();
}

void Runner::issue()
{
    if (atEnd() || m_mode == Mode::Resetting)
        return;
    const int k = m_next++;
    m_awaiting = k;
    if (m_insertedWaiting > 0)
        --m_insertedWaiting;
    const RunStep& s = m_steps[static_cast<size_t>(k)];
    Q_EMIT stepIssued(k);
    Actor& actor = m_actors[s.thread()];
    if (unwinds(actor, k)) {
        actor.unwindDepth = s.depth - 1;
        actor.queue.push_back(k);
        startNext(s.thread());
    } else if (actor.stopped) {
        StepOutcome outcome = outcomeFor(k);
        outcome.kind = StepOutcome::Kind::Skipped;
        outcome.reason =
            QStringLiteral("not run: %1 stopped at line %2").arg(s.actor).arg(actor.stoppedAtLine);
        m_outcomes << outcome;
        Q_EMIT stepFinished(outcome);
    } else {
        actor.queue.push_back(k);
        startNext(s.thread());
    }
    if (m_awaiting == k && settled(k))
        afterSettled();
}

int Runner::runningDependency(int k) const
{
    const QSet<QString> reads = namesRead(*m_steps[static_cast<size_t>(k)].stmt);
    if (reads.isEmpty())
        return -1;
    const QString& thread = m_steps[static_cast<size_t>(k)].thread();
    for (const auto& [name, other] : m_actors)
        if (name != thread && other.run && other.runningStep < k &&
            namesBound(*m_steps[static_cast<size_t>(other.runningStep)].stmt).intersects(reads))
            return other.runningStep;
    return -1;
}

void Runner::startNext(const QString& name)
{
    Actor& actor = m_actors[name];
    // A stopped actor's queue holds only the ends of the with blocks it is leaving.
    if (actor.run || actor.queue.empty())
        return;
    // `conn1.recv(1024)` waits for the `conn1, addr1 = s1.accept()` still running on
    // another thread: a name is read once it is assigned, never before.
    actor.waitingForName = runningDependency(actor.queue.front()) >= 0;
    if (actor.waitingForName)
        return;
    const int k = actor.queue.front();
    actor.queue.pop_front();
    actor.runningStep = k;
    actor.blocked = false;
    const quint64 generation = m_generation;
    const QString who = m_steps[static_cast<size_t>(k)].actor; // what the stage and trace show
    auto submit = [this, name, who, generation](const PreparedCall& prepared) {
        // The value a statement gets needs every byte a recv() read; callFinished carries a
        // sample only. The completion keeps the whole event until callFinished arrives.
        const auto ticket = m_workbench.submit(prepared.socket, prepared.call, who,
                                               [box = m_results](const Event& e) {
                                                   const std::lock_guard lock(box->mutex);
                                                   box->events.insert(e.call, e);
                                               });
        if (generation == m_generation) {
            m_calls.insert(ticket.call, CallInfo{name, ticket.socket, prepared.call.kind});
            if (prepared.call.kind == CallKind::Socket)
                m_sockets.insert(ticket.socket);
        }
        return ticket.call;
    };
    auto print = [this, who](const QString& text) { Q_EMIT printed(who, text); };
    actor.run = std::make_unique<StatementRun>(m_steps[static_cast<size_t>(k)].stmt, m_names,
                                               submit, print);
    advance(name);
}

void Runner::advance(const QString& name)
{
    Actor& actor = m_actors[name];
    if (!actor.run)
        return;
    const auto status = actor.run->pass();
    if (status == StatementRun::Status::Waiting)
        return;
    StepOutcome outcome = outcomeFor(actor.runningStep);
    outcome.calls = actor.run->calls();
    const QStringList& expect = m_steps[static_cast<size_t>(actor.runningStep)].directives.expect;
    if (status == StatementRun::Status::Done) {
        outcome.value = repr(actor.run->value());
        if (!expect.isEmpty() && !expect.contains(QStringLiteral("ok"), Qt::CaseInsensitive)) {
            outcome.kind = StepOutcome::Kind::Failed;
            outcome.reason = QStringLiteral("expected %1, but it succeeded")
                                 .arg(expect.join(QStringLiteral(" or ")));
        }
    } else {
        const PyError& error = actor.run->error();
        outcome.error = error;
        const QString name_ = error.expectName();
        if (error.type == QLatin1String("Interrupted")) {
            outcome.kind = StepOutcome::Kind::Interrupted;
            outcome.reason = error.message;
        } else if (expect.contains(name_, Qt::CaseInsensitive) ||
                   expect.contains(error.type, Qt::CaseInsensitive)) {
            outcome.kind = StepOutcome::Kind::ExpectedError;
        } else {
            outcome.kind = StepOutcome::Kind::Failed;
            outcome.reason = expect.isEmpty()
                                 ? QStringLiteral("unexpected %1").arg(error.format())
                                 : QStringLiteral("expected %1, but got %2")
                                       .arg(expect.join(QStringLiteral(" or ")), error.format());
        }
    }
    finishStep(name, outcome);
}

void Runner::finishStep(const QString& name, StepOutcome outcome)
{
    Actor& actor = m_actors[name];
    const int k = actor.runningStep;
    actor.run.reset();
    actor.runningStep = -1;
    actor.blocked = false;
    // In free play an error is the answer the student asked for, not a failed lesson, and
    // the actor goes on.
    if (k >= 0 && m_steps[static_cast<size_t>(k)].inserted &&
        (outcome.kind == StepOutcome::Kind::Failed ||
         outcome.kind == StepOutcome::Kind::Interrupted) &&
        !outcome.error.type.isEmpty()) {
        outcome.kind = StepOutcome::Kind::Raised;
        outcome.reason.clear();
    }
    const bool raised =
        outcome.kind == StepOutcome::Kind::Interrupted ||
        (outcome.kind == StepOutcome::Kind::Failed && !outcome.error.type.isEmpty());
    if (outcome.kind == StepOutcome::Kind::Failed)
        ++m_failures;
    m_outcomes << outcome;
    Q_EMIT stepFinished(outcome);
    // An exception nobody expected ends its thread, as in Python: the actor stops.
    if (raised && !actor.stopped) {
        actor.stopped = true;
        actor.stoppedAtLine = outcome.line;
        // A with block's own close that fails has left that block: its siblings' ends are
        // not on the way out.
        if (k >= 0) {
            const RunStep& failed = m_steps[static_cast<size_t>(k)];
            actor.unwindDepth = failed.synthetic ? failed.depth - 1 : failed.depth;
        }
        const std::deque<int> queued = std::exchange(actor.queue, {});
        for (const int skipped : queued) {
            if (unwinds(actor, skipped)) {
                actor.unwindDepth = m_steps[static_cast<size_t>(skipped)].depth - 1;
                actor.queue.push_back(skipped);
                continue;
            }
            StepOutcome skip = outcomeFor(skipped);
            skip.kind = StepOutcome::Kind::Skipped;
            skip.reason = QStringLiteral("not run: %1 stopped at line %2")
                              .arg(m_steps[static_cast<size_t>(skipped)].actor)
                              .arg(outcome.line);
            m_outcomes << skip;
            Q_EMIT stepFinished(skip);
        }
    }
    startNext(name);
    QStringList waiting;
    for (const auto& [thread, other] : m_actors)
        if (other.waitingForName)
            waiting << thread;
    for (const QString& thread : waiting)
        startNext(thread);
    if (m_awaiting >= 0 && (m_awaiting == k || settled(m_awaiting)))
        afterSettled();
    checkEnd();
}

bool Runner::unwinds(const Actor& actor, int k) const
{
    const RunStep& s = m_steps[static_cast<size_t>(k)];
    return actor.stopped && s.synthetic && s.depth <= actor.unwindDepth;
}

StepOutcome Runner::outcomeFor(int k) const
{
    StepOutcome outcome;
    const RunStep& s = m_steps[static_cast<size_t>(k)];
    outcome.step = k;
    outcome.actor = s.actor;
    outcome.line = s.pos.line;
    outcome.source = s.source;
    return outcome;
}

void Runner::onCallFinished(const Event& event)
{
    // The whole result, if it is one of the lesson's calls (see submit in startNext).
    Event full = event;
    {
        const std::lock_guard lock(m_results->mutex);
        if (auto it = m_results->events.find(event.call); it != m_results->events.end()) {
            full = *it;
            m_results->events.erase(it);
        }
    }
    if (m_resetCalls.remove(event.call) && m_resetCalls.isEmpty() && m_mode == Mode::Resetting) {
        setMode(Mode::Idle);
        Q_EMIT resetDone();
        if (m_replayTo > 0) {
            setMode(Mode::Playing);
            issue();
        }
        return;
    }
    if (m_orphans.remove(event.call)) {
        // Out when the lesson was reset: a socket it made now has to be closed as well.
        if (event.result.newSocket.isValid() && event.request.kind == CallKind::Accept)
            m_workbench.submit(event.result.newSocket, Call{CallKind::Close, {}},
                               QStringLiteral("reset"));
        return;
    }
    const auto it = m_calls.constFind(event.call);
    if (it == m_calls.cend())
        return; // not the lesson's: the window's own calls, for instance
    const CallInfo info = *it;
    m_calls.erase(it);
    const QString name = info.actor;
    const SocketId socket = info.socket;
    if (event.result.newSocket.isValid())
        m_sockets.insert(event.result.newSocket);
    if (event.result.ok() && event.request.kind == CallKind::SetTimeout)
        m_hasTimeout.insert(socket, event.request.args.timeout.value_or(0) > 0);
    if (event.result.ok() && event.request.kind == CallKind::SetBlocking)
        m_hasTimeout.insert(socket, false);
    Actor& actor = m_actors[name];
    if (!actor.run || !actor.run->deliver(full))
        return;
    actor.blocked = false;
    if (m_deadlockTimer.isActive())
        m_deadlockTimer.start(kDeadlockQuietMs); // something moved: wait afresh
    advance(name);
}

void Runner::onCallBlocked(CallId call, SocketId)
{
    if (!m_calls.contains(call))
        return;
    // Still waiting kBlockedAfterMs later (markBlocked() checks): then it is blocked.
    QTimer::singleShot(kBlockedAfterMs, this, [this, call, generation = m_generation] {
        if (generation == m_generation)
            markBlocked(call);
    });
}

void Runner::markBlocked(CallId call)
{
    const auto it = m_calls.constFind(call);
    if (it == m_calls.cend())
        return;
    Actor& actor = m_actors[it->actor];
    if (!actor.run || actor.run->waitingOn() != call)
        return;
    actor.blocked = true;
    actor.blockedCall = callName(it->kind) + QStringLiteral("()");
    m_steps[static_cast<size_t>(actor.runningStep)].blocked = true;
    Q_EMIT stepBlocked(actor.runningStep, call);
    if (m_awaiting >= 0 && settled(m_awaiting))
        afterSettled();
    checkEnd();
}

bool Runner::settled(int k) const
{
    for (const StepOutcome& outcome : m_outcomes)
        if (outcome.step == k)
            return true;
    const auto it = m_actors.find(m_steps[static_cast<size_t>(k)].thread());
    if (it != m_actors.end() && it->second.runningStep == k)
        return it->second.blocked;
    return true; // queued behind its actor's earlier statement
}

void Runner::afterSettled()
{
    m_awaiting = -1;
    if (m_mode == Mode::Stepping) {
        if (m_insertedWaiting > 0) { // clicks that came in while a statement was on its way
            issue();
            return;
        }
        setMode(Mode::Idle);
        checkEnd();
        return;
    }
    if (m_mode != Mode::Playing)
        return;
    if (atEnd()) {
        checkEnd();
        return;
    }
    const RunStep& next = m_steps[static_cast<size_t>(m_next)];
    if (m_replayTo >= 0) {
        if (m_next >= m_replayTo) {
            m_replayTo = -1;
            setMode(Mode::Idle);
        } else {
            m_playTimer.start(0);
        }
        return;
    }
    if (m_runTo >= 0 && next.pos.line >= m_runTo) {
        m_runTo = -1;
        setMode(Mode::Idle);
        return;
    }
    if (next.directives.pause && m_stopAtPauses) {
        setMode(Mode::Idle);
        Q_EMIT pausedAt(m_next);
        return;
    }
    m_playTimer.start(m_playInterval);
}

void Runner::checkEnd()
{
    if (!atEnd() || m_mode == Mode::Resetting || m_mode == Mode::Finished)
        return;
    if (m_awaiting >= 0 && !settled(m_awaiting))
        return;
    bool anyWork = false;
    bool allBlocked = true;
    for (const auto& [name, actor] : m_actors) {
        if (!actor.run && actor.queue.empty())
            continue;
        anyWork = true;
        if (actor.waitingForName && !actor.run)
            continue; // waits for another thread, which counts for both
        if (!actor.run || !actor.blocked ||
            m_hasTimeout.value(m_calls.value(actor.run->waitingOn()).socket))
            allBlocked = false;
    }
    if (!anyWork) {
        m_deadlockTimer.stop();
        m_awaiting = -1;
        setMode(Mode::Finished);
        Q_EMIT finished(m_failures == 0);
        return;
    }
    // Once the student plays freely, a blocked call may be waiting for the next click:
    // only a lesson of its own can be stuck for good.
    const bool freePlay =
        std::any_of(m_steps.begin(), m_steps.end(), [](const RunStep& s) { return s.inserted; });
    if (allBlocked && !freePlay && !m_deadlockTimer.isActive())
        m_deadlockTimer.start(kDeadlockQuietMs);
}

void Runner::declareDeadlock()
{
    QStringList waiting;
    QList<CallId> calls;
    for (const auto& [name, actor] : m_actors) {
        if (!actor.run)
            continue;
        if (!actor.blocked)
            return; // something is running after all
        waiting << QStringLiteral("%1 waits in %2 at line %3")
                       .arg(name, actor.blockedCall)
                       .arg(m_steps[static_cast<size_t>(actor.runningStep)].pos.line);
        calls << actor.run->waitingOn();
    }
    if (calls.isEmpty())
        return;
    waiting.sort();
    ++m_failures;
    Q_EMIT deadlocked(QStringLiteral("The lesson is stuck: %1, and no statement is left that could "
                                     "let it go on. A real program would wait here forever; the "
                                     "workbench interrupts the waiting calls.")
                          .arg(waiting.join(QStringLiteral("; "))));
    for (const CallId call : calls)
        m_workbench.interrupt(call);
}

void Runner::reset()
{
    ++m_generation;
    m_playTimer.stop();
    m_deadlockTimer.stop();
    for (auto it = m_calls.cbegin(); it != m_calls.cend(); ++it) {
        m_orphans.insert(it.key());
        m_workbench.interrupt(it.key());
    }
    m_resetCalls.clear();
    // Every socket the lesson made, even one whose socket() is still on its way: close()
    // queues behind it, and on a socket already closed it does nothing.
    QList<SocketId> sockets = m_sockets.values();
    std::sort(sockets.begin(), sockets.end());
    for (const SocketId socket : sockets)
        m_resetCalls.insert(
            m_workbench.submit(socket, Call{CallKind::Close, {}}, QStringLiteral("reset")).call);
    // The peers start afresh; the reset is done once each listens (or could not).
    for (const CallId call : m_peers->restart(m_script))
        m_resetCalls.insert(call);
    m_actors.clear();
    m_names.clear();
    m_calls.clear();
    m_hasTimeout.clear();
    m_sockets.clear();
    m_outcomes.clear();
    m_next = 0;
    m_awaiting = -1;
    m_runTo = -1;
    m_insertedWaiting = 0;
    m_failures = 0;
    if (m_resetCalls.isEmpty()) {
        setMode(Mode::Idle);
        Q_EMIT resetDone();
        if (m_replayTo > 0) {
            setMode(Mode::Playing);
            issue();
        }
    } else {
        setMode(Mode::Resetting);
    }
}

void Runner::stepBack()
{
    if (m_mode == Mode::Resetting)
        return;
    const int target = std::max(0, m_next - 1);
    m_replayTo = target;
    if (target == 0)
        m_replayTo = -1;
    reset();
}

} // namespace sockbench::lesson
