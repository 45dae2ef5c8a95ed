#include "lessoncommands.h"

#include "streams.h"

#include "engine/workbench.h"
#include "lesson/catalogue.h"
#include "lesson/exporter.h"
#include "lesson/lessonpeers.h"
#include "lesson/parser.h"
#include "lesson/runner.h"
#include "session/recording.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>

namespace sockbench::cli {

using namespace sockbench::lesson;

namespace {

// Loads and parses a lesson; on failure prints one line and returns the exit status.
std::variant<std::pair<LessonFile, Script>, int> load(const QString& nameOrPath)
{
    QString why;
    const auto file = catalogue::find(nameOrPath, &why);
    if (!file) {
        err() << "sockbench: " << why << '\n';
        err().flush();
        return 2;
    }
    auto parsed = parse(file->source, file->path);
    if (auto* error = std::get_if<ParseError>(&parsed)) {
        err() << error->format(file->path) << '\n';
        err().flush();
        return 2;
    }
    return std::make_pair(*file, std::get<Script>(parsed));
}

QString firstLine(const QString& source)
{
    const auto newline = source.indexOf(QLatin1Char('\n'));
    return newline < 0 ? source : source.left(newline) + QStringLiteral(" …");
}

// Prints what the runner reports, as text or as JSON lines.
class Transcript : public QObject {
public:
    Transcript(Runner& runner, bool json)
        : m_runner(runner)
        , m_json(json)
    {
        connect(&runner, &Runner::stepFinished, this, &Transcript::finished);
        connect(&runner, &Runner::stepBlocked, this, &Transcript::blocked);
        connect(&runner, &Runner::printed, this, &Transcript::printed);
        connect(&runner, &Runner::deadlocked, this, &Transcript::deadlocked);
    }

    void summary(bool passed)
    {
        int ok = 0, expected = 0, failed = 0, skipped = 0, interrupted = 0;
        for (const StepOutcome& o : m_runner.outcomes()) {
            switch (o.kind) {
            case StepOutcome::Kind::Ok:
                ++ok;
                break;
            case StepOutcome::Kind::ExpectedError:
                ++expected;
                break;
            case StepOutcome::Kind::Failed:
                ++failed;
                break;
            case StepOutcome::Kind::Skipped:
                ++skipped;
                break;
            case StepOutcome::Kind::Interrupted:
                ++interrupted;
                break;
            case StepOutcome::Kind::Raised:
                ++expected;
                break;
            }
        }
        if (m_json) {
            emitJson({{QStringLiteral("type"), QStringLiteral("summary")},
                      {QStringLiteral("passed"), passed},
                      {QStringLiteral("statements"), int(m_runner.outcomes().size())},
                      {QStringLiteral("ok"), ok},
                      {QStringLiteral("expected_errors"), expected},
                      {QStringLiteral("failed"), failed},
                      {QStringLiteral("interrupted"), interrupted},
                      {QStringLiteral("skipped"), skipped}});
            return;
        }
        out() << '\n'
              << m_runner.outcomes().size() << " statements: " << ok << " ok, " << expected
              << " expected error" << (expected == 1 ? "" : "s");
        if (failed)
            out() << ", " << failed << " failed";
        if (interrupted)
            out() << ", " << interrupted << " interrupted";
        if (skipped)
            out() << ", " << skipped << " not run";
        out() << ". " << (passed ? "The lesson passed." : "The lesson FAILED.") << '\n';
        out().flush();
    }

private:
    void emitJson(const QJsonObject& object)
    {
        out() << QJsonDocument(object).toJson(QJsonDocument::Compact) << '\n';
        out().flush();
    }

    QString prefix(const QString& actor, int line) const
    {
        return QStringLiteral("%1 %2  ").arg(actor, -m_actorWidth).arg(line, 4);
    }

    void finished(const StepOutcome& o)
    {
        if (m_json) {
            QJsonObject object{{QStringLiteral("type"), QStringLiteral("step")},
                               {QStringLiteral("step"), o.step},
                               {QStringLiteral("actor"), o.actor},
                               {QStringLiteral("line"), o.line},
                               {QStringLiteral("source"), o.source},
                               {QStringLiteral("outcome"), outcomeKindName(o.kind)}};
            if (o.kind == StepOutcome::Kind::Ok)
                object.insert(QStringLiteral("value"), o.value);
            if (!o.error.type.isEmpty()) {
                object.insert(QStringLiteral("error"), o.error.format());
                object.insert(QStringLiteral("errno"), o.error.expectName());
            }
            if (!o.reason.isEmpty())
                object.insert(QStringLiteral("reason"), o.reason);
            emitJson(object);
            return;
        }
        QString outcome;
        switch (o.kind) {
        case StepOutcome::Kind::Ok:
            outcome = QStringLiteral("-> ") + o.value;
            break;
        case StepOutcome::Kind::ExpectedError:
            outcome = QStringLiteral("-> raised %1 (expected)").arg(o.error.format());
            break;
        case StepOutcome::Kind::Failed:
            outcome = QStringLiteral("!! FAILED: ") + o.reason;
            break;
        case StepOutcome::Kind::Interrupted:
            outcome = QStringLiteral("!! interrupted: ") + o.reason;
            break;
        case StepOutcome::Kind::Skipped:
            outcome = QStringLiteral("   ") + o.reason;
            break;
        case StepOutcome::Kind::Raised:
            outcome = QStringLiteral("-> raised %1").arg(o.error.format());
            break;
        }
        out() << prefix(o.actor, o.line) << firstLine(o.source) << "  " << outcome << '\n';
        out().flush();
    }

    void blocked(int step, CallId)
    {
        const RunStep& s = m_runner.steps()[static_cast<size_t>(step)];
        if (m_json) {
            emitJson({{QStringLiteral("type"), QStringLiteral("blocked")},
                      {QStringLiteral("step"), step},
                      {QStringLiteral("actor"), s.actor},
                      {QStringLiteral("line"), s.pos.line},
                      {QStringLiteral("state"), m_runner.actorState(s.thread())}});
            return;
        }
        out() << prefix(s.actor, s.pos.line) << firstLine(s.source) << "  .. "
              << m_runner.actorState(s.thread()) << '\n';
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
        for (const QString& line : text.split(QLatin1Char('\n')))
            out() << QStringLiteral("%1 print ").arg(actor, -m_actorWidth) << line << '\n';
        out().flush();
    }

public:
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
        out() << QStringLiteral("%1 %2 %3")
                     .arg(name, -m_actorWidth)
                     .arg(kind == QLatin1String("outside") ? QStringLiteral("is a peer outside, at")
                                                           : kind + QStringLiteral(" listens on"))
                     .arg(address.toString())
              << '\n';
        out().flush();
    }

private:
    void deadlocked(const QString& message)
    {
        if (m_json) {
            emitJson({{QStringLiteral("type"), QStringLiteral("deadlock")},
                      {QStringLiteral("message"), message}});
            return;
        }
        out() << "!! " << message << '\n';
        out().flush();
    }

public:
    int m_actorWidth = 6;

private:
    Runner& m_runner;
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
    QString target;
    bool json = false;
    QString recordTo;
    QList<std::pair<QString, Endpoint>> outside;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& argument = arguments[i];
        if (argument == QLatin1String("--json")) {
            json = true;
        } else if (argument == QLatin1String("--record")) {
            if (i + 1 >= arguments.size() || arguments[i + 1].startsWith(QLatin1Char('-'))) {
                err() << "sockbench run: --record needs a file name, such as lesson.sockbench\n";
                return 2;
            }
            recordTo = arguments[++i];
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
        } else if (target.isEmpty()) {
            target = argument;
        } else {
            err() << "sockbench run: one lesson at a time (got " << target << " and " << argument
                  << ")\n";
            return 2;
        }
    }
    if (target.isEmpty()) {
        err() << "sockbench run: which lesson? (sockbench lessons lists them)\n";
        return 2;
    }
    auto loaded = load(target);
    if (auto* status = std::get_if<int>(&loaded))
        return *status;
    const auto& [file, script] = std::get<std::pair<LessonFile, Script>>(loaded);
    const auto declared = peerDeclarations(script);
    if (const auto* why = std::get_if<QString>(&declared)) {
        err() << file.path << ": " << *why << '\n';
        return 2;
    }
    for (const auto& [name, address] : std::as_const(outside)) {
        const auto& peers = std::get<QList<PeerDeclaration>>(declared);
        if (std::none_of(peers.begin(), peers.end(),
                         [&](const PeerDeclaration& p) { return p.name == name; })) {
            err() << "sockbench run: the lesson has no peer called " << name
                  << " (its header declares one with a line \"# peer: NAME = KIND\")\n";
            return 2;
        }
    }

    Workbench workbench;
    Runner runner(workbench);
    for (const auto& [name, address] : std::as_const(outside))
        runner.peers().setOutside(name, address);
    Transcript transcript(runner, json);
    QObject::connect(&runner.peers(), &LessonPeers::peerListening, &runner,
                     [&](const QString& name, const QString& kind, const Endpoint& address) {
                         transcript.peer(name, kind, address);
                     });
    QObject::connect(&runner.peers(), &LessonPeers::problem, &runner, [](const QString& why) {
        err() << "sockbench run: " << why << '\n';
        err().flush();
    });
    runner.load(script);
    runner.setStopAtPauses(false);
    for (const QString& actor : script.actors)
        transcript.m_actorWidth = std::max<int>(transcript.m_actorWidth, int(actor.size()));
    if (!json) {
        out() << (script.title.isEmpty() ? file.name : script.title) << "\n\n";
        out().flush();
    }
    for (const auto& [name, address] : std::as_const(outside))
        transcript.peer(name, QStringLiteral("outside"), address);
    int status = 1;
    QObject::connect(&runner, &Runner::finished, &runner, [&](bool passed) {
        transcript.summary(passed);
        status = passed ? 0 : 1;
        if (!recordTo.isEmpty()) {
            // The whole trace: the lesson's calls, its peers', and what the kernel showed.
            QSaveFile output(recordTo);
            const QByteArray bytes = sessionfile::write(
                sessionfile::recordRun(runner, file.name, workbench.trace().events()));
            if (!output.open(QIODevice::WriteOnly) || output.write(bytes) < 0 || !output.commit()) {
                err() << "sockbench run: cannot write " << recordTo << ": " << output.errorString()
                      << '\n';
                status = 2;
            } else if (!json) {
                out() << "Recorded in " << recordTo << " (open it in the window to replay it)\n";
            }
        }
        QCoreApplication::exit(status);
    });
    // A lesson with peers is ready once they listen: the reset ends then.
    if (runner.mode() == Runner::Mode::Resetting)
        QObject::connect(&runner, &Runner::resetDone, &runner, &Runner::play,
                         Qt::SingleShotConnection);
    else
        QMetaObject::invokeMethod(&runner, &Runner::play, Qt::QueuedConnection);
    if (runner.steps().empty()) {
        transcript.summary(true);
        return 0;
    }
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
    const auto& [file, script] = std::get<std::pair<LessonFile, Script>>(loaded);
    if (!QDir().mkpath(outDir)) {
        err() << "sockbench export: cannot create " << outDir << '\n';
        return 2;
    }
    const auto files =
        threads ? exporter::asThreads(script, file.name) : exporter::perActor(script, file.name);
    for (const auto& [name, text] : files) {
        const QString path = QDir(outDir).filePath(name);
        QFile output(path);
        if (!output.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            err() << "sockbench export: cannot write " << path << ": " << output.errorString()
                  << '\n';
            return 2;
        }
        output.write(text.toUtf8());
        out() << path << '\n';
    }
    out().flush();
    return 0;
}

} // namespace sockbench::cli
