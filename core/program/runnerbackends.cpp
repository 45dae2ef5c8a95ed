// The runner's programs: their backends started, ended and reset (runnerimpl.h).

#include "runnerimpl.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

#include <csignal>

namespace sockbench::program {

namespace {

QString signalName(int signal)
{
    switch (signal) {
    case SIGSEGV:
        return QStringLiteral("SIGSEGV (a segmentation fault)");
    case SIGKILL:
        return QStringLiteral("SIGKILL");
    case SIGABRT:
        return QStringLiteral("SIGABRT (the interpreter aborted)");
    case SIGBUS:
        return QStringLiteral("SIGBUS");
    case SIGTERM:
        return QStringLiteral("SIGTERM");
    default:
        return QStringLiteral("signal %1").arg(signal);
    }
}

} // namespace

int Runner::Impl::storyboardOffset(int program) const
{
    int offset = 0;
    for (int p = 0; p < program && p < programs.size(); ++p)
        offset += std::max<int>(1, int(programs[p].lesson.sections.size()));
    return offset;
}

void Runner::Impl::setMode(Mode m)
{
    if (mode == m)
        return;
    mode = m;
    Q_EMIT q->modeChanged(m);
}

void Runner::Impl::news()
{
    lastNews.restart();
    stuckSaid = false;
}

void Runner::Impl::startAll()
{
    ++generation;
    threads.clear();
    clickLines.clear();
    steps.clear();
    threadsBefore.clear();
    settledAfter.clear();
    heldFinished.clear();
    runStart = workbench.trace().lastSeq() + 1;
    callOwner.clear();
    endedEarly.clear();
    blockedEarly.clear();
    failures = 0;
    stuckSaid = false;
    hosts.clear();
    QList<std::pair<QString, QString>> declared;
    for (const ProgramView& p : std::as_const(programs))
        declared += p.lesson.peers;
    const QList<CallId> ready = peers->restart(declared);
    peersReady = QSet<CallId>(ready.begin(), ready.end());
    startPending = true;
    if (readyToStart())
        startBackends();
}

void Runner::Impl::startBackends()
{
    startPending = false;
    const quint64 gen = generation;
    const QJsonObject names = peers->addressNames();
    for (int i = 0; i < programs.size(); ++i) {
        ProgramView& view = programs[i];
        view.running = true;
        view.exitCode = 0;
        view.ended.clear();
        auto host = std::make_unique<ProgramHost>();
        host->process = std::make_unique<BackendProcess>();
        ProgramHost* raw = host.get();
        host->bridge = std::make_unique<CallBridge>(
            workbench, *host->process, [raw](qint64 tid) { return raw->actorOf(tid); });
        // The bridge's own handler: it answers "not mine" once the bridge is gone, where
        // raw->bridge would be a null pointer on the reader thread.
        host->process->setFrameHandler([raw, bridged = host->bridge->frameHandler()](
                                           Channel::Frame& frame) {
            const QString t = frame.message.value(QStringLiteral("t")).toString();
            if (t == QLatin1String("thread")) {
                std::lock_guard lock(raw->mutex);
                raw->actors.insert(qint64(frame.message.value(QStringLiteral("tid")).toDouble()),
                                   frame.message.value(QStringLiteral("actor")).toString());
            }
            return bridged(frame);
        });
        // A send() of megabytes is a socket call from its first byte on: the thread is not
        // busy computing, and nothing after it may start before it is seen to run.
        QObject::connect(host->process.get(), &BackendProcess::callArriving, q,
                         [this, i, gen](qint64 tid) {
                             if (gen == generation)
                                 thread(i, tid).calling = true;
                         });
        QObject::connect(host->bridge.get(), &CallBridge::callStarted, q,
                         [this, i, gen](qint64 tid, CallId call, const QString& text) {
                             if (gen == generation)
                                 onCallStarted(i, tid, call, text);
                         });
        QObject::connect(host->bridge.get(), &CallBridge::callEnded, q,
                         [this, i, gen](qint64 tid, CallId call, const Event& event) {
                             if (gen != generation)
                                 return;
                             noteSockets(event);
                             onCallEnded(i, tid, call,
                                         event.result.outcome == Outcome::Interrupted);
                         });
        QObject::connect(host->process.get(), &BackendProcess::frameReceived, q,
                         [this, i, gen](const QJsonObject& m, const QByteArray&) {
                             if (gen == generation)
                                 onFrame(i, m);
                         });
        QObject::connect(host->process.get(), &BackendProcess::rawOutput, q,
                         [this, i, gen](const QString& text, bool isError) {
                             if (gen != generation || silent())
                                 return; // a re-made run's output was seen the first time
                             Q_EMIT q->programOutput(i, isError, text);
                             Q_EMIT q->printed(programs[i].host, text);
                         });
        QObject::connect(host->process.get(), &BackendProcess::exited, q,
                         [this, i, gen](int code, int signal) {
                             if (gen == generation)
                                 onExited(i, code, signal);
                         });
        QJsonObject load{
            {QStringLiteral("source"), view.lesson.source},
            {QStringLiteral("filename"), view.lesson.fileName},
            {QStringLiteral("mode"), free ? QStringLiteral("free") : QStringLiteral("step")},
            {QStringLiteral("names"), names}};
        if (keepAlive)
            load.insert(QStringLiteral("stay"), true); // clicks still run after the end
        // Clicked lines run when they were clicked (each in a thread of its own), never as
        // their section's statements: those of a re-made run, and those clicked while the
        // programs were starting.
        if (i == 0 && (!clicksToRemake.empty() || !pendingExecs.isEmpty())) {
            QJsonArray clicked;
            for (const Click& c : clicksToRemake)
                clicked << c.exec.value(QStringLiteral("line"));
            for (const QJsonObject& exec : std::as_const(pendingExecs))
                clicked << exec.value(QStringLiteral("line"));
            load.insert(QStringLiteral("clicked"), clicked);
        }
        QString workingDirectory;
        if (!view.lesson.path.isEmpty() && !view.lesson.path.startsWith(QLatin1Char(':'))) {
            load.insert(QStringLiteral("path"), QFileInfo(view.lesson.path).absoluteFilePath());
            workingDirectory = QDir::currentPath();
        }
        QString error;
        if (!host->process->start(load, workingDirectory, &error)) {
            view.running = false;
            view.ended = error;
            host->ended = true;
            ++failures;
            Q_EMIT q->printed(view.host, error + QLatin1Char('\n'));
        }
        hosts.push_back(std::move(host));
    }
    news();
}

void Runner::Impl::stopAll()
{
    startPending = false;
    ++generation;
    for (auto& host : hosts) {
        host->process->kill();
        // The backend is gone: close what it left open (its duplicates died with it).
        host->bridge->closeAll();
    }
    sockets.clear();
    socketNames.clear();
    namedAtModuleLevel.clear();
    madeByStep.clear();
    hasTimeout.clear();
    hosts.clear(); // joins the readers
    peers->stopAll();
}

void Runner::Impl::onExited(int program, int code, int signal)
{
    if (hosts[size_t(program)]->ended)
        return; // said already (its `exit`, kept alive for clicks)
    ProgramView& view = programs[program];
    hosts[size_t(program)]->ended = true;
    view.running = false;
    view.exitCode = code;
    if (signal == SIGKILL && code < 0)
        view.ended = QStringLiteral("was killed (SIGKILL): it may have run out of the "
                                    "memory the workbench allows a program (%1 MiB)")
                         .arg(BackendProcess::kMemoryLimit >> 20);
    else if (signal > 0)
        view.ended = QStringLiteral("crashed: %1").arg(signalName(signal));
    else
        view.ended = QStringLiteral("exited with %1").arg(code);
    if (signal > 0 || code != 0)
        ++failures;
    for (auto& [key, thread] : threads) {
        if (key.first != program)
            continue;
        if (thread.view.state != ThreadView::State::Finished &&
            thread.view.state != ThreadView::State::Failed) {
            thread.view.state =
                signal > 0 ? ThreadView::State::Failed : ThreadView::State::Finished;
            if (signal > 0)
                thread.view.error = view.ended;
            settleStep(thread, signal > 0 ? StepRecord::Kind::Failed : StepRecord::Kind::Ok,
                       signal > 0 ? QStringLiteral("the program %1").arg(view.ended) : QString());
        }
    }
    news();
    Q_EMIT q->threadsChanged();
    if (!silent())
        Q_EMIT q->programEnded(program, view.ended);
    pump();
}

bool Runner::Impl::programsReady() const
{
    if (free)
        return true;
    for (size_t p = 0; p < hosts.size(); ++p) {
        if (hosts[p]->ended)
            continue;
        bool ready = false;
        for (const auto& [key, t] : threads)
            if (key.first == int(p) && t.view.state != ThreadView::State::Starting)
                ready = true;
        if (!ready)
            return false;
        // A lesson's sections start as threads all at once, in no fixed order: the
        // storyboard can only choose once each stands at its first line (or has ended).
        // Until then a later section could be taken for the next.
        for (const QString& actor : std::as_const(hosts[p]->sections)) {
            const bool arrived = std::any_of(threads.begin(), threads.end(), [&](const auto& e) {
                return e.first.first == int(p) && e.second.section &&
                       e.second.view.actor == actor &&
                       e.second.view.state != ThreadView::State::Starting;
            });
            if (!arrived)
                return false;
        }
    }
    return true;
}

void Runner::Impl::finishReset()
{
    if (!programsReady()) {
        awaitingFirstLines = true;
        return;
    }
    awaitingFirstLines = false;
    if (replayTo >= 0) {
        // A silent re-make: the window goes on showing the moment it re-makes, and the
        // clicks made meanwhile run once the run is there.
        setMode(Mode::Stepping);
        pump();
        return;
    }
    for (const QJsonObject& exec : std::exchange(pendingExecs, {}))
        hosts.front()->process->send(exec);
    setMode(playAfterReset ? Mode::Playing : Mode::Idle);
    playAfterReset = false;
    Q_EMIT q->resetDone();
    Q_EMIT q->threadsChanged();
    pump();
}

void Runner::Impl::onWorkbenchEvent(const Event& event)
{
    if (peersReady.remove(event.call) && readyToStart() && startPending) {
        startBackends();
        finishReset();
    }
}

} // namespace sockbench::program
