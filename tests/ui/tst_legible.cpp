// Legible from the back row: at the classroom projector (1280x720) the stage keeps its type
// large and its window whole. A long value wraps instead of widening the window, and one
// long explanation widens its own card instead of shrinking every card on the stage.

#include "windowdriver.h"

#include "hostwidget.h"
#include "presentation/describe.h"
#include "presentation/presenter.h"
#include "stagewidget.h"
#include "theme.h"

#include <QFontInfo>
#include <QSettings>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextLayout>

using namespace sockbench;
using namespace sockbench::uitest;

class TestLegible : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void aLongValueNeverWidensTheWindow();
    void aLongExplanationWidensItsCardNotShrinksEveryCard();
    void codeIsTheSameMonospaceEverywhere();
    void aLongLineOfCodeBreaksBetweenItsParts();
    void aForcedBreakKeepsATokenWhole();
};

void TestLegible::initTestCase()
{
    startWindowTest("tst_legible");
    // The application's own type and style, as users see them: what fits depends on them.
    applyTheme(*qApp);
}

void TestLegible::aLongValueNeverWidensTheWindow()
{
    // A value with no space in it (a bytes repr, a long name, a URL in a comment) is told in
    // the narration and on the card. At 1280x720 it wraps there: it never widens the
    // window past the projector's edge.
    ScriptWindow f;
    const QString problem = f.open(
        QStringLiteral("longvalues.py"),
        "import socket\n"
        "# See https://docs.python.org/3/library/socket.html#socket.socket.sendall_and_more\n"
        "data = b'x' * 400\n"
        "word = 'no_space_in_this_name_' * 12\n"
        "a, b = socket.socketpair()\n"
        "a.sendall(data)\n"
        "got = b.recv(400)\n"
        "a.close()\n"
        "b.close()\n");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    MainWindow& window = f.window;
    auto& runner = window.session().runner();
    int steps = 0;
    while (!runner.isFinished() && steps < 20) {
        QTRY_VERIFY_WITH_TIMEOUT(
            (runner.mode() == program::Runner::Mode::Idle && window.stepAction()->isEnabled()) ||
                runner.isFinished(),
            kWaitMs);
        window.session().presenter().catchUp();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        const QString at = QStringLiteral("step %1").arg(runner.stepCount());
        QVERIFY2(window.minimumSizeHint().width() <= 1280, qPrintable(at));
        QVERIFY2(window.width() == 1280, qPrintable(at));
        // The stage fits its hosts at its next frame (a slow build may not be there yet).
        QTRY_VERIFY2_WITH_TIMEOUT(
            whatIsOutOfView(window.stage()).isEmpty(),
            qPrintable(at + QStringLiteral(": ") + whatIsOutOfView(window.stage())), 5000);
        if (runner.isFinished())
            break;
        QTest::keyClick(&window, Qt::Key_Right);
        ++steps;
    }
    QVERIFY(runner.isFinished());
    QCOMPARE(runner.failures(), 0);
}

void TestLegible::aLongExplanationWidensItsCardNotShrinksEveryCard()
{
    // Lesson 08 at step 15: bind() fails with EADDRINUSE, and its card explains why and what
    // to try in a long paragraph, beside two other hosts. The stage has room to spare beside
    // them: the error's host takes it and widens the card, and every card keeps its rows
    // (no Minimal) and its full type size, all in view.
    Workbench bench;
    MainWindow window(bench);
    window.setZoom(1.0);
    window.resize(1280, 720);
    QVERIFY(window.openLesson(QStringLiteral("08")));
    window.session().presenter().setSpeed(0);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto& runner = window.session().runner();
    SocketCard* failed = nullptr;
    for (int steps = 0; !failed && steps < 40; ++steps) {
        QTRY_VERIFY_WITH_TIMEOUT(runner.mode() == program::Runner::Mode::Idle &&
                                     window.stepAction()->isEnabled(),
                                 kWaitMs);
        window.stepAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(runner.mode() == program::Runner::Mode::Idle, kWaitMs);
        window.session().presenter().catchUp();
        for (SocketCard* card : window.stage()->findChildren<SocketCard*>())
            if (card->isVisible() && card->errorExplanationText().contains(QLatin1String("Try")))
                failed = card;
    }
    QVERIFY2(failed, "no card explained a failed call");
    // The stage at rest: it tries a fuller level once it has been still for a moment.
    QTRY_VERIFY_WITH_TIMEOUT(!window.stage()->isSettling(), kWaitMs);
    QTRY_VERIFY2_WITH_TIMEOUT(whatIsOutOfView(window.stage()).isEmpty(),
                              qPrintable(whatIsOutOfView(window.stage())), 5000);
    QCOMPARE(window.stage()->hosts().size(), 3);
    const double type = window.stage()->font().pointSizeF();
    for (SocketCard* card : window.stage()->findChildren<SocketCard*>()) {
        if (!card->isVisible())
            continue;
        QVERIFY2(card->detail() != SocketCard::Detail::Minimal, qPrintable(card->title()));
        QCOMPARE(card->font().pointSizeF(), type);
    }
    // The card with the explanation is as wide as any on the stage: never the narrow one.
    // (Since closed cards lost their rows of "—", all three hosts fit side by side at an
    // equal width, and none needs to give it more.)
    for (SocketCard* card : window.stage()->findChildren<SocketCard*>())
        if (card != failed && card->isVisible())
            QVERIFY2(card->width() <= failed->width(),
                     qPrintable(QStringLiteral("%1 is %2 px, the explanation's card %3 px")
                                    .arg(card->title())
                                    .arg(card->width())
                                    .arg(failed->width())));
}

void TestLegible::codeIsTheSameMonospaceEverywhere()
{
    // The narration's <code>, the code and the console are all in the one monospace family
    // the layouts were tried with, whatever else the machine has installed (with Noto Sans
    // Mono installed, <code> once took it, the narration grew, and lesson 08's cards dropped
    // to Minimal at 1280x720).
    QTextDocument doc;
    doc.setHtml(QStringLiteral("<p>Next: <code>s.recv(1024)</code></p>"));
    QTextCursor cursor(&doc);
    cursor.movePosition(QTextCursor::End);
    cursor.movePosition(QTextCursor::PreviousCharacter);
    const QFont code = cursor.charFormat().font();
    QCOMPARE(QFontInfo(code).family(), monoFamily());
    QFont asked(QStringLiteral("monospace"));
    QCOMPARE(QFontInfo(asked).family(), monoFamily());
    QVERIFY(QFontInfo(code).fixedPitch());
}

void TestLegible::aLongLineOfCodeBreaksBetweenItsParts()
{
    // Lesson 23's "Next" line at 1280x720 read "message = 'GET /5062CEM.php?lecture" over
    // "r=Ian%20Cornelius \r\n'": a long word broke where its 20th character fell. It breaks
    // after the characters that end its parts (a slash, "?", "=", a dot, a comma), as a
    // reader would, at every width.
    const QString line =
        QStringLiteral("message = 'GET /5062CEM.php?lecturer=Ian%20Cornelius \\r\\n'");
    const QString parts = QStringLiteral("/?&=,;.:([{");
    QTextDocument doc;
    doc.setDefaultFont(QFont(monoFamily()));
    doc.setHtml(QStringLiteral("<code>%1</code>").arg(describe::wrappable(line)));
    doc.setDocumentMargin(0);
    const qreal em = QFontMetricsF(QFont(monoFamily())).horizontalAdvance(QLatin1Char('m'));
    int breaksSeen = 0;
    for (int chars = 16; chars <= 40; ++chars) { // its longest part is 15
        doc.setTextWidth(em * chars + 1);
        QVERIFY(doc.size().height() > 0); // laid out at this width
        const QTextBlock block = doc.firstBlock();
        const QString text = block.text();
        QTextLayout* layout = block.layout();
        QVERIFY(layout && layout->lineCount() >= 1);
        for (int i = 1; i < layout->lineCount(); ++i) {
            int before = layout->lineAt(i).textStart() - 1;
            while (before > 0 && text[before] == QChar(0x200B))
                --before;
            QVERIFY(before >= 0);
            const QString at = QStringLiteral("%1 characters wide, line %2 starts at \"%3\"")
                                   .arg(chars)
                                   .arg(i + 1)
                                   .arg(text.mid(layout->lineAt(i).textStart(), 12));
            QVERIFY2(text[before].isSpace() || parts.contains(text[before]), qPrintable(at));
            ++breaksSeen;
        }
    }
    QVERIFY(breaksSeen > 0); // the widths tried do wrap it
    // A part longer than any reader's word still breaks, so that it never widens a pane.
    const QString repr = describe::wrappable(QStringLiteral("b'") + QString(200, u'x') + u'\'');
    for (const QString& piece : repr.split(QChar(0x200B)))
        QVERIFY2(piece.size() <= 32, qPrintable(piece));
}

void TestLegible::aForcedBreakKeepsATokenWhole()
{
    // Lesson 28's long repr broke 'utf-8' as "utf-" / "8", a byte as "\x" / "00", a count as
    // "41" / "61", and a port from its address ("[::1]:" / "57974"). Where a long run must break,
    // it breaks beside a token, not in it.
    const QStringList runs = {
        QStringLiteral("f.write(text.encode('utf-8'),errors='strict',newline=None)"),
        QStringLiteral("b'\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00'"),
        QStringLiteral("sent=4161,4161,4161,4161,4161,4161,4161,4161,4161,4161"),
        QStringLiteral("accept()→new_socket,peer=[::1]:4161,local=[::1]:4161,family=AF_INET6"),
    };
    for (const QString& run : runs) {
        const QString shown = describe::wrappable(run);
        QVERIFY(shown.contains(QChar(0x200B))); // long enough to break at all
        for (const QString& token : {QStringLiteral("utf-8"), QStringLiteral("\\x00"),
                                     QStringLiteral("4161"), QStringLiteral("]:4161")})
            if (run.contains(token))
                QCOMPARE(shown.count(token), run.count(token));
    }
}

QTEST_MAIN(TestLegible)
#include "tst_legible.moc"
