#include "runner.h"

#include "backendprocess.h"
#include "callbridge.h"

#include "lesson/lessonpeers.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <csignal>
#include <cstring>
#include <map>
#include <mutex>
#include <tuple>

namespace sockbench::program {

namespace {

// A thread given a line that has not come back for this long, and is in no socket call,
// waits somewhere the backend cannot name (a lock, a queue, a long computation): the
// storyboard moves on. A thread in a socket call waits for the kernel's word instead: the
// call counts as blocked once it has waited kBlockedAfterMs in its lane.
constexpr qint64 kBusyAfterMs = 250;
constexpr qint64 kBlockedAfterMs = 20;
// With a call blocked somewhere, a step counts as settled only after this long without
// news: the kernel's wake-up of a call that the step just satisfied (a connect() that
// completes an accept()) reaches its lane within microseconds on loopback.
constexpr qint64 kQuietMs = 4;

QString threadStateText(ThreadView::State state)
{
    switch (state) {
    case ThreadView::State::Starting:
        return QStringLiteral("starting");
    case ThreadView::State::Waiting:
        return QStringLiteral("waiting");
    case ThreadView::State::Running:
        return QStringLiteral("running");
    case ThreadView::State::Blocked:
        return QStringLiteral("blocked");
    case ThreadView::State::Sleeping:
        return QStringLiteral("waiting");
    case ThreadView::State::Finished:
        return QStringLiteral("finished");
    case ThreadView::State::Failed:
        return QStringLiteral("stopped");
    }
    return {};
}

QString lineText(const QString& source, int line)
{
    if (line <= 0)
        return {};
    const QStringList lines = source.split(QLatin1Char('\n'));
    return line <= lines.size() ? lines[line - 1].trimmed() : QString();
}

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

QString ThreadView::describe() const
{
    switch (state) {
    case State::Blocked:
        return QStringLiteral("blocked in %1 at line %2").arg(call).arg(line);
    case State::Sleeping:
        return QStringLiteral("waiting in %1 at line %2").arg(call).arg(line);
    case State::Running:
        return QStringLiteral("running line %1").arg(line);
    case State::Waiting:
        return QStringLiteral("at line %1").arg(line);
    case State::Failed:
        return QStringLiteral("stopped at line %1: %2").arg(line).arg(error);
    default:
        return threadStateText(state);
    }
}

// One program's backend, its bridge, and what the scheduler knows of its threads.
class ProgramHost {
public:
    std::unique_ptr<BackendProcess> process;
    std::unique_ptr<CallBridge> bridge;
    std::mutex mutex; // guards actors (read by the bridge on the reader thread)
    QHash<qint64, QString> actors;
    QStringList sections; // the section threads the backend said it starts
    bool ended = false;

    QString actorOf(qint64 tid)
    {
        std::lock_guard lock(mutex);
        return actors.value(tid);
    }
};

// What the stand-in's InterruptedError says for a call the workbench interrupted
// (resources/python/_sockbench/standin.py).
static constexpr char kInterruptedByTheWorkbench[] = "interrupted by the workbench";

// A statement clicked in free play, run in the program's namespace on a thread of its own.
static QJsonObject execMessage(const QString& thread, const QString& actor, int line,
                               const QString& source)
{
    return {{QStringLiteral("t"), QStringLiteral("exec")},
            {QStringLiteral("thread"), thread},
            {QStringLiteral("actor"), actor},
            {QStringLiteral("line"), line},
            {QStringLiteral("source"), source.trimmed()}};
}

struct Runner::Impl {
    Runner* q;
    Workbench& workbench;
    std::unique_ptr<lesson::LessonPeers> peers;
    QList<ProgramView> programs;
    std::vector<std::unique_ptr<ProgramHost>> hosts;
    std::vector<StepRecord> steps;

    struct Thread {
        ThreadView view;
        int home = 0;            // storyboard position of the line it waits at
        quint64 order = 0;       // when it began, for ties
        QJsonValue lineId;       // the `line` request waiting for its go
        QElapsedTimer since;     // since it was given its line, or its call began
        int step = -1;           // the step it runs
        bool busy = false;       // kBusyAfterMs passed without news
        SocketId blockedOn;      // the socket its blocked call waits on
        bool section = false;    // a lesson section's own thread (not a click, not started)
        bool background = false; // a `# background` statement's: runs before its starter
    };
    std::map<std::pair<int, qint64>, Thread> threads;
    quint64 nextOrder = 0;
    QHash<CallId, std::pair<int, qint64>> callOwner;
    QSet<CallId> endedEarly; // calls whose end arrived before their start
    // Calls that blocked before their start arrived: the workbench's worker and the bridge's
    // reader say so on different threads, in either order.
    QHash<CallId, SocketId> blockedEarly;
    QSet<SocketId> sockets;
    QHash<SocketId, QString> socketNames;
    QHash<SocketId, bool> hasTimeout;
    QHash<QString, int> clickLines; // a clicked statement's thread -> its line, while it runs

    Mode mode = Mode::Idle;
    int playInterval = 0;
    bool stopAtPauses = true;
    bool free = false;
    bool keepAlive = false;
    bool enabled = true;
    bool awaitingFirstLines = false; // a reset waits for every program's first line
    QList<QJsonObject> pendingExecs; // clicks made while the programs were starting
    bool wantStep = false;           // Step was pressed while the last step settled
    bool playAfterReset = false;
    bool callSinceGrant = true; // a socket call began or ended since the last grant
    int runTo = -1;
    int replayTo = -1;              // step back: re-make silently up to this many steps
    std::vector<StepRecord> remade; // the steps being re-made, as they went the first time
    // The clicks among them, by the step they began at: re-made as clicks (each through
    // `exec` at its moment, in a thread of its own), not as the section's statements.
    struct Click {
        int step = 0;
        QJsonObject exec;
        bool sent = false;
    };
    std::vector<Click> clicksToRemake;
    int failures = 0;
    quint64 generation = 0;
    QElapsedTimer lastNews; // any thread changed state
    QTimer settleTimer;
    QTimer playTimer;
    bool stuckSaid = false;

    explicit Impl(Runner* runner, Workbench& bench)
        : q(runner)
        , workbench(bench)
        , peers(std::make_unique<lesson::LessonPeers>(bench))
    {
        lastNews.start();
    }

    int storyboardOffset(int program) const
    {
        int offset = 0;
        for (int p = 0; p < program && p < programs.size(); ++p)
            offset += std::max<int>(1, int(programs[p].lesson.sections.size()));
        return offset;
    }

    void setMode(Mode m)
    {
        if (mode == m)
            return;
        mode = m;
        Q_EMIT q->modeChanged(m);
    }

    void news()
    {
        lastNews.restart();
        stuckSaid = false;
    }

    // --- starting and ending -----------------------------------------------------------

    void startAll()
    {
        ++generation;
        threads.clear();
        clickLines.clear();
        steps.clear();
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
        if (peersReady.isEmpty())
            startBackends();
    }

    // The programs start once the peers they name listen (their addresses are globals).
    QSet<CallId> peersReady;
    void startBackends()
    {
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
            host->process->setFrameHandler([raw](Channel::Frame& frame) {
                const QString t = frame.message.value(QStringLiteral("t")).toString();
                if (t == QLatin1String("thread")) {
                    std::lock_guard lock(raw->mutex);
                    raw->actors.insert(
                        qint64(frame.message.value(QStringLiteral("tid")).toDouble()),
                        frame.message.value(QStringLiteral("actor")).toString());
                }
                return raw->bridge->handleFrame(frame);
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
                                 onCallEnded(i, tid, call);
                             });
            QObject::connect(host->process.get(), &BackendProcess::frameReceived, q,
                             [this, i, gen](const QJsonObject& m, const QByteArray&) {
                                 if (gen == generation)
                                     onFrame(i, m);
                             });
            QObject::connect(host->process.get(), &BackendProcess::rawOutput, q,
                             [this, i, gen](const QString& text, bool isError) {
                                 if (gen != generation)
                                     return;
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
            if (i == 0 && !clicksToRemake.empty()) {
                QJsonArray clicked;
                for (const Click& c : clicksToRemake)
                    clicked << c.exec.value(QStringLiteral("line"));
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

    void stopAll()
    {
        ++generation;
        for (auto& host : hosts) {
            host->process->kill();
            // The backend is gone: close what it left open (its duplicates died with it).
            host->bridge->closeAll();
        }
        sockets.clear();
        socketNames.clear();
        hasTimeout.clear();
        hosts.clear(); // joins the readers
        peers->stopAll();
    }

    void onExited(int program, int code, int signal)
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
                           signal > 0 ? QStringLiteral("the program %1").arg(view.ended)
                                      : QString());
            }
        }
        news();
        Q_EMIT q->threadsChanged();
        Q_EMIT q->programEnded(program, view.ended);
        pump();
    }

    // Whether every program has reached its first line (or ended): only then can Step give
    // anything, and the reset is over.
    bool programsReady() const
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
                const bool arrived =
                    std::any_of(threads.begin(), threads.end(), [&](const auto& e) {
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

    // The programs run (paused before their first line): the reset is over.
    void finishReset()
    {
        if (!programsReady()) {
            awaitingFirstLines = true;
            return;
        }
        awaitingFirstLines = false;
        for (const QJsonObject& exec : std::exchange(pendingExecs, {}))
            hosts.front()->process->send(exec);
        if (replayTo >= 0) {
            // The stage starts again now, and shows the sockets as the replay re-makes them.
            Q_EMIT q->resetDone();
            setMode(Mode::Stepping);
            pump();
            return;
        }
        setMode(playAfterReset ? Mode::Playing : Mode::Idle);
        playAfterReset = false;
        Q_EMIT q->resetDone();
        Q_EMIT q->threadsChanged();
        pump();
    }

    // --- what the backend says ---------------------------------------------------------

    Thread& thread(int program, qint64 tid)
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

    void settleStep(Thread& t, StepRecord::Kind kind, const QString& reason = QString())
    {
        if (t.step < 0)
            return;
        StepRecord& s = steps[size_t(t.step)];
        t.step = -1;
        if (s.settled)
            return;
        s.settled = true;
        if (s.kind == StepRecord::Kind::Ok)
            s.kind = kind;
        if (!reason.isEmpty() && s.reason.isEmpty())
            s.reason = reason;
        if (s.kind == StepRecord::Kind::Failed)
            ++failures;
        if (replayTo < 0)
            Q_EMIT q->stepFinished(s);
    }

    // A clicked statement still running when the next click comes (an accept() waiting
    // for its client) would hold up the statements after it once the script is saved and
    // run: it is marked to run in the background, as it did here. Its line keeps its
    // number, so the lines of threads still running stay right.
    void markClicksStillRunning(ProgramView& view)
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

    // What the thread's step bound ("changes" of a line or end frame), kept on the step;
    // a socket bound to a name is known by that name from now on.
    void noteChanges(const Thread& th, const QJsonObject& m)
    {
        if (th.step < 0)
            return;
        StepRecord& s = steps[size_t(th.step)];
        for (const QJsonValue& change : m.value(QStringLiteral("changes")).toArray()) {
            const QJsonArray c = change.toArray();
            s.changes << QStringLiteral("%1 = %2").arg(c.at(0).toString(), c.at(1).toString());
            if (c.size() > 2 && c.at(2).isDouble())
                socketNames.insert(SocketId{quint32(c.at(2).toDouble())}, c.at(0).toString());
        }
    }

    void onFrame(int program, const QJsonObject& m)
    {
        if (qEnvironmentVariableIsSet("SOCKBENCH_DEBUG_RUNNER"))
            qInfo("frame %d %s", program,
                  QJsonDocument(m).toJson(QJsonDocument::Compact).left(200).constData());
        const QString t = m.value(QStringLiteral("t")).toString();
        const qint64 tid = qint64(m.value(QStringLiteral("tid")).toDouble());
        ProgramView& view = programs[program];
        if (t == QLatin1String("thread")) {
            Thread& th = thread(program, tid);
            th.view.name = m.value(QStringLiteral("name")).toString();
            th.view.actor = m.value(QStringLiteral("actor")).toString();
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
            if (th.home >= 0 && section >= 0 &&
                view.lesson.sections[section].actor == th.view.actor)
                th.home = storyboardOffset(program) + section;
            news();
            Q_EMIT q->threadsChanged();
        } else if (t == QLatin1String("out")) {
            const QString actor = thread(program, tid).view.actor;
            const QString text = m.value(QStringLiteral("text")).toString();
            Q_EMIT q->programOutput(
                program, m.value(QStringLiteral("stream")).toString() == QLatin1String("stderr"),
                text);
            Q_EMIT q->printed(actor.isEmpty() ? view.host : actor, text);
        } else if (t == QLatin1String("expected")) {
            Thread& th = thread(program, tid);
            if (th.step >= 0) {
                StepRecord& s = steps[size_t(th.step)];
                s.kind = StepRecord::Kind::ExpectedError;
                s.errorName = m.value(QStringLiteral("name")).toString();
                s.error = m.value(QStringLiteral("text")).toString();
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
                // interrupted: the stand-in raises InterruptedError for it, and nothing else.
                // A statement a click added reports what it raised; in a program, an
                // exception nobody caught ends its thread, and the run has failed.
                if (type == QLatin1String("InterruptedError") &&
                    message.contains(QLatin1String(kInterruptedByTheWorkbench)))
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
                th.since.restart();
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

    void onCallStarted(int program, qint64 tid, CallId call, const QString& text)
    {
        // The call may end on its worker before the reader thread says it began: then its
        // end came first, and it must not be taken for a call still running.
        if (endedEarly.remove(call)) {
            callSinceGrant = true;
            news();
            return;
        }
        Thread& th = thread(program, tid);
        callOwner.insert(call, {program, tid});
        callSinceGrant = true;
        th.view.callId = call;
        th.view.call = text;
        th.since.restart();
        if (th.step >= 0)
            steps[size_t(th.step)].calls << call;
        news();
        if (const auto early = blockedEarly.find(call); early != blockedEarly.end()) {
            const SocketId socket = early.value();
            blockedEarly.erase(early);
            onCallBlocked(call, socket);
        }
    }

    void onCallBlocked(CallId call, SocketId socket)
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

    void markBlocked(CallId call, SocketId socket)
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
        if (th.step >= 0 && replayTo < 0)
            Q_EMIT q->stepBlocked(th.step, call);
        Q_EMIT q->threadsChanged();
        pump();
    }

    void onCallEnded(int program, qint64 tid, CallId call)
    {
        if (!callOwner.remove(call))
            endedEarly.insert(call);
        blockedEarly.remove(call);
        callSinceGrant = true;
        auto it = threads.find({program, tid});
        if (it == threads.end())
            return;
        Thread& th = it->second;
        if (th.view.callId == call) {
            if (th.view.state == ThreadView::State::Blocked)
                th.view.state = ThreadView::State::Running;
            th.view.callId = CallId{};
            th.since.restart();
            Q_EMIT q->threadsChanged();
        }
        news();
        pump();
    }

    void onWorkbenchEvent(const Event& event)
    {
        if (peersReady.remove(event.call) && peersReady.isEmpty()) {
            startBackends();
            finishReset();
        }
    }

    // The program's sockets, and which have a timeout (a call on them will end by itself).
    void noteSockets(const Event& event)
    {
        if (event.request.kind == CallKind::Socket || event.request.kind == CallKind::Accept) {
            if (event.result.ok() && event.result.newSocket.isValid())
                sockets.insert(event.result.newSocket);
        } else if (event.request.kind == CallKind::SetTimeout) {
            hasTimeout.insert(event.socket, event.request.args.timeout.has_value());
        } else if (event.request.kind == CallKind::Close && event.result.ok()) {
            sockets.remove(event.socket);
        }
    }

    // --- the storyboard ----------------------------------------------------------------

    // Whether every thread has come back from its line, or waits where only the kernel
    // (or a timeout, a lock, another thread) can move it. *retryIn: when to look again.
    bool settled(qint64* retryIn) const
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
                if (t.view.callId.isValid())
                    return *retryIn = 50, false; // its end, or its block, will say
                const qint64 left = kBusyAfterMs - t.since.elapsed();
                if (left > 0) {
                    retry = retry < 0 ? left : std::min(retry, left);
                } else {
                    anyBlocked = true;
                }
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

    std::optional<Next> nextThread() const
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
        return Next{best->view.program, best->view.tid, best->view.name, best->view.actor,
                    best->view.line};
    }

    bool allEnded() const
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

    void grant(const Next& next)
    {
        Thread& th = threads.at({next.program, next.tid});
        if (qEnvironmentVariableIsSet("SOCKBENCH_DEBUG_RUNNER")) {
            QStringList state;
            for (const auto& [key, t] : threads)
                state << QStringLiteral("%1:%2@%3 home %4 since %5")
                             .arg(t.view.name, threadStateText(t.view.state))
                             .arg(t.view.line)
                             .arg(t.home)
                             .arg(t.since.elapsed());
            qInfo("grant %s line %d | %s", qPrintable(th.view.name), th.view.line,
                  qPrintable(state.join(QStringLiteral(", "))));
        }
        StepRecord s;
        s.index = int(steps.size());
        s.program = next.program;
        s.tid = next.tid;
        s.thread = th.view.name;
        s.actor = th.view.actor;
        s.line = th.view.line;
        s.source = lineText(programs[next.program].lesson.source, s.line);
        steps.push_back(s);
        th.step = s.index;
        callSinceGrant = false;
        th.view.state = ThreadView::State::Running;
        th.since.restart();
        const QJsonValue id = th.lineId;
        th.lineId = QJsonValue();
        news();
        hosts[size_t(next.program)]->process->send(
            {{QStringLiteral("t"), QStringLiteral("go")}, {QStringLiteral("id"), id}});
        if (replayTo < 0) {
            Q_EMIT q->stepIssued(s.index);
            Q_EMIT q->threadsChanged();
        }
    }

    // Decides what happens next: called after anything changed.
    void pump()
    {
        if (mode == Mode::Resetting) {
            if (awaitingFirstLines && programsReady())
                finishReset();
            return;
        }
        qint64 retryIn = -1;
        if (!settled(&retryIn)) {
            settleTimer.start(int(std::max<qint64>(retryIn, 1)));
            return;
        }
        // Re-making for a step back: a click made at this point of the first run is made
        // again now (before anything else is granted, even once the program has ended).
        if (replayTo >= 0)
            for (Click& c : clicksToRemake) {
                if (c.step != int(steps.size()) || c.sent || hosts.empty())
                    continue;
                c.sent = true;
                hosts.front()->process->send(c.exec);
                return; // its thread's first line comes next, and pumps again
            }
        if (allEnded()) {
            if (mode != Mode::Finished) {
                replayTo = -1;
                setMode(Mode::Finished);
                Q_EMIT q->finished(failures == 0);
            }
            return;
        }
        const auto next = nextThread();
        if (!next) {
            if (mode == Mode::Stepping && replayTo < 0 && !wantStep)
                setMode(Mode::Idle); // every thread waits in a call: Step has nothing to give
            checkStuck();
            return;
        }
        if (replayTo >= 0) {
            if (int(steps.size()) < replayTo) {
                grant(*next);
                return;
            }
            clicksToRemake.clear();
            remade.clear(); // the re-made run is the run now
            replayTo = -1;
            setMode(Mode::Idle);
            Q_EMIT q->threadsChanged();
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

    int pausedAtLine = -1;
    quint64 pausedAtStep = 0;
    bool pausedHere(const Next& next)
    {
        // Play stops before a "# pause" line once; pressing Play again goes on from there.
        if (pausedAtLine == next.line && pausedAtStep == steps.size())
            return true;
        pausedAtLine = next.line;
        pausedAtStep = steps.size();
        return false;
    }

    void checkStuck()
    {
        if (stuckSaid)
            return;
        QStringList waiting;
        for (const auto& [key, t] : threads) {
            switch (t.view.state) {
            case ThreadView::State::Finished:
            case ThreadView::State::Failed:
                continue;
            case ThreadView::State::Blocked: {
                if (hasTimeout.value(t.blockedOn, false))
                    return; // a timeout will end it
                waiting << QStringLiteral("%1 waits in %2 at line %3")
                               .arg(t.view.name, t.view.call)
                               .arg(t.view.line);
                break;
            }
            default:
                return; // sleeping, running elsewhere: time will move it
            }
        }
        if (waiting.isEmpty() || !peers->peers().isEmpty())
            return;
        stuckSaid = true;
        Q_EMIT q->stuck(QStringLiteral("Every thread waits and nothing can wake any of them: %1.")
                            .arg(waiting.join(QStringLiteral("; "))));
    }
};

Runner::Runner(Workbench& workbench, QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Impl>(this, workbench))
{
    qRegisterMetaType<sockbench::program::StepRecord>();
    d->settleTimer.setSingleShot(true);
    d->playTimer.setSingleShot(true);
    connect(&d->settleTimer, &QTimer::timeout, this, [this] { d->pump(); });
    connect(&d->playTimer, &QTimer::timeout, this, [this] {
        if (d->mode != Mode::Playing)
            return;
        qint64 retry = -1;
        if (!d->settled(&retry)) {
            d->pump();
            return;
        }
        if (auto next = d->nextThread())
            d->grant(*next);
        else
            d->pump();
    });
    connect(&workbench, &Workbench::callBlocked, this,
            [this](CallId call, SocketId socket) { d->onCallBlocked(call, socket); });
    connect(&workbench, &Workbench::callFinished, this,
            [this](const Event& event) { d->onWorkbenchEvent(event); });
}

Runner::~Runner()
{
    d->stopAll();
}

void Runner::load(const QList<Lesson>& programs)
{
    d->stopAll();
    d->threads.clear(); // they were the old programs' threads
    d->programs.clear();
    for (const Lesson& lesson : programs) {
        ProgramView view;
        view.lesson = lesson;
        view.host = lesson.actors.size() == 1 && lesson.actors.first() != QLatin1String("main")
                        ? lesson.actors.first()
                        : QFileInfo(lesson.fileName).completeBaseName();
        d->programs << view;
    }
    d->replayTo = -1;
    reset();
}

const QList<ProgramView>& Runner::programs() const
{
    return d->programs;
}

const Lesson& Runner::lesson() const
{
    static const Lesson none;
    return d->programs.isEmpty() ? none : d->programs.first().lesson;
}

Runner::Mode Runner::mode() const
{
    return d->mode;
}

bool Runner::isFinished() const
{
    return d->mode == Mode::Finished;
}

int Runner::failures() const
{
    return d->failures;
}

const std::vector<StepRecord>& Runner::steps() const
{
    return d->steps;
}

int Runner::stepCount() const
{
    return int(d->steps.size());
}

QList<ThreadView> Runner::threads() const
{
    std::vector<const Impl::Thread*> ordered;
    for (const auto& [key, t] : d->threads)
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

std::optional<Runner::Next> Runner::next() const
{
    qint64 retry = -1;
    if (d->mode == Mode::Resetting || !d->settled(&retry))
        return std::nullopt;
    return d->nextThread();
}

bool Runner::atEnd() const
{
    return d->allEnded();
}

int Runner::insertStatement(const QString& actor, const QString& source, QString* error)
{
    if (d->hosts.empty() || !d->hosts.front()->process->isRunning()) {
        if (error)
            *error = QStringLiteral("1:1: the program has ended; press Reset to run it again");
        return -1;
    }
    ProgramView& view = d->programs.first();
    d->markClicksStillRunning(view);
    QString text = view.lesson.source;
    if (!text.isEmpty() && !text.endsWith(QLatin1Char('\n')))
        text += QLatin1Char('\n');
    const QString marker = QStringLiteral("# --- %1 ---").arg(actor);
    const bool sameActor =
        !view.lesson.sections.isEmpty() && view.lesson.sections.last().actor == actor;
    if (!sameActor) {
        text += QLatin1Char('\n') + marker + QLatin1Char('\n');
        const int first = int(text.count(QLatin1Char('\n')));
        view.lesson.sections.append({actor, first, first});
        if (!view.lesson.actors.contains(actor))
            view.lesson.actors << actor;
    }
    const int line = int(text.count(QLatin1Char('\n'))) + 1;
    text += source.trimmed() + QLatin1Char('\n');
    view.lesson.source = text;
    view.lesson.sections.last().lastLine = line;
    view.lesson.statementLines << line;
    static int clicks = 0;
    const QString thread = QStringLiteral("click-%1").arg(++clicks);
    d->clickLines.insert(thread, line);
    const QJsonObject exec = execMessage(thread, actor, line, source);
    // Clicked while the programs start: it runs once they stand at their first lines.
    if (d->mode == Mode::Resetting)
        d->pendingExecs << exec;
    else
        d->hosts.front()->process->send(exec);
    return line;
}

QString Runner::nameOf(SocketId socket) const
{
    return d->socketNames.value(socket);
}

QSet<SocketId> Runner::sockets() const
{
    return d->sockets;
}

void Runner::setPlayInterval(int milliseconds)
{
    d->playInterval = milliseconds;
}

int Runner::playInterval() const
{
    return d->playInterval;
}

void Runner::setStopAtPauses(bool stop)
{
    d->stopAtPauses = stop;
}

void Runner::setFree(bool free)
{
    d->free = free;
}

void Runner::setKeepAlive(bool keep)
{
    d->keepAlive = keep;
}

void Runner::setEnabled(bool enabled)
{
    if (d->enabled == enabled)
        return;
    d->enabled = enabled;
    if (enabled) {
        reset();
    } else {
        d->setMode(Mode::Resetting);
        d->stopAll();
        d->threads.clear();
        d->steps.clear();
        d->setMode(Mode::Idle);
        Q_EMIT threadsChanged();
    }
}

lesson::LessonPeers& Runner::peers()
{
    return *d->peers;
}

void Runner::step()
{
    if (d->mode == Mode::Resetting) {
        d->wantStep = true; // taken once the reset is over
        return;
    }
    if (d->mode == Mode::Finished)
        return;
    d->playTimer.stop();
    d->setMode(Mode::Stepping);
    d->wantStep = true;
    d->pump();
}

void Runner::play()
{
    if (d->mode == Mode::Resetting) {
        d->playAfterReset = true; // the peers are starting: play once they listen
        return;
    }
    if (d->mode == Mode::Finished)
        return;
    d->setMode(Mode::Playing);
    d->pump();
}

void Runner::pause()
{
    d->playTimer.stop();
    d->runTo = -1;
    d->wantStep = false;
    if (d->mode == Mode::Playing) {
        // The step in flight (if any) settles, then the runner is Idle: pump() says when.
        d->setMode(Mode::Stepping);
        d->pump();
    }
}

void Runner::runToLine(int line)
{
    d->runTo = line;
    play();
}

void Runner::reset()
{
    d->setMode(Mode::Resetting);
    d->pendingExecs.clear();
    d->wantStep = false;
    d->playAfterReset = false;
    d->playTimer.stop();
    d->settleTimer.stop();
    d->stopAll();
    if (!d->enabled) {
        d->threads.clear();
        d->steps.clear();
        d->setMode(Mode::Idle);
        Q_EMIT resetDone();
        return;
    }
    d->startAll();
    if (d->peersReady.isEmpty())
        d->finishReset();
}

void Runner::stepBack()
{
    const int target = stepCount() - 1;
    if (target < 0)
        return;
    d->replayTo = target;
    d->remade = d->steps;
    d->clicksToRemake.clear();
    QSet<QString> seen; // by name: python3 reuses the ident of a thread that ended
    for (const StepRecord& s : d->remade) {
        if (s.index >= target || s.program != 0 || !s.thread.startsWith(QLatin1String("click-")) ||
            seen.contains(s.thread))
            continue;
        seen.insert(s.thread);
        d->clicksToRemake.push_back(
            {s.index, execMessage(s.thread, s.actor, s.line, s.source), false});
    }
    reset();
}

} // namespace sockbench::program
