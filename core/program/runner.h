#pragma once

// CONTRACT (being implemented): the engine that runs programs on the real python3.
// Replaces lesson::Runner. The window, the headless command and the tests drive it.

#include "lesson.h"

#include "engine/workbench.h"

#include <QObject>
#include <QTimer>

#include <memory>
#include <vector>

namespace sockbench::lesson {
class LessonPeers;
}

namespace sockbench::program {

class ProgramHost; // one backend process and its bridge (runner.cpp)

// One thread of a program as the stage draws it: an actor (a `# --- name ---` section's
// thread) or a thread the program started itself (threading.Thread).
struct ThreadView {
    enum class State {
        Starting, // begun, not at its first line yet
        Waiting,  // at a line, waiting for its turn (the line it will run next)
        Running,  // running a line it was given
        Blocked,  // in a socket call that waits (callId, call)
        Sleeping, // waiting in something else: time.sleep, join, a lock (what)
        Finished,
        Failed, // ended by an exception (error)
    };
    int program = 0; // index into Runner::programs()
    qint64 tid = 0;  // threading.get_ident() in its program
    QString name;    // "server", "Thread-1 (handle)", "click-3"
    QString actor;   // the host it is drawn on: its actor, or its starter's
    State state = State::Starting;
    int line = 0;             // the line it waits at or runs
    CallId callId;            // Blocked: the call
    QString call;             // Blocked: "accept()"; Sleeping: "time.sleep(2)"
    QString error;            // Failed: Python's last traceback line
    QString describe() const; // "blocked in accept() at line 9", "waiting at line 12", ...
};

// One step: one line event of one thread, granted by the runner.
struct StepRecord {
    enum class Kind {
        Ok,            // the line ran (or is still running: settled == false)
        ExpectedError, // raised what its "# expect:" said
        Failed,        // an uncaught exception ended its thread, or an expectation not met
        Interrupted,   // its call was interrupted (the Interrupt button, Reset)
        Raised,        // free play: a clicked statement raised; that is its result
    };
    int index = -1;
    int program = 0;
    qint64 tid = 0;
    QString thread; // ThreadView::name
    QString actor;
    int line = 0;
    QString source;       // the line's text (the statement's first line), stripped
    bool settled = false; // its thread came back (next line, blocked, ended)
    int settledWith = -1; // how many steps had begun when it settled: index + 1 unless it waited
    Kind kind = Kind::Ok;
    QStringList changes;  // "port = 54027": what the line bound, as repr()
    QList<CallId> calls;  // socket calls it made, in order
    QString error;        // "OSError: [Errno 98] Address already in use"
    QString errorName;    // "EADDRINUSE", "TimeoutError", ... (for expectations)
    QString traceback;    // Failed: Python's whole traceback
    QString reason;       // Failed: one sentence, when not an exception ("expected ...")
    QString output;       // what its thread print()ed while it ran
    quint64 traceSeq = 0; // the trace's newest event when it began: the moment before it
    bool ok() const { return kind != Kind::Failed; }
};

// One program file: its description, and its backend while it runs.
struct ProgramView {
    Lesson lesson;
    QString host; // the host it is drawn as: its file name without .py, or its one actor
    bool running = false;
    int exitCode = 0;
    QString ended; // "exited with 0", "killed by SIGSEGV", "ran out of memory (2 GiB)"
};

// Runs one or more programs side by side, each in its own python3 backend, stepping them
// line by line on the workbench's sockets. Which thread runs next follows the storyboard
// (docs/lessons.md): sections in file order, programs in the order given; a line may start
// only when every earlier step has finished or waits in a call.
class Runner : public QObject {
    Q_OBJECT
public:
    enum class Mode { Idle, Stepping, Playing, Resetting, Finished };

    explicit Runner(Workbench& workbench, QObject* parent = nullptr);
    ~Runner() override;

    // Loads programs (stops whatever ran) and starts them, paused before their first line.
    void load(const QList<Lesson>& programs);
    const QList<ProgramView>& programs() const;
    // The first program's lesson (title, narration, ...): what the lesson panel shows.
    const Lesson& lesson() const;

    Mode mode() const;
    bool isFinished() const;
    int failures() const;
    // The steps taken since the last reset, in order; the last may still be running.
    // Stepped back, the steps up to the moment shown, as they stood then.
    const std::vector<StepRecord>& steps() const;
    int stepCount() const;
    // Every thread there is now, programs' in order, then by start (stepped back: as they
    // were at the moment shown).
    QList<ThreadView> threads() const;
    // Stepped back: the moment before step stepCount() of the run is shown, at once, from
    // what the run recorded; the programs themselves stay where they are. Going on from
    // there (Step, Play, Run to line, a click) first re-makes the run up to that moment,
    // silently, then goes on live. runLength() is how many steps the run took.
    bool isRewound() const;
    int runLength() const;
    // True while that silent re-make runs.
    bool isRemaking() const;
    // The trace's first event of the current run (its peers' and its programs').
    quint64 runStartSeq() const;
    // The step Step would take now: the thread that has the turn and its line; nullopt
    // when none can (all blocked, or still settling, or the end).
    struct Next {
        int program = 0;
        qint64 tid = 0;
        QString thread, actor;
        int line = 0;
    };
    std::optional<Next> next() const;
    bool atEnd() const; // every program ended

    // Free play: runs a statement (what a panel click stands for) in the first program, in
    // a new thread drawn on actor's host; it is appended to the program's text. Returns
    // the line it was given, or -1 with *error ("LINE:COL: message").
    int insertStatement(const QString& actor, const QString& source, QString* error = nullptr);
    // The program's name for a socket ("server", "conn"): the global or local that holds it.
    QString nameOf(SocketId socket) const;
    // The statement that made the socket is still running: its name is on its way.
    bool nameComing(SocketId socket) const;
    QSet<SocketId> sockets() const;

    void setPlayInterval(int milliseconds);
    int playInterval() const;
    void setStopAtPauses(bool stop);
    // Free running: the programs run as python3 runs them, with no stop at any line (the
    // headless `run --free` and the benchmarks). Takes effect at the next reset.
    void setFree(bool free);
    // The window: a program that has ended stays ready for clicked statements (its
    // backend lives on until the next reset). Takes effect at the next reset.
    void setKeepAlive(bool keep);
    // Off while a recording replays: load() remembers the programs but starts nothing, and
    // no backend runs until it is on again (then a reset starts them).
    void setEnabled(bool enabled);
    // The window, until its first frame is painted: load() and reset() prepare the programs
    // but start no python3 yet (on two cores, its start-up took the CPU the first frame
    // wanted). Released, what was held starts at once.
    void holdStart(bool held);
    lesson::LessonPeers& peers();

public Q_SLOTS:
    void step();
    void play();
    void pause();
    void runToLine(int line);
    void reset();    // ends every backend within 100 ms, closes their sockets, starts again
    void stepBack(); // shows the moment before the last step shown, at once

Q_SIGNALS:
    void stepIssued(int index);
    void stepBlocked(int index, sockbench::CallId call);
    void stepFinished(const sockbench::program::StepRecord& step);
    void threadsChanged();
    void printed(const QString& actor, const QString& text);
    // The same output by program, as the program wrote it (stdout or stderr).
    void programOutput(int program, bool isError, const QString& text);
    void modeChanged(sockbench::program::Runner::Mode mode);
    void pausedAt(int line);
    // Every thread waits and nothing can complete (no timeout pending, no peer alive).
    void stuck(const QString& explanation);
    void programEnded(int program, const QString& how);
    void finished(bool success);
    void resetDone();
    // Stepped back: the window shows the moment before step `step`, which is the trace up
    // to and including the event traceSeq.
    void rewound(int step, quint64 traceSeq);
    // The re-make is over: the live run stands at the moment that was shown, and the stage
    // is the trace from runStartSeq() on.
    void remade();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace sockbench::program

Q_DECLARE_METATYPE(sockbench::program::StepRecord)
