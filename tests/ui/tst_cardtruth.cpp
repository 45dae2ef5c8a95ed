// A card at the projector tells one story: its badge, the kernel's state and its last
// call agree at every moment (free play, refused and broken connections, AF_UNIX), a
// connection the kernel keeps after close() stays wired, and cards of one name are told
// apart.

#include "windowdriver.h"

#include "hostwidget.h"
#include "stagewidget.h"
#include "wireoverlay.h"

#include <QLabel>

using namespace sockbench;
using namespace sockbench::uitest;

class TestCardTruth : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void aCardNeverStatesTwoThingsAtOnce();
    void aUnixConnectionsEndSeesItsPeerFinish();
    void aConnectionTheKernelKeepsAfterCloseStaysWired();
    void socketsThatShareANameAreNumbered();
};

void TestCardTruth::initTestCase()
{
    startWindowTest("tst_cardtruth");
}

void TestCardTruth::aCardNeverStatesTwoThingsAtOnce()
{
    // Free play, by clicks: a connection whose peer goes away (EPIPE), a connect() refused
    // (ECONNREFUSED), and close(). At each end the badge, the kernel's state and the last
    // call tell one story.
    Workbench bench;
    MainWindow window(bench);
    window.resize(1600, 900);
    window.session().presenter().setSpeed(0);
    window.session().startExperiment();
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QString host = QStringLiteral("you");
    auto& runner = window.session().runner();
    const auto ran = [&](int before) {
        return runner.stepCount() > before && runner.mode() == program::Runner::Mode::Idle;
    };
    const auto address = [](quint16 port) {
        return [port](CallForm* form) {
            setText(form, QStringLiteral("host"), QStringLiteral("127.0.0.1"));
            setText(form, QStringLiteral("port"), QString::number(port));
        };
    };
    SocketCard* server = newSocket(window, host, QStringLiteral("TCP over IPv4"));
    SocketCard* client = newSocket(window, host, QStringLiteral("TCP over IPv4"));
    QVERIFY(server && client);
    QVERIFY(click(server, CallKind::Bind, address(0)));
    QTRY_COMPARE_WITH_TIMEOUT(server->stateText(), QStringLiteral("bound"), kWaitMs);
    const quint16 port = window.session().model().socket(server->socketId())->local.port();
    QVERIFY(click(server, CallKind::Listen));
    QTRY_COMPARE_WITH_TIMEOUT(server->stateText(), QStringLiteral("listening"), kWaitMs);
    QVERIFY(click(client, CallKind::Connect, address(port)));
    QTRY_COMPARE_WITH_TIMEOUT(client->stateText(), QStringLiteral("connected"), kWaitMs);
    int before = runner.stepCount();
    QVERIFY(click(server, CallKind::Accept));
    QTRY_VERIFY_WITH_TIMEOUT(ran(before), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(window.stage()->findChildren<SocketCard*>().size(), 3, kWaitMs);
    SocketCard* conn = nullptr;
    for (SocketCard* card : window.stage()->findChildren<SocketCard*>())
        if (card != server && card != client)
            conn = card;
    QVERIFY(conn);
    before = runner.stepCount();
    QVERIFY(click(conn, CallKind::Close));
    QTRY_VERIFY_WITH_TIMEOUT(ran(before), kWaitMs);
    // The peer's FIN has arrived: not "connected" beside the kernel's CLOSE_WAIT.
    QTRY_COMPARE_WITH_TIMEOUT(client->kernelStateText(), QStringLiteral("CLOSE_WAIT"), kWaitMs);
    QCOMPARE(client->stateText(), QStringLiteral("peer finished"));

    // The peer has gone: the client's sends go on until the kernel says EPIPE (the first
    // may be taken, and answered with a reset). How many it takes is the kernel's.
    for (int i = 0; i < 8 && !client->lastResultText().contains(QStringLiteral("EPIPE")); ++i) {
        before = runner.stepCount();
        QString offered;
        QVERIFY(click(client, CallKind::Send, [&offered](CallForm* form) {
            offered = qobject_cast<QLineEdit*>(form->field(QStringLiteral("payload")))->text();
            setText(form, QStringLiteral("payload"), QStringLiteral("x"));
        }));
        // The send form offers the data sent last, not its default again.
        if (i > 0)
            QCOMPARE(offered, QStringLiteral("x"));
        QTRY_VERIFY_WITH_TIMEOUT(ran(before), kWaitMs);
    }
    QVERIFY2(client->lastResultText().contains(QStringLiteral("EPIPE")),
             qPrintable(client->lastResultText()));
    QTRY_COMPARE_WITH_TIMEOUT(client->kernelStateText(), QStringLiteral("CLOSE"), kWaitMs);
    QCOMPARE(client->stateText(), QStringLiteral("broken")); // not "connected"

    // Refused: the listener is closed, and a fresh client's connect() gets ECONNREFUSED.
    before = runner.stepCount();
    QVERIFY(click(server, CallKind::Close));
    QTRY_VERIFY_WITH_TIMEOUT(ran(before), kWaitMs);
    SocketCard* late = newSocket(window, host, QStringLiteral("TCP over IPv4"));
    QVERIFY(late);
    before = runner.stepCount();
    QVERIFY(click(late, CallKind::Connect, address(port)));
    QTRY_VERIFY_WITH_TIMEOUT(ran(before), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(late->lastResultText().contains(QStringLiteral("ECONNREFUSED")),
                             kWaitMs);
    QCOMPARE(late->stateText(), QStringLiteral("created"));
    QTRY_COMPARE_WITH_TIMEOUT(late->kernelStateText(), QStringLiteral("CLOSE"), kWaitMs);

    // close(): closed, whatever the kernel still keeps.
    before = runner.stepCount();
    QVERIFY(click(client, CallKind::Close));
    QTRY_VERIFY_WITH_TIMEOUT(ran(before), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(client->stateText(), QStringLiteral("closed"), kWaitMs);
}

void TestCardTruth::aUnixConnectionsEndSeesItsPeerFinish()
{
    // Lesson 18: the client closes, and the server's conn is about to read b''. Over TCP
    // its card says "peer finished" (CLOSE_WAIT); over AF_UNIX it said "connected".
    Workbench bench;
    MainWindow window(bench);
    QVERIFY(showLesson(window, QStringLiteral("unix-domain"), QSize(1280, 720)));
    auto& runner = window.session().runner();
    QVERIFY(stepUntil(
        runner,
        [&] {
            return !runner.steps().empty() &&
                   runner.steps().back().source == QLatin1String("client.close()");
        },
        40));
    SocketCard* conn = nullptr;
    for (SocketCard* card : window.stage()->findChildren<SocketCard*>())
        if (card->title().startsWith(QLatin1String("conn ")))
            conn = card;
    QVERIFY(conn);
    QTRY_COMPARE_WITH_TIMEOUT(conn->stateText(), QStringLiteral("peer finished"), kWaitMs);
}

void TestCardTruth::aConnectionTheKernelKeepsAfterCloseStaysWired()
{
    // Lesson 08: the server's conn closes first. Its card says "closed" and its kernel
    // FIN_WAIT2, the client's "peer finished" and CLOSE_WAIT: the kernel still holds the
    // connection, and a wire (the kernel's, drawn apart) still joins the two ends. Without
    // it, the client's peer address pointed at nothing on the stage.
    Workbench bench;
    MainWindow window(bench);
    QVERIFY(showLesson(window, QStringLiteral("reuseaddr-and-time-wait"), QSize(1280, 720)));
    auto& runner = window.session().runner();
    QVERIFY(stepUntil(
        runner,
        [&] {
            return !runner.steps().empty() &&
                   runner.steps().back().source == QLatin1String("server.close()");
        },
        40));
    SocketCard* conn = nullptr;
    SocketCard* client = nullptr;
    for (SocketCard* card : window.stage()->findChildren<SocketCard*>()) {
        if (card->title().startsWith(QLatin1String("conn ")))
            conn = card;
        if (card->title().startsWith(QLatin1String("client ")))
            client = card;
    }
    QVERIFY(conn && client);
    QTRY_COMPARE_WITH_TIMEOUT(client->kernelStateText(), QStringLiteral("CLOSE_WAIT"), kWaitMs);
    auto* overlay = window.stage()->findChild<WireOverlay*>();
    QVERIFY(overlay);
    const auto joined = [&] {
        return std::any_of(overlay->wires().cbegin(), overlay->wires().cend(), [&](const auto& w) {
            return w.lingering && ((w.a == client->socketId() && w.b == conn->socketId()) ||
                                   (w.b == client->socketId() && w.a == conn->socketId()));
        });
    };
    QTRY_VERIFY_WITH_TIMEOUT(joined(), kWaitMs);
    // The client reads b'' and closes: the connection is gone, and so is the wire.
    QVERIFY(stepUntil(
        runner,
        [&] {
            return !runner.steps().empty() &&
                   runner.steps().back().source == QLatin1String("client.close()");
        },
        10));
    QTRY_VERIFY_WITH_TIMEOUT(!joined(), kWaitMs);
}

void TestCardTruth::socketsThatShareANameAreNumbered()
{
    // Lesson 04's server accepts three clients into one variable, conn: three cards with
    // one title could not be told apart. They are conn #1, #2 and #3, in the order made.
    Workbench bench;
    MainWindow window(bench);
    QVERIFY(showLesson(window, QStringLiteral("many-clients"), QSize(1280, 720)));
    auto& runner = window.session().runner();
    const auto conns = [&] {
        QList<SocketCard*> found;
        for (SocketCard* card : window.stage()->findChildren<SocketCard*>())
            if (card->title().startsWith(QLatin1String("conn")))
                found << card;
        std::sort(found.begin(), found.end(), [](SocketCard* a, SocketCard* b) {
            return a->socketId().value < b->socketId().value;
        });
        return found;
    };
    QVERIFY(stepUntil(
        runner, [&] { return conns().size() == 3; }, 80));
    QTRY_VERIFY_WITH_TIMEOUT(!window.stage()->isSettling(), kWaitMs);
    const QList<SocketCard*> three = conns();
    for (int i = 0; i < 3; ++i)
        QVERIFY2(three[i]->title().startsWith(QStringLiteral("conn #%1 ").arg(i + 1)),
                 qPrintable(three[i]->title()));
    // A name held by one socket stays plain.
    for (SocketCard* card : window.stage()->findChildren<SocketCard*>())
        if (card->title().startsWith(QLatin1String("server ")))
            QVERIFY(!card->title().contains(QLatin1Char('#')));
}

QTEST_MAIN(TestCardTruth)
#include "tst_cardtruth.moc"
