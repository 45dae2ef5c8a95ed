#include "recording.h"

#include "program/runner.h"

#include <QCoreApplication>
#include <QDateTime>

namespace sockbench::sessionfile {

namespace {

QString kindName(program::StepRecord::Kind kind)
{
    // The words the format has used since version 1 (lesson::outcomeKindName).
    switch (kind) {
    case program::StepRecord::Kind::Ok:
        return QStringLiteral("ok");
    case program::StepRecord::Kind::ExpectedError:
        return QStringLiteral("expected-error");
    case program::StepRecord::Kind::Failed:
        return QStringLiteral("failed");
    case program::StepRecord::Kind::Interrupted:
        return QStringLiteral("interrupted");
    case program::StepRecord::Kind::Raised:
        return QStringLiteral("raised");
    }
    return QStringLiteral("ok");
}

} // namespace

RecordedSession recordRun(const program::Runner& runner, const QString& lessonName,
                          const QList<Event>& events)
{
    RecordedSession s;
    s.lessonName = lessonName;
    s.title = runner.lesson().title;
    // The first program's text as it stands, the clicks' statements included; every
    // program when several ran side by side.
    s.script = runner.lesson().source;
    if (runner.programs().size() > 1)
        for (const program::ProgramView& p : runner.programs())
            s.programs << RecordedProgram{p.lesson.fileName, p.lesson.source};
    s.savedBy = QStringLiteral("Socket Workbench %1").arg(QCoreApplication::applicationVersion());
    s.savedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    s.events = events;
    for (const Event& e : events)
        for (const SocketId id : {e.socket, e.result.newSocket}) {
            const QString name = id.isValid() ? runner.nameOf(id) : QString();
            if (!name.isEmpty())
                s.socketNames.insert(id, name);
        }
    // One statement per step: a line event of one thread, so a loop's line appears once
    // per pass, and "step N" means the same live and in the replay.
    for (const program::StepRecord& r : runner.steps())
        s.statements << RecordedStatement{r.index,
                                          r.line,
                                          r.actor,
                                          r.source.section(QLatin1Char('\n'), 0, 0),
                                          kindName(r.kind),
                                          !r.error.isEmpty() ? r.error
                                          : !r.reason.isEmpty()
                                              ? r.reason
                                              : r.changes.join(QStringLiteral(", ")),
                                          r.calls,
                                          r.program,
                                          r.thread,
                                          r.traceSeq};
    return s;
}

} // namespace sockbench::sessionfile
