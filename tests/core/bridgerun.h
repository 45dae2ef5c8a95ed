#pragma once

// Running a program on the real python3 with its socket calls performed by the workbench
// (runInWorkbench), or under plain python3 (runPlain), for the call bridge's tests.

#include "engine/workbench.h"
#include "program/backendprocess.h"
#include "program/callbridge.h"
#include "program/interpreter.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace sockbench::bridgetest {

using namespace sockbench::program;

struct RunResult {
    QString out;
    QString err;
    int exitCode = -1;
    bool callsEnded = false;
};

// Every program prints END last: the output is complete once it has.
inline const QString kEnd = QStringLiteral("END\n");

// The very interpreter the backend runs on: messages differ between CPython releases
// (3.11.2 says "timestamp too large to convert to C _PyTime_t" where 3.11.7 says
// "timestamp out of range for platform time_t"), and the claim is "as this python3 says".
inline QString plainPython()
{
    return interpreter().path;
}

inline RunResult runPlain(const QString& source)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("program.py"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(source.toUtf8());
    file.close();
    QProcess python;
    python.start(plainPython(), {path});
    if (!python.waitForFinished(20000))
        python.kill();
    return {QString::fromUtf8(python.readAllStandardOutput()),
            QString::fromUtf8(python.readAllStandardError()), python.exitCode()};
}

using OnStarted = std::function<void(CallBridge&, CallId, const QString&)>;

inline RunResult runInWorkbench(Workbench& bench, const QString& source,
                                QList<qint64>* tids = nullptr, const OnStarted& onStarted = {})
{
    RunResult outcome;
    BackendProcess backend;
    CallBridge bridge(bench, backend, [](qint64) { return QStringLiteral("main"); });
    QObject::connect(
        &backend, &BackendProcess::rawOutput, &backend,
        [&](const QString& text, bool isError) { (isError ? outcome.err : outcome.out) += text; });
    // What the program prints through sys.stdout/sys.stderr comes as `out` frames.
    QObject::connect(&backend, &BackendProcess::frameReceived, &backend,
                     [&](const QJsonObject& m, const QByteArray&) {
                         if (m.value(QStringLiteral("t")).toString() != QLatin1String("out"))
                             return;
                         const bool isError = m.value(QStringLiteral("stream")).toString() ==
                                              QLatin1String("stderr");
                         (isError ? outcome.err : outcome.out) +=
                             m.value(QStringLiteral("text")).toString();
                     });
    QSignalSpy started(&bridge, &CallBridge::callStarted);
    QSignalSpy ended(&bridge, &CallBridge::callEnded);
    QSignalSpy exited(&backend, &BackendProcess::exited);
    if (onStarted)
        QObject::connect(
            &bridge, &CallBridge::callStarted, &backend,
            [&](qint64, CallId call, const QString& text) { onStarted(bridge, call, text); });
    QString error;
    if (!backend.start({{"source", source}, {"filename", "program.py"}, {"mode", "free"}},
                       QString(), &error)) {
        outcome.err = error;
        return outcome;
    }
    if (!exited.wait(20000)) {
        backend.kill();
        exited.wait(5000);
        outcome.err += QStringLiteral("\n(the program did not end)");
    }
    if (!exited.isEmpty())
        outcome.exitCode = exited.at(0).at(0).toInt();
    // Output comes through the event loop: wait for its end marker (or give up).
    for (int i = 0; i < 100 && !outcome.out.endsWith(kEnd); ++i)
        QTest::qWait(20);
    // Every call that started has ended (checked by the caller through callsEnded).
    for (int i = 0; i < 250 && ended.size() < started.size(); ++i)
        QTest::qWait(20);
    outcome.callsEnded = ended.size() == started.size() && !started.isEmpty();
    if (tids)
        for (const auto& args : started)
            tids->append(args.at(0).toLongLong());
    bridge.closeAll();
    return outcome;
}

} // namespace sockbench::bridgetest
