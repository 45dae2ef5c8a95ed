// Stepping back: the recorded moment at once, and the silent re-make (runnerimpl.h).

#include "runnerimpl.h"

namespace sockbench::program {

void Runner::Impl::showMoment(int step)
{
    shown = step;
    shownSteps.assign(history.begin(), history.begin() + step);
    for (StepRecord& r : shownSteps) {
        const int after = historySettled[size_t(r.index)];
        if (after >= 0 && after <= step)
            continue;
        // Still running at that moment (a call that waited): its end is later.
        r.settled = false;
        r.settledWith = -1;
        r.kind = StepRecord::Kind::Ok;
        r.error.clear();
        r.errorName.clear();
        r.traceback.clear();
        r.reason.clear();
    }
    setMode(Mode::Idle);
    Q_EMIT q->rewound(step, history[size_t(step)].traceSeq);
    Q_EMIT q->threadsChanged();
}

void Runner::Impl::beginRemake()
{
    replayTo = shown;
    remade = history;
    // Every click of the recorded run, at the step it began with: those before the moment
    // are made again in the re-make, those after it when the steps that go on reach them.
    std::vector<Click> clicks;
    QSet<QString> seen; // by name: python3 reuses the ident of a thread that ended
    for (const StepRecord& s : history) {
        if (s.program != 0 || !s.thread.startsWith(QLatin1String("click-")) ||
            seen.contains(s.thread))
            continue;
        seen.insert(s.thread);
        clicks.push_back({s.index, execMessage(s.thread, s.actor, s.line, s.source), false});
    }
    for (const Click& c : clicksToRemake) // still to come when Back was pressed
        if (!c.sent && c.step >= int(history.size()))
            clicks.push_back({c.step, c.exec, false});
    clicksToRemake = std::move(clicks);
    setMode(Mode::Resetting);
    settleTimer.stop();
    playTimer.stop();
    stopAll();
    startAll();
    if (readyToStart())
        finishReset();
}

void Runner::Impl::finishRemake()
{
    replayTo = -1;
    remade.clear();
    shown = -1;
    history.clear();
    historyThreads.clear();
    historySettled.clear();
    shownSteps.clear();
    Q_EMIT q->remade();
    Q_EMIT q->threadsChanged();
    for (const QJsonObject& exec : std::exchange(pendingExecs, {}))
        hosts.front()->process->send(exec);
    if (playAfterRemake) {
        playAfterRemake = false;
        setMode(Mode::Playing);
    } else if (wantStep) {
        setMode(Mode::Stepping);
    } else {
        setMode(Mode::Idle);
    }
    pump();
}

void Runner::Impl::dropClicksAfter(int step)
{
    for (const StepRecord& s : history) {
        if (s.index < step || s.program != 0 || !s.thread.startsWith(QLatin1String("click-")))
            continue;
        if (const auto it = lessonBeforeClick.constFind(s.thread); it != lessonBeforeClick.cend()) {
            programs.first().lesson = *it;
            break;
        }
    }
    history.resize(size_t(step)); // (the threads shown stay: historyThreads)
    clicksToRemake.erase(std::remove_if(clicksToRemake.begin(), clicksToRemake.end(),
                                        [step](const Click& c) { return c.step >= step; }),
                         clicksToRemake.end());
}

void Runner::stepBack()
{
    if (d->shown < 0) {
        if (d->steps.empty() || (d->mode == Mode::Resetting && d->replayTo < 0))
            return;
        // The run as it is now is the history the window walks back through.
        pause();
        d->history = d->steps;
        d->historyThreads = d->threadsBefore;
        d->historySettled = d->settledAfter;
        d->heldFinished.clear(); // the window shows the history from here on
        d->showMoment(int(d->steps.size()) - 1);
        return;
    }
    if (d->shown == 0 || !d->pendingExecs.isEmpty())
        return; // (a click made back there waits for its re-make: it goes first)
    d->wantStep = false;
    d->playAfterRemake = false;
    d->runTo = -1;
    d->showMoment(d->shown - 1);
    // A re-make already past the moment shown now starts again (it stops there).
    if (d->replayTo >= 0 && int(d->steps.size()) > d->shown)
        d->beginRemake();
    else if (d->replayTo >= 0)
        d->replayTo = d->shown;
}

} // namespace sockbench::program
