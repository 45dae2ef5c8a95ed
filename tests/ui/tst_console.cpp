// The console at the projector: what the program printed stays in view, and so does each
// statement's outcome when asked for, whatever the student does with the pane.

#include "windowdriver.h"

#include "lesson/console.h"
#include "presentation/presenter.h"

#include <QCheckBox>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QTextDocument>

using namespace sockbench;
using namespace sockbench::uitest;

class TestConsole : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void theConsoleShowsItsNewestLine();
    void whatTheProgramPrintedIsInViewWhenTheNarrationPointsAtIt();
    void aStatementThatWentWellIsNotColouredAsAnError();
    void aStepBackRetellsARaceAsItWasTold();
};

void TestConsole::initTestCase()
{
    startWindowTest("tst_console");
}

void TestConsole::theConsoleShowsItsNewestLine()
{
    // What the program printed, and each statement's outcome, are always in view: at every
    // step the console shows its newest line - also after the student scrolled back to read
    // an earlier one, or dragged the console smaller.
    Workbench bench;
    MainWindow window(bench);
    window.setZoom(1.0);
    window.resize(1280, 720);
    window.console()->setEveryStatement(true); // the statements are what fills it
    QVERIFY(window.openLesson(QStringLiteral("05")));
    window.session().presenter().setSpeed(0);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto& runner = window.session().runner();
    QScrollBar* bar = window.console()->verticalScrollBar();
    auto* column = window.findChild<QSplitter*>(QStringLiteral("codeColumn"));
    QVERIFY(column);
    bool scrolledBack = false;
    bool madeSmaller = false;
    for (int steps = 0; !runner.isFinished() && steps < 100; ++steps) {
        QTRY_VERIFY_WITH_TIMEOUT(
            (runner.mode() == program::Runner::Mode::Idle && window.stepAction()->isEnabled()) ||
                runner.isFinished(),
            kWaitMs);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QVERIFY2(bar->value() == bar->maximum(),
                 qPrintable(QStringLiteral("step %1: the console is at %2 of %3")
                                .arg(runner.stepCount())
                                .arg(bar->value())
                                .arg(bar->maximum())));
        if (runner.isFinished())
            break;
        if (bar->maximum() > 2 && !scrolledBack) {
            bar->setValue(0); // back to the top, to read the first lines again
            scrolledBack = true;
        } else if (scrolledBack && !madeSmaller) {
            const QList<int> sizes = column->sizes();
            column->setSizes({sizes[0] + sizes[1] / 2, sizes[1] - sizes[1] / 2});
            QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
            QVERIFY2(bar->value() == bar->maximum(), "made smaller, the console lost its end");
            madeSmaller = true;
        }
        QTest::keyClick(&window, Qt::Key_Right);
    }
    QVERIFY(runner.isFinished());
    QVERIFY2(scrolledBack && madeSmaller, "the console never filled: the test shows nothing");
}

void TestConsole::whatTheProgramPrintedIsInViewWhenTheNarrationPointsAtIt()
{
    // Lesson 05 asks, at bind(('127.0.0.1', 1)): "the lines printed above say where the
    // administrator's ports end and who you run as". With every statement's line between
    // them, those prints had scrolled out of the pane long before. The output holds what
    // the program printed (and its errors), so all of it is in view there; every statement
    // is there on request, each line in its own colour.
    Workbench bench;
    MainWindow window(bench);
    window.setZoom(1.0);
    window.resize(1280, 720);
    Console* console = window.console();
    console->setEveryStatement(false);
    QVERIFY(window.openLesson(QStringLiteral("05")));
    window.session().presenter().setSpeed(0);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto& runner = window.session().runner();
    const auto settled = [&] {
        return (runner.mode() == program::Runner::Mode::Idle && window.stepAction()->isEnabled()) ||
               runner.isFinished();
    };
    // On to the privileged bind().
    while (runner.stepCount() == 0 ||
           !runner.steps().back().source.contains(QLatin1String("bind(('127.0.0.1', 1))"))) {
        QTRY_VERIFY_WITH_TIMEOUT(settled(), kWaitMs);
        QVERIFY(!runner.isFinished());
        QTest::keyClick(&window, Qt::Key_Right);
        QTRY_VERIFY_WITH_TIMEOUT(runner.stepCount() > 0, kWaitMs);
    }
    QTRY_VERIFY_WITH_TIMEOUT(settled(), kWaitMs);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    QStringList printed;
    for (const auto& step : runner.steps())
        for (const QString& l : step.output.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            printed << l;
    QVERIFY2(printed.size() >= 2, "the lesson printed nothing: the test shows nothing");
    QVERIFY2(console->transcript().size() > printed.size() + 4,
             "too few statements to have pushed the prints away: the test shows nothing");
    const QRect view = console->viewport()->rect();
    for (const QString& l : printed) {
        const QTextCursor found = console->document()->find(l);
        QVERIFY2(!found.isNull(), qPrintable(l + QLatin1String(" is not in the output")));
        QVERIFY2(view.contains(console->cursorRect(found)),
                 qPrintable(l + QLatin1String(" is out of view")));
    }
    // Every statement, on request, and back.
    console->setEveryStatement(true);
    QVERIFY(window.findChild<QCheckBox*>(QStringLiteral("everyStatement"))->isChecked());
    QVERIFY(!console->document()->find(QStringLiteral("import socket")).isNull());
    console->setEveryStatement(false);
    QVERIFY(console->document()->find(QStringLiteral("import socket")).isNull());
}

void TestConsole::aStatementThatWentWellIsNotColouredAsAnError()
{
    // Lesson 07: bind() refused with EADDRINUSE (expected, in amber), then statements that
    // went well. Each came out in the amber of the error before it, and the whole
    // transcript read as failures.
    Workbench bench;
    MainWindow window(bench);
    window.resize(1280, 720);
    Console* console = window.console();
    console->setEveryStatement(true);
    QVERIFY(window.openLesson(QStringLiteral("07")));
    window.session().presenter().setSpeed(0);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto& runner = window.session().runner();
    for (int steps = 0; !runner.isFinished() && steps < 100; ++steps) {
        QTRY_VERIFY_WITH_TIMEOUT(
            (runner.mode() == program::Runner::Mode::Idle && window.stepAction()->isEnabled()) ||
                runner.isFinished(),
            kWaitMs);
        if (!runner.isFinished())
            QTest::keyClick(&window, Qt::Key_Right);
    }
    QVERIFY(runner.isFinished());
    int plainAfterAnError = 0;
    bool afterError = false;
    for (const auto& step : runner.steps()) {
        if (step.kind != program::StepRecord::Kind::Ok) {
            afterError = true;
            continue;
        }
        const QTextCursor found = console->document()->find(
            QStringLiteral("%1  %2").arg(step.line, 4).arg(step.source.section('\n', 0, 0)));
        QVERIFY2(!found.isNull(), qPrintable(step.source + QLatin1String(" is not shown")));
        QCOMPARE(found.charFormat().foreground().color(), console->palette().text().color());
        plainAfterAnError += afterError ? 1 : 0;
    }
    QVERIFY2(plainAfterAnError > 2,
             "no statement went well after an error: the test shows nothing");
}

void TestConsole::aStepBackRetellsARaceAsItWasTold()
{
    // Two threads wait at once, and the one that began first ends first: the server's
    // accept() times out while the client's recv() still waits, and the recv() times out
    // later, before any other step begins. Going back to that moment, the console says
    // what it said then, in the order it said it - not in the order the steps began.
    ScriptWindow f;
    const QString problem =
        f.open(QStringLiteral("race.py"), "import socket\n"
                                          "\n"
                                          "# --- client ---\n"
                                          "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                                          "u.bind(('127.0.0.1', 0))\n"
                                          "u.settimeout(2.0)\n"
                                          "\n"
                                          "# --- server ---\n"
                                          "srv = socket.socket()\n"
                                          "srv.bind(('127.0.0.1', 0))\n"
                                          "srv.listen()\n"
                                          "srv.settimeout(1.0)\n"
                                          "# expect: TimeoutError\n"
                                          "srv.accept()\n"
                                          "\n"
                                          "# --- client ---\n"
                                          "# expect: TimeoutError\n"
                                          "u.recv(1)\n"
                                          "u.close()\n");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    MainWindow& window = f.window;
    auto& runner = window.session().runner();
    const auto sourceOf = [&](int step) { return runner.steps()[size_t(step)].source; };
    // Forward to the recv(), then until both calls have ended.
    while (runner.stepCount() == 0 ||
           sourceOf(runner.stepCount() - 1) != QLatin1String("u.recv(1)")) {
        QTRY_VERIFY_WITH_TIMEOUT(runner.mode() == program::Runner::Mode::Idle &&
                                     window.stepAction()->isEnabled(),
                                 kWaitMs);
        QTest::keyClick(&window, Qt::Key_Right);
        QTRY_VERIFY_WITH_TIMEOUT(runner.stepCount() > 0, kWaitMs);
        QVERIFY(runner.stepCount() < 20);
    }
    const int recv = runner.stepCount() - 1;
    QTRY_VERIFY_WITH_TIMEOUT(runner.steps()[size_t(recv)].settled, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(runner.mode() == program::Runner::Mode::Idle, kWaitMs);
    const QStringList told = window.console()->transcript();
    int accept = -1;
    for (const auto& s : runner.steps())
        if (s.source == QLatin1String("srv.accept()"))
            accept = s.index;
    QVERIFY(accept >= 0);
    // The race the test is about: both ended while the recv() was the last step begun,
    // and the accept() was told first.
    QCOMPARE(runner.steps()[size_t(accept)].settledWith, recv + 1);
    QCOMPARE(runner.steps()[size_t(recv)].settledWith, recv + 1);
    QVERIFY(told.size() >= 2 && told.last().contains(QLatin1String("u.recv(1)")) &&
            told[told.size() - 2].contains(QLatin1String("srv.accept()")));
    // One more step, then back to the moment before it.
    QTest::keyClick(&window, Qt::Key_Right);
    QTRY_VERIFY_WITH_TIMEOUT(runner.stepCount() == recv + 2 && runner.steps().back().settled,
                             kWaitMs);
    QTest::keyClick(&window, Qt::Key_Left);
    QVERIFY(runner.isRewound());
    QCOMPARE(runner.stepCount(), recv + 1);
    QCOMPARE(window.console()->transcript(), told);
}

QTEST_MAIN(TestConsole)
#include "tst_console.moc"
