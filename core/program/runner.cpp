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
    // Parallel to steps: the threads as they stood just before each step began, and how many
    // steps had begun when each settled (-1: not yet). A step back shows them.
    std::vector<QList<ThreadView>> threadsBefore;
    std::vector<int> settledAfter;

    // Stepped back: the moment before step `shown` of `history` is what the runner shows;
    // -1 live. The history is the run as it was when Back was first pressed.
    int shown = -1;
    std::vector<StepRecord> history;
    std::vector<QList<ThreadView>> historyThreads;
    std::vector<int> historySettled;
    std::vector<StepRecord> shownSteps; // history's first `shown` steps, as they stood then
    // Each clicked statement's program as it was before the click: a click made at an
    // earlier moment drops the clicks that came after it, and their lines.
    QHash<QString, Lesson> lessonBeforeClick;
    quint64 runStart = 0; // the trace's first event of this run

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
    bool playAfterRemake = false;
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

    // Stepped back, or re-making the run: the window shows a recorded moment, and what
    // the live run does meanwhile is not news to it.
    bool silent() const { return replayTo >= 0 || shown >= 0; }

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
        threadsBefore.clear();
        settledAfter.clear();
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
        if (!silent())
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
        settledAfter[size_t(s.index)] = int(steps.size());
        if (s.kind == StepRecord::Kind::Ok)
            s.kind = kind;
        if (!reason.isEmpty() && s.reason.isEmpty())
            s.reason = reason;
        if (s.kind == StepRecord::Kind::Failed)
            ++failures;
        if (!silent())
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
                if (type == QLatin1String("MemoryError"))
                    s.reason =
                        QStringLiteral("MemoryError: the program asked for more than the %1 GiB of "
                                       "memory the workbench allows one program")
                            .arg(BackendProcess::kMemoryLimit >> 30);
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
        if (th.step >= 0 && !silent())
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

    // Every thread there is now, programs' in order, then by start.
    QList<ThreadView> liveThreads() const
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
        if (!silent()) {
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
        if (shown >= 0 && replayTo < 0)
            return; // stepped back: the live run waits, it is re-made when the student goes on
        qint64 retryIn = -1;
        if (!settled(&retryIn)) {
            settleTimer.start(int(std::max<qint64>(retryIn, 1)));
            return;
        }
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
        const QString explanation = stuckExplanation();
        if (explanation.isEmpty())
            return;
        stuckSaid = true;
        Q_EMIT q->stuck(explanation);
    }

    // What holds every thread when nothing can wake any of them (no timeout pending, no
    // sleep, no peer alive); "" when something still can.
    QString stuckExplanation() const
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

    // --- stepping back -----------------------------------------------------------------

    // Shows the moment before history's step `step`, at once: the steps up to it as they
    // stood then, and the threads as they were.
    void showMoment(int step)
    {
        shown = step;
        shownSteps.assign(history.begin(), history.begin() + step);
        for (StepRecord& r : shownSteps) {
            const int after = historySettled[size_t(r.index)];
            if (after >= 0 && after <= step)
                continue;
            // Still running at that moment (a call that waited): its end is later.
            r.settled = false;
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

    // Re-makes the run up to the moment shown, silently; then wantStep, playAfterRemake or
    // runTo go on from there (finishRemake).
    void beginRemake()
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
        if (peersReady.isEmpty())
            finishReset();
    }

    void finishRemake()
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

    // A click at an earlier moment starts a new future: the clicks that came after that
    // moment, and their lines, are gone from the program.
    void dropClicksAfter(int step)
    {
        for (const StepRecord& s : history) {
            if (s.index < step || s.program != 0 || !s.thread.startsWith(QLatin1String("click-")))
                continue;
            if (const auto it = lessonBeforeClick.constFind(s.thread);
                it != lessonBeforeClick.cend()) {
                programs.first().lesson = *it;
                break;
            }
        }
        history.resize(size_t(step)); // (the threads shown stay: historyThreads)
        clicksToRemake.erase(std::remove_if(clicksToRemake.begin(), clicksToRemake.end(),
                                            [step](const Click& c) { return c.step >= step; }),
                             clicksToRemake.end());
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
    d->lessonBeforeClick.clear();
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
    return d->shown >= 0 ? d->shownSteps : d->steps;
}

int Runner::stepCount() const
{
    return int(steps().size());
}

QList<ThreadView> Runner::threads() const
{
    if (d->shown >= 0)
        return d->historyThreads[size_t(d->shown)];
    return d->liveThreads();
}

std::optional<Runner::Next> Runner::next() const
{
    if (d->shown >= 0) {
        // The step that came next at the moment shown; nothing while the re-make runs.
        if (d->replayTo >= 0)
            return std::nullopt;
        const StepRecord& s = d->history[size_t(d->shown)];
        return Next{s.program, s.tid, s.thread, s.actor, s.line};
    }
    qint64 retry = -1;
    if (d->mode == Mode::Resetting || !d->settled(&retry))
        return std::nullopt;
    return d->nextThread();
}

bool Runner::isRewound() const
{
    return d->shown >= 0;
}

int Runner::runLength() const
{
    return d->shown >= 0 ? int(d->history.size()) : int(d->steps.size());
}

bool Runner::isRemaking() const
{
    return d->replayTo >= 0;
}

quint64 Runner::runStartSeq() const
{
    return d->runStart;
}

bool Runner::atEnd() const
{
    if (d->shown >= 0)
        return false; // the moment shown is before the end
    return d->allEnded();
}

int Runner::insertStatement(const QString& actor, const QString& source, QString* error)
{
    if (d->shown >= 0) {
        // Clicked at an earlier moment: the run is re-made up to there and the click runs
        // then; what came after that moment is another future, and goes.
        d->dropClicksAfter(d->shown);
        d->wantStep = false;
        d->playAfterRemake = false;
        d->runTo = -1;
        d->beginRemake();
    } else if (d->hosts.empty() || !d->hosts.front()->process->isRunning()) {
        if (error)
            *error = QStringLiteral("1:1: the program has ended; press Reset to run it again");
        return -1;
    }
    ProgramView& view = d->programs.first();
    const Lesson before = view.lesson;
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
    d->lessonBeforeClick.insert(thread, before);
    const QJsonObject exec = execMessage(thread, actor, line, source);
    // Clicked while the programs start, or while the run is re-made: it runs once they
    // stand at their first lines, or once the run is at the moment it was clicked.
    if (d->mode == Mode::Resetting || d->replayTo >= 0)
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
        d->shown = -1;
        d->replayTo = -1;
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
    if (d->replayTo >= 0 || d->mode == Mode::Resetting) {
        d->wantStep = true; // taken once the reset, or the re-make, is over
        return;
    }
    if (d->shown >= 0) {
        d->wantStep = true;
        d->beginRemake();
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
    if (d->replayTo >= 0) {
        d->playAfterRemake = true;
        return;
    }
    if (d->shown >= 0) {
        d->playAfterRemake = true;
        d->beginRemake();
        return;
    }
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
    d->playAfterRemake = false;
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
    d->playAfterRemake = false;
    d->replayTo = -1;
    d->remade.clear();
    d->clicksToRemake.clear();
    d->shown = -1;
    d->history.clear();
    d->historyThreads.clear();
    d->historySettled.clear();
    d->shownSteps.clear();
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
    if (d->shown < 0) {
        if (d->steps.empty() || (d->mode == Mode::Resetting && d->replayTo < 0))
            return;
        // The run as it is now is the history the window walks back through.
        pause();
        d->history = d->steps;
        d->historyThreads = d->threadsBefore;
        d->historySettled = d->settledAfter;
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
