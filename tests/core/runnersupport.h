#pragma once

// Shared by the lesson runner tests: a workbench with a runner on it that records what the
// runner says, and small helpers to load inline lessons and wait for them.

#include "lesson/parser.h"
#include "lesson/runner.h"
#include "testsupport.h"

#include <QSignalSpy>

namespace sockbench::lesson::test {

using namespace sockbench::test;

using Kind = StepOutcome::Kind;

// Long enough for anything that should happen at once, and for the runner's deadlock wait.
constexpr int kWaitMs = 10000;

// The client-server exchange most tests use. Steps:
//   0 import (main)  1 server =  2 bind  3 listen  4 accept (blocks)  5 recv
//   6 client =  7 connect  8 sendall
const char* const kExchange = R"(import socket

# --- server ---
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(('127.0.0.1', 0))
server.listen(1)
conn, addr = server.accept()
data = conn.recv(5)

# --- client ---
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(('127.0.0.1', server.getsockname()[1]))
client.sendall(b'hello')
)";

// A workbench, a runner on it, and a record of everything the runner said.
struct Bench {
    Workbench workbench;
    Runner runner{workbench}; // declared after the workbench: destroyed first
    QStringList log;          // "issued 3", "blocked 4", "finished 4 ok", "print server: hi"
    QStringList printed;
    QSignalSpy finished{&runner, &Runner::finished};
    QSignalSpy deadlocked{&runner, &Runner::deadlocked};
    QSignalSpy pausedAt{&runner, &Runner::pausedAt};
    QSignalSpy resetDone{&runner, &Runner::resetDone};

    Bench()
    {
        QObject::connect(&runner, &Runner::stepIssued, &runner,
                         [this](int step) { log << QStringLiteral("issued %1").arg(step); });
        QObject::connect(&runner, &Runner::stepBlocked, &runner, [this](int step, CallId) {
            log << QStringLiteral("blocked %1").arg(step);
        });
        QObject::connect(&runner, &Runner::stepFinished, &runner, [this](const StepOutcome& o) {
            log << QStringLiteral("finished %1 %2").arg(o.step).arg(outcomeKindName(o.kind));
        });
        QObject::connect(&runner, &Runner::printed, &runner,
                         [this](const QString& actor, const QString& text) {
                             printed << actor + QStringLiteral(": ") + text;
                         });
    }

    // Parses and loads; false (with the refusal printed) if the source is not a lesson.
    bool load(const QString& source)
    {
        const auto parsed = parse(source, QStringLiteral("lesson.py"));
        if (const auto* error = std::get_if<ParseError>(&parsed)) {
            qWarning("%s", qPrintable(error->format(QStringLiteral("lesson.py"))));
            return false;
        }
        runner.load(std::get<Script>(parsed));
        resetDone.clear(); // load() resets, and says so
        return true;
    }

    // Plays to the end without stopping at pauses; returns whether it finished in time.
    bool playToEnd()
    {
        runner.setStopAtPauses(false);
        runner.play();
        return finished.count() || finished.wait(kWaitMs);
    }

    // step(), then wait until the statement has settled (finished or blocked).
    bool stepAndSettle()
    {
        runner.step();
        return waitUntil([this] { return runner.mode() != Runner::Mode::Stepping; });
    }

    const StepOutcome* outcome(int step) const
    {
        for (const StepOutcome& o : runner.outcomes())
            if (o.step == step)
                return &o;
        return nullptr;
    }

    // The workbench's janitor joins a closed socket's lanes (and closes their wake-up
    // eventfds) a moment after its close.
    bool descriptorsBackTo(int count)
    {
        return waitUntil([&] { return openDescriptors() == count; });
    }

    int indexOf(const QString& entry) const { return int(log.indexOf(entry)); }

    // Finished events of the given call in the workbench trace.
    int callsFinished(CallKind kind) const
    {
        int count = 0;
        for (const Event& e : workbench.trace().events())
            if (e.kind == EventKind::CallFinished && e.request.kind == kind &&
                e.actor != QLatin1String("reset"))
                ++count;
        return count;
    }
};

// Open socket descriptors of this process ("socket:[inode]" in /proc/self/fd).
inline int socketDescriptors()
{
    int count = 0;
    const QDir fds(QStringLiteral("/proc/self/fd"));
    for (const QFileInfo& fd :
         fds.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System))
        count += fd.symLinkTarget().contains(QLatin1String("socket:["));
    return count;
}

inline QStringList sequence(const QString& what, int from, int to)
{
    QStringList out;
    for (int i = from; i <= to; ++i)
        out << QStringLiteral("%1 %2").arg(what).arg(i);
    return out;
}

inline QStringList only(const QStringList& log, const QString& prefix)
{
    QStringList out;
    for (const QString& entry : log)
        if (entry.startsWith(prefix))
            out << entry;
    return out;
}

} // namespace sockbench::lesson::test

#define LOAD(bench, source) QVERIFY((bench).load(QString::fromUtf8(source)))
#define OUTCOME(bench, step)                                                                       \
    [&]() -> const ::sockbench::lesson::StepOutcome& {                                             \
        static const ::sockbench::lesson::StepOutcome none;                                        \
        const ::sockbench::lesson::StepOutcome* o_ = (bench).outcome(step);                        \
        return o_ ? *o_ : none;                                                                    \
    }()
