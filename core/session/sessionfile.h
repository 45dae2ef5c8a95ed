#pragma once

#include "engine/event.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <variant>

// A recorded session: the script and every event it made, in one file that a classroom
// can replay on a machine with no network. The format is described in
// docs/session-format.md; reading never trusts the file.
namespace sockbench::sessionfile {

// 2: a statement is one line event of one thread (its program, thread and the moment it began,
// `before_seq`), and several programs side by side are all recorded ("programs").
inline constexpr int kFormatVersion = 2;
inline constexpr char kFormatName[] = "sockbench-session";
inline constexpr char kSuffix[] = "sockbench"; // lesson-01.sockbench
// Larger files are refused before they are read: the trace a window can hold (64 MiB of
// payload, as base64, and 250 000 events) stays well under it.
inline constexpr qint64 kMaxFileBytes = 1024LL * 1024 * 1024;

// One statement as it ran: where it is in the script, how it ended, the calls it made.
struct RecordedStatement {
    int step = -1;
    int line = 0;
    QString actor;
    QString source;
    QString outcome; // StepOutcome kind name: "ok", "expected error", "failed", ...
    QString value;   // repr of the value, or the error
    QList<CallId> calls;
    // Version 2: the program (index into programs) and thread that ran it, and the newest
    // event when it began (0: a version 1 file, which steps by call instead).
    int program = 0;
    QString thread;
    quint64 beforeSeq = 0;
};

// One program of several run side by side (version 2).
struct RecordedProgram {
    QString fileName; // "server.py"
    QString script;
};

struct RecordedSession {
    int version = kFormatVersion; // of the file it was read from
    QString lessonName;           // "first-connection", "experiment"
    QString title;
    QString script; // the (first) program's Python text, as the code view showed it
    QList<RecordedProgram> programs; // every program, the first's script included (version 2)
    QString savedBy;
    QString savedAt; // ISO 8601, UTC
    QHash<SocketId, QString> socketNames;
    QList<RecordedStatement> statements;
    QList<Event> events;      // in seq order
    qint64 droppedEvents = 0; // events before these that the window no longer held
};

QByteArray write(const RecordedSession& session);
// The session, or one sentence: "FILE:LINE:COL: …" where the JSON itself is broken,
// "FILE: …" for anything else.
std::variant<RecordedSession, QString> read(const QByteArray& data, const QString& fileName);

} // namespace sockbench::sessionfile
