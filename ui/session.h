#pragma once

#include "presentation/presenter.h"
#include "presentation/stagemodel.h"
#include "program/runner.h"
#include "replay/replayer.h"
#include "views/selection.h"
#include "views/timeline.h"

#include <QObject>
#include <QSet>

namespace sockbench {

class Workbench;

// What the window works on: the workbench, the runner with the current lesson or
// experiment, and the stage's picture of it. A click on a panel becomes a Python
// statement here, inserted into the script and run by the runner, exactly as if the
// lesson had said it - so the code view, the save file and the export are one thing.
class Session : public QObject {
    Q_OBJECT
public:
    explicit Session(Workbench& workbench, QObject* parent = nullptr);

    Workbench& workbench() { return m_workbench; }
    program::Runner& runner() { return m_runner; }
    StageModel& model() { return m_model; }
    Presenter& presenter() { return m_presenter; }
    // What the closer views show (the events the stage has shown since the last reset, or
    // a recording up to the replay's position), and the moment they all look at.
    Timeline& timeline() { return m_timeline; }
    EventSelection& selection() { return m_selection; }
    Replayer& replayer() { return m_replayer; }

    // Saves what the stage has shown since the last reset, with the script, as a session
    // file (docs/session-format.md). false and *error when it cannot be written.
    bool saveRecording(const QString& path, QString* error);
    // Opens a session file and replays it from the start, with no socket: the live lesson
    // ends (its sockets close) and the stage shows the recording. false and *error, one
    // sentence, for a file that cannot be read.
    bool openRecording(const QString& path, QString* error);
    // Leaves a replay: the recorded script is loaded and runs for real from its start.
    void runRecordingLive();
    sessionfile::RecordedSession record();

    // Loads a lesson or an experiment from its text; false and *error ("FILE:LINE:COL:
    // message", as python3's compile() says it) when it is not a valid program.
    bool load(const QString& source, const QString& fileName, const QString& name, QString* error);
    // Several programs side by side (a server and a client), each a host, described already.
    void loadPrograms(const QList<program::Lesson>& programs, const QString& name);
    // Reads and describes each .py file, then runs them side by side; false and *error
    // ("PATH: why" or python3's "FILE:LINE:COL: message") for the first that cannot be.
    bool loadFiles(const QStringList& paths, QString* error);
    // The same, described already (describeFiles).
    void loadFiles(const QStringList& paths, const QList<program::Lesson>& programs);
    // The reading and describing of loadFiles alone: nothing runs.
    static bool describeFiles(const QStringList& paths, QList<program::Lesson>* programs,
                              QString* error);
    // A program described already, from fileName ("" for an experiment), as `name`.
    void loadLesson(const program::Lesson& lesson, const QString& fileName, const QString& name);
    bool loadShipped(const QString& nameOrNumber, QString* error);
    // Starts an empty experiment with one host, "you".
    void startExperiment();
    const QString& lessonName() const { return m_name; }
    const QString& fileName() const { return m_fileName; }
    bool isModified() const { return m_modified; }
    // The (first) program's text as it stands now, with what the panels added.
    QString scriptText() const;
    // A live socket's name: the program's variable that holds it, or else its role
    // ("listener", "conn from :PORT"), the same on the stage and in every view.
    QString liveName(SocketId socket) const;

    // Panel actions. Each returns the Python statement it ran, or "" with *error.
    QString createSocket(const QString& actor, AddressFamily family, SocketType type,
                         QString* error);
    QString callOn(SocketId socket, const Call& call, QString* error);
    void interrupt(CallId call);
    QString newActorName() const;
    // The host an actor of a program is drawn as: the actor's own, or for a program without
    // sections (its one actor "main") the program's host, its file's name.
    QString hostOf(int program, const QString& actor) const;
    // What a click that would make a call hears while a recording replays.
    QString replayRefusal() const;

Q_SIGNALS:
    // A click that could not be turned into a statement after all (said later).
    void problem(const QString& sentence);
    void loaded();
    void scriptChanged();
    void statementInserted(int line); // the line the click's statement was given

private:
    void resetStage();
    void addHosts();
    // Stepped back: the stage, the closer views and the inspector show the trace up to
    // traceSeq, at once; the live run's later events are kept aside (m_liveEvents).
    void showRewound(quint64 traceSeq);
    // The run was re-made up to the moment shown: the stage is the new run's trace.
    void showRemade();
    void leaveReplay();
    // Names in use: every identifier in the programs' text, and those given to statements
    // still on their way (two quick clicks must not both get s1).
    QSet<QString> takenNames() const;
    QString reserve(const QString& stem);

    Workbench& m_workbench;
    program::Runner m_runner;
    StageModel m_model;
    Presenter m_presenter;
    Timeline m_timeline;
    EventSelection m_selection;
    Replayer m_replayer;
    quint64 m_followed = 0; // the newest call, selected for the student (0: none yet)
    bool m_rewound = false;
    QList<Event> m_liveEvents; // stepped back: what the stage had shown of the run
    QString m_name;
    QString m_fileName;
    bool m_modified = false;
    QSet<QString> m_reserved;
    // Clicks on a socket whose name is not assigned yet: the statement that creates it is
    // still finishing. They run as soon as it has.
    QList<std::pair<SocketId, Call>> m_waitingClicks;
};

} // namespace sockbench
