#include "recording.h"

#include "program/runner.h"

#include "lesson/runner.h"
#include "lesson/scriptwriter.h"

#include <QCoreApplication>
#include <QDateTime>

namespace sockbench::sessionfile {

RecordedSession recordRun(const lesson::Runner& runner, const QString& lessonName,
                          const QList<Event>& events)
{
    RecordedSession s;
    s.lessonName = lessonName;
    s.title = runner.script().title;
    s.script = lesson::writeScript(runner.script(), runner.steps()).text;
    s.savedBy = QStringLiteral("Socket Workbench %1").arg(QCoreApplication::applicationVersion());
    s.savedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    s.events = events;
    for (const Event& e : events)
        for (const SocketId id : {e.socket, e.result.newSocket, e.result.pairedSocket}) {
            const QString name = id.isValid() ? runner.nameOf(id) : QString();
            if (!name.isEmpty())
                s.socketNames.insert(id, name);
        }
    for (const lesson::StepOutcome& o : runner.outcomes())
        s.statements << RecordedStatement{o.step,
                                          o.line,
                                          o.actor,
                                          o.source.section(QLatin1Char('\n'), 0, 0),
                                          lesson::outcomeKindName(o.kind),
                                          o.kind == lesson::StepOutcome::Kind::Ok ? o.value
                                          : o.error.type.isEmpty()                ? o.reason
                                                                   : o.error.format(),
                                          o.calls};
    return s;
}

RecordedSession recordRun(const program::Runner& runner, const QString& lessonName,
                          const QList<Event>& events)
{
    RecordedSession s;
    s.lessonName = lessonName;
    s.title = runner.lesson().title;
    s.script = runner.lesson().source;
    s.savedBy = QStringLiteral("Socket Workbench %1").arg(QCoreApplication::applicationVersion());
    s.savedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    s.events = events;
    for (const Event& e : events)
        for (const SocketId id : {e.socket, e.result.newSocket}) {
            const QString name = id.isValid() ? runner.nameOf(id) : QString();
            if (!name.isEmpty())
                s.socketNames.insert(id, name);
        }
    for (const program::StepRecord& step : runner.steps()) {
        const QString kind =
            step.kind == program::StepRecord::Kind::Ok ? QStringLiteral("ok")
            : step.kind == program::StepRecord::Kind::ExpectedError
                ? QStringLiteral("expected-error")
            : step.kind == program::StepRecord::Kind::Failed      ? QStringLiteral("failed")
            : step.kind == program::StepRecord::Kind::Interrupted ? QStringLiteral("interrupted")
                                                                  : QStringLiteral("raised");
        const QString value = !step.error.isEmpty()    ? step.error
                              : !step.reason.isEmpty() ? step.reason
                                                       : step.changes.join(QStringLiteral(", "));
        s.statements << RecordedStatement{step.index, step.line, step.actor, step.source,
                                          kind,       value,     step.calls};
    }
    return s;
}

} // namespace sockbench::sessionfile
