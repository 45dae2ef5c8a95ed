#pragma once

#include "lesson/runner.h"
#include "presentation/presenter.h"
#include "presentation/stagemodel.h"

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
    lesson::Runner& runner() { return m_runner; }
    StageModel& model() { return m_model; }
    Presenter& presenter() { return m_presenter; }

    // Loads a lesson or an experiment from its text; false and *error ("FILE:LINE:COL:
    // message") when it is not a valid lesson.
    bool load(const QString& source, const QString& fileName, const QString& name, QString* error);
    bool loadShipped(const QString& nameOrNumber, QString* error);
    // Starts an empty experiment with one host, "you".
    void startExperiment();
    const QString& lessonName() const { return m_name; }
    const QString& fileName() const { return m_fileName; }
    bool isModified() const { return m_modified; }
    // The script as it stands now, with what the panels added.
    QString scriptText() const;

    // Panel actions. Each returns the Python statement it ran, or "" with *error.
    QString createSocket(const QString& actor, AddressFamily family, SocketType type,
                         QString* error);
    QString callOn(SocketId socket, const Call& call, QString* error);
    void interrupt(CallId call);
    QString newActorName() const;

Q_SIGNALS:
    // A click that could not be turned into a statement after all (said later).
    void problem(const QString& sentence);
    void loaded();
    void scriptChanged();
    void statementInserted(int step);

private:
    void resetStage();
    // Names in use: the script's variables, and those given to statements still on their
    // way (two quick clicks must not both get s1).
    QSet<QString> takenNames() const;
    QString reserve(const QString& stem);

    Workbench& m_workbench;
    lesson::Runner m_runner;
    StageModel m_model;
    Presenter m_presenter;
    QString m_name;
    QString m_fileName;
    bool m_modified = false;
    QSet<QString> m_reserved;
    // Clicks on a socket whose name is not assigned yet: the statement that creates it is
    // still finishing. They run as soon as it has.
    QList<std::pair<SocketId, Call>> m_waitingClicks;
};

} // namespace sockbench
