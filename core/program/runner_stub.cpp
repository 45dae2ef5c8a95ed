// STUB (drop at merge): a stand-in for runner.cpp and lesson.cpp so that the window links
// and opens while the real engine is written. It runs nothing: no thread, no step.

#include "runner.h"

#include "lesson/lessonpeers.h"

#include <QRegularExpression>

namespace sockbench::program {

QString Lesson::actorAt(int line) const
{
    const int i = sectionAt(line);
    return i < 0 ? QStringLiteral("main") : sections[i].actor;
}

int Lesson::sectionAt(int line) const
{
    for (int i = 0; i < sections.size(); ++i)
        if (line >= sections[i].firstLine && line <= sections[i].lastLine)
            return i;
    return -1;
}

QString LoadError::format() const
{
    return QStringLiteral("%1:%2:%3: %4").arg(fileName).arg(line).arg(column).arg(message);
}

QString ThreadView::describe() const
{
    switch (state) {
    case State::Starting:
        return QStringLiteral("starting");
    case State::Waiting:
        return QStringLiteral("waiting at line %1").arg(line);
    case State::Running:
        return QStringLiteral("running line %1").arg(line);
    case State::Blocked:
        return QStringLiteral("blocked in %1 at line %2").arg(call).arg(line);
    case State::Sleeping:
        return QStringLiteral("in %1 at line %2").arg(call).arg(line);
    case State::Finished:
        return QStringLiteral("finished");
    case State::Failed:
        return QStringLiteral("failed: %1").arg(error);
    }
    return {};
}

std::variant<Lesson, LoadError> describe(const QString& source, const QString& fileName,
                                         const QString& path)
{
    Lesson l;
    l.fileName = fileName;
    l.path = path;
    l.source = source;
    const QStringList lines = source.split(QLatin1Char('\n'));
    static const QRegularExpression marker(QStringLiteral("^#\\s*---\\s*(\\w+)\\s*---\\s*$"));
    static const QRegularExpression header(QStringLiteral("^#\\s*(\\w+):\\s*(.*)$"));
    QStringList comments;
    for (int i = 0; i < lines.size(); ++i) {
        const QString t = lines[i].trimmed();
        if (const auto m = marker.match(t); m.hasMatch()) {
            if (!l.sections.isEmpty())
                l.sections.last().lastLine = i;
            l.sections.append({m.captured(1), i + 1, int(lines.size())});
            if (!l.actors.contains(m.captured(1)))
                l.actors << m.captured(1);
            comments.clear();
        } else if (const auto h = header.match(t); h.hasMatch() && l.statementLines.isEmpty()) {
            if (h.captured(1) == QLatin1String("title"))
                l.title = h.captured(2);
        } else if (t.startsWith(QLatin1Char('#'))) {
            comments << t.mid(1).trimmed();
        } else if (!t.isEmpty()) {
            l.statementLines << i + 1;
            if (!comments.isEmpty())
                l.notes[i + 1].narration << comments.join(QLatin1Char(' '));
            comments.clear();
        }
    }
    if (l.actors.isEmpty())
        l.actors << QStringLiteral("main");
    return l;
}

bool exportProgram(const Lesson&, const QString&, const QString&, QString* error)
{
    if (error)
        *error = QStringLiteral("export is not available in this build (engine stub)");
    return false;
}

struct Runner::Impl {
    explicit Impl(Workbench& wb)
        : workbench(wb)
        , peers(wb)
    {
    }
    Workbench& workbench;
    lesson::LessonPeers peers;
    QList<ProgramView> programs;
    Lesson empty;
    std::vector<StepRecord> steps;
    Mode mode = Mode::Idle;
    int interval = 0;
};

Runner::Runner(Workbench& workbench, QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Impl>(workbench))
{
}
Runner::~Runner() = default;

void Runner::load(const QList<Lesson>& programs)
{
    d->programs.clear();
    for (const Lesson& l : programs) {
        ProgramView p;
        p.lesson = l;
        const QString base =
            QString(l.fileName).remove(QRegularExpression(QStringLiteral("\\.py$")));
        p.host = l.actors.size() == 1 && l.actors.first() != QLatin1String("main")
                     ? l.actors.first()
                     : base;
        d->programs << p;
    }
    reset();
}
const QList<ProgramView>& Runner::programs() const
{
    return d->programs;
}
const Lesson& Runner::lesson() const
{
    return d->programs.isEmpty() ? d->empty : d->programs.first().lesson;
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
    return 0;
}
const std::vector<StepRecord>& Runner::steps() const
{
    return d->steps;
}
int Runner::stepCount() const
{
    return int(d->steps.size());
}
// One thread per actor, waiting at its section's first statement, so that the window has
// something to draw; SOCKBENCH_STUB_DEMO=1 shows the first one blocked in accept().
QList<ThreadView> Runner::threads() const
{
    QList<ThreadView> out;
    for (int p = 0; p < d->programs.size(); ++p) {
        const Lesson& l = d->programs[p].lesson;
        for (const QString& actor : l.actors) {
            ThreadView t;
            t.program = p;
            t.tid = out.size() + 1;
            t.name = t.actor = actor;
            t.state = ThreadView::State::Waiting;
            for (const int line : l.statementLines)
                if (l.actorAt(line) == actor) {
                    t.line = line;
                    break;
                }
            if (out.isEmpty() && qEnvironmentVariableIsSet("SOCKBENCH_STUB_DEMO")) {
                t.state = ThreadView::State::Blocked;
                t.call = QStringLiteral("accept()");
            }
            out << t;
        }
    }
    return out;
}
std::optional<Runner::Next> Runner::next() const
{
    for (const ThreadView& t : threads())
        if (t.state == ThreadView::State::Waiting && t.line > 0)
            return Next{t.program, t.tid, t.name, t.actor, t.line};
    return std::nullopt;
}
bool Runner::atEnd() const
{
    return true;
}

int Runner::insertStatement(const QString&, const QString& source, QString* error)
{
    if (d->programs.isEmpty()) {
        if (error)
            *error = QStringLiteral("1:1: no program is loaded");
        return -1;
    }
    Lesson& l = d->programs.first().lesson;
    if (!l.source.isEmpty() && !l.source.endsWith(QLatin1Char('\n')))
        l.source += QLatin1Char('\n');
    l.source += source + QLatin1Char('\n');
    const int line = int(l.source.count(QLatin1Char('\n')));
    l.statementLines << line;
    return line;
}
QString Runner::nameOf(SocketId) const
{
    return {};
}
QSet<SocketId> Runner::sockets() const
{
    return {};
}
void Runner::setPlayInterval(int milliseconds)
{
    d->interval = milliseconds;
}
int Runner::playInterval() const
{
    return d->interval;
}
void Runner::setStopAtPauses(bool) {}
lesson::LessonPeers& Runner::peers()
{
    return d->peers;
}

void Runner::step() {}
void Runner::play() {}
void Runner::pause() {}
void Runner::runToLine(int) {}
void Runner::reset()
{
    d->peers.stopAll(); // what the Peers menu started runs until the next reset
    d->steps.clear();
    Q_EMIT threadsChanged();
    Q_EMIT resetDone();
}
void Runner::stepBack() {}

} // namespace sockbench::program
