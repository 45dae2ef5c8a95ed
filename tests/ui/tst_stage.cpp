// The stage driven by clicks, as a student would: every panel click runs a real call,
// the cards show what happened, and the script grows by the statement the click stood for.

#include "uisupport.h"

#include "elapsedlabel.h"
#include "lesson/console.h"
#include "net/errnoexplainer.h"
#include "queuebar.h"

#include <QLabel>
#include <QSettings>
#include <QTemporaryDir>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace sockbench;
using namespace sockbench::uitest;

namespace {

// The card whose title starts with the name (a socket's variable), on any host.
SocketCard* cardTitled(MainWindow& window, const QString& name)
{
    for (SocketCard* card : window.stage()->findChildren<SocketCard*>())
        if (card->title().startsWith(name))
            return card;
    return nullptr;
}

} // namespace

class TestStage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void tcpExchangeByClicking();
    void udpByClicking();
    void blockedAcceptKeepsTheWindowResponsiveAndCanBeInterrupted();
    void formsRefuseBadInputBeforeAnythingIsSent();
    void wrongCallShowsTheKernelsError();
    void failedCallIsExplainedOnTheCard();
    void statementsAreCheckedLightlyBeforePython();
    void aFullAcceptQueueShowsEveryPlaceOnANarrowCard();
    void theSecondsFollowTheBlockedCallOnANarrowCard();
    void anErrorTheProgramIsReadyForIsNoFault();
    void anErrorRaisedAgainIsAFaultAfterAll();
    void theNextStatementsCallIsLitOnItsCard();
    void aRefusedConnectsPortIsShownLetGo();
};

void TestStage::initTestCase()
{
    startWindowTest("tst_stage");
}

void TestStage::cleanup()
{
    QSettings().clear(); // a zoom one test chose is not the next one's
}

void TestStage::tcpExchangeByClicking()
{
    ExperimentWindow f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.window));
    QVERIFY(f.window.stage()->host(QStringLiteral("you")));
    SocketCard* server =
        newSocket(f.window, QStringLiteral("you"), QStringLiteral("TCP over IPv4"));
    QVERIFY(server);
    SocketCard* client =
        newSocket(f.window, QStringLiteral("you"), QStringLiteral("TCP over IPv4"));
    QVERIFY(client);
    QCOMPARE(server->stateText(), QStringLiteral("created"));
    // A fresh socket suggests bind or connect.
    QVERIFY(server->callButton(CallKind::Bind)->property("suggested").toBool());

    QVERIFY(click(server, CallKind::Bind, [](CallForm* form) {
        setText(form, QStringLiteral("host"), QStringLiteral("127.0.0.1"));
        setText(form, QStringLiteral("port"), QStringLiteral("0"));
    }));
    QTRY_COMPARE_WITH_TIMEOUT(server->stateText(), QStringLiteral("bound"), kWaitMs);
    const quint16 port = f.view(server)->local.port();
    QVERIFY(port != 0);
    QVERIFY(f.view(server)->localChosenByKernel);

    QVERIFY(click(server, CallKind::Listen,
                  [](CallForm* form) { setNumber(form, QStringLiteral("backlog"), 3); }));
    QTRY_COMPARE_WITH_TIMEOUT(server->stateText(), QStringLiteral("listening"), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(server->kernelStateText(), QStringLiteral("LISTEN"), kWaitMs);
    QVERIFY(server->callButton(CallKind::Accept)->property("suggested").toBool());

    QVERIFY(click(server, CallKind::Accept));
    QTRY_VERIFY_WITH_TIMEOUT(f.view(server)->isBlocked(), kWaitMs);
    // The card shows what the model knows at the next frame.
    QTRY_VERIFY_WITH_TIMEOUT(server->interruptButton()->isVisible(), kWaitMs);

    QVERIFY(click(client, CallKind::Connect, [port](CallForm* form) {
        setText(form, QStringLiteral("host"), QStringLiteral("127.0.0.1"));
        setText(form, QStringLiteral("port"), QString::number(port));
    }));
    QTRY_COMPARE_WITH_TIMEOUT(client->stateText(), QStringLiteral("connected"), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(!f.view(server)->isBlocked(), kWaitMs);

    // accept() made a new socket, shown on the same host, connected to the client.
    SocketCard* conn = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (SocketId id : f.window.session().model().sockets())
                if (f.window.session().model().socket(id)->acceptedFrom == server->socketId())
                    conn = f.window.stage()->card(id);
            return conn != nullptr;
        }(),
        kWaitMs);
    QCOMPARE(conn->stateText(), QStringLiteral("connected"));
    QCOMPARE(f.view(conn)->peer, f.view(client)->local);
    QTRY_COMPARE_WITH_TIMEOUT(f.window.stage()->overlay()->wires().size(), size_t(1), kWaitMs);

    QVERIFY(click(client, CallKind::Send, [](CallForm* form) {
        setText(form, QStringLiteral("payload"), QStringLiteral("hello\\r\\n"));
    }));
    // The bytes wait in the server side's receive queue until recv() takes them.
    QTRY_COMPARE_WITH_TIMEOUT(conn->receiveQueue()->value(), qint64(7), kWaitMs);

    QVERIFY(click(conn, CallKind::Recv,
                  [](CallForm* form) { setNumber(form, QStringLiteral("size"), 1024); }));
    QTRY_COMPARE_WITH_TIMEOUT(conn->receiveQueue()->value(), qint64(0), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(conn->lastResultText().contains(QStringLiteral("b'hello\\r\\n'")),
                             kWaitMs);

    QVERIFY(click(client, CallKind::Shutdown));
    QTRY_COMPARE_WITH_TIMEOUT(client->stateText(), QStringLiteral("write-shut"), kWaitMs);
    // The client's FIN reaches the server's side: CLOSE_WAIT, seen by the kernel watcher.
    QTRY_COMPARE_WITH_TIMEOUT(conn->kernelStateText(), QStringLiteral("CLOSE_WAIT"), kWaitMs);
    QVERIFY(click(conn, CallKind::Close));
    QVERIFY(click(client, CallKind::Close));
    QVERIFY(click(server, CallKind::Close));
    QTRY_COMPARE_WITH_TIMEOUT(conn->stateText(), QStringLiteral("closed"), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(client->stateText(), QStringLiteral("closed"), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(server->stateText(), QStringLiteral("closed"), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(f.window.stage()->overlay()->wires().size(), size_t(0), kWaitMs);

    // Every click is a statement of the script, in the order it ran.
    const QString script = f.script();
    const QStringList expected = {
        QStringLiteral("s1 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)"),
        QStringLiteral("s2 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)"),
        QStringLiteral("s1.bind(('127.0.0.1', 0))"),
        QStringLiteral("s1.listen(3)"),
        QStringLiteral("conn1, addr1 = s1.accept()"),
        QStringLiteral("s2.connect(('127.0.0.1', s1.getsockname()[1]))"),
        QStringLiteral("s2.sendall(b'hello\\r\\n')"),
        QStringLiteral("data1 = conn1.recv(1024)"),
        QStringLiteral("s2.shutdown(socket.SHUT_WR)"),
        QStringLiteral("conn1.close()"),
        QStringLiteral("s2.close()"),
        QStringLiteral("s1.close()"),
    };
    qsizetype at = 0;
    for (const QString& line : expected) {
        const qsizetype found = script.indexOf(line, at);
        QVERIFY2(found >= 0,
                 qPrintable(QStringLiteral("missing or out of order: %1\n%2").arg(line, script)));
        at = found + line.size();
    }
    // The accept() that waited for the next click is saved as running in the background.
    QVERIFY(script.contains(QStringLiteral("conn1, addr1 = s1.accept()  # background\n")));

    // Saved and opened again, the experiment runs green from start to end.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("experiment.py"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(script.toUtf8());
    }
    RunQuestion yes(true); // the student's own program: the window asks before it runs
    QVERIFY(f.window.openLesson(path));
    QVERIFY(!yes.asked.isEmpty());
    auto& runner = f.window.session().runner();
    QTRY_VERIFY_WITH_TIMEOUT(runner.mode() == program::Runner::Mode::Idle, kWaitMs);
    runner.setPlayInterval(0);
    runner.play();
    QTRY_VERIFY_WITH_TIMEOUT(runner.isFinished(), kWaitMs);
    QCOMPARE(runner.failures(), 0);
    QVERIFY(f.window.console()->transcript().join('\n').contains(QStringLiteral("b'hello\\r\\n'")));
}

void TestStage::udpByClicking()
{
    ExperimentWindow f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.window));
    SocketCard* a = newSocket(f.window, QStringLiteral("you"), QStringLiteral("UDP over IPv4"));
    SocketCard* b = newSocket(f.window, QStringLiteral("you"), QStringLiteral("UDP over IPv4"));
    QVERIFY(a && b);
    // UDP cards offer sendto/recvfrom, and no listen/accept.
    QVERIFY(a->callButton(CallKind::SendTo)->isVisible());
    QVERIFY(!a->callButton(CallKind::Listen)->isVisible());
    QVERIFY(click(b, CallKind::Bind, [](CallForm* form) {
        setText(form, QStringLiteral("port"), QStringLiteral("0"));
    }));
    QTRY_VERIFY2_WITH_TIMEOUT(b->stateText() == QStringLiteral("bound"),
                              qPrintable(f.script() + f.window.console()->toPlainText() +
                                         QString::number(int(f.window.session().runner().mode()))),
                              kWaitMs);
    const quint16 port = f.view(b)->local.port();
    for (const QString& text : {QStringLiteral("one"), QStringLiteral("two")})
        QVERIFY(click(a, CallKind::SendTo, [&](CallForm* form) {
            setText(form, QStringLiteral("payload"), text);
            setText(form, QStringLiteral("port"), QString::number(port));
        }));
    QTRY_VERIFY2_WITH_TIMEOUT(f.view(a)->datagramsSent == 2,
                              qPrintable(f.script() + f.window.console()->toPlainText()), kWaitMs);
    // Two datagrams stay two: each recvfrom() takes exactly one.
    QVERIFY(click(b, CallKind::RecvFrom));
    QTRY_VERIFY2_WITH_TIMEOUT(b->lastResultText().contains(QStringLiteral("b'one'")),
                              qPrintable(b->lastResultText() + QLatin1Char('\n') + f.script() +
                                         f.window.console()->toPlainText()),
                              kWaitMs);
    QVERIFY(click(b, CallKind::RecvFrom));
    QTRY_VERIFY2_WITH_TIMEOUT(b->lastResultText().contains(QStringLiteral("b'two'")),
                              qPrintable(b->lastResultText() + QLatin1Char('\n') + f.script() +
                                         f.window.console()->toPlainText()),
                              kWaitMs);
    QCOMPARE(f.view(b)->datagramsReceived, 2);
    QVERIFY(f.script().contains(QStringLiteral("data1, addr1 = u2.recvfrom(1024)")));
    QVERIFY(f.script().contains(
        QStringLiteral("u1.sendto(b'one', ('127.0.0.1', u2.getsockname()[1]))")));
}

void TestStage::blockedAcceptKeepsTheWindowResponsiveAndCanBeInterrupted()
{
    ExperimentWindow f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.window));
    SocketCard* server =
        newSocket(f.window, QStringLiteral("you"), QStringLiteral("TCP over IPv4"));
    QVERIFY(server);
    QVERIFY(click(server, CallKind::Bind));
    QVERIFY(click(server, CallKind::Listen));
    QVERIFY(click(server, CallKind::Accept));
    QTRY_VERIFY_WITH_TIMEOUT(f.view(server)->isBlocked(), kWaitMs);
    // While accept() waits in the kernel, the window goes on: a new socket, a bind.
    SocketCard* other = newSocket(f.window, QStringLiteral("you"), QStringLiteral("UDP over IPv4"));
    QVERIFY(other);
    QVERIFY(click(other, CallKind::Bind));
    QTRY_COMPARE_WITH_TIMEOUT(other->stateText(), QStringLiteral("bound"), kWaitMs);
    QVERIFY(f.view(server)->isBlocked());
    QTRY_VERIFY(server->interruptButton()->isVisible());
    QTest::mouseClick(server->interruptButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!f.view(server)->isBlocked(), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(!server->interruptButton()->isVisible(), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(
        f.window.console()->toPlainText().contains(QStringLiteral("interrupted")), kWaitMs);
}

void TestStage::formsRefuseBadInputBeforeAnythingIsSent()
{
    ExperimentWindow f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.window));
    SocketCard* card = newSocket(f.window, QStringLiteral("you"), QStringLiteral("TCP over IPv4"));
    QVERIFY(card);
    const quint64 before = f.bench.trace().lastSeq();
    QTest::mouseClick(card->callButton(CallKind::Bind), Qt::LeftButton);
    CallForm* form = openForm();
    QVERIFY(form);
    QVERIFY(QTest::qWaitForWindowExposed(form));
    // Typing never moves Run: the form keeps its size as sentences come and go.
    const auto runAt = [&form] {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        return QRect(form->runButton()->mapToGlobal(QPoint(0, 0)), form->runButton()->size());
    };
    const QRect run = runAt();
    setText(form, QStringLiteral("port"), QStringLiteral("70000"));
    QVERIFY(form->problem(QStringLiteral("port")).contains(QStringLiteral("0 to 65535")));
    QVERIFY(!form->runButton()->isEnabled());
    QCOMPARE(runAt(), run);
    setText(form, QStringLiteral("port"), QStringLiteral("4000"));
    QVERIFY(form->problem(QStringLiteral("port")).isEmpty());
    QCOMPARE(runAt(), run);
    setText(form, QStringLiteral("host"), QStringLiteral("300.1.2.3"));
    QVERIFY(form->problem(QStringLiteral("host")).contains(QStringLiteral("IPv4")));
    QVERIFY(!form->runButton()->isEnabled());
    QCOMPARE(runAt(), run);
    setText(form, QStringLiteral("port"), QStringLiteral("1"));
    QCOMPARE(runAt(), run);
    form->close();

    QTest::mouseClick(card->callButton(CallKind::Send), Qt::LeftButton);
    form = openForm();
    QVERIFY(form);
    setText(form, QStringLiteral("payload"), QStringLiteral("bad \\x4 escape"));
    QVERIFY(!form->problem(QStringLiteral("payload")).isEmpty());
    QVERIFY(!form->runButton()->isEnabled());
    setText(form, QStringLiteral("payload"), QStringLiteral("it's fine: \\x41\\r\\n"));
    QVERIFY(form->problem(QStringLiteral("payload")).isEmpty());
    QCOMPARE(form->call().args.payload, QByteArray("it's fine: A\r\n"));
    form->close();
    // Nothing reached the kernel meanwhile.
    QCOMPARE(f.bench.trace().lastSeq(), before);
    QCOMPARE(decodePayload(QStringLiteral("48 65 6c 6c 6f"), true),
             (std::variant<QByteArray, QString>(QByteArray("Hello"))));
    QVERIFY(std::holds_alternative<QString>(decodePayload(QStringLiteral("4"), true)));
}

void TestStage::wrongCallShowsTheKernelsError()
{
    ExperimentWindow f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.window));
    SocketCard* card = newSocket(f.window, QStringLiteral("you"), QStringLiteral("TCP over IPv4"));
    QVERIFY(card);
    // accept() on a socket that does not listen: not forbidden - the kernel answers.
    QVERIFY(click(card, CallKind::Accept));
    QTRY_VERIFY2_WITH_TIMEOUT(
        card->lastResultText().contains(QStringLiteral("EINVAL")),
        qPrintable(card->lastResultText() + f.window.console()->toPlainText()), kWaitMs);
    QVERIFY(card->lastResultText().contains(QStringLiteral("OSError")));
    QCOMPARE(card->stateText(), QStringLiteral("created"));
}

void TestStage::failedCallIsExplainedOnTheCard()
{
    ExperimentWindow f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.window));
    SocketCard* server =
        newSocket(f.window, QStringLiteral("you"), QStringLiteral("TCP over IPv4"));
    SocketCard* second =
        newSocket(f.window, QStringLiteral("you"), QStringLiteral("TCP over IPv4"));
    SocketCard* client =
        newSocket(f.window, QStringLiteral("you"), QStringLiteral("TCP over IPv4"));
    QVERIFY(server && second && client);
    const auto meaningLabel = [](SocketCard* card) {
        return card->findChild<QLabel*>(QStringLiteral("errnoMeaning"));
    };
    const auto tryLabel = [](SocketCard* card) {
        return card->findChild<QLabel*>(QStringLiteral("errnoTry"));
    };
    QVERIFY(meaningLabel(server) && tryLabel(server));
    QVERIFY(!meaningLabel(server)->isVisible()); // nothing failed yet

    QVERIFY(click(server, CallKind::Bind, [](CallForm* form) {
        setText(form, QStringLiteral("host"), QStringLiteral("127.0.0.1"));
        setText(form, QStringLiteral("port"), QStringLiteral("0"));
    }));
    QTRY_COMPARE_WITH_TIMEOUT(server->stateText(), QStringLiteral("bound"), kWaitMs);
    QVERIFY(click(server, CallKind::Listen));
    QTRY_COMPARE_WITH_TIMEOUT(server->stateText(), QStringLiteral("listening"), kWaitMs);
    const quint16 port = f.view(server)->local.port();

    // The same port again: EADDRINUSE, with what it means and what to try under it.
    QVERIFY(click(second, CallKind::Bind, [port](CallForm* form) {
        setText(form, QStringLiteral("host"), QStringLiteral("127.0.0.1"));
        setText(form, QStringLiteral("port"), QString::number(port));
    }));
    QTRY_VERIFY_WITH_TIMEOUT(second->lastResultText().contains(QStringLiteral("EADDRINUSE")),
                             kWaitMs);
    const auto inUse = errnoexplainer::explain(ErrorDomain::Errno, EADDRINUSE);
    QVERIFY(inUse);
    QVERIFY(second->errorExplanationText().contains(inUse->meaning));
    QVERIFY(second->errorExplanationText().contains(QStringLiteral("Try: ") + inUse->tryThis));
    QVERIFY(meaningLabel(second)->isVisible());
    QVERIFY(tryLabel(second)->isVisible());
    QVERIFY(tryLabel(second)->text().startsWith(QStringLiteral("Try: ")));
    // One line each; the whole text, causes included, is the tooltip.
    QCOMPARE(meaningLabel(second)->text().count(QLatin1Char('\n')), 0);
    QVERIFY(tryLabel(second)->toolTip().contains(QStringLiteral("SO_REUSEADDR")));
    QVERIFY(tryLabel(second)->toolTip().contains(inUse->causes.toHtmlEscaped()));

    // The socket is still usable: a bind elsewhere works, and the explanation goes.
    QVERIFY(click(second, CallKind::Bind, [](CallForm* form) {
        setText(form, QStringLiteral("host"), QStringLiteral("127.0.0.1"));
        setText(form, QStringLiteral("port"), QStringLiteral("0"));
    }));
    QTRY_COMPARE_WITH_TIMEOUT(second->stateText(), QStringLiteral("bound"), kWaitMs);
    QVERIFY(second->errorExplanationText().isEmpty());
    QVERIFY(!meaningLabel(second)->isVisible());

    // Connecting where nothing listens any more: ECONNREFUSED, explained the same way.
    QVERIFY(click(server, CallKind::Close));
    QTRY_COMPARE_WITH_TIMEOUT(server->stateText(), QStringLiteral("closed"), kWaitMs);
    QVERIFY(click(client, CallKind::Connect, [port](CallForm* form) {
        setText(form, QStringLiteral("host"), QStringLiteral("127.0.0.1"));
        setText(form, QStringLiteral("port"), QString::number(port));
    }));
    QTRY_VERIFY2_WITH_TIMEOUT(client->lastResultText().contains(QStringLiteral("ECONNREFUSED")),
                              qPrintable(client->lastResultText()), kWaitMs);
    const auto refused = errnoexplainer::explain(ErrorDomain::Errno, ECONNREFUSED);
    QVERIFY(refused);
    QVERIFY(client->errorExplanationText().contains(refused->meaning));
    QVERIFY(meaningLabel(client)->isVisible());
}

void TestStage::statementsAreCheckedLightlyBeforePython()
{
    // Needs no engine: the click's statement is checked before it goes to python3.
    QVERIFY(statementProblem(QStringLiteral("s1.bind(('127.0.0.1', 0))")).isEmpty());
    QVERIFY(statementProblem(QStringLiteral("s1.sendall(b'a)(\\'')  # )")).isEmpty());
    QVERIFY(statementProblem(QStringLiteral("s1.bind(('127.0.0.1', 0)"))
                .contains(QStringLiteral("never closed")));
    QVERIFY(statementProblem(QStringLiteral("s1.send(b'x])")).contains(QStringLiteral("string")));
    QVERIFY(statementProblem(QStringLiteral("f(]")).contains(QStringLiteral("column 3")));
    QVERIFY(!statementProblem(QStringLiteral("a = 1\nb = 2")).isEmpty());
    QVERIFY(!statementProblem(QStringLiteral("  ")).isEmpty());
    // Payloads decode as Python's bytes literals do.
    QCOMPARE(decodePayload(QStringLiteral("a\\tb\\101\\x42\\q"), false),
             (std::variant<QByteArray, QString>(QByteArray("a\tbAB\\q"))));
    QVERIFY(std::holds_alternative<QString>(decodePayload(QStringLiteral("caf\u00e9"), false)));
    QVERIFY(std::holds_alternative<QString>(decodePayload(QStringLiteral("\\x4 "), false)));
}

void TestStage::aFullAcceptQueueShowsEveryPlaceOnANarrowCard()
{
    // Lesson 09's "5 / 5" on a card in a narrow column: five filled places, each wide
    // enough to count from the back row (the room kept for a byte count once left none).
    QueueBar bar(QStringLiteral("accept queue"), QueueBar::Kind::Slots);
    bar.setValue(5, 5);
    bar.resize(bar.minimumSizeHint());
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    const QColor filled(0x7c, 0x3a, 0xed);
    // The places, as runs of the filled colour along the bar's middle row, once the fill
    // has glided in.
    const auto places = [&](const QColor& colour) {
        const QImage image = bar.grab().toImage();
        const int y = image.height() / 2;
        QList<int> runs;
        int run = 0;
        for (int x = 0; x < image.width(); ++x) {
            if (image.pixelColor(x, y) == colour) {
                ++run;
            } else if (run > 0) {
                runs << run;
                run = 0;
            }
        }
        if (run > 0)
            runs << run;
        return runs;
    };
    QTRY_COMPARE_WITH_TIMEOUT(places(filled).size(), qsizetype(5), kWaitMs);
    const int character = bar.fontMetrics().averageCharWidth();
    for (const int width : places(filled)) // a character, give or take the pixel rounding
        QVERIFY2(width >= character - 1, qPrintable(QString::number(width)));
    const QColor beyond(0xd9, 0x77, 0x06);
    QVERIFY(places(beyond).isEmpty());
    // Linux admits one connection more than the backlog: "6, backlog 5" beside six places,
    // the sixth in amber, not five full ones that say nothing of the sixth.
    bar.setValue(6, 5);
    bar.resize(bar.minimumSizeHint());
    QTRY_COMPARE_WITH_TIMEOUT(places(beyond).size(), qsizetype(1), kWaitMs);
    QCOMPARE(places(filled).size(), qsizetype(5));
}

void TestStage::theSecondsFollowTheBlockedCallOnANarrowCard()
{
    // "blocked in accept() for 1.3 s": on a card too narrow for one line the words wrap,
    // and the seconds stay after "for", on its line, not beside "blocked" above it.
    SocketView view;
    view.id = SocketId{1};
    view.state = TeachingState::Listening;
    view.blockedCall = CallId{7};
    view.blockedKind = CallKind::Accept;
    SocketCard card(view.id, [] { return qint64(1'300'000'000); });
    card.display(view, QStringLiteral("server"));
    card.setDetail(SocketCard::Detail::Minimal);
    card.resize(card.minimumSizeHint().width(),
                card.heightForWidth(card.minimumSizeHint().width()));
    card.show();
    QVERIFY(QTest::qWaitForWindowExposed(&card));
    card.refreshBlocked();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    QLabel* words = nullptr;
    for (QLabel* label : card.findChildren<QLabel*>())
        if (label->isVisible() && label->text().contains(QLatin1String("blocked")))
            words = label;
    QVERIFY(words);
    QWidget* seconds = nullptr;
    for (QWidget* child : words->parentWidget()->findChildren<QWidget*>())
        if (dynamic_cast<ElapsedLabel*>(child))
            seconds = child;
    QVERIFY(seconds);
    const int line = words->fontMetrics().lineSpacing();
    QVERIFY2(words->heightForWidth(words->width()) >= 2 * line - 2,
             "the words should wrap on this card");
    // Its bottom with the words' last line, not their first.
    QVERIFY2(seconds->geometry().bottom() >= words->geometry().bottom() - line / 2,
             qPrintable(QStringLiteral("seconds end at %1, the words at %2")
                            .arg(seconds->geometry().bottom())
                            .arg(words->geometry().bottom())));
}

void TestStage::anErrorTheProgramIsReadyForIsNoFault()
{
    // Lesson 07 binds a taken port twice: first under "# expect: EADDRINUSE", then in a try
    // whose except clause goes on. Neither is a fault. The card says the lesson expects it,
    // then that the program goes on, with the error and what it means, without the advice
    // for an error nobody wanted, and without the red edge of one.
    Workbench bench;
    MainWindow window(bench);
    QVERIFY(showLesson(window, QStringLiteral("07"), QSize(1280, 720)));
    auto& runner = window.session().runner();
    const auto second = [&]() -> SocketCard* {
        HostWidget* host = window.stage()->host(QStringLiteral("second"));
        return host && !host->cards().isEmpty() ? host->cards().first() : nullptr;
    };
    const auto says = [&](const QString& words) {
        window.session().presenter().catchUp();
        SocketCard* card = second();
        return card && card->lastResultText().contains(words);
    };
    const auto label = [&](const char* name) {
        return second()->findChild<QLabel*>(QString::fromLatin1(name));
    };
    QVERIFY(stepUntil(
        runner, [&] { return says(QStringLiteral("as the lesson expects")); }, 60));
    QVERIFY2(second()->lastResultText().contains(QStringLiteral("EADDRINUSE")),
             qPrintable(second()->lastResultText()));
    QTRY_VERIFY_WITH_TIMEOUT(label("errnoMeaning")->isVisible(), kWaitMs);
    QVERIFY(!label("errnoTry")->isVisible());
    QVERIFY(!second()->lastResultText().contains(QStringLiteral("failed")));

    QVERIFY(stepUntil(
        runner, [&] { return says(QStringLiteral("the program goes on")); }, 20));
    QVERIFY(second()->lastResultText().contains(QStringLiteral("EADDRINUSE")));
    QTRY_VERIFY_WITH_TIMEOUT(label("errnoMeaning")->isVisible(), kWaitMs);
    QVERIFY(!label("errnoTry")->isVisible());
}

void TestStage::anErrorRaisedAgainIsAFaultAfterAll()
{
    // An except clause that cleans up and raises the error again: while the clause runs,
    // the program has gone on from it; once `raise` ends the thread with it, the error
    // was a fault after all, in red with what to try.
    ScriptWindow f;
    const QString problem =
        // getpeername() of a socket never connected: ENOTCONN wherever POSIX holds, not
        // a choice a kernel could make otherwise (as a second bind() of a port could).
        f.open(QStringLiteral("again.py"), "import socket\n"
                                           "first = socket.socket()\n"
                                           "first.bind(('127.0.0.1', 0))\n"
                                           "second = socket.socket()\n"
                                           "try:\n"
                                           "    second.getpeername()\n"
                                           "except OSError:\n"
                                           "    print('no peer, giving up')\n"
                                           "    raise\n");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    MainWindow& window = f.window;
    auto& runner = window.session().runner();
    const auto card = [&]() -> SocketCard* {
        // The program's host holds its two sockets; "second" is the one made second.
        for (HostWidget* host : window.stage()->hosts())
            if (host->cards().size() == 2)
                return host->cards().at(1);
        return nullptr;
    };
    const auto says = [&](const QString& words) {
        window.session().presenter().catchUp();
        SocketCard* c = card();
        return c && c->lastResultText().contains(words);
    };
    QVERIFY(stepUntil(
        runner, [&] { return says(QStringLiteral("the program goes on")); }, 20));
    // The clause's print() runs, then its `raise` ends the thread with the same error.
    for (int step = 0; step < 10 && !runner.isFinished(); ++step) {
        runner.step();
        QTRY_VERIFY_WITH_TIMEOUT(
            runner.mode() == program::Runner::Mode::Idle || runner.isFinished(), kWaitMs);
    }
    QVERIFY(runner.isFinished());
    QVERIFY(runner.failures() > 0);
    QTRY_VERIFY2_WITH_TIMEOUT(says(QStringLiteral("failed")), qPrintable(card()->lastResultText()),
                              kWaitMs);
    QVERIFY(!card()->lastResultText().contains(QStringLiteral("goes on")));
    QTRY_VERIFY_WITH_TIMEOUT(card()->findChild<QLabel*>(QStringLiteral("errnoTry"))->isVisible(),
                             kWaitMs);
}

void TestStage::theNextStatementsCallIsLitOnItsCard()
{
    // Lesson 18's "Next — named.close()" beside a compact card that offered listen only:
    // the call the script makes next is a button on its socket's card, lit, at any size
    // but the smallest, and only while it is next.
    ScriptWindow f;
    const QString problem = f.open(QStringLiteral("next.py"), "import socket\n"
                                                              "named = socket.socket()\n"
                                                              "named.bind(('127.0.0.1', 0))\n"
                                                              "x = 1\n"
                                                              "named.close()\n");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    MainWindow& window = f.window;
    auto& runner = window.session().runner();
    QVERIFY(stepUntil(
        runner, [&] { return runner.next() && runner.next()->line == 4; }, 10));
    window.session().presenter().catchUp();
    const auto named = [&] { return cardTitled(window, QStringLiteral("named")); };
    QTRY_VERIFY_WITH_TIMEOUT(named(), kWaitMs);
    SocketCard* card = named();
    QToolButton* close = card->callButton(CallKind::Close);
    QTRY_COMPARE_WITH_TIMEOUT(card->stateText(), QStringLiteral("bound"), kWaitMs);
    QVERIFY(!close->property("suggested").toBool()); // x = 1 is next: nothing to light
    QVERIFY(stepUntil(
        runner, [&] { return runner.next() && runner.next()->line == 5; }, 10));
    QTRY_VERIFY_WITH_TIMEOUT(close->property("suggested").toBool(), kWaitMs);
    // Only the next call is lit while a script is followed: not listen, which a bound
    // socket's state suggests in free play.
    QVERIFY(!card->callButton(CallKind::Listen)->property("suggested").toBool());
    card->setDetail(SocketCard::Detail::Compact);
    QVERIFY(close->isVisibleTo(card));
    QVERIFY(!card->callButton(CallKind::Accept)->isVisibleTo(card));
    // At the smallest, it is a button in the title row, beside More.
    card->setDetail(SocketCard::Detail::Minimal);
    QVERIFY(!close->isVisibleTo(card));
    auto* inTitle = card->findChild<QToolButton*>(QStringLiteral("nextCall"));
    QVERIFY(inTitle && inTitle->isVisibleTo(card));
    QCOMPARE(inTitle->text(), QStringLiteral("close"));
}

void TestStage::aRefusedConnectsPortIsShownLetGo()
{
    // Lesson 10: after connect_ex() -> 111 the card said "created" beside "local
    // 0.0.0.0:52162, chosen by the kernel", as if the socket held that port. Linux lets it
    // go (getsockname() still says it): the card says so where the kernel really did.
    ScriptWindow f;
    const QString problem =
        f.open(QStringLiteral("refused.py"), "import socket\n"
                                             "placeholder = socket.socket()\n"
                                             "placeholder.bind(('127.0.0.1', 0))\n"
                                             "port = placeholder.getsockname()[1]\n"
                                             "quiet = socket.socket()\n"
                                             "result = quiet.connect_ex(('127.0.0.1', port))\n"
                                             "x = 1\n");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    MainWindow& window = f.window;
    auto& runner = window.session().runner();
    QVERIFY(stepUntil(
        runner, [&] { return runner.next() && runner.next()->line == 7; }, 10));
    window.session().presenter().catchUp();
    const auto quietCard = [&] { return cardTitled(window, QStringLiteral("quiet")); };
    QTRY_VERIFY_WITH_TIMEOUT(
        quietCard() && window.session().model().socket(quietCard()->socketId())->local.port() != 0,
        kWaitMs);
    SocketCard* quiet = quietCard();
    const quint16 port = window.session().model().socket(quiet->socketId())->local.port();
    QVERIFY(port != 0);
    // The machine says whether the port was let go: another socket may bind it, or not.
    const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(probe >= 0);
    sockaddr_in any{};
    any.sin_family = AF_INET;
    any.sin_port = htons(port);
    const bool free = ::bind(probe, reinterpret_cast<sockaddr*>(&any), sizeof any) == 0;
    ::close(probe);
    if (!free)
        QSKIP("this kernel keeps a failed connect()'s port");
    const QLabel* local = quiet->findChild<QLabel*>(QStringLiteral("local"));
    QVERIFY(local);
    QVERIFY2(local->text().contains(QStringLiteral("let it go")), qPrintable(local->text()));
}

QTEST_MAIN(TestStage)
#include "tst_stage.moc"
