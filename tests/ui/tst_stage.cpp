// The stage driven by clicks, as a student would: every panel click runs a real call,
// the cards show what happened, and the script grows by the statement the click stood for.

#include "uisupport.h"

#include "lesson/console.h"
#include "net/errnoexplainer.h"
#include "queuebar.h"
#include "stage/wireoverlay.h"

#include <QLabel>
#include <QScrollBar>
#include <QSettings>
#include <QTemporaryDir>

using namespace sockbench;
using namespace sockbench::uitest;

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
    void hostsWrapIntoRowsInsteadOfRunningOffTheEdge();
    void wiresFollowTheirCards();
    void theStageFollowsTheAction();
    void cardsTakeBackTheirDetailWhenThereIsRoom();
    void statementsAreCheckedLightlyBeforePython();
};

void TestStage::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("sockbench-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_stage"));
    QSettings().clear();
}

void TestStage::cleanup()
{
    QSettings().clear(); // a zoom one test chose is not the next one's
}

namespace {

struct Fixture {
    Workbench bench;
    MainWindow window{bench};
    Fixture()
    {
        window.resize(1600, 900);
        window.session().presenter().setSpeed(0); // the picture follows at once
        window.session().startExperiment();
        window.show();
    }
    const SocketView* view(SocketCard* card)
    {
        return window.session().model().socket(card->socketId());
    }
    QString script() { return window.session().scriptText(); }
};

} // namespace

void TestStage::tcpExchangeByClicking()
{
    Fixture f;
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
    QVERIFY(f.window.console()->toPlainText().contains(QStringLiteral("b'hello\\r\\n'")));
}

void TestStage::udpByClicking()
{
    Fixture f;
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
    Fixture f;
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
    Fixture f;
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
    Fixture f;
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
    Fixture f;
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

void TestStage::hostsWrapIntoRowsInsteadOfRunningOffTheEdge()
{
    // Lesson 09 has five hosts (server, first, second, third, and the crowd of its second
    // part) and is about the third: on a 1280x720 screen every one of them must be in view
    // without scrolling sideways.
    Workbench bench;
    MainWindow window(bench);
    QVERIFY(window.openLesson(QStringLiteral("09")));
    window.session().presenter().setSpeed(0);
    window.resize(1280, 720);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto& runner = window.session().runner();
    QTRY_VERIFY_WITH_TIMEOUT(runner.mode() == program::Runner::Mode::Idle, kWaitMs);
    // Up to both accept()s: the server's two connections are wired to first and second.
    // (Steps are line events: step until the second accept() has run.)
    const auto acceptedBoth = [&] {
        for (const program::StepRecord& r : runner.steps())
            if (r.settled && r.source.startsWith(QLatin1String("conn2, addr2 = server.accept()")))
                return true;
        return false;
    };
    for (int step = 0; step < 60 && !acceptedBoth(); ++step) {
        runner.step();
        QTRY_VERIFY_WITH_TIMEOUT(
            runner.mode() == program::Runner::Mode::Idle || runner.isFinished(), kWaitMs);
    }
    QVERIFY(acceptedBoth());
    StageWidget* stage = window.stage();
    QTRY_COMPARE_WITH_TIMEOUT(stage->hosts().size(), 5, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(!stage->host(QStringLiteral("third"))->cards().isEmpty(), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(stage->overlay()->wires().size(), size_t(2), kWaitMs);

    QWidget* canvas = stage->widget();
    const auto inView = [&] {
        for (HostWidget* host : stage->hosts()) {
            const QRect r(host->mapTo(canvas, QPoint(0, 0)), host->size());
            if (r.left() < 0 || r.left() + r.width() > stage->viewport()->width())
                return false;
        }
        return canvas->width() <= stage->viewport()->width();
    };
    QTRY_VERIFY_WITH_TIMEOUT(inView(), kWaitMs);
    QVERIFY(!stage->horizontalScrollBar()->isVisible());
    QSet<int> rows;
    for (HostWidget* host : stage->hosts())
        rows.insert(host->mapTo(canvas, QPoint(0, 0)).y());
    QVERIFY2(rows.size() >= 2, "the hosts should wrap into more than one row");
    // The rows grow downwards: the stage scrolls vertically to show the last one. (The
    // canvas grows in a layout pass of its own, which a busy machine may not have run yet.)
    HostWidget* third = stage->host(QStringLiteral("third"));
    QTRY_VERIFY_WITH_TIMEOUT(
        canvas->height() >= third->mapTo(canvas, QPoint(0, 0)).y() + third->height(), kWaitMs);
    stage->ensureWidgetVisible(third);
    QTRY_VERIFY_WITH_TIMEOUT(stage->viewport()->rect().intersects(QRect(
                                 third->mapTo(stage->viewport(), QPoint(0, 0)), third->size())),
                             kWaitMs);

    // The wires are drawn over the whole canvas, so they reach cards on every row.
    QCOMPARE(stage->overlay()->geometry(), canvas->rect());
    for (const WireOverlay::Wire& wire : stage->overlay()->wires()) {
        for (SocketId end : {wire.a, wire.b}) {
            SocketCard* card = stage->card(end);
            QVERIFY(card && card->isVisible());
            QVERIFY(
                canvas->rect().contains(QRect(card->mapTo(canvas, QPoint(0, 0)), card->size())));
        }
    }
}

void TestStage::wiresFollowTheirCards()
{
    // The overlay keeps each wire's path until a card or host moves. Whatever moves them
    // (cards added, the window resized), each wire still ends at its cards' sides.
    Workbench bench;
    MainWindow window(bench);
    QVERIFY(window.openLesson(QStringLiteral("04")));
    window.session().presenter().setSpeed(0);
    window.resize(1280, 720);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto& runner = window.session().runner();
    StageWidget* stage = window.stage();
    WireOverlay* overlay = stage->overlay();
    QWidget* canvas = stage->widget();
    // Some wire pixel within a few pixels of the middle of the card's left or right side.
    const auto touches = [&](const QImage& wires, SocketId end) {
        SocketCard* card = stage->card(end);
        if (!card || !card->isVisible())
            return false;
        const QRect r(card->mapTo(canvas, QPoint(0, 0)), card->size());
        for (const int x : {r.left(), r.right()})
            for (int dx = -3; dx <= 3; ++dx)
                for (int dy = -3; dy <= 3; ++dy) {
                    const QPoint at(x + dx, r.center().y() + dy);
                    if (wires.rect().contains(at) && qAlpha(wires.pixel(at)) > 100)
                        return true;
                }
        return false;
    };
    const auto everyWireTouchesItsCards = [&] {
        const QImage wires = overlay->grab().toImage();
        for (const WireOverlay::Wire& wire : overlay->wires())
            if (!touches(wires, wire.a) || !touches(wires, wire.b))
                return false;
        return !overlay->wires().empty();
    };
    QTRY_VERIFY_WITH_TIMEOUT(runner.mode() == program::Runner::Mode::Idle, kWaitMs);
    int checked = 0;
    for (int step = 0; step < 40 && !runner.isFinished(); ++step) {
        runner.step();
        QTRY_VERIFY_WITH_TIMEOUT(
            runner.mode() == program::Runner::Mode::Idle || runner.isFinished(), kWaitMs);
        window.session().presenter().catchUp();
        if (overlay->wires().empty())
            continue;
        QTRY_VERIFY2_WITH_TIMEOUT(everyWireTouchesItsCards(),
                                  qPrintable(QStringLiteral("step %1").arg(step)), kWaitMs);
        ++checked;
        if (checked == 3) {
            window.resize(1920, 1080); // every host and card moves
            QTRY_VERIFY2_WITH_TIMEOUT(everyWireTouchesItsCards(), "after the resize", kWaitMs);
        }
    }
    QVERIFY2(checked > 3, "lesson 04 should wire its clients to the server");
}

void TestStage::theStageFollowsTheAction()
{
    // Zoomed in for the back row at 1280x720, lesson 09's five hosts fit the stage until its
    // crowd of clients arrives; then they need more than a screen: each step brings the card
    // it acted on into view, without the student scrolling.
    Workbench bench;
    MainWindow window(bench);
    window.setZoom(1.6);
    QVERIFY(window.openLesson(QStringLiteral("09")));
    window.session().presenter().setSpeed(0);
    window.resize(1280, 720);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto& runner = window.session().runner();
    StageWidget* stage = window.stage();
    // Its title and state (the top of the card) are on screen, not a sliver of its edge.
    const auto inView = [&](SocketCard* card) {
        const QPoint top = card->mapTo(stage->viewport(), QPoint(0, 0));
        return stage->viewport()->rect().contains(QRect(top, QSize(card->width(), 40)));
    };
    QTRY_VERIFY_WITH_TIMEOUT(runner.mode() == program::Runner::Mode::Idle, kWaitMs);
    bool scrolled = false;
    for (int step = 0; step < 200 && !runner.atEnd(); ++step) {
        runner.step();
        QTRY_VERIFY_WITH_TIMEOUT(runner.mode() == program::Runner::Mode::Idle ||
                                     runner.mode() == program::Runner::Mode::Finished,
                                 kWaitMs);
        window.session().presenter().catchUp();
        // The stage follows whatever acted last. That is the step's own call - unless a call
        // of another actor ended after it: third's connect() times out after 0.5 s, at a
        // moment the machine's load decides, and its close() follows at once.
        const auto lastActed = [&](quint64 after, SocketId other) -> SocketCard* {
            const QList<Event> events = bench.trace().events();
            for (auto e = events.crbegin(); e != events.crend() && e->seq > after; ++e)
                if (e->kind != EventKind::Observation && e->socket.isValid() &&
                    e->socket != other && stage->card(e->socket))
                    return stage->card(e->socket);
            return nullptr;
        };
        const program::StepRecord last = runner.steps().back();
        for (const CallId call : last.calls)
            for (const Event& e : bench.trace().events())
                if (e.call == call && e.socket.isValid() && stage->card(e.socket)) {
                    SocketCard* card = stage->card(e.socket);
                    QTRY_VERIFY2_WITH_TIMEOUT(inView(card) || lastActed(e.seq, e.socket),
                                              qPrintable(last.source), kWaitMs);
                }
        QTRY_VERIFY2_WITH_TIMEOUT(!lastActed(0, {}) || inView(lastActed(0, {})),
                                  qPrintable(last.source), kWaitMs);
        scrolled = scrolled || stage->verticalScrollBar()->value() > 0;
    }
    QVERIFY2(scrolled, "the stage never needed to scroll: the test shows nothing");
}

void TestStage::cardsTakeBackTheirDetailWhenThereIsRoom()
{
    // A dozen sockets crowd one host at 1280x720: the cards give up their buttons, then rows,
    // to stay in view. Given a bigger screen they take them back, and shrunk again they give
    // them up again: the stage always settles where a stage opened at that size with the
    // same sockets does, whichever way it came there.
    const auto level = [](Fixture& f) {
        const QList<SocketCard*> cards = f.window.stage()->findChildren<SocketCard*>();
        return cards.isEmpty()
                   ? std::pair{-1, 0.0}
                   : std::pair{int(cards.first()->detail()), cards.first()->font().pointSizeF()};
    };
    const auto fuller = [](std::pair<int, double> a, std::pair<int, double> b) {
        return a.first < b.first || (a.first == b.first && a.second > b.second);
    };
    // Every card on the stage and the stage fitted to them: under load, a level read while
    // the last sockets still arrive is one the stage passes through, not where it settles.
    const auto settled = [](Fixture& f) {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        return f.window.stage()->findChildren<SocketCard*>().size() == 12 &&
               !f.window.stage()->isSettling();
    };
    const auto crowd = [&settled](Fixture& f, QSize size) {
        f.window.resize(size);
        for (int i = 0; i < 12; ++i)
            if (!newSocket(f.window, QStringLiteral("you"), QStringLiteral("TCP over IPv4")))
                return false;
        return QTest::qWaitFor([&] { return settled(f); }, kWaitMs);
    };
    const QSize small(1280, 720);
    const QSize large(1920, 1080);
    Fixture grown;
    QVERIFY(QTest::qWaitForWindowExposed(&grown.window));
    QVERIFY(crowd(grown, small));
    QTRY_VERIFY_WITH_TIMEOUT(level(grown).first > int(SocketCard::Detail::Full), kWaitMs);
    Fixture fresh;
    QVERIFY(QTest::qWaitForWindowExposed(&fresh.window));
    QVERIFY(crowd(fresh, small));
    QTRY_COMPARE_WITH_TIMEOUT(level(grown), level(fresh), kWaitMs);
    QVERIFY(settled(grown) && settled(fresh));
    const auto atSmall = level(fresh);

    fresh.window.resize(large);
    grown.window.resize(large);
    QTRY_VERIFY_WITH_TIMEOUT(fuller(level(fresh), atSmall), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(level(grown), level(fresh), kWaitMs);
    Fixture opened;
    QVERIFY(QTest::qWaitForWindowExposed(&opened.window));
    QVERIFY(crowd(opened, large));
    QTRY_COMPARE_WITH_TIMEOUT(level(opened), level(grown), kWaitMs);

    grown.window.resize(small);
    QTRY_COMPARE_WITH_TIMEOUT(level(grown), atSmall, kWaitMs);
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

QTEST_MAIN(TestStage)
#include "tst_stage.moc"
