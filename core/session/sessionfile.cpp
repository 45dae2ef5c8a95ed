#include "sessionfile.h"

#include "eventjson.h"

#include "engine/trace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cctype>
#include <cmath>

namespace sockbench::sessionfile {

namespace {

// "LINE:COL" of a byte offset, for JSON syntax errors.
QString lineColumn(const QByteArray& data, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, data.size());
    int line = 1;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < offset; ++i)
        if (data[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    return QStringLiteral("%1:%2").arg(line).arg(offset - lineStart + 1);
}

} // namespace

QByteArray write(const RecordedSession& s)
{
    QJsonObject root;
    root.insert(QStringLiteral("format"), QLatin1String(kFormatName));
    root.insert(QStringLiteral("version"), kFormatVersion);
    root.insert(QStringLiteral("saved_by"), s.savedBy);
    root.insert(QStringLiteral("saved_at"), s.savedAt);
    root.insert(QStringLiteral("lesson"), s.lessonName);
    root.insert(QStringLiteral("title"), s.title);
    root.insert(QStringLiteral("script"), s.script);
    if (s.programs.size() > 1) {
        QJsonArray programs;
        for (const RecordedProgram& p : s.programs)
            programs.append(QJsonObject{{QStringLiteral("file"), p.fileName},
                                        {QStringLiteral("script"), p.script}});
        root.insert(QStringLiteral("programs"), programs);
    }
    QJsonArray sockets;
    QList<SocketId> ids = s.socketNames.keys();
    std::sort(ids.begin(), ids.end());
    for (const SocketId id : ids)
        sockets.append(QJsonObject{{QStringLiteral("id"), double(id.value)},
                                   {QStringLiteral("name"), s.socketNames.value(id)}});
    root.insert(QStringLiteral("sockets"), sockets);
    QJsonArray statements;
    for (const RecordedStatement& st : s.statements) {
        QJsonArray calls;
        for (const CallId c : st.calls)
            calls.append(double(c.value));
        QJsonObject o{
            {QStringLiteral("step"), st.step},       {QStringLiteral("line"), st.line},
            {QStringLiteral("actor"), st.actor},     {QStringLiteral("source"), st.source},
            {QStringLiteral("outcome"), st.outcome}, {QStringLiteral("value"), st.value},
            {QStringLiteral("calls"), calls}};
        if (st.program != 0)
            o.insert(QStringLiteral("program"), st.program);
        if (!st.thread.isEmpty())
            o.insert(QStringLiteral("thread"), st.thread);
        o.insert(QStringLiteral("before_seq"), double(st.beforeSeq));
        statements.append(o);
    }
    root.insert(QStringLiteral("statements"), statements);
    if (s.droppedEvents)
        root.insert(QStringLiteral("dropped_events"), double(s.droppedEvents));
    QJsonArray events;
    for (const Event& e : s.events)
        events.append(eventjson::toJson(e));
    root.insert(QStringLiteral("events"), events);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::variant<RecordedSession, QString> read(const QByteArray& data, const QString& fileName)
{
    auto refuse = [&](const QString& sentence) {
        return fileName + QStringLiteral(": ") + sentence;
    };
    if (data.trimmed().isEmpty())
        return refuse(QStringLiteral("the file is empty; a session file is the JSON Socket "
                                     "Workbench writes with File › Save session"));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(data, &error);
    if (error.error != QJsonParseError::NoError) {
        // An error at the very end is a file that stops early (a full disk, a broken copy).
        qsizetype end = data.size();
        while (end > 0 && std::isspace(static_cast<unsigned char>(data[end - 1])))
            --end;
        const bool cutShort = error.offset >= end - 1;
        return fileName + QLatin1Char(':') + lineColumn(data, error.offset) +
               (cutShort ? QStringLiteral(": the session file ends too soon (%1): it was cut "
                                          "short")
                         : QStringLiteral(": not a readable session file: %1"))
                   .arg(error.errorString());
    }
    const QJsonObject root = document.object();
    if (!document.isObject() ||
        root.value(QStringLiteral("format")).toString() != QLatin1String(kFormatName))
        return refuse(QStringLiteral("not a Socket Workbench session (it has no \"format\": "
                                     "\"%1\")")
                          .arg(QLatin1String(kFormatName)));
    const QJsonValue version = root.value(QStringLiteral("version"));
    if (!version.isDouble() || version.toDouble() != double(version.toInt()) || version.toInt() < 1)
        return refuse(QStringLiteral("its \"version\" must be a whole number from 1"));
    if (version.toInt() > kFormatVersion)
        return refuse(QStringLiteral("it was saved by a newer Socket Workbench (session format "
                                     "version %1); this one reads version %2. Open it with a "
                                     "newer Socket Workbench.")
                          .arg(version.toInt())
                          .arg(kFormatVersion));

    // A text longer than the format allows: the sentence, or empty when it fits.
    auto tooLong = [](const QString& what, const QString& text, qsizetype most) {
        return text.size() <= most ? QString()
                                   : QStringLiteral("%1 is %2 characters long; the format "
                                                    "allows at most %3")
                                         .arg(what)
                                         .arg(text.size())
                                         .arg(most);
    };
    namespace limits = eventjson::limits;
    RecordedSession s;
    s.version = version.toInt();
    s.lessonName = root.value(QStringLiteral("lesson")).toString();
    s.title = root.value(QStringLiteral("title")).toString();
    s.savedBy = root.value(QStringLiteral("saved_by")).toString();
    s.savedAt = root.value(QStringLiteral("saved_at")).toString();
    for (const QString& why :
         {tooLong(QStringLiteral("\"lesson\""), s.lessonName, limits::kMaxName),
          tooLong(QStringLiteral("\"title\""), s.title, limits::kMaxText),
          tooLong(QStringLiteral("\"saved_by\""), s.savedBy, limits::kMaxName),
          tooLong(QStringLiteral("\"saved_at\""), s.savedAt, limits::kMaxName)})
        if (!why.isEmpty())
            return refuse(why);
    if (!root.value(QStringLiteral("script")).isString())
        return refuse(QStringLiteral("it has no \"script\" (the Python text of the session)"));
    s.script = root.value(QStringLiteral("script")).toString();
    if (const QString why = tooLong(QStringLiteral("\"script\""), s.script, limits::kMaxScript);
        !why.isEmpty())
        return refuse(why);
    const QJsonValue programs = root.value(QStringLiteral("programs"));
    if (!programs.isUndefined() &&
        (!programs.isArray() || programs.toArray().size() > limits::kMaxPrograms))
        return refuse(QStringLiteral("\"programs\" must be a list of at most %1 programs")
                          .arg(limits::kMaxPrograms));
    for (const QJsonValue& v : programs.toArray()) {
        const QJsonObject o = v.toObject();
        if (!v.isObject() || !o.value(QStringLiteral("script")).isString() ||
            !o.value(QStringLiteral("file")).isString())
            return refuse(QStringLiteral("every entry of \"programs\" is {\"file\": \"...\", "
                                         "\"script\": \"...\"}"));
        RecordedProgram p{o.value(QStringLiteral("file")).toString(),
                          o.value(QStringLiteral("script")).toString()};
        for (const QString& why :
             {tooLong(QStringLiteral("a program's \"file\""), p.fileName, limits::kMaxName),
              tooLong(QStringLiteral("a program's \"script\""), p.script, limits::kMaxScript)})
            if (!why.isEmpty())
                return refuse(why);
        s.programs << p;
    }
    const double dropped = root.value(QStringLiteral("dropped_events")).toDouble(0);
    if (!(dropped >= 0 && dropped <= 9007199254740992.0) || dropped != std::trunc(dropped))
        return refuse(QStringLiteral("\"dropped_events\" must be a whole number from 0"));
    s.droppedEvents = qint64(dropped);

    const QJsonValue sockets = root.value(QStringLiteral("sockets"));
    if (!sockets.isUndefined() && !sockets.isArray())
        return refuse(QStringLiteral("\"sockets\" must be a list"));
    if (sockets.toArray().size() > Trace::kMaxEvents)
        return refuse(QStringLiteral("it names %1 sockets; the format allows at most %2")
                          .arg(sockets.toArray().size())
                          .arg(Trace::kMaxEvents));
    for (const QJsonValue& v : sockets.toArray()) {
        const QJsonObject o = v.toObject();
        const double id = o.value(QStringLiteral("id")).toDouble(-1);
        if (!v.isObject() || id < 1 || id != double(quint32(id)) ||
            !o.value(QStringLiteral("name")).isString())
            return refuse(QStringLiteral("every entry of \"sockets\" is {\"id\": N, \"name\": "
                                         "\"...\"} with N from 1"));
        if (const QString why =
                tooLong(QStringLiteral("the name of socket %1").arg(id),
                        o.value(QStringLiteral("name")).toString(), limits::kMaxName);
            !why.isEmpty())
            return refuse(why);
        s.socketNames.insert(SocketId{quint32(id)}, o.value(QStringLiteral("name")).toString());
    }

    const QJsonValue statements = root.value(QStringLiteral("statements"));
    if (!statements.isUndefined() && !statements.isArray())
        return refuse(QStringLiteral("\"statements\" must be a list"));
    if (statements.toArray().size() > Trace::kMaxEvents)
        return refuse(QStringLiteral("it has %1 statements; the format allows at most %2")
                          .arg(statements.toArray().size())
                          .arg(Trace::kMaxEvents));
    int index = 0;
    for (const QJsonValue& v : statements.toArray()) {
        ++index;
        const QJsonObject o = v.toObject();
        if (!v.isObject() || !o.value(QStringLiteral("line")).isDouble())
            return refuse(QStringLiteral("statement %1 has no \"line\"").arg(index));
        RecordedStatement st;
        st.step = o.value(QStringLiteral("step")).toInt(-1);
        st.line = o.value(QStringLiteral("line")).toInt();
        st.actor = o.value(QStringLiteral("actor")).toString();
        st.source = o.value(QStringLiteral("source")).toString();
        st.outcome = o.value(QStringLiteral("outcome")).toString();
        st.value = o.value(QStringLiteral("value")).toString();
        st.thread = o.value(QStringLiteral("thread")).toString();
        const double program = o.value(QStringLiteral("program")).toDouble(0);
        if (!(program >= 0 && program < std::max<qsizetype>(1, s.programs.size())) ||
            program != std::trunc(program))
            return refuse(QStringLiteral("statement %1: its \"program\" is not one of the "
                                         "file's programs")
                              .arg(index));
        st.program = int(program);
        const double before = o.value(QStringLiteral("before_seq")).toDouble(0);
        if (!(before >= 0 && before <= 9007199254740992.0) || before != std::trunc(before))
            return refuse(QStringLiteral("statement %1: its \"before_seq\" must be a whole "
                                         "number from 0")
                              .arg(index));
        st.beforeSeq = quint64(before);
        for (const QString& why :
             {tooLong(QStringLiteral("its \"actor\""), st.actor, limits::kMaxName),
              tooLong(QStringLiteral("its \"thread\""), st.thread, limits::kMaxName),
              tooLong(QStringLiteral("its \"source\""), st.source, limits::kMaxStatementText),
              tooLong(QStringLiteral("its \"outcome\""), st.outcome, limits::kMaxName),
              tooLong(QStringLiteral("its \"value\""), st.value, limits::kMaxStatementText)})
            if (!why.isEmpty())
                return refuse(QStringLiteral("statement %1: %2").arg(index).arg(why));
        if (o.value(QStringLiteral("calls")).toArray().size() > Trace::kMaxEvents)
            return refuse(
                QStringLiteral("statement %1 lists more calls than the format allows").arg(index));
        for (const QJsonValue& c : o.value(QStringLiteral("calls")).toArray()) {
            const double id = c.toDouble(-1);
            if (!(id >= 1 && id <= 9007199254740992.0) || id != std::trunc(id))
                return refuse(
                    QStringLiteral("statement %1: its \"calls\" are ids from 1").arg(index));
            st.calls << CallId{quint64(id)};
        }
        s.statements << st;
    }

    const QJsonValue events = root.value(QStringLiteral("events"));
    if (!events.isArray())
        return refuse(QStringLiteral("it has no \"events\" list"));
    if (events.toArray().size() > Trace::kMaxEvents)
        return refuse(QStringLiteral("it has %1 events; a trace keeps at most %2")
                          .arg(events.toArray().size())
                          .arg(Trace::kMaxEvents));
    // The trace keeps whole payloads (64 KiB each at most) up to its total, and a sample of
    // each after that: a file can hold no more.
    const qint64 payloadBudget = Trace::kPayloadTotal + qint64(Trace::kPayloadPerEvent) +
                                 qint64(events.toArray().size()) * Trace::kPayloadSample;
    qint64 payloadTotal = 0;
    quint64 lastSeq = 0;
    index = 0;
    for (const QJsonValue& v : events.toArray()) {
        ++index;
        if (!v.isObject())
            return refuse(QStringLiteral("event %1 is not an object").arg(index));
        QString why;
        auto event = eventjson::fromJson(v.toObject(), &why);
        if (!event)
            return refuse(QStringLiteral("event %1: %2").arg(index).arg(why));
        if (event->seq <= lastSeq)
            return refuse(QStringLiteral("event %1: \"seq\" %2 does not follow %3; events are "
                                         "in the order they happened")
                              .arg(index)
                              .arg(event->seq)
                              .arg(lastSeq));
        lastSeq = event->seq;
        payloadTotal += event->payload.size();
        if (payloadTotal > payloadBudget)
            return refuse(QStringLiteral("event %1: the events' payloads add up to more than the "
                                         "%2 MiB a trace keeps")
                              .arg(index)
                              .arg(Trace::kPayloadTotal >> 20));
        s.events << *event;
    }
    return s;
}

} // namespace sockbench::sessionfile
