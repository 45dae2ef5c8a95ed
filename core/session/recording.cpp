#include "recording.h"

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

} // namespace sockbench::sessionfile
