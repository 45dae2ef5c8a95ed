#pragma once

// The runner's insides (runner.h), shared by the files that make it up:
//   runner.cpp            the public face: Runner's slots and accessors
//   runnerbackends.cpp    starting, ending and resetting the programs' backends
//   runnerframes.cpp      what the backends and the workbench say, thread by thread
//   runnerstoryboard.cpp  which thread runs its next line, and when a run is settled
//   runnerrewind.cpp      stepping back: the recorded moment, and the silent re-make

#include "runner.h"

#include "backendprocess.h"
#include "callbridge.h"

#include "lesson/lessonpeers.h"

#include <QElapsedTimer>
#include <QJsonObject>

#include <map>
#include <mutex>

namespace sockbench::program {

// A thread given a line that has not come back for this long, and is in no socket call,
// waits somewhere the backend cannot name (a lock, a queue, a long computation): the
// storyboard moves on. A thread in a socket call waits for the kernel's word instead: the
// call counts as blocked once it has waited kBlockedAfterMs in its lane.
inline constexpr qint64 kBusyAfterMs = 250;
// A thread that ran on for kBusyAfterMs of its own CPU time is busy computing; one that
// used none for kUnseenWaitAfterMs waits in something the workbench does not see (a pipe,
// input()). Either way the storyboard goes on without it. CPU time, not wall time: on a
// loaded machine a thread not yet scheduled is neither.
inline constexpr qint64 kUnseenWaitAfterMs = 2000;
inline constexpr qint64 kBlockedAfterMs = 20;
// With a call blocked somewhere, a step counts as settled only after this long without
// news: the kernel's wake-up of a call that the step just satisfied (a connect() that
// completes an accept()) reaches its lane within microseconds on loopback.
inline constexpr qint64 kQuietMs = 4;

// One program's backend, its bridge, and what the scheduler knows of its threads.
class ProgramHost {
public:
    // The bridge goes first (no completion reaches the process after it), then the process,
    // whose end joins its reader thread: only then the actors the reader fills. Members
    // alone would go in the reverse order, actors first, under a reader still running
    // (a crash while a session file replaced the run).
    ~ProgramHost()
    {
        bridge.reset();
        process.reset();
    }

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

// A statement clicked in free play, run in the program's namespace on a thread of its own.
inline QJsonObject execMessage(const QString& thread, const QString& actor, int line,
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
    // Steps that ended while a later step was still in its call (the recv() a sendall()
    // woke), by the step they wait for: stepFinished tells them after it, cause first.
    std::map<int, std::vector<int>> heldFinished;

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
        int home = 0;             // storyboard position of the line it waits at
        quint64 order = 0;        // when it began, for ties
        QJsonValue lineId;        // the `line` request waiting for its go
        QElapsedTimer since;      // since it was given its line, or its call began
        int step = -1;            // the step it runs
        bool busy = false;        // kBusyAfterMs passed without news
        SocketId blockedOn;       // the socket its blocked call waits on
        bool section = false;     // a lesson section's own thread (not a click, not started)
        bool background = false;  // a `# background` statement's: runs before its starter
        bool interrupted = false; // its last socket call ended interrupted (Interrupt, Reset)
        bool calling = false;     // a socket call's data is still crossing the channel
        qint64 native = 0;        // its kernel thread id (/proc/<pid>/task/<native>)
        qint64 cpuAtStart = -1;   // its CPU time (ms) when `since` restarted; -1 unknown
    };
    // Restarts the thread's clocks: wall time and CPU time.
    void restartClock(int program, Thread& t);
    // CPU milliseconds the thread used since restartClock; -1 where the system cannot say.
    qint64 cpuSince(int program, const Thread& t) const;
    std::map<std::pair<int, qint64>, Thread> threads;
    quint64 nextOrder = 0;
    QHash<CallId, std::pair<int, qint64>> callOwner;
    QSet<CallId> endedEarly; // calls whose end arrived before their start
    // Calls that blocked before their start arrived: the workbench's worker and the bridge's
    // reader say so on different threads, in either order.
    QHash<CallId, SocketId> blockedEarly;
    QSet<SocketId> sockets;
    // A socket's name on the stage: the first module-level name it was given (server stays
    // server when a loop's `for sock in readable:` passes over it), or a function's local
    // name until a module-level one comes.
    QHash<SocketId, QString> socketNames;
    QSet<SocketId> namedAtModuleLevel;
    QHash<SocketId, int> madeByStep; // the step whose call made the socket
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
    bool unsettledSeen = false; // pump() found the run unsettled since it last settled

    explicit Impl(Runner* runner, Workbench& bench)
        : q(runner)
        , workbench(bench)
        , peers(std::make_unique<lesson::LessonPeers>(bench))
    {
        lastNews.start();
    }

    int storyboardOffset(int program) const;

    void setMode(Mode m);

    // Stepped back, or re-making the run: the window shows a recorded moment, and what
    // the live run does meanwhile is not news to it.
    bool silent() const { return replayTo >= 0 || shown >= 0; }

    void news();

    // --- starting and ending -----------------------------------------------------------

    void startAll();

    // The programs start once the peers they name listen (their addresses are globals), and
    // not while the start is held (holdStart()).
    QSet<CallId> peersReady;
    bool startHeld = false;
    bool startPending = false; // startAll() has run, startBackends() not yet
    bool readyToStart() const { return peersReady.isEmpty() && !startHeld; }
    void startBackends();

    void stopAll();

    void onExited(int program, int code, int signal);

    // Whether every program has reached its first line (or ended): only then can Step give
    // anything, and the reset is over.
    bool programsReady() const;

    // The programs run (paused before their first line): the reset is over.
    void finishReset();

    // --- what the backend says ---------------------------------------------------------

    Thread& thread(int program, qint64 tid);

    void settleStep(Thread& t, StepRecord::Kind kind, const QString& reason = QString());
    bool inItsCall(int step) const; // the step's thread is running it now
    void tellHeld(int step);        // stepFinished for the steps held behind it

    // A clicked statement still running when the next click comes (an accept() waiting
    // for its client) would hold up the statements after it once the script is saved and
    // run: it is marked to run in the background, as it did here. Its line keeps its
    // number, so the lines of threads still running stay right.
    void markClicksStillRunning(ProgramView& view);

    // What the thread's step bound ("changes" of a line or end frame), kept on the step;
    // a socket bound to a name is known by that name from now on.
    void noteChanges(const Thread& th, const QJsonObject& m);

    void onFrame(int program, const QJsonObject& m);

    void onCallStarted(int program, qint64 tid, CallId call, const QString& text);

    void onCallBlocked(CallId call, SocketId socket);

    void markBlocked(CallId call, SocketId socket);

    void onCallEnded(int program, qint64 tid, CallId call, bool interrupted);

    void onWorkbenchEvent(const Event& event);

    // The program's sockets, and which have a timeout (a call on them will end by itself).
    void noteSockets(const Event& event);

    // --- the storyboard ----------------------------------------------------------------

    // Whether every thread has come back from its line, or waits where only the kernel
    // (or a timeout, a lock, another thread) can move it. *retryIn: when to look again.
    bool settled(qint64* retryIn) const;

    std::optional<Next> nextThread() const;

    // Every thread there is now, programs' in order, then by start.
    QList<ThreadView> liveThreads() const;

    bool allEnded() const;

    void grant(const Next& next);

    // Decides what happens next: called after anything changed.
    void pump();

    int pausedAtLine = -1;
    quint64 pausedAtStep = 0;
    bool pausedHere(const Next& next);

    void checkStuck();

    // What holds every thread when nothing can wake any of them (no timeout pending, no
    // sleep, no peer alive); "" when something still can.
    QString stuckExplanation() const;

    // --- stepping back -----------------------------------------------------------------

    // Shows the moment before history's step `step`, at once: the steps up to it as they
    // stood then, and the threads as they were.
    void showMoment(int step);

    // Re-makes the run up to the moment shown, silently; then wantStep, playAfterRemake or
    // runTo go on from there (finishRemake).
    void beginRemake();

    void finishRemake();

    // A click at an earlier moment starts a new future: the clicks that came after that
    // moment, and their lines, are gone from the program.
    void dropClicksAfter(int step);
};

} // namespace sockbench::program
