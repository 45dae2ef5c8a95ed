// The console at the projector: what the program printed, and each statement's outcome,
// stay in view whatever the student does with the pane.

#include "windowdriver.h"

#include "lesson/console.h"
#include "presentation/presenter.h"

#include <QScrollBar>
#include <QSettings>
#include <QSplitter>

using namespace sockbench;
using namespace sockbench::uitest;

class TestConsole : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void theConsoleShowsItsNewestLine();
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
