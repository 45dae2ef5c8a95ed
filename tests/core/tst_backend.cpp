// The backend process: python3 started with the channel, the program it is sent, its
// output, its end, and what a program that misbehaves leaves behind (nothing).
#include "program/backendprocess.h"
#include "program/interpreter.h"

#include <QElapsedTimer>
#include <QSignalSpy>
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
