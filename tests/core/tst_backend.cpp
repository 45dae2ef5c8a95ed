// The backend process: python3 started with the channel, the program it is sent, its
// output, its end, and what a program that misbehaves leaves behind (nothing).
#include "program/backendprocess.h"
#include "program/interpreter.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace sockbench::program;

class TestBackend : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (!interpreter().ok())
            QFAIL(qPrintable(interpreter().error));
    }

    void anInterpreterIsAskedOnceUntilItChanges()
    {
        // Which python3 it is and its version cost a process start on the way to the
        // window's first frame: the answer of an executable file is kept while the file
        // is the same, and a changed file is asked again. A launcher script is asked every
        // time (pyenv's shim may start another interpreter tomorrow).
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray cacheBefore = qgetenv("XDG_CACHE_HOME");
        qputenv("XDG_CACHE_HOME", dir.filePath(QStringLiteral("cache")).toUtf8());
        const auto restore = qScopeGuard([&] {
            if (cacheBefore.isEmpty())
                qunsetenv("XDG_CACHE_HOME");
            else
                qputenv("XDG_CACHE_HOME", cacheBefore);
        });
        const auto kept = [&] {
            QStringList files;
            QDirIterator it(dir.filePath(QStringLiteral("cache")), QDir::Files,
                            QDirIterator::Subdirectories);
            while (it.hasNext())
                if (const QString file = it.next(); file.contains(QLatin1String("/interpreter/")))
                    files << file;
            return files;
        };
        // An interpreter of our own to change: the one the workbench uses, copied.
        const QString python = dir.filePath(QStringLiteral("python3"));
        QVERIFY(QFile::copy(QFileInfo(interpreter().path).canonicalFilePath(), python));
        const Interpreter asked = findInterpreter(python);
        if (!asked.ok()) // a noexec temporary directory, an interpreter that is not relocatable
            QSKIP(
                qPrintable(QStringLiteral("a copy of python3 does not run here: ") + asked.error));
        QCOMPARE(asked.version, interpreter().version);
        QCOMPARE(kept().size(), 1);

        // Kept: the next process reads the answer (here made to say so) without asking.
        {
            QFile answer(kept().first());
            QVERIFY(answer.open(QIODevice::WriteOnly));
            answer.write((asked.path + QStringLiteral("\n3.99.0")).toUtf8());
        }
        QCOMPARE(findInterpreter(python).version, QStringLiteral("3.99.0"));

        // Changed (another build in its place): asked again.
        {
            QFile file(python);
            QVERIFY(file.open(QIODevice::Append));
            file.write("\n");
        }
        const Interpreter again = findInterpreter(python);
        QVERIFY2(again.ok(), qPrintable(again.error));
        QCOMPARE(again.version, interpreter().version);
        QCOMPARE(kept().size(), 2);

        // One executable for every version (mise's shims are mise itself): not a python
        // file, so asked every time, and nothing kept for it.
        const QString shim = dir.filePath(QStringLiteral("mise"));
        QVERIFY(QFile::copy(python, shim));
        QVERIFY2(findInterpreter(shim).ok(), qPrintable(findInterpreter(shim).error));
        QCOMPARE(kept().size(), 2);

        // A launcher script: asked, and nothing kept for it.
        const QString launcher = dir.filePath(QStringLiteral("launcher"));
        {
            QFile file(launcher);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QStringLiteral("#!/bin/sh\nexec '%1' \"$@\"\n").arg(python).toUtf8());
        }
        QVERIFY(QFile::setPermissions(launcher,
                                      QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        const Interpreter launched = findInterpreter(launcher);
        QVERIFY2(launched.ok(), qPrintable(launched.error));
        QCOMPARE(launched.version, interpreter().version);
        QCOMPARE(kept().size(), 2);
    }

    void theBackendIsKeptCompiledInTheCache()
    {
        // python3 compiled the backend's modules (about 3,000 lines) at every start of
        // every process, from a fresh temporary directory, on the way to the window's first
        // frame and at every Reset. It is kept in the cache directory, named after its
        // contents, with its bytecode beside it, whatever PYTHONDONTWRITEBYTECODE says.
        QString error;
        const QString dir = backendDirectory(&error);
        QVERIFY2(!dir.isEmpty(), qPrintable(error));
        const QString cache = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
        QVERIFY2(dir.startsWith(cache + QStringLiteral("/backend/")), qPrintable(dir));
        QVERIFY(QFileInfo(dir + QStringLiteral("/boot.py")).isFile());
        const QStringList modules = QDir(dir + QStringLiteral("/_sockbench"))
                                        .entryList({QStringLiteral("*.py")}, QDir::Files);
        QVERIFY(modules.size() > 5);
        const QStringList compiled = QDir(dir + QStringLiteral("/_sockbench/__pycache__"))
                                         .entryList({QStringLiteral("*.pyc")}, QDir::Files);
        for (const QString& module : modules) {
            const QString stem = module.chopped(3) + QLatin1Char('.');
            QVERIFY2(std::any_of(compiled.begin(), compiled.end(),
                                 [&](const QString& pyc) { return pyc.startsWith(stem); }),
                     qPrintable(module + QStringLiteral(" has no bytecode")));
        }
    }

    void runsAProgramAndReportsItsEnd()
    {
        BackendProcess backend;
        QString rawOut;
        connect(&backend, &BackendProcess::frameReceived, this,
                [&](const QJsonObject& m, const QByteArray&) {
                    if (m.value(QStringLiteral("t")).toString() == QLatin1String("out"))
                        rawOut += m.value(QStringLiteral("text")).toString();
                });
        QSignalSpy exited(&backend, &BackendProcess::exited);
        QString error;
        QVERIFY2(backend.start({{"source", "import sys\nprint('hello', 6 * 7)\nsys.exit(3)\n"},
                                {"filename", "hello.py"},
                                {"mode", "free"}},
                               QString(), &error),
                 qPrintable(error));
        QVERIFY(exited.wait(20000));
        QCOMPARE(exited.at(0).at(0).toInt(), 3);
        QCOMPARE(exited.at(0).at(1).toInt(), 0);
        QTRY_COMPARE(rawOut, QStringLiteral("hello 42\n"));
    }

    void aKilledProgramIsReportedWithItsSignal()
    {
        BackendProcess backend;
        QSignalSpy exited(&backend, &BackendProcess::exited);
        QString error;
        QVERIFY(backend.start(
            {{"source", "while True:\n    pass\n"}, {"filename", "spin.py"}, {"mode", "free"}},
            QString(), &error));
        QTest::qWait(100);
        QElapsedTimer timer;
        timer.start();
        backend.kill();
        QVERIFY(exited.wait(5000));
        QVERIFY2(timer.elapsed() < 1000, "kill() must end a spinning program at once");
        QCOMPARE(exited.at(0).at(1).toInt(), SIGKILL);
    }

    void aSegfaultIsACrashNotAHang()
    {
        BackendProcess backend;
        QSignalSpy exited(&backend, &BackendProcess::exited);
        QString error;
        QVERIFY(backend.start({{"source", "import ctypes\nctypes.string_at(0)\n"},
                               {"filename", "crash.py"},
                               {"mode", "free"}},
                              QString(), &error));
        QVERIFY(exited.wait(20000));
        QCOMPARE(exited.at(0).at(1).toInt(), SIGSEGV);
    }
};

QTEST_GUILESS_MAIN(TestBackend)
#include "tst_backend.moc"
