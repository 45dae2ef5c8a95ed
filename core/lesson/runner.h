#pragma once

#include "ast.h"
#include "engine/workbench.h"
#include "evaluator.h"

#include <QObject>
#include <QSet>
#include <QTimer>

#include <deque>
#include <map>
#include <memory>
#include <mutex>

namespace sockbench::lesson {

class LessonPeers;

// One statement of a loaded lesson, ready to run. A `with` block becomes its header, its
// body, and a synthetic `NAME.close()` at its end.
struct RunStep {
    QString actor;
    SourcePos pos;
    int endLine = 0;
    QString source;
    Directives directives;
    StmtPtr stmt;
    bool synthetic = false; // made by the runner (the close() that ends a with block)
    int depth = 0;          // how deep in with blocks (for writing the script out again)
    bool inserted = false;  // added while running: a panel click, not the lesson file
    // The thread that runs it: the actor's own, or for a click one of its own, so that a
    // click never waits behind another click's blocked accept() on the same host.
    QString lane;
    bool blocked = false; // it blocked when it ran (a click that blocked saves as background)
    const QString& thread() const { return lane.isEmpty() ? actor : lane; }
};

// The lesson's statements in the order they are issued, with blocks flattened.
std::vector<RunStep> flattenSteps(const Script& script);

// How one statement ended.
struct StepOutcome {
    enum class Kind {
        Ok,            // ran; value holds its value's repr
        ExpectedError, // raised what its "# expect:" line said
        Failed,        // an unexpected error, a failed assert, or an expectation not met
        Interrupted,   // a blocked call was interrupted (from the UI, or a deadlock)
        Skipped,       // its actor had stopped before it
        Raised,        // free play: a statement a click added raised; that is its result
    };
    int step = -1;
    QString actor;
    int line = 0;
    QString source;
    Kind kind = Kind::Ok;
    QString value;  // Ok: Python's repr of the value
    PyError error;  // ExpectedError, Failed (when an exception), Interrupted
    QString reason; // Failed / Skipped: one sentence saying why
    QList<CallId> calls;
    bool ok() const
    {
        return kind == Kind::Ok || kind == Kind::ExpectedError || kind == Kind::Raised;
    }
};
QString outcomeKindName(StepOutcome::Kind kind);

// Steps a lesson on real sockets, through the workbench's submit API only. Statements are
// issued in file order; each runs in its actor, one after another, while a statement
// whose call blocks lets the next statements of other actors go on. One runner serves the
// window and the headless command.
class Runner : public QObject {
    Q_OBJECT
public:
    enum class Mode { Idle, Stepping, Playing, Resetting, Finished };
    // With every statement issued and every actor that still has work blocked, nothing
    // moved for this long: the lesson is stuck, and the runner says so.
    static constexpr int kDeadlockQuietMs = 1500;
    // A call counts as blocked once it has waited this long, as in the export's turn-taking
    // (threads_prelude.py): a connect() on loopback waits some microseconds for the
    // kernel's handshake, and the statements after it must not overtake it for that.
    static constexpr int kBlockedAfterMs = 20;

    explicit Runner(Workbench& workbench, QObject* parent = nullptr);
    ~Runner() override;

    void load(const Script& script);
    const Script& script() const { return m_script; }
    const std::vector<RunStep>& steps() const { return m_steps; }
    int nextStep() const { return m_next; }
    Mode mode() const { return m_mode; }
    bool atEnd() const { return m_next >= static_cast<int>(m_steps.size()); }
    bool isFinished() const { return m_mode == Mode::Finished; }
    int failures() const { return m_failures; }
    const QList<StepOutcome>& outcomes() const { return m_outcomes; }
    QSet<SocketId> sockets() const { return m_sockets; }
    // For a thread (an actor, or a click's own - RunStep::thread()): "idle", "running
    // line 9", "blocked in accept() at line 9", "stopped at line 12".
    QString actorState(const QString& thread) const;
    // The step a thread is running now (-1: none), and every thread there is.
    int runningStep(const QString& thread) const;
    QStringList threads() const;

    // Inserts a statement written in Python (what a panel click stands for) before the
    // lesson's next statement, run by actor, and issues it as soon as nothing else is on
    // its way. Returns its step index, or -1 with *error ("LINE:COL: message").
    int insertStatement(const QString& actor, const QString& source, QString* error = nullptr);
    // The lesson's variables, and the name that holds a socket ("" if none does).
    const Namespace& names() const { return m_names; }
    QString nameOf(SocketId socket) const;

    // Presentation pace in play mode: the pause between a step settling and the next.
    void setPlayInterval(int milliseconds) { m_playInterval = milliseconds; }
    int playInterval() const { return m_playInterval; }
    // Whether play stops before a "# pause" step (the window does; the headless run not).
    void setStopAtPauses(bool stop) { m_stopAtPauses = stop; }
    // The built-in peers the lesson's header asks for ("# peer: web = course-web"): started
    // by every reset before the first statement, their names bound to their addresses.
    LessonPeers& peers() { return *m_peers; }

public Q_SLOTS:
    void step(); // issue the next statement
    void play(); // issue statements until the end or a "# pause"
    void pause();
    void runToLine(int line); // play until the next statement starts at or after line
    void reset();             // interrupt and close everything the lesson opened
    void stepBack();          // reset, then replay silently up to the previous step

Q_SIGNALS:
    void stepIssued(int step);
    void stepBlocked(int step, sockbench::CallId call);
    void stepFinished(const sockbench::lesson::StepOutcome& outcome);
    void printed(const QString& actor, const QString& text);
    void modeChanged(sockbench::lesson::Runner::Mode mode);
    void pausedAt(int step); // play stopped before a "# pause" step
    void deadlocked(const QString& explanation);
    void finished(bool success);
    void resetDone();

private:
    struct Actor {
        std::deque<int> queue;
        std::unique_ptr<StatementRun> run;
        int runningStep = -1;
        bool blocked = false;
        QString blockedCall; // "accept()"
        bool stopped = false;
        int stoppedAtLine = 0;
        // A stopped actor still leaves the with blocks it was in, closing their sockets as
        // Python's __exit__ does: the closes of blocks this deep or shallower still run.
        int unwindDepth = -1;
        bool waitingForName = false; // its next statement reads what another still assigns
    };
    // The earlier statement, still running on another thread, whose result step k needs.
    int runningDependency(int k) const;

    void setMode(Mode mode);
    void issue();
    void startNext(const QString& actor);
    void advance(const QString& actor);
    void finishStep(const QString& actor, StepOutcome outcome);
    void onCallFinished(const Event& event);
    void onCallBlocked(CallId call, SocketId socket);
    void markBlocked(CallId call);
    bool settled(int step) const;
    // Whether step k is the end of a with block that a stopped actor is leaving.
    bool unwinds(const Actor& actor, int k) const;
    void afterSettled();
    void checkEnd();
    void declareDeadlock();
    StepOutcome outcomeFor(int step) const;

    Workbench& m_workbench;
    std::unique_ptr<LessonPeers> m_peers;
    Script m_script;
    std::vector<RunStep> m_steps;
    Namespace m_names;
    std::map<QString, Actor> m_actors;
    struct CallInfo {
        QString actor;
        SocketId socket;
        CallKind kind = CallKind::Socket;
    };
    QHash<CallId, CallInfo> m_calls; // the lesson's calls still out
    QSet<CallId> m_orphans;          // calls still out when the lesson was reset
    // Whole results of the lesson's calls, filled by their completions on the workers.
    struct Results {
        std::mutex mutex; // guards events
        QHash<CallId, Event> events;
    };
    std::shared_ptr<Results> m_results = std::make_shared<Results>();
    QHash<SocketId, bool> m_hasTimeout;
    QSet<SocketId> m_sockets;
    QSet<CallId> m_resetCalls;
    QList<StepOutcome> m_outcomes;
    int m_next = 0;
    int m_awaiting = -1; // the step issued last, until it settles
    int m_runTo = -1;    // play until this line
    int m_replayTo = -1; // step back: replay until m_next reaches this
    int m_failures = 0;
    int m_playInterval = 0;
    int m_insertedWaiting = 0; // inserted statements not issued yet
    int m_clicks = 0;          // names the threads of inserted statements
    bool m_stopAtPauses = true;
    Mode m_mode = Mode::Idle;
    quint64 m_generation = 0; // bumped by reset(): late results of older runs are ignored
    QTimer m_playTimer;
    QTimer m_deadlockTimer;
};

} // namespace sockbench::lesson

Q_DECLARE_METATYPE(sockbench::lesson::StepOutcome)
