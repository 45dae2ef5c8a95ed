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
};

void TestConsole::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("sockbench-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_console"));
    QSettings().clear();
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

QTEST_MAIN(TestConsole)
#include "tst_console.moc"
