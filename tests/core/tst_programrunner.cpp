// The program runner: real python3 programs stepped line by line on the workbench's
// sockets. What a teacher and a student rely on: a loop's passes are steps, stepping back
// lands on the previous pass, threads a program starts appear, Reset always works, and a
// program that dies takes nothing else with it.
#include "program/lesson.h"
#include "program/runner.h"

#include <QElapsedTimer>
#include <QSignalSpy>
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

    void stepBackInsideALoopLandsOnThePreviousPass()
    {
        Workbench workbench;
        Runner runner(workbench);
        runner.load({describeOrFail(QStringLiteral("for i in range(5):\n"
                                                   "    x = i * 10\n"))});
        QVERIFY(QTest::qWaitFor([&] { return runner.next().has_value(); }, kWaitMs));
        for (int k = 0; k < 6; ++k) // 1 2 1 2 1 2: three passes begun
            QVERIFY(stepAndSettle(runner));
        QCOMPARE(runner.stepCount(), 6);
        runner.stepBack();
        QVERIFY(QTest::qWaitFor(
            [&] { return runner.stepCount() == 5 && runner.mode() == Runner::Mode::Idle; },
            kWaitMs));
        QVERIFY(runner.steps().back().changes.contains(QStringLiteral("i = 2")));
        QCOMPARE(runner.next()->line, 2);
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
