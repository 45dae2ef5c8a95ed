#include "session.h"

#include "codegen/python.h"
#include "engine/workbench.h"
#include "lesson/catalogue.h"
#include "lesson/lessonpeers.h"
#include "session/recording.h"
#include "stage/callform.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

namespace sockbench {

Session::Session(Workbench& workbench, QObject* parent)
    : QObject(parent)
    , m_workbench(workbench)
    , m_runner(workbench)
    , m_presenter(workbench.trace(), m_model)
    , m_replayer(m_model, m_timeline, m_selection)
{
    // The window's programs stay ready for clicks after their last line.
    m_runner.setKeepAlive(true);
    m_timeline.setSocketNamer([this](SocketId id) { return liveName(id); });
    connect(&m_presenter, &Presenter::presented, this, [this](const Event& event) {
        if (!m_replayer.isActive())
            m_timeline.add(event);
    });
    // Live, the inspector shows the newest call that finished or blocked - until the student picks
    // a moment of their own, which then stays.
    connect(&m_timeline, &Timeline::appended, this, [this](qsizetype first, qsizetype count) {
        if (m_replayer.isActive() || (m_selection.seq() != 0 && m_selection.seq() != m_followed))
            return;
        for (qsizetype i = first + count - 1; i >= first; --i)
            if (const Event& e = m_timeline.at(i); e.kind != EventKind::Observation &&
                                                   e.actor != QLatin1String("reset") &&
                                                   !m_runner.peers().peer(e.actor)) {
                m_followed = e.seq;
                m_selection.select(e.seq);
                return;
            }
    });
    connect(&m_runner, &program::Runner::resetDone, this, &Session::resetStage);
    connect(&m_runner, &program::Runner::rewound, this,
            [this](int, quint64 traceSeq) { showRewound(traceSeq); });
    connect(&m_runner, &program::Runner::remade, this, &Session::showRemade);
    connect(&m_runner, &program::Runner::stepFinished, this, [this] {
        const auto waiting = std::exchange(m_waitingClicks, {});
        for (const auto& [socket, call] : waiting) {
            QString error;
            if (callOn(socket, call, &error).isEmpty() && !error.isEmpty())
                Q_EMIT problem(error);
        }
    });
}

void Session::resetStage()
{
    if (m_replayer.isActive())
        return; // the stage shows the recording; the live side only finished closing
    if (std::exchange(m_rewound, false)) {
        m_liveEvents.clear();
        m_presenter.setSuspended(false);
    }
    // The sockets of the old run are closed; the stage starts again empty, from here on -
    // or from the start of the lesson's peers, which listen before its first statement.
    m_presenter.restart(m_runner.peers().startedAtSeq());
    m_model.clear();
    m_selection.clear();
    m_followed = 0;
    m_timeline.start();
    addHosts();
}

void Session::addHosts()
{
    // Each program is a host; inside a program, each `# --- name ---` section's actor has
    // its own. A program without sections is drawn as its host (its file's name).
    for (int i = 0; i < m_runner.programs().size(); ++i)
        for (const QString& actor : m_runner.programs()[i].lesson.actors) {
            const QString host = hostOf(i, actor);
            if (!host.isEmpty() && host != QLatin1String("main") &&
                !m_model.actors().contains(host))
                m_model.addActor(host);
        }
    if (m_model.actors().isEmpty())
        m_model.addActor(QStringLiteral("you")); // an empty experiment: somewhere to start
}

void Session::showRewound(quint64 traceSeq)
{
    if (!m_rewound) {
        // Everything the run did so far, not only what the pace has shown yet.
        m_presenter.catchUp();
        QCoreApplication::sendPostedEvents(&m_timeline);
        m_liveEvents.clear();
        for (qsizetype i = 0; i < m_timeline.size(); ++i)
            m_liveEvents << m_timeline.at(i);
        m_presenter.setSuspended(true);
        m_rewound = true;
    }
    QList<Event> shown;
    for (const Event& e : std::as_const(m_liveEvents))
        if (e.seq <= traceSeq)
            shown << e;
    m_model.clear();
    addHosts();
    m_model.setAnimated(false);
    for (const Event& e : std::as_const(shown))
        m_model.apply(e);
    m_model.setAnimated(true);
    m_timeline.setEvents(shown);
    // The inspector shows the newest call of that moment, as it did then.
    m_followed = 0;
    for (qsizetype i = shown.size() - 1; i >= 0; --i)
        if (shown[i].kind != EventKind::Observation && shown[i].actor != QLatin1String("reset") &&
            !m_runner.peers().peer(shown[i].actor)) {
            m_followed = shown[i].seq;
            break;
        }
    if (m_followed != 0)
        m_selection.select(m_followed);
    else
        m_selection.clear();
}

void Session::showRemade()
{
    if (!std::exchange(m_rewound, false))
        return;
    m_liveEvents.clear();
    m_model.clear();
    m_selection.clear();
    m_followed = 0;
    m_timeline.start();
    addHosts();
    m_model.setAnimated(false);
    m_presenter.resumeFrom(m_runner.runStartSeq());
    m_model.setAnimated(true);
}

bool Session::load(const QString& source, const QString& fileName, const QString& name,
                   QString* error)
{
    const QString shown = fileName.isEmpty() ? QStringLiteral("experiment.py") : fileName;
    auto described = program::describe(source, shown, fileName);
    if (auto* problem = std::get_if<program::LoadError>(&described)) {
        if (error)
            *error = problem->format();
        return false;
    }
    loadLesson(std::get<program::Lesson>(described), fileName, name);
    return true;
}

void Session::loadLesson(const program::Lesson& lesson, const QString& fileName,
                         const QString& name)
{
    m_fileName = fileName;
    loadPrograms({lesson}, name);
}

void Session::loadPrograms(const QList<program::Lesson>& programs, const QString& name)
{
    leaveReplay();
    m_name = name;
    m_modified = false;
    m_reserved.clear();
    m_runner.load(programs);
    resetStage();
    Q_EMIT loaded();
    Q_EMIT scriptChanged();
}

bool Session::describeFiles(const QStringList& paths, QList<program::Lesson>* programs,
                            QString* error)
{
    for (const QString& path : paths) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            if (error)
                *error = tr("%1: cannot read it: %2").arg(path, file.errorString());
            return false;
        }
        const QString fileName = QFileInfo(path).fileName();
        auto described = program::describe(QString::fromUtf8(file.readAll()), fileName, path);
        if (auto* problem = std::get_if<program::LoadError>(&described)) {
            if (error)
                *error = problem->format();
            return false;
        }
        *programs << std::get<program::Lesson>(described);
    }
    return !programs->isEmpty();
}

bool Session::loadFiles(const QStringList& paths, QString* error)
{
    QList<program::Lesson> programs;
    if (!describeFiles(paths, &programs, error))
        return false;
    loadFiles(paths, programs);
    return true;
}

void Session::loadFiles(const QStringList& paths, const QList<program::Lesson>& programs)
{
    QStringList names;
    for (const QString& path : paths)
        names << QFileInfo(path).completeBaseName();
    m_fileName = paths.first();
    loadPrograms(programs, names.join(QStringLiteral(" + ")));
}

bool Session::loadShipped(const QString& nameOrNumber, QString* error)
{
    const auto file = lesson::catalogue::find(nameOrNumber, error);
    if (!file)
        return false;
    return load(file->source, file->path, file->name, error);
}

void Session::startExperiment()
{
    // One host, "you": the panels' clicks become its statements.
    load(QStringLiteral("# title: My experiment\n\n# --- you ---\n"), QString(),
         QStringLiteral("experiment"), nullptr);
}

QString Session::scriptText() const
{
    return m_runner.lesson().source;
}

QString Session::hostOf(int program, const QString& actor) const
{
    const auto& programs = m_runner.programs();
    if (actor != QLatin1String("main") || program < 0 || program >= programs.size())
        return actor;
    // "main" is the program's own thread: in a program without sections, the program's host;
    // in a lesson with sections (its preamble, `import socket`), its first actor's host, as
    // the window has always drawn it - no host of its own.
    const program::ProgramView& p = programs[program];
    for (const QString& other : p.lesson.actors)
        if (other != QLatin1String("main"))
            return other;
    return p.host.isEmpty() ? actor : p.host;
}

QString Session::newActorName() const
{
    // actors() returns a copy: begin() and end() must come from one list, kept alive here.
    const QStringList actors = m_model.actors();
    const QSet<QString> taken(actors.cbegin(), actors.cend());
    if (!taken.contains(QStringLiteral("you")))
        return QStringLiteral("you");
    return codegen::python::freshName(QStringLiteral("host"), taken);
}

QSet<QString> Session::takenNames() const
{
    // Python holds the names now: any identifier the text mentions counts as taken, which
    // is stricter than the program's variables and never wrong.
    static const QRegularExpression identifier(QStringLiteral("[A-Za-z_][A-Za-z0-9_]*"));
    QSet<QString> taken = m_reserved;
    for (const program::ProgramView& p : m_runner.programs())
        for (auto it = identifier.globalMatch(p.lesson.source); it.hasNext();)
            taken.insert(it.next().captured());
    return taken;
}

QString Session::reserve(const QString& stem)
{
    const QString name = codegen::python::freshName(stem, takenNames());
    m_reserved.insert(name);
    return name;
}

namespace {

// insertStatement's refusal is python3's "LINE:COL: message" about a line the student never
// typed: one sentence about the statement instead.
void explainRefusal(const QString& statement, QString* error)
{
    if (!error)
        return;
    static const QRegularExpression where(QStringLiteral("^\\d+:\\d+: "));
    QString message = *error;
    message.remove(where);
    *error = QObject::tr("Python refused the statement %1: %2").arg(statement, message);
}

} // namespace

QString Session::replayRefusal() const
{
    return tr("This is a recording, replayed without sockets: press Run again live to make "
              "calls of your own");
}

QString Session::createSocket(const QString& actor, AddressFamily family, SocketType type,
                              QString* error)
{
    if (m_replayer.isActive()) {
        if (error)
            *error = replayRefusal();
        return {};
    }
    // A program without `import socket` gets it first: the statement needs the module.
    static const QRegularExpression imported(QStringLiteral("^import socket\\b"),
                                             QRegularExpression::MultilineOption);
    if (!imported.match(m_runner.lesson().source).hasMatch() &&
        m_runner.insertStatement(actor, QStringLiteral("import socket"), error) < 0)
        return {};
    const QString name =
        reserve(isConnectionOriented(type) ? QStringLiteral("s") : QStringLiteral("u"));
    const QString statement = codegen::python::createSocket(name, family, type);
    if (const QString problem = statementProblem(statement); !problem.isEmpty()) {
        if (error)
            *error = tr("The statement %1 was not run: %2").arg(statement, problem);
        return {};
    }
    const int line = m_runner.insertStatement(actor, statement, error);
    if (line < 0) {
        explainRefusal(statement, error);
        return {};
    }
    m_modified = true;
    Q_EMIT statementInserted(line);
    Q_EMIT scriptChanged();
    return statement;
}

QString Session::callOn(SocketId socket, const Call& call, QString* error)
{
    if (m_replayer.isActive()) {
        if (error)
            *error = replayRefusal();
        return {};
    }
    const SocketView* view = m_model.socket(socket);
    const QString name = m_runner.nameOf(socket);
    if (view && name.isEmpty() &&
        (m_runner.nameComing(socket) || m_runner.mode() == program::Runner::Mode::Stepping)) {
        // The stage can show a socket a moment before its statement has assigned it: the
        // click runs once that statement has finished.
        m_waitingClicks.append({socket, call});
        return {};
    }
    if (!view || name.isEmpty()) {
        if (error)
            *error =
                tr("this socket has no name in the script any more, so no statement can use it");
        return {};
    }
    QStringList results;
    switch (call.kind) {
    case CallKind::Accept: {
        results << reserve(QStringLiteral("conn")) << reserve(QStringLiteral("addr"));
        break;
    }
    case CallKind::Recv:
    case CallKind::RecvInto:
        results << reserve(QStringLiteral("data"));
        break;
    case CallKind::RecvFrom:
    case CallKind::RecvFromInto: {
        results << reserve(QStringLiteral("data")) << reserve(QStringLiteral("addr"));
        break;
    }
    case CallKind::ConnectEx:
        results << reserve(QStringLiteral("err"));
        break;
    default:
        break;
    }
    // A port the kernel chose for a socket on the stage is written as that socket's
    // getsockname()[1]: the script then runs again, whatever port the kernel picks next time.
    QString portExpression;
    if (call.kind == CallKind::Connect || call.kind == CallKind::ConnectEx ||
        call.kind == CallKind::SendTo) {
        for (const SocketId other : m_model.sockets()) {
            const SocketView* target = m_model.socket(other);
            const QString targetName = m_runner.nameOf(other);
            if (other != socket && target && !targetName.isEmpty() && target->localChosenByKernel &&
                target->state != TeachingState::Closed && target->acceptedFrom.isValid() == false &&
                target->local.port() == call.args.port && call.args.port != 0) {
                portExpression = targetName + QStringLiteral(".getsockname()[1]");
                break;
            }
        }
    }
    const QString statement =
        codegen::python::socketCall(name, call, view->family, results, portExpression);
    if (statement.isEmpty()) {
        if (error)
            *error = tr("%1() is not a call on a socket").arg(callName(call.kind));
        return {};
    }
    // The statement runs in the actor whose host the socket sits on.
    if (const QString problem = statementProblem(statement); !problem.isEmpty()) {
        if (error)
            *error = tr("The statement %1 was not run: %2").arg(statement, problem);
        return {};
    }
    const int line = m_runner.insertStatement(view->actor, statement, error);
    if (line < 0) {
        explainRefusal(statement, error);
        return {};
    }
    m_modified = true;
    Q_EMIT statementInserted(line);
    Q_EMIT scriptChanged();
    return statement;
}

QString Session::liveName(SocketId socket) const
{
    const QString name = m_runner.nameOf(socket);
    if (!name.isEmpty())
        return name;
    const SocketView* view = m_model.socket(socket);
    return view ? roleName(*view) : QString();
}

void Session::leaveReplay()
{
    if (!m_replayer.isActive())
        return;
    m_replayer.stop();
    m_presenter.setSuspended(false);
    m_runner.peers().setEnabled(true);
    m_runner.setEnabled(true);
    m_timeline.setSocketNamer([this](SocketId id) { return liveName(id); });
}

sessionfile::RecordedSession Session::record()
{
    if (m_replayer.isActive())
        return m_replayer.session();
    m_presenter.catchUp(); // everything that happened, not only what the pace has shown
    QCoreApplication::sendPostedEvents(&m_timeline); // the timeline's last batch
    QList<Event> events;
    for (qsizetype i = 0; i < m_timeline.size(); ++i)
        events << m_timeline.at(i);
    sessionfile::RecordedSession s = sessionfile::recordRun(m_runner, m_name, events);
    // A socket no variable names keeps the role it was shown by.
    for (const Event& e : events)
        for (const SocketId id : {e.socket, e.result.newSocket})
            if (id.isValid() && !s.socketNames.contains(id))
                if (const QString name = liveName(id); !name.isEmpty())
                    s.socketNames.insert(id, name);
    s.droppedEvents = m_timeline.dropped();
    return s;
}

bool Session::saveRecording(const QString& path, QString* error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(sessionfile::write(record())) < 0 ||
        !file.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool Session::openRecording(const QString& path, QString* error)
{
    // Every refusal starts with the path as it was given ("PATH: why"), as the command line
    // and the lesson files say theirs.
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("%1: cannot read it: %2").arg(path, file.errorString());
        return false;
    }
    if (file.size() > sessionfile::kMaxFileBytes) {
        if (error)
            *error = tr("%1: %2 MiB is more than any session Socket Workbench writes; it is "
                        "not opened")
                         .arg(path)
                         .arg(file.size() / (1024 * 1024));
        return false;
    }
    auto read = sessionfile::read(file.readAll(), path);
    if (auto* why = std::get_if<QString>(&read)) {
        if (error)
            *error = *why;
        return false;
    }
    auto& recording = std::get<sessionfile::RecordedSession>(read);
    // The programs it ran: one script, or (version 2) several side by side.
    QList<sessionfile::RecordedProgram> scripts = recording.programs;
    if (scripts.isEmpty())
        scripts << sessionfile::RecordedProgram{path, recording.script};
    QList<program::Lesson> lessons;
    QStringList actors;
    for (const sessionfile::RecordedProgram& p : std::as_const(scripts)) {
        auto described = program::describe(p.script, p.fileName, path);
        if (auto* problem = std::get_if<program::LoadError>(&described)) {
            if (error)
                *error =
                    tr("%1 (a script inside the session file %2)").arg(problem->format(), path);
            return false;
        }
        lessons << std::get<program::Lesson>(described);
        actors << lessons.last().actors;
    }
    // From here on nothing live touches the stage, and nothing starts a socket: the old
    // lesson's sockets close, its peers stop, and the recording is all there is.
    leaveReplay();
    m_presenter.setSuspended(true);
    m_runner.peers().setEnabled(false);
    m_runner.setEnabled(false); // no backend either: a replay runs no program
    m_replayer.start(recording, actors);
    m_name = recording.lessonName;
    m_fileName = path;
    m_modified = false;
    m_runner.load(lessons);
    Q_EMIT loaded();
    Q_EMIT scriptChanged();
    return true;
}

void Session::runRecordingLive()
{
    if (!m_replayer.isActive())
        return;
    const sessionfile::RecordedSession recording = m_replayer.session();
    if (recording.programs.size() < 2) {
        load(recording.script, m_fileName, recording.lessonName, nullptr);
        return;
    }
    QList<program::Lesson> lessons;
    for (const sessionfile::RecordedProgram& p : recording.programs) {
        auto described = program::describe(p.script, p.fileName, m_fileName);
        if (!std::holds_alternative<program::Lesson>(described))
            return; // read already: openRecording described every one
        lessons << std::get<program::Lesson>(described);
    }
    loadPrograms(lessons, recording.lessonName);
}

void Session::interrupt(CallId call)
{
    // A recording's blocked call is history: nothing is running to interrupt.
    if (m_replayer.isActive()) {
        Q_EMIT problem(replayRefusal());
        return;
    }
    m_workbench.interrupt(call);
}

} // namespace sockbench
