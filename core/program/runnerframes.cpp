// What the backends and the workbench say, thread by thread (runnerimpl.h).

#include "runnerimpl.h"

#include <QJsonArray>

#include <cstring>

namespace sockbench::program {

Runner::Impl::Thread& Runner::Impl::thread(int program, qint64 tid)
{
    auto key = std::make_pair(program, tid);
    auto it = threads.find(key);
    if (it == threads.end()) {
        Thread t;
        t.view.program = program;
        t.view.tid = tid;
        t.order = nextOrder++;
        t.since.start();
        it = threads.emplace(key, t).first;
    }
    return it->second;
}

void Runner::Impl::settleStep(Thread& t, StepRecord::Kind kind, const QString& reason)
{
    if (t.step < 0)
        return;
    StepRecord& s = steps[size_t(t.step)];
    t.step = -1;
    t.calling = false;
    if (s.settled)
        return;
    s.settled = true;
    s.settledWith = int(steps.size());
    settledAfter[size_t(s.index)] = s.settledWith;
    if (s.kind == StepRecord::Kind::Ok)
        s.kind = kind;
    if (!reason.isEmpty() && s.reason.isEmpty())
        s.reason = reason;
    if (s.kind == StepRecord::Kind::Failed)
        ++failures;
    if (silent())
        return;
    // Woken by the step begun last, still in its call (a recv() that sendall() fed): told
    // once that one has ended or waits, so that every transcript reads cause first.
    const int last = int(steps.size()) - 1;
    if (s.index < last && inItsCall(last)) {
        heldFinished[last].push_back(s.index);
        return;
    }
    Q_EMIT q->stepFinished(s);
    tellHeld(s.index);
}

bool Runner::Impl::inItsCall(int step) const
{
    if (step < 0 || size_t(step) >= steps.size() || steps[size_t(step)].settled)
        return false;
    for (const auto& [key, t] : threads)
        if (t.step == step)
            return t.view.state == ThreadView::State::Running;
    return false;
}

void Runner::Impl::tellHeld(int step)
{
    const auto held = heldFinished.find(step);
    if (held == heldFinished.end())
        return;
    const std::vector<int> indices = std::move(held->second);
    heldFinished.erase(held);
    for (const int index : indices)
        if (size_t(index) < steps.size()) {
            Q_EMIT q->stepFinished(steps[size_t(index)]);
            tellHeld(index);
        }
}

void Runner::Impl::markClicksStillRunning(ProgramView& view)
{
    for (const auto& [key, t] : threads) {
        if (key.first != 0 || t.view.state == ThreadView::State::Finished ||
            t.view.state == ThreadView::State::Failed)
            continue;
        const int line = clickLines.take(t.view.name);
        if (line <= 0)
            continue;
        QStringList lines = view.lesson.source.split(QLatin1Char('\n'));
        if (line > lines.size() || lines[line - 1].contains(QLatin1Char('#')))
            continue; // a '#' may be in a string: leave such a line alone
        lines[line - 1] += QStringLiteral("  # background");
        view.lesson.source = lines.join(QLatin1Char('\n'));
        view.lesson.notes[line].background = true;
    }
}

void Runner::Impl::noteChanges(const Thread& th, const QJsonObject& m)
{
    if (th.step < 0)
        return;
    StepRecord& s = steps[size_t(th.step)];
    // An `end` reports a module frame's last line; a `line` names its frame's function.
    const bool moduleLevel =
        !m.contains(QStringLiteral("func")) ||
        m.value(QStringLiteral("func")).toString() == QLatin1String("<module>");
    for (const QJsonValue& change : m.value(QStringLiteral("changes")).toArray()) {
        const QJsonArray c = change.toArray();
        s.changes << QStringLiteral("%1 = %2").arg(c.at(0).toString(), c.at(1).toString());
        if (c.size() <= 2 || !c.at(2).isDouble())
            continue;
        const SocketId socket{quint32(c.at(2).toDouble())};
        if (namedAtModuleLevel.contains(socket) || (!moduleLevel && socketNames.contains(socket)))
            continue;
        socketNames.insert(socket, c.at(0).toString());
        if (moduleLevel)
            namedAtModuleLevel.insert(socket);
    }
}

void Runner::Impl::onFrame(int program, const QJsonObject& m)
{
    const QString t = m.value(QStringLiteral("t")).toString();
    const qint64 tid = qint64(m.value(QStringLiteral("tid")).toDouble());
    ProgramView& view = programs[program];
    if (t == QLatin1String("thread")) {
        Thread& th = thread(program, tid);
        th.view.name = m.value(QStringLiteral("name")).toString();
        th.view.actor = m.value(QStringLiteral("actor")).toString();
        th.native = qint64(m.value(QStringLiteral("native")).toDouble());
        th.view.state = ThreadView::State::Starting;
        const QJsonValue parent = m.value(QStringLiteral("parent"));
        if (th.view.name.startsWith(QLatin1String("click-"))) {
            th.home = -1; // a click is the student's own action: it runs at once
        } else if (!parent.isNull() && !parent.isUndefined()) {
            auto it = threads.find({program, qint64(parent.toDouble())});
            th.home = it != threads.end() ? it->second.home : storyboardOffset(program);
            th.background = m.value(QStringLiteral("background")).toBool();
        } else {
            th.section = true;
            const int section = [&] {
                for (int s = 0; s < view.lesson.sections.size(); ++s)
                    if (view.lesson.sections[s].actor == th.view.actor)
                        return s;
                return 0;
            }();
            th.home = storyboardOffset(program) + section;
        }
        news();
        Q_EMIT q->threadsChanged();
    } else if (t == QLatin1String("line")) {
        Thread& th = thread(program, tid);
        if (th.step >= 0) {
            noteChanges(th, m);
            settleStep(th, StepRecord::Kind::Ok);
        }
        th.view.line = m.value(QStringLiteral("line")).toInt();
        th.view.state = ThreadView::State::Waiting;
        th.view.call.clear();
        th.busy = false;
        th.lineId = m.value(QStringLiteral("id"));
        // Its place in the storyboard: the section of its own actor that holds the line.
        const int section = view.lesson.sectionAt(th.view.line);
        if (th.home >= 0 && section >= 0 && view.lesson.sections[section].actor == th.view.actor)
            th.home = storyboardOffset(program) + section;
        news();
        Q_EMIT q->threadsChanged();
    } else if (t == QLatin1String("out")) {
        Thread& th = thread(program, tid);
        const QString actor = th.view.actor;
        const QString text = m.value(QStringLiteral("text")).toString();
        if (th.step >= 0)
            steps[size_t(th.step)].output += text;
        if (silent()) {
            pump();
            return; // printed the first time
        }
        Q_EMIT q->programOutput(
            program, m.value(QStringLiteral("stream")).toString() == QLatin1String("stderr"), text);
        Q_EMIT q->printed(actor.isEmpty() ? view.host : actor, text);
    } else if (t == QLatin1String("expected")) {
        Thread& th = thread(program, tid);
        if (th.step >= 0) {
            StepRecord& s = steps[size_t(th.step)];
            // "# expect: EACCES or ok" met by ok: the statement simply ran.
            if (m.value(QStringLiteral("name")).toString() != QLatin1String("ok")) {
                s.kind = StepRecord::Kind::ExpectedError;
                s.errorName = m.value(QStringLiteral("name")).toString();
                s.error = m.value(QStringLiteral("text")).toString();
            }
        }
    } else if (t == QLatin1String("unexpected")) {
        Thread& th = thread(program, tid);
        if (th.step >= 0) {
            StepRecord& s = steps[size_t(th.step)];
            s.kind = StepRecord::Kind::Failed;
            QStringList expected;
            for (const QJsonValue& v : m.value(QStringLiteral("expected")).toArray())
                expected << v.toString();
            s.reason = QStringLiteral("expected %1, but got %2")
                           .arg(expected.join(QStringLiteral(" or ")),
                                m.value(QStringLiteral("got")).toString());
        }
    } else if (t == QLatin1String("raise")) {
        Thread& th = thread(program, tid);
        const QString type = m.value(QStringLiteral("type")).toString();
        const QString message = m.value(QStringLiteral("message")).toString();
        th.view.state = ThreadView::State::Failed;
        th.view.error = message.isEmpty() ? type : type + QStringLiteral(": ") + message;
        const int line = m.value(QStringLiteral("line")).toInt();
        if (line > 0)
            th.view.line = line;
        if (th.step >= 0) {
            StepRecord& s = steps[size_t(th.step)];
            s.error = th.view.error;
            s.traceback = m.value(QStringLiteral("traceback")).toString();
            const int number = m.value(QStringLiteral("errno")).toInt();
            s.errorName = number > 0 ? QString::fromLatin1(strerrorname_np(number)) : type;
            // A call the student (or Reset, or Quit) interrupted ends its statement as
            // interrupted: the workbench said so, and the stand-in raised
            // InterruptedError for it.
            // A statement a click added reports what it raised; in a program, an
            // exception nobody caught ends its thread, and the run has failed.
            if (type == QLatin1String("MemoryError"))
                s.reason =
                    QStringLiteral("MemoryError: the program asked for more than the %1 GiB of "
                                   "memory the workbench allows one program")
                        .arg(BackendProcess::kMemoryLimit >> 30);
            if (type == QLatin1String("InterruptedError") && th.interrupted)
                s.kind = StepRecord::Kind::Interrupted;
            else
                s.kind = th.view.name.startsWith(QLatin1String("click-"))
                             ? StepRecord::Kind::Raised
                             : StepRecord::Kind::Failed;
            settleStep(th, s.kind);
        } else {
            ++failures;
        }
        news();
        Q_EMIT q->threadsChanged();
    } else if (t == QLatin1String("sections")) {
        for (const QJsonValue& actor : m.value(QStringLiteral("actors")).toArray())
            hosts[size_t(program)]->sections << actor.toString();
        news();
    } else if (t == QLatin1String("end")) {
        Thread& th = thread(program, tid);
        noteChanges(th, m); // what its last line bound, which no later line reports
        if (th.view.state != ThreadView::State::Failed)
            th.view.state = ThreadView::State::Finished;
        settleStep(th, StepRecord::Kind::Ok);
        news();
        Q_EMIT q->threadsChanged();
    } else if (t == QLatin1String("wait")) {
        Thread& th = thread(program, tid);
        th.view.state = ThreadView::State::Sleeping;
        th.view.call = m.value(QStringLiteral("what")).toString();
        news();
        Q_EMIT q->threadsChanged();
    } else if (t == QLatin1String("resume")) {
        Thread& th = thread(program, tid);
        if (th.view.state == ThreadView::State::Sleeping) {
            th.view.state = ThreadView::State::Running;
            th.view.call.clear();
            restartClock(program, th);
        }
        news();
    } else if (t == QLatin1String("exit")) {
        view.exitCode = m.value(QStringLiteral("code")).toInt();
        // Kept alive for clicks: the program has ended all the same.
        if (keepAlive && !hosts[size_t(program)]->ended)
            onExited(program, view.exitCode, 0);
    }
    pump();
}

void Runner::Impl::onCallStarted(int program, qint64 tid, CallId call, const QString& text)
{
    // The call may end on its worker before the reader thread says it began: then its
    // end came first, and it must not be taken for a call still running.
    if (endedEarly.remove(call)) {
        thread(program, tid).calling = false;
        callSinceGrant = true;
        news();
        return;
    }
    Thread& th = thread(program, tid);
    th.interrupted = false;
    callOwner.insert(call, {program, tid});
    callSinceGrant = true;
    th.calling = false;
    th.view.callId = call;
    th.view.call = text;
    restartClock(program, th);
    if (th.step >= 0)
        steps[size_t(th.step)].calls << call;
    news();
    if (const auto early = blockedEarly.find(call); early != blockedEarly.end()) {
        const SocketId socket = early.value();
        blockedEarly.erase(early);
        onCallBlocked(call, socket);
    }
}

void Runner::Impl::onCallBlocked(CallId call, SocketId socket)
{
    auto owner = callOwner.find(call);
    if (owner == callOwner.end()) {
        // Perhaps one of ours whose start is still on its way (a peer's call otherwise:
        // those are few, and forgotten at the next reset).
        if (!endedEarly.contains(call))
            blockedEarly.insert(call, socket);
        return;
    }
    // A call counts as blocked once it has waited kBlockedAfterMs: a connect() on loopback
    // waits some microseconds for the kernel's handshake, and is not "blocked" for that.
    if (auto it = threads.find(owner.value()); it != threads.end() &&
                                               it->second.view.callId == call &&
                                               it->second.since.elapsed() < kBlockedAfterMs) {
        const quint64 gen = generation;
        QTimer::singleShot(int(kBlockedAfterMs - it->second.since.elapsed()) + 1, q,
                           [this, gen, call, socket] {
                               if (gen == generation)
                                   markBlocked(call, socket);
                           });
        return;
    }
    markBlocked(call, socket);
}

void Runner::Impl::markBlocked(CallId call, SocketId socket)
{
    auto owner = callOwner.find(call);
    if (owner == callOwner.end())
        return;
    auto it = threads.find(owner.value());
    if (it == threads.end())
        return;
    Thread& th = it->second;
    if (th.view.callId != call)
        return;
    th.view.state = ThreadView::State::Blocked;
    th.blockedOn = socket;
    // Re-making the run for a step back: a call the student interrupted the first time
    // is interrupted again, or the replay would wait in it for ever.
    if (replayTo >= 0 && th.step >= 0 && size_t(th.step) < remade.size() &&
        remade[size_t(th.step)].kind == StepRecord::Kind::Interrupted &&
        remade[size_t(th.step)].line == th.view.line)
        workbench.interrupt(call);
    news();
    if (th.step >= 0 && !silent()) {
        Q_EMIT q->stepBlocked(th.step, call);
        tellHeld(th.step);
    }
    Q_EMIT q->threadsChanged();
    pump();
}

void Runner::Impl::onCallEnded(int program, qint64 tid, CallId call, bool interrupted)
{
    if (!callOwner.remove(call))
        endedEarly.insert(call);
    blockedEarly.remove(call);
    callSinceGrant = true;
    auto it = threads.find({program, tid});
    if (it == threads.end())
        return;
    Thread& th = it->second;
    th.interrupted = interrupted;
    if (th.view.callId == call) {
        if (th.view.state == ThreadView::State::Blocked)
            th.view.state = ThreadView::State::Running;
        th.view.callId = CallId{};
        restartClock(program, th);
        Q_EMIT q->threadsChanged();
    }
    news();
    pump();
}

void Runner::Impl::noteSockets(const Event& event)
{
    if (event.request.kind == CallKind::Socket || event.request.kind == CallKind::Accept ||
        event.request.kind == CallKind::SocketPair) {
        if (!event.result.ok() || !event.result.newSocket.isValid())
            return;
        // The step that made it names it (its changes), once it has settled.
        int step = -1;
        if (const auto owner = callOwner.constFind(event.call); owner != callOwner.cend())
            if (const auto t = threads.find(owner.value()); t != threads.end())
                step = t->second.step;
        for (const SocketId made : {event.result.newSocket, event.result.pairedSocket}) {
            if (!made.isValid())
                continue;
            sockets.insert(made);
            if (step >= 0)
                madeByStep.insert(made, step);
        }
    } else if (event.request.kind == CallKind::SetTimeout) {
        hasTimeout.insert(event.socket, event.request.args.timeout.has_value());
    } else if (event.request.kind == CallKind::Close && event.result.ok()) {
        sockets.remove(event.socket);
    }
}

} // namespace sockbench::program
