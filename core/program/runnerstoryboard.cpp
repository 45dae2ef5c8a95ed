// The storyboard: which thread runs its next line, and when a run is settled (runnerimpl.h).

#include "runnerimpl.h"

#include <QFile>

#include <tuple>

#include <unistd.h>

namespace sockbench::program {

namespace {

// The CPU time (user and system, in milliseconds) a thread of a process has used: fields 14
// and 15 of /proc/<pid>/task/<tid>/stat, after the command name in parentheses. -1 where
// there is no such file (not Linux, or the thread has ended).
qint64 threadCpuMs(qint64 pid, qint64 tid)
{
    if (pid <= 0 || tid <= 0)
        return -1;
    QFile stat(QStringLiteral("/proc/%1/task/%2/stat").arg(pid).arg(tid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = stat.read(1024);
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0)
        return -1;
    // After ") ": state (3), ppid, pgrp, session, tty_nr, tpgid, flags, minflt, cminflt,
    // majflt, cmajflt, utime (14), stime (15).
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    bool okUser = false;
    bool okSystem = false;
    const qint64 ticks = fields[11].toLongLong(&okUser) + fields[12].toLongLong(&okSystem);
    static const long perSecond = ::sysconf(_SC_CLK_TCK);
    if (!okUser || !okSystem || perSecond <= 0)
        return -1;
    return ticks * 1000 / perSecond;
}

} // namespace

void Runner::Impl::restartClock(int program, Thread& t)
{
    t.since.restart();
    t.cpuAtStart = -1;
    if (t.native <= 0 || program < 0 || size_t(program) >= hosts.size() ||
        !hosts[size_t(program)]->process)
        return;
    t.cpuAtStart = threadCpuMs(hosts[size_t(program)]->process->pid(), t.native);
}

qint64 Runner::Impl::cpuSince(int program, const Thread& t) const
{
    if (t.cpuAtStart < 0 || size_t(program) >= hosts.size() || !hosts[size_t(program)]->process)
        return -1;
    const qint64 now = threadCpuMs(hosts[size_t(program)]->process->pid(), t.native);
    return now < 0 ? -1 : now - t.cpuAtStart;
}

bool Runner::Impl::settled(qint64* retryIn) const
{
    qint64 retry = -1;
    bool anyBlocked = false;
    for (const auto& [key, t] : threads) {
        switch (t.view.state) {
        case ThreadView::State::Waiting:
        case ThreadView::State::Finished:
        case ThreadView::State::Failed:
            break;
        case ThreadView::State::Blocked:
        case ThreadView::State::Sleeping:
            anyBlocked = true;
            break;
        case ThreadView::State::Starting:
        case ThreadView::State::Running: {
            if (t.view.callId.isValid() || t.calling)
                return *retryIn = 50, false; // its end, or its block, will say
            const qint64 wall = t.since.elapsed();
            const qint64 cpu = cpuSince(key.first, t);
            const bool busy =
                cpu >= 0 ? cpu >= kBusyAfterMs || wall >= kUnseenWaitAfterMs : wall >= kBusyAfterMs;
            if (busy) {
                anyBlocked = true;
                break;
            }
            const qint64 left = cpu >= 0 ? 20 : kBusyAfterMs - wall; // CPU time: look again
            retry = retry < 0 ? left : std::min(retry, left);
            break;
        }
        }
    }
    // Only a socket call can wake a call blocked in the kernel: a step that made none
    // needs no quiet period.
    if (retry < 0 && anyBlocked && callSinceGrant && lastNews.elapsed() < kQuietMs)
        retry = kQuietMs - lastNews.elapsed();
    for (const auto& host : hosts)
        if (!host->ended && host->process->isRunning() && threads.empty())
            retry = std::max<qint64>(retry, 5); // not begun yet
    // A blocked call the kernel has already answered (its socket is ready: the data,
    // the FIN, the connection is there) is about to return, however long its thread
    // takes to be scheduled on a busy machine: what it does comes next.
    if (retry < 0 && anyBlocked)
        for (const auto& [key, t] : threads)
            if (t.view.state == ThreadView::State::Blocked && t.view.callId.isValid() &&
                !workbench.stillParked(t.view.callId)) {
                retry = 2;
                break;
            }
    *retryIn = retry;
    return retry < 0;
}

std::optional<Runner::Next> Runner::Impl::nextThread() const
{
    const Thread* best = nullptr;
    for (const auto& [key, t] : threads) {
        if (t.view.state != ThreadView::State::Waiting)
            continue;
        // Earliest place first; at the same place a `# background` statement runs before
        // the actor that started it goes on (that is what the directive is for); then
        // the older thread.
        const auto rank = [](const Thread& x) {
            return std::make_tuple(x.home, x.background ? 0 : 1, x.order);
        };
        if (!best || rank(t) < rank(*best))
            best = &t;
    }
    if (!best)
        return std::nullopt;
    // A call that ends by itself (a timeout) is waited out before a later section of the
    // storyboard goes: the script's order, not the pace of stepping, says what comes
    // next (lesson 25's recv() times out before the reader starts, at any pace). Not
    // accept(): a later section is where its client comes from (lesson 15's receiver).
    for (const auto& [key, t] : threads)
        if (t.view.state == ThreadView::State::Blocked && t.home >= 0 && t.home < best->home &&
            t.view.program == best->view.program && hasTimeout.value(t.blockedOn, false) &&
            !t.view.call.startsWith(QLatin1String("accept")))
            return std::nullopt;
    return Next{best->view.program, best->view.tid, best->view.name, best->view.actor,
                best->view.line};
}

QList<ThreadView> Runner::Impl::liveThreads() const
{
    std::vector<const Thread*> ordered;
    for (const auto& [key, t] : threads)
        ordered.push_back(&t);
    std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) {
        return a->view.program != b->view.program ? a->view.program < b->view.program
                                                  : a->order < b->order;
    });
    QList<ThreadView> out;
    for (const auto* t : ordered)
        out << t->view;
    return out;
}

bool Runner::Impl::allEnded() const
{
    for (const auto& host : hosts)
        if (!host->ended)
            return false;
    // A program kept alive for clicks runs the clicked statements after its end.
    for (const auto& [key, t] : threads)
        if (t.view.state != ThreadView::State::Finished &&
            t.view.state != ThreadView::State::Failed && size_t(key.first) < hosts.size() &&
            hosts[size_t(key.first)]->process->isRunning())
            return false;
    return true;
}

void Runner::Impl::grant(const Next& next)
{
    Thread& th = threads.at({next.program, next.tid});
    threadsBefore.push_back(liveThreads());
    settledAfter.push_back(-1);
    StepRecord s;
    s.index = int(steps.size());
    s.traceSeq = workbench.trace().lastSeq();
    s.program = next.program;
    s.tid = next.tid;
    s.thread = th.view.name;
    s.actor = th.view.actor;
    s.line = th.view.line;
    s.source = statementAt(programs[next.program].lesson.source, s.line);
    steps.push_back(s);
    th.step = s.index;
    th.interrupted = false;
    callSinceGrant = false;
    th.view.state = ThreadView::State::Running;
    restartClock(next.program, th);
    const QJsonValue id = th.lineId;
    th.lineId = QJsonValue();
    news();
    hosts[size_t(next.program)]->process->send(
        {{QStringLiteral("t"), QStringLiteral("go")}, {QStringLiteral("id"), id}});
    // A statement that waits in something the workbench does not see (select(), a pipe)
    // sends nothing more: the step is looked at again until it settles, not only when
    // some other news happens to come. (Not while clicks of a run stepped back over are
    // to be made again: those go by the news of the steps before them.)
    if (replayTo < 0 && clicksToRemake.empty())
        settleTimer.start(int(kQuietMs));
    if (!silent()) {
        Q_EMIT q->stepIssued(s.index);
        Q_EMIT q->threadsChanged();
    }
}

void Runner::Impl::pump()
{
    if (mode == Mode::Resetting) {
        if (awaitingFirstLines && programsReady())
            finishReset();
        return;
    }
    if (shown >= 0 && replayTo < 0)
        return; // stepped back: the live run waits, it is re-made when the student goes on
    qint64 retryIn = -1;
    if (!settled(&retryIn)) {
        unsettledSeen = true;
        settleTimer.start(int(std::max<qint64>(retryIn, 1)));
        return;
    }
    // Whoever asked next() while the step was settling heard "nothing yet" (the Step
    // button, the narration, the code's arrow). It settled with no news of its own (the
    // quiet after a thread's call ended): they ask again now, or they would go on saying
    // that nothing can step.
    if (std::exchange(unsettledSeen, false) && !silent())
        Q_EMIT q->threadsChanged();
    // A run re-made for a step back: a click made at this point of the first run is made
    // again now (before anything else is granted, even once the program has ended), in
    // the re-make and in the steps that go on from it.
    for (Click& c : clicksToRemake) {
        if (c.step != int(steps.size()) || c.sent || hosts.empty())
            continue;
        c.sent = true;
        hosts.front()->process->send(c.exec);
        return; // its thread's first line comes next, and pumps again
    }
    if (replayTo >= 0) {
        const auto next = nextThread();
        // There, or as far as the run goes: it ended, or nothing can wake it.
        if (int(steps.size()) >= replayTo || allEnded() ||
            (!next && !stuckExplanation().isEmpty())) {
            finishRemake();
            return;
        }
        if (next)
            grant(*next);
        return; // else a timeout or a sleep moves it, as it did the first time
    }
    if (allEnded()) {
        if (mode != Mode::Finished) {
            setMode(Mode::Finished);
            Q_EMIT q->finished(failures == 0);
        }
        return;
    }
    const auto next = nextThread();
    if (!next) {
        if (mode == Mode::Stepping && !wantStep)
            setMode(Mode::Idle); // every thread waits in a call: Step has nothing to give
        checkStuck();
        return;
    }
    if (wantStep || next->thread.startsWith(QLatin1String("click-"))) {
        wantStep = false;
        grant(*next);
        return;
    }
    if (mode != Mode::Playing) {
        // The step settled: nothing runs until the next Step (the window enables it).
        if (mode == Mode::Stepping)
            setMode(Mode::Idle);
        return;
    }
    const LineNotes notes = programs[next->program].lesson.notes.value(next->line);
    if (runTo >= 0 && next->line == runTo) {
        runTo = -1;
        setMode(Mode::Stepping);
        return;
    }
    if (stopAtPauses && notes.pause && !steps.empty() && !pausedHere(*next)) {
        setMode(Mode::Stepping);
        Q_EMIT q->pausedAt(next->line);
        return;
    }
    if (playInterval > 0) {
        if (!playTimer.isActive())
            playTimer.start(playInterval);
        return;
    }
    grant(*next);
}

bool Runner::Impl::pausedHere(const Next& next)
{
    // Play stops before a "# pause" line once; pressing Play again goes on from there.
    // A line in a loop is paused at on its first turn only: its question has been asked,
    // and its answer is on the screen by the second.
    if (std::any_of(steps.cbegin(), steps.cend(), [&](const StepRecord& r) {
            return r.program == next.program && r.line == next.line;
        }))
        return true;
    if (pausedAtLine == next.line && pausedAtStep == steps.size())
        return true;
    pausedAtLine = next.line;
    pausedAtStep = steps.size();
    return false;
}

void Runner::Impl::checkStuck()
{
    if (stuckSaid)
        return;
    const QString explanation = stuckExplanation();
    if (explanation.isEmpty())
        return;
    stuckSaid = true;
    Q_EMIT q->stuck(explanation);
}

QString Runner::Impl::stuckExplanation() const
{
    QStringList waiting;
    for (const auto& [key, t] : threads) {
        switch (t.view.state) {
        case ThreadView::State::Finished:
        case ThreadView::State::Failed:
            continue;
        case ThreadView::State::Blocked: {
            if (hasTimeout.value(t.blockedOn, false))
                return {}; // a timeout will end it
            waiting << QStringLiteral("%1 waits in %2 at line %3")
                           .arg(t.view.name, t.view.call)
                           .arg(t.view.line);
            break;
        }
        default:
            return {}; // sleeping, running elsewhere: time will move it
        }
    }
    if (waiting.isEmpty() || !peers->peers().isEmpty())
        return {};
    return QStringLiteral("Every thread waits and nothing can wake any of them: %1.")
        .arg(waiting.join(QStringLiteral("; ")));
}

} // namespace sockbench::program
