#include "lessoncommands.h"

#include "streams.h"

#include "engine/workbench.h"
#include "lesson/catalogue.h"
#include "lesson/lessonpeers.h"
#include "program/lesson.h"
#include "program/runner.h"
#include "session/recording.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>

namespace sockbench::cli {

using namespace sockbench::lesson;
using program::StepRecord;

namespace {

// The actor, and the thread when it is not the actor's own ("server/Thread-1 (handle)").
QString threadLabel(const program::StepRecord& s)
{
    return s.thread == s.actor || s.thread.isEmpty() ? s.actor
                                                     : s.actor + QLatin1Char('/') + s.thread;
}

// Reads a program or lesson (a file, or a shipped lesson by name or number); on failure
// prints one line (FILE:LINE:COL: message) and returns the exit status.
std::variant<program::Lesson, int> load(const QString& nameOrPath, QString* name = nullptr)
{
    QString why;
    const auto file = catalogue::find(nameOrPath, &why);
    if (!file) {
        err() << "sockbench: " << why << '\n';
        err().flush();
        return 2;
    }
    if (name)
        *name = file->name;
    const QString fileName =
        file->path.startsWith(QLatin1Char(':')) ? QFileInfo(file->path).fileName() : file->path;
    auto described = program::describe(file->source, fileName, file->path);
    if (auto* error = std::get_if<program::LoadError>(&described)) {
        err() << error->format() << '\n';
        err().flush();
        return 2;
    }
    const auto& lesson = std::get<program::Lesson>(described);
    const auto peers = peerDeclarations(lesson.peers);
    if (const auto* problem = std::get_if<QString>(&peers)) {
        err() << fileName << ": " << *problem << '\n';
        err().flush();
        return 2;
    }
    return lesson;
}

QString outcomeName(StepRecord::Kind kind)
{
    switch (kind) {
    case StepRecord::Kind::Ok:
        return QStringLiteral("ok");
    case StepRecord::Kind::ExpectedError:
        return QStringLiteral("expected-error");
    case StepRecord::Kind::Failed:
        return QStringLiteral("failed");
    case StepRecord::Kind::Interrupted:
        return QStringLiteral("interrupted");
    case StepRecord::Kind::Raised:
        return QStringLiteral("raised");
    }
    return {};
}

// Prints what the runner reports, as text or as JSON lines.
class Transcript : public QObject {
public:
    Transcript(program::Runner& runner, bool json)
        : m_runner(runner)
        , m_json(json)
    {
        connect(&runner, &program::Runner::stepFinished, this, &Transcript::finished);
        connect(&runner, &program::Runner::stepBlocked, this, &Transcript::blocked);
        connect(&runner, &program::Runner::printed, this, &Transcript::printed);
        connect(&runner, &program::Runner::stuck, this, &Transcript::stuck);
        connect(&runner, &program::Runner::programEnded, this, &Transcript::ended);
    }

    // The steps still waiting when the run ends (stuck): the run stops them.
    void unfinished()
    {
        for (StepRecord s : m_runner.steps()) {
            if (s.settled)
                continue;
            s.kind = StepRecord::Kind::Interrupted;
            s.reason = QStringLiteral("the run ended while it waited");
            finished(s);
        }
    }

    void summary(bool passed)
    {
        int ok = 0, expected = 0, failed = 0, interrupted = 0;
        for (const StepRecord& s : m_runner.steps()) {
            if (!s.settled) {
                ++interrupted;
                continue;
            }
            switch (s.kind) {
            case StepRecord::Kind::Ok:
                ++ok;
                break;
            case StepRecord::Kind::ExpectedError:
            case StepRecord::Kind::Raised:
                ++expected;
                break;
            case StepRecord::Kind::Failed:
                ++failed;
                break;
            case StepRecord::Kind::Interrupted:
                ++interrupted;
                break;
            }
        }
        const int steps = m_runner.stepCount();
        if (m_json) {
            emitJson({{QStringLiteral("type"), QStringLiteral("summary")},
                      {QStringLiteral("passed"), passed},
                      {QStringLiteral("steps"), steps},
                      {QStringLiteral("ok"), ok},
                      {QStringLiteral("expected_errors"), expected},
                      {QStringLiteral("failed"), failed},
                      {QStringLiteral("interrupted"), interrupted}});
            return;
        }
        if (m_quiet)
            return;
        out() << '\n'
              << steps << " steps: " << ok << " ok, " << expected << " expected error"
              << (expected == 1 ? "" : "s");
        if (failed)
            out() << ", " << failed << " failed";
        if (interrupted)
            out() << ", " << interrupted << " interrupted";
        out() << ". " << (passed ? "The run passed." : "The run FAILED.") << '\n';
        out().flush();
    }

    void emitJson(const QJsonObject& object)
    {
        out() << QJsonDocument(object).toJson(QJsonDocument::Compact) << '\n';
        out().flush();
    }

    // A peer of the lesson: a built-in one listening, or one outside (`--peer`).
    void peer(const QString& name, const QString& kind, const Endpoint& address)
    {
        if (m_json) {
            emitJson({{QStringLiteral("type"), QStringLiteral("peer")},
                      {QStringLiteral("name"), name},
                      {QStringLiteral("kind"), kind},
                      {QStringLiteral("address"), address.toString()}});
            return;
        }
        if (m_quiet)
            return;
        out() << QStringLiteral("%1 %2 %3")
                     .arg(name, -m_actorWidth)
                     .arg(kind == QLatin1String("outside") ? QStringLiteral("is a peer outside, at")
                                                           : kind + QStringLiteral(" listens on"))
                     .arg(address.toString())
              << '\n';
        out().flush();
    }

    int m_actorWidth = 6;
    bool m_quiet = false; // --output-dir: the programs' own output goes to files

private:
    QString prefix(const QString& actor, int line) const
    {
        return QStringLiteral("%1 %2  ").arg(actor, -m_actorWidth).arg(line, 4);
    }

    void finished(const StepRecord& s)
    {
        if (m_json) {
            QJsonObject object{{QStringLiteral("type"), QStringLiteral("step")},
                               {QStringLiteral("step"), s.index},
                               {QStringLiteral("actor"), s.actor},
                               {QStringLiteral("thread"), s.thread},
                               {QStringLiteral("line"), s.line},
                               {QStringLiteral("source"), s.source},
                               {QStringLiteral("outcome"), outcomeName(s.kind)}};
            if (!s.changes.isEmpty())
                object.insert(QStringLiteral("changes"), QJsonArray::fromStringList(s.changes));
            if (!s.error.isEmpty()) {
                object.insert(QStringLiteral("error"), s.error);
                object.insert(QStringLiteral("errno"), s.errorName);
            }
            if (!s.reason.isEmpty())
                object.insert(QStringLiteral("reason"), s.reason);
            emitJson(object);
            return;
        }
        if (m_quiet)
            return;
        QString outcome;
        switch (s.kind) {
        case StepRecord::Kind::Ok:
            outcome = s.changes.isEmpty()
                          ? QString()
                          : QStringLiteral("-> ") + s.changes.join(QStringLiteral(", "));
            break;
        case StepRecord::Kind::ExpectedError:
            outcome = QStringLiteral("-> raised %1 (expected)").arg(s.error);
            break;
        case StepRecord::Kind::Failed:
            outcome = QStringLiteral("!! FAILED: ") + (s.reason.isEmpty() ? s.error : s.reason);
            if (!s.traceback.isEmpty())
                outcome += QLatin1Char('\n') + s.traceback.trimmed();
            break;
        case StepRecord::Kind::Interrupted:
            outcome = QStringLiteral("!! interrupted: ") + s.reason;
            break;
        case StepRecord::Kind::Raised:
            outcome = QStringLiteral("-> raised %1").arg(s.error);
            break;
        }
        const QString thread = threadLabel(s);
        out() << prefix(thread, s.line) << s.source << (outcome.isEmpty() ? "" : "  ") << outcome
              << '\n';
        out().flush();
    }

    void blocked(int index, CallId)
    {
        const StepRecord& s = m_runner.steps()[size_t(index)];
        QString state;
        for (const program::ThreadView& t : m_runner.threads())
            if (t.program == s.program && t.tid == s.tid)
                state = t.describe();
        if (m_json) {
            emitJson({{QStringLiteral("type"), QStringLiteral("blocked")},
                      {QStringLiteral("step"), index},
                      {QStringLiteral("actor"), s.actor},
                      {QStringLiteral("line"), s.line},
                      {QStringLiteral("state"), state}});
            return;
        }
        if (m_quiet)
            return;
        const QString thread = threadLabel(s);
        out() << prefix(thread, s.line) << s.source << "  .. " << state << '\n';
        out().flush();
    }

    void printed(const QString& actor, const QString& text)
    {
        if (m_json) {
            emitJson({{QStringLiteral("type"), QStringLiteral("print")},
                      {QStringLiteral("actor"), actor},
                      {QStringLiteral("text"), text}});
            return;
        }
        if (m_quiet)
            return;
        QString rest = text;
        if (rest.endsWith(QLatin1Char('\n')))
            rest.chop(1);
        for (const QString& line : rest.split(QLatin1Char('\n')))
            out() << QStringLiteral("%1 print ").arg(actor, -m_actorWidth) << line << '\n';
        out().flush();
    }

    void stuck(const QString& message)
    {
        if (m_json) {
            emitJson({{QStringLiteral("type"), QStringLiteral("stuck")},
                      {QStringLiteral("message"), message}});
            return;
        }
        out() << "!! " << message << '\n';
        out().flush();
    }

    void ended(int program, const QString& how)
    {
        const QString host = m_runner.programs()[program].host;
        if (m_json) {
            emitJson({{QStringLiteral("type"), QStringLiteral("exit")},
                      {QStringLiteral("program"), host},
                      {QStringLiteral("how"), how}});
            return;
        }
        if (m_quiet)
            return;
        out() << QStringLiteral("%1 ").arg(host, -m_actorWidth) << "the program " << how << '\n';
        out().flush();
    }

    program::Runner& m_runner;
    bool m_json;
};

} // namespace

int listLessons(const QStringList& arguments)
{
    if (!arguments.isEmpty()) {
        err() << "sockbench lessons: takes no arguments\n";
        return 2;
    }
    for (const LessonFile& lesson : catalogue::shipped()) {
        const QString number = QFileInfo(lesson.path).fileName().section(QLatin1Char('-'), 0, 0);
        out() << number << "  " << QStringLiteral("%1").arg(lesson.name, -28) << "  "
              << lesson.title << '\n';
    }
    out().flush();
    return 0;
}

// "NAME=HOST:PORT" (an IPv6 host in brackets) for --peer; an empty name on failure.
std::pair<QString, Endpoint> outsidePeer(const QString& text, QString* why)
{
    static const QRegularExpression form(
        QStringLiteral("^([A-Za-z_][A-Za-z0-9_]*)=(\\[[^\\]]+\\]|[^:\\[\\]]+):([0-9]{1,5})$"));
    const auto match = form.match(text);
    if (!match.hasMatch()) {
        *why = QStringLiteral("--peer wants NAME=HOST:PORT, such as web=127.0.0.1:8080, not \"%1\"")
                   .arg(text);
        return {};
    }
    QString host = match.captured(2);
    if (host.startsWith(QLatin1Char('[')))
        host = host.mid(1, host.size() - 2);
    if (host == QLatin1String("localhost"))
        host = QStringLiteral("127.0.0.1");
    const int port = match.captured(3).toInt();
    const auto address =
        Endpoint::parseLiteral(host, static_cast<quint16>(port), AddressFamily::Unspecified);
    if (!address || port < 1 || port > 65535) {
        *why = QStringLiteral("--peer %1: HOST must be an IP address and PORT a number from 1 "
                              "to 65535")
                   .arg(text);
        return {};
    }
    return {match.captured(1), *address};
}

int runLesson(const QStringList& arguments)
{
    QStringList targets;
    bool json = false;
    bool free = false;
    QString recordTo;
    QString outputDir;
    QList<std::pair<QString, Endpoint>> outside;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& argument = arguments[i];
        if (argument == QLatin1String("--json")) {
            json = true;
        } else if (argument == QLatin1String("--free")) {
            free = true;
        } else if (argument == QLatin1String("--record") ||
                   argument == QLatin1String("--output-dir")) {
            if (i + 1 >= arguments.size() || arguments[i + 1].startsWith(QLatin1Char('-'))) {
                err() << "sockbench run: " << argument
                      << (argument == QLatin1String("--record")
                              ? " needs a file name, such as lesson.sockbench\n"
                              : " needs a directory\n");
                return 2;
            }
            (argument == QLatin1String("--record") ? recordTo : outputDir) = arguments[++i];
        } else if (argument == QLatin1String("--peer")) {
            QString why = QStringLiteral("--peer needs NAME=HOST:PORT");
            std::pair<QString, Endpoint> peer;
            if (i + 1 < arguments.size())
                peer = outsidePeer(arguments[++i], &why);
            if (peer.first.isEmpty()) {
                err() << "sockbench run: " << why << '\n';
                return 2;
            }
            outside << peer;
        } else if (argument.startsWith(QLatin1String("-"))) {
            err() << "sockbench run: unknown option " << argument << '\n';
            return 2;
        } else {
            targets << argument;
        }
    }
    if (targets.isEmpty()) {
        err() << "sockbench run: which lesson or program? (sockbench lessons lists the "
                 "lessons)\n";
        return 2;
    }
    if (!outputDir.isEmpty() && !QDir().mkpath(outputDir)) {
        err() << "sockbench run: cannot create " << outputDir << '\n';
        return 2;
    }
    QList<program::Lesson> programs;
    QString firstName; // the first program's name, as the lesson list gives it
    for (const QString& target : std::as_const(targets)) {
        auto loaded = load(target, programs.isEmpty() ? &firstName : nullptr);
        if (auto* status = std::get_if<int>(&loaded))
            return *status;
        programs << std::get<program::Lesson>(loaded);
    }
    for (const auto& [name, address] : std::as_const(outside)) {
        const bool declared = std::any_of(programs.begin(), programs.end(), [&](const auto& p) {
            return std::any_of(p.peers.begin(), p.peers.end(),
                               [&](const auto& peer) { return peer.first == name; });
        });
        if (!declared) {
            err() << "sockbench run: no program has a peer called " << name
                  << " (a header line \"# peer: NAME = KIND\" declares one)\n";
            return 2;
        }
    }

    Workbench workbench;
    program::Runner runner(workbench);
    runner.setFree(free);
    for (const auto& [name, address] : std::as_const(outside))
        runner.peers().setOutside(name, address);
    Transcript transcript(runner, json);
    transcript.m_quiet = !outputDir.isEmpty() && !json;
    QObject::connect(&runner.peers(), &LessonPeers::peerListening, &runner,
                     [&](const QString& name, const QString& kind, const Endpoint& address) {
                         transcript.peer(name, kind, address);
                     });
    QObject::connect(&runner.peers(), &LessonPeers::problem, &runner, [](const QString& why) {
        err() << "sockbench run: " << why << '\n';
        err().flush();
    });
    // Each program's own output, byte for byte, when asked for files.
    QList<std::shared_ptr<QFile>> outputs;
    for (const program::Lesson& p : std::as_const(programs)) {
        if (outputDir.isEmpty())
            break;
        auto file = std::make_shared<QFile>(
            QDir(outputDir).filePath(QFileInfo(p.fileName).fileName() + QStringLiteral(".out")));
        if (!file->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            err() << "sockbench run: cannot write " << file->fileName() << '\n';
            return 2;
        }
        outputs << file;
    }
    QObject::connect(&runner, &program::Runner::programOutput, &runner,
                     [&](int index, bool isError, const QString& text) {
                         if (index < outputs.size() && !isError) {
                             outputs[index]->write(text.toUtf8());
                             outputs[index]->flush();
                         } else if (index < outputs.size()) {
                             err() << text;
                             err().flush();
                         }
                     });
    runner.setStopAtPauses(false);
    runner.load(programs);
    for (const program::Lesson& p : std::as_const(programs))
        for (const QString& actor : p.actors)
            transcript.m_actorWidth = std::max<int>(transcript.m_actorWidth, int(actor.size()));
    if (!json && !transcript.m_quiet && programs.size() == 1) {
        const program::Lesson& p = programs.first();
        out() << (p.title.isEmpty() ? QFileInfo(p.fileName).fileName() : p.title) << "\n\n";
        out().flush();
    }
    for (const auto& [name, address] : std::as_const(outside))
        transcript.peer(name, QStringLiteral("outside"), address);
    int status = 1;
    auto end = [&](bool passed) {
        transcript.unfinished();
        transcript.summary(passed);
        status = passed ? 0 : 1;
        if (!recordTo.isEmpty()) {
            // The whole trace: the programs' calls, their peers', and what the kernel showed.
            QSaveFile output(recordTo);
            const QByteArray bytes = sessionfile::write(
                sessionfile::recordRun(runner, firstName, workbench.trace().events()));
            if (!output.open(QIODevice::WriteOnly) || output.write(bytes) < 0 || !output.commit()) {
                err() << "sockbench run: cannot write " << recordTo << ": " << output.errorString()
                      << '\n';
                status = 2;
            } else if (!json && !transcript.m_quiet) {
                out() << "Recorded in " << recordTo << " (open it in the window to replay it)\n";
            }
        }
        QCoreApplication::exit(status);
    };
    QObject::connect(&runner, &program::Runner::finished, &runner, end);
    // Headless, a program that can never go on ends the run, saying why.
    QObject::connect(&runner, &program::Runner::stuck, &runner, [&] { end(false); });
    QMetaObject::invokeMethod(&runner, &program::Runner::play, Qt::QueuedConnection);
    QCoreApplication::exec();
    return status;
}

int exportLesson(const QStringList& arguments)
{
    QString target;
    QString outDir = QStringLiteral(".");
    bool threads = false;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& argument = arguments[i];
        if (argument == QLatin1String("--threads")) {
            threads = true;
        } else if (argument == QLatin1String("--out")) {
            if (i + 1 >= arguments.size()) {
                err() << "sockbench export: --out needs a directory\n";
                return 2;
            }
            outDir = arguments[++i];
        } else if (argument.startsWith(QLatin1String("-"))) {
            err() << "sockbench export: unknown option " << argument << '\n';
            return 2;
        } else if (target.isEmpty()) {
            target = argument;
        } else {
            err() << "sockbench export: one lesson at a time\n";
            return 2;
        }
    }
    if (target.isEmpty()) {
        err() << "sockbench export: which lesson? (sockbench lessons lists them)\n";
        return 2;
    }
    auto loaded = load(target);
    if (auto* status = std::get_if<int>(&loaded))
        return *status;
    if (!QDir().mkpath(outDir)) {
        err() << "sockbench export: cannot create " << outDir << '\n';
        return 2;
    }
    QString error;
    const auto written = program::exportProgram(
        std::get<program::Lesson>(loaded),
        threads ? QStringLiteral("threads") : QStringLiteral("per-actor"), outDir, &error);
    if (!error.isEmpty()) {
        err() << "sockbench export: " << error << '\n';
        return 2;
    }
    for (const QString& path : written)
        out() << path << '\n';
    out().flush();
    return 0;
}

} // namespace sockbench::cli
