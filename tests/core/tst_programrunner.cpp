// The program runner: real python3 programs stepped line by line on the workbench's
// sockets. What a teacher and a student rely on: a loop's passes are steps, stepping back
// lands on the previous pass, threads a program starts appear, Reset always works, and a
// program that dies takes nothing else with it.
#include "program/backendprocess.h"
#include "program/lesson.h"
#include "program/runner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace sockbench;
using namespace sockbench::program;

namespace {

constexpr int kWaitMs = 20000;

Lesson describeOrFail(const QString& source, const QString& name = QStringLiteral("prog.py"))
{
    auto described = describe(source, name);
    if (auto* error = std::get_if<LoadError>(&described))
        qFatal("%s", qPrintable(error->format()));
    return std::get<Lesson>(described);
}

// Steps once and waits until the step is taken and the runner has settled again.
bool stepAndSettle(Runner& runner)
{
    const int before = runner.stepCount();
    runner.step();
    return QTest::qWaitFor(
        [&] {
            return runner.stepCount() > before && (runner.next().has_value() || runner.atEnd());
        },
        kWaitMs);
}

} // namespace

class TestProgramRunner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aKeptDescriptionAnswersForItsOwnTextOnly()
    {
        // Descriptions are kept on disk between runs, so that a window's first lesson does
        // not wait for python3 to read it. Each answer is still this text's, under this
        // name, and a kept file that was damaged is read again from python3.
        const QString a = QStringLiteral("# --- alice ---\nx = 1\n");
        const QString b = QStringLiteral("# --- bob ---\nx = 1\n");
        QCOMPARE(describeOrFail(a, QStringLiteral("kept.py")).actors, QStringList{"alice"});
        QCOMPARE(describeOrFail(b, QStringLiteral("kept.py")).actors, QStringList{"bob"});
        QCOMPARE(describeOrFail(a, QStringLiteral("kept.py")).actors, QStringList{"alice"});
        const auto broken = describe(QStringLiteral("x = (\n"), QStringLiteral("kept.py"));
        QVERIFY(std::holds_alternative<LoadError>(broken));
        QCOMPARE(std::get<LoadError>(broken).fileName, QStringLiteral("kept.py"));

        const QDir kept(QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
                        QStringLiteral("/described"));
        const QFileInfoList files = kept.entryInfoList({QStringLiteral("*.json")}, QDir::Files);
        QVERIFY2(!files.isEmpty(), qPrintable(kept.path()));
        for (const QFileInfo& file : files) {
            QFile damaged(file.filePath());
            QVERIFY(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate));
            damaged.write("{\"actors\": [\"mallory\"");
        }
        QCOMPARE(describeOrFail(a, QStringLiteral("kept.py")).actors, QStringList{"alice"});
        QCOMPARE(describeOrFail(b, QStringLiteral("kept.py")).actors, QStringList{"bob"});
    }

    void aLoopsPassesAreStepsOfTheirOwn()
    {
        Workbench workbench;
        Runner runner(workbench);
        runner.load({describeOrFail(QStringLiteral("total = 0\n"
                                                   "for i in range(3):\n"
                                                   "    total += i\n"
                                                   "print(total)\n"))});
        QSignalSpy finished(&runner, &Runner::finished);
        QVERIFY(QTest::qWaitFor([&] { return runner.next().has_value(); }, kWaitMs));
        QCOMPARE(runner.next()->line, 1);
        runner.play();
        QVERIFY(finished.wait(kWaitMs));
        QVERIFY(finished.at(0).at(0).toBool());
        QList<int> lines;
        for (const StepRecord& s : runner.steps())
            lines << s.line;
        // Python's own line events: the for header is visited once more to end the loop.
        QCOMPARE(lines, (QList<int>{1, 2, 3, 2, 3, 2, 3, 2, 4}));
        QVERIFY(runner.steps()[0].changes.contains(QStringLiteral("total = 0")));
    }

    void aStepThatWaitsUnseenSettlesOnItsOwn()
    {
        // select() on a pipe nothing writes to waits where the workbench sees no call, and
        // nothing else happens meanwhile. The step is judged waiting on its own (Step is
        // free again, the step still running), not only when other news prompts a look.
        Workbench workbench;
        Runner runner(workbench);
        runner.load({describeOrFail(QStringLiteral("import os, select\n"
                                                   "r, w = os.pipe()\n"
                                                   "ready = select.select([r], [], [], 60)\n"
                                                   "print(ready)\n"))});
        QVERIFY(QTest::qWaitFor([&] { return runner.next().has_value(); }, kWaitMs));
        QVERIFY(stepAndSettle(runner));
        QVERIFY(stepAndSettle(runner));
        QCOMPARE(runner.next()->line, 3);
        runner.step();
        QVERIFY(QTest::qWaitFor(
            [&] { return runner.stepCount() == 3 && runner.mode() == Runner::Mode::Idle; },
            kWaitMs));
        QVERIFY(!runner.steps().back().settled);
        QVERIFY(!runner.next().has_value()); // its only thread waits in select()
        // And says so: waiting in select(), not "running" (lesson 29's server, one thread
        // for every client, looked busy while it waited).
        const QList<ThreadView> threads = runner.threads();
        QVERIFY(std::any_of(threads.cbegin(), threads.cend(), [](const ThreadView& t) {
            return t.state == ThreadView::State::Sleeping &&
                   t.call == QLatin1String("select.select()");
        }));
    }

    void aTimeoutIsWaitedOutBeforeALaterSection()
    {
        // The script's order, not the pace of stepping, says what comes next: a call that
        // will end by itself (its timeout) ends, and its section goes on, before a later
        // section starts (lesson 25's recv() before the reader). Played at full speed,
        // the later section would otherwise be let in while the call waits.
        Workbench workbench;
        Runner runner(workbench);
        runner.load({describeOrFail(QStringLiteral("import socket\n"
                                                   "# --- waiter ---\n"
                                                   "lonely = socket.socket(socket.AF_INET, "
                                                   "socket.SOCK_DGRAM)\n"
                                                   "lonely.bind(('127.0.0.1', 0))\n"
                                                   "lonely.settimeout(0.3)\n"
                                                   "try:\n"
                                                   "    lonely.recvfrom(10)\n"
                                                   "except socket.timeout:\n"
                                                   "    pass\n"
                                                   "after = 1\n"
                                                   "# --- other ---\n"
                                                   "x = 2\n"))});
        QSignalSpy finished(&runner, &Runner::finished);
        QVERIFY(QTest::qWaitFor([&] { return runner.next().has_value(); }, kWaitMs));
        runner.play();
        QVERIFY(finished.wait(kWaitMs));
        QList<int> lines;
        QStringList shown;
        for (const StepRecord& s : runner.steps()) {
            lines << s.line;
            shown << QString::number(s.line);
        }
        QVERIFY2(lines.indexOf(10) >= 0 && lines.indexOf(10) < lines.indexOf(12),
                 qPrintable(shown.join(QLatin1Char(' '))));
    }

    void anAcceptWithATimeoutLetsALaterSectionIn()
    {
        // accept() waits for a client, and a later section is where clients come from
        // (lesson 15's receiver stops after three quiet seconds): its timeout does not
        // hold the storyboard, or the sender would never be let in before it expires.
        Workbench workbench;
        Runner runner(workbench);
        runner.load({describeOrFail(QStringLiteral("import socket\n"
                                                   "# --- receiver ---\n"
                                                   "ss = socket.socket()\n"
                                                   "ss.bind(('127.0.0.1', 0))\n"
                                                   "ss.listen(1)\n"
                                                   "port = ss.getsockname()[1]\n"
                                                   "ss.settimeout(30)\n"
                                                   "conn, addr = ss.accept()\n"
                                                   "# --- sender ---\n"
                                                   "c = socket.socket()\n"
                                                   "c.connect(('127.0.0.1', port))\n"))});
        QSignalSpy finished(&runner, &Runner::finished);
        QVERIFY(QTest::qWaitFor([&] { return runner.next().has_value(); }, kWaitMs));
        runner.play();
        QVERIFY(finished.wait(kWaitMs));
        QVERIFY(finished.at(0).at(0).toBool()); // the accept() returned: no timeout raised
    }

    void aSocketKeepsItsFirstModuleLevelName()
    {
        // The stage names a card after the program's variable. A loop variable passing over
        // the listener (for sock in readable:) must not rename it, and a function's local
        // name gives way to the module-level name the socket is kept under.
        Workbench workbench;
        Runner runner(workbench);
        runner.load({describeOrFail(QStringLiteral("import socket\n"
                                                   "def make():\n"
                                                   "    made = socket.socket()\n"
                                                   "    return made\n"
                                                   "server = make()\n"
                                                   "other = socket.socket()\n"
                                                   "for sock in [server, other]:\n"
                                                   "    pass\n"
                                                   "alias = other\n"
                                                   "server.close()\n"
                                                   "other.close()\n"))});
        QVERIFY(QTest::qWaitFor([&] { return runner.next().has_value(); }, kWaitMs));
        while (runner.next() && runner.next()->line != 10)
            QVERIFY(stepAndSettle(runner));
        QStringList names;
        for (const SocketId socket : runner.sockets())
            names << runner.nameOf(socket);
        names.sort();
        QCOMPARE(names, (QStringList{QStringLiteral("other"), QStringLiteral("server")}));
    }

    void stepBackInsideALoopLandsOnThePreviousPass()
    {
        Workbench workbench;
        Runner runner(workbench);
        runner.load({describeOrFail(QStringLiteral("for i in range(5):\n"
                                                   "    x = i * 10\n"
                                                   "    print(x)\n"))});
        QVERIFY(QTest::qWaitFor([&] { return runner.next().has_value(); }, kWaitMs));
        for (int k = 0; k < 9; ++k) // 1 2 3 1 2 3 1 2 3: three passes
            QVERIFY(stepAndSettle(runner));
        QCOMPARE(runner.stepCount(), 9);
        const std::vector<StepRecord> original = runner.steps();

        // Back shows the moment before the last step at once, from what the run recorded:
        // no waiting, no new run.
        QSignalSpy remade(&runner, &Runner::remade);
        runner.stepBack();
        QVERIFY(runner.isRewound());
        QCOMPARE(runner.stepCount(), 8);
        QCOMPARE(runner.runLength(), 9);
        QVERIFY(runner.steps().back().changes.contains(QStringLiteral("x = 20")));
        QCOMPARE(runner.next()->line, 3);
        runner.stepBack();
        runner.stepBack();
        runner.stepBack(); // the third pass's first line is next: the second pass is shown
        QCOMPARE(runner.stepCount(), 5);
        QCOMPARE(runner.next()->line, 3);
        QVERIFY(runner.steps().back().changes.contains(QStringLiteral("x = 10")));
        QCOMPARE(runner.steps().back().output, QString());
        QCOMPARE(remade.count(), 0);

        // Going on from there re-makes the run up to the moment, then takes the step.
        QVERIFY(stepAndSettle(runner));
        QCOMPARE(remade.count(), 1);
        QVERIFY(!runner.isRewound());
        QCOMPARE(runner.stepCount(), 6);
        for (int k = 0; k < 6; ++k) {
            QCOMPARE(runner.steps()[size_t(k)].line, original[size_t(k)].line);
            QCOMPARE(runner.steps()[size_t(k)].changes, original[size_t(k)].changes);
        }
        QCOMPARE(runner.steps()[5].output, QStringLiteral("10\n"));
        QCOMPARE(runner.next()->line, 1);
    }

    void aStatementOverSeveralLinesIsOneStep()
    {
        // Python reports a line event for each line a statement's instructions are on (an
        // argument on the next line, then back to the first for the call). The student
        // sees one statement, run once, on its first line, with what it bound.
        Workbench workbench;
        Runner runner(workbench);
        runner.load(
            {describeOrFail(QStringLiteral("import socket\n"
                                           "answers = socket.getaddrinfo('localhost', 80,\n"
                                           "                             socket.AF_INET,\n"
                                           "                             socket.SOCK_STREAM)\n"
                                           "for i in range(2):\n"
                                           "    total = sum([i,\n"
                                           "                 len(answers)])\n"
                                           "print(total)\n"))});
        QSignalSpy finished(&runner, &Runner::finished);
        QVERIFY(QTest::qWaitFor([&] { return runner.next().has_value(); }, kWaitMs));
        while (!runner.atEnd())
            QVERIFY(stepAndSettle(runner));
        QVERIFY(QTest::qWaitFor([&] { return runner.isFinished(); }, kWaitMs));
        QCOMPARE(runner.failures(), 0);
        QList<int> lines;
        for (const StepRecord& s : runner.steps())
            lines << s.line;
        QCOMPARE(lines, (QList<int>{1, 2, 5, 6, 5, 6, 5, 8}));
        const StepRecord& resolved = runner.steps()[1];
        // Told whole, on one line: the narration and the transcript never end on a comma.
        QCOMPARE(resolved.source, QStringLiteral("answers = socket.getaddrinfo('localhost', 80, "
                                                 "socket.AF_INET, socket.SOCK_STREAM)"));
        QCOMPARE(runner.steps()[3].source, QStringLiteral("total = sum([i, len(answers)])"));
        QVERIFY2(resolved.changes.join(QLatin1Char(' ')).startsWith(QStringLiteral("answers = [")),
                 qPrintable(resolved.changes.join(QLatin1Char(' '))));
        QCOMPARE(resolved.calls.size(), 1); // getaddrinfo(), in the step of its statement
        QVERIFY(runner.steps()[3].changes.contains(QStringLiteral("total = 1")));
    }

    void aStepWokenByTheNextIsToldAfterIt()
    {
        // recv() blocks in the server; the client's sendall() wakes it. The recv() ends
        // first, inside the sendall(), but every transcript tells the sendall() first:
        // the cause, then what it caused.
        Workbench workbench;
        Runner runner(workbench);
        runner.load({describeOrFail(QStringLiteral("import socket\n"
                                                   "# --- server ---\n"
                                                   "server = socket.socket()\n"
                                                   "server.bind(('127.0.0.1', 0))\n"
                                                   "server.listen(1)\n"
                                                   "# --- client ---\n"
                                                   "client = socket.socket()\n"
                                                   "client.connect(server.getsockname())\n"
                                                   "# --- server ---\n"
                                                   "conn, addr = server.accept()\n"
                                                   "data = conn.recv(1024)\n"
                                                   "# --- client ---\n"
                                                   "client.sendall(b'last words')\n"
                                                   "# --- server ---\n"
                                                   "print(data)\n"))});
        QStringList told;
        connect(&runner, &Runner::stepFinished, this,
                [&told](const StepRecord& r) { told << r.source; });
        // Stepped, as in class: the sendall() is the step the teacher takes.
        QVERIFY(QTest::qWaitFor([&] { return runner.next().has_value(); }, kWaitMs));
        while (!runner.atEnd())
            QVERIFY(stepAndSettle(runner));
        QVERIFY(QTest::qWaitFor([&] { return runner.isFinished(); }, kWaitMs));
        QCOMPARE(runner.failures(), 0);
        const qsizetype sent = told.indexOf(QStringLiteral("client.sendall(b'last words')"));
        const qsizetype received = told.indexOf(QStringLiteral("data = conn.recv(1024)"));
        QVERIFY2(sent >= 0 && received >= 0, qPrintable(told.join(QLatin1Char('|'))));
        QVERIFY2(sent < received, qPrintable(told.join(QLatin1Char('|'))));
        QCOMPARE(told.size(), qsizetype(runner.steps().size())); // each told once
    }

    void aTimeoutWhileAnotherThreadWaitsIsToldAsSteppable()
    {
        // b waits in recv() for ever, a's recv() gives up on its own: a can step again.
        // The window asks next() when it hears a signal; the last one it heard must give
        // what next() says now, or Step stays disabled beside "nothing can step now"
        // (lesson 25 at step 9).
        Workbench workbench;
        Runner runner(workbench);
        runner.load({describeOrFail(QStringLiteral("import socket\n"
                                                   "# --- a ---\n"
                                                   "x, y = socket.socketpair()\n"
                                                   "x.settimeout(0.5)\n"
                                                   "# expect: timeout\n"
                                                   "x.recv(1)\n"
                                                   "# --- b ---\n"
                                                   "data = y.recv(1)\n"
                                                   "# --- a ---\n"
                                                   "x.send(b'!')\n"
                                                   "# --- b ---\n"
                                                   "assert data == b'!'\n"))});
        std::optional<Runner::Next> heard;
        const auto listen = [&] { heard = runner.next(); };
        connect(&runner, &Runner::threadsChanged, this, listen);
        connect(&runner, &Runner::stepIssued, this, listen);
        connect(&runner, &Runner::stepFinished, this, listen);
        connect(&runner, &Runner::modeChanged, this, listen);
        QVERIFY(QTest::qWaitFor([&] { return runner.next().has_value(); }, kWaitMs));
        for (int i = 0; i < 3; ++i) // import, socketpair(), settimeout()
            QVERIFY(stepAndSettle(runner));
        runner.step(); // a: x.recv(1) waits, half a second at most
        QVERIFY(QTest::qWaitFor(
            [&] { return runner.next() && runner.next()->actor == QLatin1String("b"); }, kWaitMs));
        runner.step(); // b: y.recv(1) waits for ever; nothing can step until the timeout
        QVERIFY(QTest::qWaitFor(
            [&] { return runner.next() && runner.next()->actor == QLatin1String("a"); }, kWaitMs));
        QCOMPARE(runner.steps()[3].kind, StepRecord::Kind::ExpectedError);
        QVERIFY(QTest::qWaitFor([&] { return heard.has_value(); }, kWaitMs));
        QCOMPARE(heard->actor, QStringLiteral("a"));
        QCOMPARE(heard->line, 10); // x.send(b'!')
        while (!runner.atEnd())
            QVERIFY(stepAndSettle(runner));
        QVERIFY(QTest::qWaitFor([&] { return runner.isFinished(); }, kWaitMs));
        QCOMPARE(runner.failures(), 0);
    }

    void aHeldStartWaitsForItsRelease()
    {
        // The window holds its programs' start until its first frame is painted (python3's
        // start-up would take the CPU that frame wants): load() and reset() start nothing
        // while held, and the release starts what they prepared, ready to step.
        Workbench workbench;
        Runner runner(workbench);
        runner.holdStart(true);
        runner.load({describeOrFail(QStringLiteral("x = 1\ny = 2\n"))});
        QVERIFY(!runner.programs().front().running);
        runner.reset();
        QVERIFY(!runner.programs().front().running);
        runner.holdStart(false);
        QVERIFY(runner.programs().front().running);
        QVERIFY(stepAndSettle(runner));
        QVERIFY(stepAndSettle(runner));
        QVERIFY(runner.atEnd() || stepAndSettle(runner));
        QCOMPARE(runner.failures(), 0);
        // Released, a reset starts at once again.
        runner.reset();
        QVERIFY(runner.programs().front().running);
    }

    void aThreadTheProgramStartsAppearsOnItsHost()
    {
        Workbench workbench;
        Runner runner(workbench);
        runner.load({describeOrFail(QStringLiteral("import threading\n"
                                                   "def work():\n"
                                                   "    y = 1\n"
                                                   "t = threading.Thread(target=work)\n"
                                                   "t.start()\n"
                                                   "t.join()\n"))});
        QSignalSpy finished(&runner, &Runner::finished);
        bool seen = false;
        connect(&runner, &Runner::threadsChanged, this, [&] {
            for (const ThreadView& t : runner.threads())
                if (t.name.contains(QStringLiteral("work")) && t.actor == QLatin1String("main"))
                    seen = true;
        });
        runner.play();
        QVERIFY(finished.wait(kWaitMs));
        QVERIFY(seen);
        QVERIFY(finished.at(0).at(0).toBool());
    }

    void aHugeAllocationIsStoppedAtTheCapWithASentence()
    {
        Workbench workbench;
        Runner runner(workbench);
        runner.load({describeOrFail(QStringLiteral("x = bytearray(%1)\n")
                                        .arg(BackendProcess::kMemoryLimit + (qint64(1) << 30)))});
        QSignalSpy finished(&runner, &Runner::finished);
        runner.play();
        QVERIFY(finished.wait(kWaitMs));
        QVERIFY(!finished.at(0).at(0).toBool());
        QCOMPARE(runner.stepCount(), 1);
        QCOMPARE(runner.steps().back().errorName, QStringLiteral("MemoryError"));
        QVERIFY2(
            runner.steps().back().reason.contains(QStringLiteral("memory the workbench allows")),
            qPrintable(runner.steps().back().reason));
    }

    void resetStopsAnEndlessLoopAtOnce()
    {
        Workbench workbench;
        Runner runner(workbench);
        runner.setFree(true);
        runner.load({describeOrFail(QStringLiteral("while True:\n    pass\n"))});
        runner.play();
        QTest::qWait(200);
        QElapsedTimer timer;
        timer.start();
        runner.reset();
        QVERIFY2(timer.elapsed() < 100,
                 qPrintable(QStringLiteral("reset took %1 ms").arg(timer.elapsed())));
    }

    void aProgramThatDiesIsReportedAndTheRunnerGoesOn()
    {
        for (const auto& [source, expected] :
             {std::pair{QStringLiteral("import os\nos._exit(3)\n"),
                        QStringLiteral("exited with 3")},
              std::pair{QStringLiteral("import ctypes\nctypes.string_at(0)\n"),
                        QStringLiteral("SIGSEGV")}}) {
            Workbench workbench;
            Runner runner(workbench);
            runner.load({describeOrFail(source)});
            QSignalSpy ended(&runner, &Runner::programEnded);
            QSignalSpy finished(&runner, &Runner::finished);
            runner.play();
            QVERIFY(finished.wait(kWaitMs));
            QVERIFY(!finished.at(0).at(0).toBool());
            QCOMPARE(ended.size(), 1);
            QVERIFY2(ended.at(0).at(1).toString().contains(expected),
                     qPrintable(ended.at(0).at(1).toString()));
            // and it runs again
            QSignalSpy again(&runner, &Runner::finished);
            runner.reset();
            runner.play();
            QVERIFY(again.wait(kWaitMs));
        }
    }
};

QTEST_GUILESS_MAIN(TestProgramRunner)
#include "tst_programrunner.moc"
