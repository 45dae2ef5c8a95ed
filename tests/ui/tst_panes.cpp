// The panes beside a program never contradict each other: a socket is named by one number
// on its card, in the C code and in what the program itself prints.

#include "windowdriver.h"

#include "lesson/codeview.h"
#include "lesson/lessonpanel.h"

#include <QPlainTextEdit>
#include <QSettings>
#include <QTextDocumentFragment>

using namespace sockbench;
using namespace sockbench::uitest;

class TestPanes : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void everyPaneNamesASocketByTheProgramsDescriptor();
    void theCPaneSpeaksOfTheLineThatJustRanWhileItWaits();
    void aLongResultIsCutBeforeTheCountOfCalls();
};

void TestPanes::initTestCase()
{
    startWindowTest("tst_panes");
}

void TestPanes::everyPaneNamesASocketByTheProgramsDescriptor()
{
    // The program prints its descriptors; the card of each socket and the C pane of each
    // statement must give the same numbers (socketpair()'s ends too: their close() once
    // said close(-1)), and once closed, -1 as the program's fileno() says.
    ScriptWindow f;
    const QString problem =
        f.open(QStringLiteral("numbers.py"), "import socket\n"
                                             "srv = socket.socket()\n"
                                             "srv.bind(('127.0.0.1', 0))\n"
                                             "left, right = socket.socketpair()\n"
                                             "print(srv.fileno(), left.fileno(), right.fileno())\n"
                                             "left.close()\n"
                                             "right.close()\n"
                                             "srv.close()\n"
                                             "try:\n"
                                             "    srv.getsockname()\n"
                                             "except OSError as e:\n"
                                             "    print('after close:', e.errno)\n");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    MainWindow& window = f.window;
    auto& runner = window.session().runner();
    // What each pane said after each line ran: the C pane, and every card's title and
    // latest result.
    QHash<int, QString> cPane;
    QHash<int, QStringList> cards;
    for (int steps = 0; steps < 20; ++steps) {
        QTRY_VERIFY_WITH_TIMEOUT(
            (runner.mode() == program::Runner::Mode::Idle && window.stepAction()->isEnabled()) ||
                runner.isFinished(),
            kWaitMs);
        window.session().presenter().catchUp();
        if (!runner.steps().empty()) {
            const int line = runner.steps().back().line;
            cPane[line] = window.codeView()->cCode()->toPlainText();
            // The pane's title names the line: its heading in the pane may be scrolled away.
            QVERIFY2(
                window.codeView()->cTitle()->text().contains(QStringLiteral("line %1,").arg(line)),
                qPrintable(window.codeView()->cTitle()->text()));
            for (SocketCard* card : window.stage()->findChildren<SocketCard*>())
                cards[line] << card->title().replace(QChar(0xa0), QLatin1Char(' ')) +
                                   QStringLiteral(": ") + card->lastResultText();
        }
        if (runner.isFinished())
            break;
        QTest::keyClick(&window, Qt::Key_Right);
    }
    QVERIFY(runner.isFinished());
    QString printed;
    for (const program::StepRecord& step : runner.steps())
        if (step.line == 5)
            printed = step.output.trimmed();
    const QStringList fds = printed.split(QLatin1Char(' '));
    QCOMPARE(fds.size(), 3);
    const QString srv = fds[0], left = fds[1], right = fds[2];

    auto cardSays = [&](int line, const QString& name, const QString& text) {
        for (const QString& card : cards.value(line))
            if (card.startsWith(name + QLatin1Char(' ')) && card.contains(text))
                return true;
        qWarning().noquote() << "after line" << line << "the cards say:" << cards.value(line);
        return false;
    };
    QVERIFY(cardSays(2, QStringLiteral("srv"), QStringLiteral("fd ") + srv));
    QVERIFY(cardSays(4, QStringLiteral("left"), QStringLiteral("fds %1 and %2").arg(left, right)));
    QVERIFY2(cPane[2].contains(QStringLiteral("returns %1 */").arg(srv)), qPrintable(cPane[2]));
    QVERIFY2(cPane[3].contains(QStringLiteral("bind(%1,").arg(srv)), qPrintable(cPane[3]));
    QVERIFY2(cPane[4].contains(QStringLiteral("sv = {%1, %2}").arg(left, right)),
             qPrintable(cPane[4]));
    QVERIFY2(cPane[6].contains(QStringLiteral("close(%1);").arg(left)), qPrintable(cPane[6]));
    QVERIFY2(cPane[7].contains(QStringLiteral("close(%1);").arg(right)), qPrintable(cPane[7]));
    QVERIFY2(cPane[8].contains(QStringLiteral("close(%1);").arg(srv)), qPrintable(cPane[8]));
    // Closed, the socket's fileno() is -1: a call on it passes -1, as CPython's does.
    QVERIFY2(cPane[10].contains(QStringLiteral("getsockname(-1,")) &&
                 cPane[10].contains(QStringLiteral("EBADF")),
             qPrintable(cPane[10]));
}

void TestPanes::theCPaneSpeaksOfTheLineThatJustRanWhileItWaits()
{
    // "Just ran" names the newest step, also while it is still running; the C pane beside
    // it speaks of the same line (a blocked accept(), as called), never of the line before.
    ScriptWindow f;
    const QString problem = f.open(QStringLiteral("waits.py"), "import socket\n"
                                                               "srv = socket.socket()\n"
                                                               "srv.bind(('127.0.0.1', 0))\n"
                                                               "srv.listen()\n"
                                                               "conn, _ = srv.accept()\n");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    MainWindow& window = f.window;
    auto& runner = window.session().runner();
    QSignalSpy blocked(&runner, &program::Runner::stepBlocked);
    while (runner.stepCount() < 5) {
        QTRY_VERIFY_WITH_TIMEOUT(runner.mode() == program::Runner::Mode::Idle &&
                                     window.stepAction()->isEnabled(),
                                 kWaitMs);
        QTest::keyClick(&window, Qt::Key_Right);
    }
    QTRY_VERIFY_WITH_TIMEOUT(!blocked.isEmpty(), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(!runner.steps().back().calls.isEmpty(), kWaitMs);
    QCOMPARE(runner.steps().back().line, 5);
    QVERIFY(!runner.steps().back().settled);
    const QString c = window.codeView()->cCode()->toPlainText();
    QVERIFY2(c.startsWith(QStringLiteral("/* line 5: conn, _ = srv.accept() */")), qPrintable(c));
    QVERIFY2(c.contains(QStringLiteral("accept4(")) && c.contains(QStringLiteral("blocked")),
             qPrintable(c));
}

void TestPanes::aLongResultIsCutBeforeTheCountOfCalls()
{
    // "Just ran" tells what a line bound and how many socket calls it made. A long value is
    // cut with an ellipsis; the count of calls after it is never cut mid-word.
    ScriptWindow f;
    const QString problem = f.open(QStringLiteral("long.py"), "import socket\n"
                                                              "a, b = socket.socketpair()\n"
                                                              "a.sendall(b'x' * 400)\n"
                                                              "got = b.recv(400)\n");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    MainWindow& window = f.window;
    auto& runner = window.session().runner();
    while (!runner.isFinished()) {
        QTRY_VERIFY_WITH_TIMEOUT(
            (runner.mode() == program::Runner::Mode::Idle && window.stepAction()->isEnabled()) ||
                runner.isFinished(),
            kWaitMs);
        if (!runner.isFinished())
            QTest::keyClick(&window, Qt::Key_Right);
        QVERIFY(runner.stepCount() <= 4);
    }
    const QString said = QTextDocumentFragment::fromHtml(window.lessonPanel()->justRan())
                             .toPlainText()
                             .remove(QChar(0x200b));
    QVERIFY2(said.contains(QStringLiteral("got = b'xxx")), qPrintable(said));
    QVERIFY2(said.contains(QStringLiteral("xxx\u2026 (1 socket call)")), qPrintable(said));
}

QTEST_MAIN(TestPanes)
#include "tst_panes.moc"
