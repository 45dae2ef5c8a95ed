// Peers and the outside world on the stage: a program outside the workbench at the other
// end of a connection is a host of its own, and the built-in peers are hosts too.

#include "lesson/lessonpeers.h"
#include "outsideclient.h"
#include "presentation/stagemodel.h"
#include "services/peer.h"
#include "testsupport.h"
#include "uisupport.h"

#include <QStatusBar>

#include <atomic>

using namespace sockbench;
using namespace sockbench::test;
using namespace sockbench::uitest;

namespace {

void applyAll(const Workbench& bench, StageModel& model)
{
    for (const Event& event : bench.trace().events(model.lastSeq() + 1))
        model.apply(event);
}

Endpoint localOf(int fd)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    return Endpoint::fromSockaddr(reinterpret_cast<sockaddr*>(&address), length)
        .value_or(Endpoint());
}

QStringList outsideHosts(const StageModel& model)
{
    QStringList out;
    for (const QString& actor : model.actors())
        if (isOutsideHost(actor))
            out << actor;
    return out;
}

SocketId outsideEnd(const StageModel& model)
{
    for (const SocketId id : model.sockets())
        if (model.socket(id)->outside)
            return id;
    return {};
}

} // namespace

class PeerStageTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void outsideClientIsAHostOfItsOwn();
    void outsideServerIsAHostOfItsOwn();
    void workbenchPairsHaveNoOutsideEnd();
    void lessonPeerIsAHostOnTheStage();
    void peersMenuStartsAPeer();
};

void PeerStageTest::initTestCase()
{
    startWindowTest("tst_peerstage");
}

void PeerStageTest::outsideClientIsAHostOfItsOwn()
{
    Workbench bench;
    StageModel model;
    QSignalSpy bytes(&model, &StageModel::bytesSent);
    const SocketId listener = makeSocket(bench);
    EXPECT_OK(RUN(bench, listener, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    EXPECT_OK(RUN(bench, listener, calls::listen(1)));
    const Endpoint at = RUN(bench, listener, calls::getsockname()).result.address;
    OutsideClient client;
    QVERIFY(client.connectTo(at));
    const Endpoint clientEnd = localOf(client.fd());
    const Event accepted = RUN(bench, listener, calls::accept());
    EXPECT_OK(accepted);
    const SocketId conn = accepted.result.newSocket;
    QVERIFY(client.sendAll("from outside"));
    EXPECT_OK(RUN(bench, conn, calls::recv(100)));
    applyAll(bench, model);

    QCOMPARE(outsideHosts(model), QStringList{outsideHostName(clientEnd)});
    QCOMPARE(outsideHostName(clientEnd),
             QStringLiteral("outside 127.0.0.1:%1").arg(clientEnd.port()));
    const SocketId end = outsideEnd(model);
    QVERIFY(end.isValid());
    QCOMPARE(model.peerOf(conn), end);
    QCOMPARE(model.peerOf(end), conn);
    QCOMPARE(model.socket(end)->local, clientEnd);
    QCOMPARE(roleName(*model.socket(end)), QStringLiteral("outside end"));
    QCOMPARE(roleName(*model.socket(conn)), QStringLiteral("conn from :%1").arg(clientEnd.port()));
    QCOMPARE(roleName(*model.socket(listener)), QStringLiteral("listener"));
    // The bytes that arrived came from the outside end, along the wire.
    QCOMPARE(bytes.count(), 1);
    QCOMPARE(bytes.first().at(0).value<SocketId>(), end);
    QCOMPARE(bytes.first().at(1).value<SocketId>(), conn);
    EXPECT_OK(RUN(bench, conn, calls::sendAll("back")));
    applyAll(bench, model);
    QCOMPARE(bytes.last().at(0).value<SocketId>(), conn);
    QCOMPARE(bytes.last().at(1).value<SocketId>(), end);
    QCOMPARE(client.receive(4), QByteArray("back"));
    EXPECT_OK(RUN(bench, conn, calls::close()));
    applyAll(bench, model);
    QCOMPARE(model.socket(end)->state, TeachingState::Closed);
}

void PeerStageTest::outsideServerIsAHostOfItsOwn()
{
    // A real server in another program; here, a plain listening socket of this process.
    const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_storage address{};
    const socklen_t length = Endpoint::inet4(0x7f000001, 0).toSockaddr(address);
    QCOMPARE(::bind(server, reinterpret_cast<sockaddr*>(&address), length), 0);
    QCOMPARE(::listen(server, 1), 0);
    const Endpoint at = localOf(server);
    Workbench bench;
    StageModel model;
    const SocketId client = makeSocket(bench);
    EXPECT_OK(RUN(bench, client, calls::connect(QStringLiteral("127.0.0.1"), at.port())));
    applyAll(bench, model);
    ::close(server);
    QCOMPARE(outsideHosts(model), QStringList{QStringLiteral("outside %1").arg(at.toString())});
    QCOMPARE(model.peerOf(client), outsideEnd(model));
}

void PeerStageTest::workbenchPairsHaveNoOutsideEnd()
{
    // connect() before accept(): the usual order.
    {
        Workbench bench;
        StageModel model;
        const Connected pair = connectedPair(bench);
        QVERIFY(pair.server.isValid());
        applyAll(bench, model);
        QVERIFY(outsideHosts(model).isEmpty());
        QCOMPARE(model.peerOf(pair.client), pair.server);
    }
    // accept() waiting first: its result may reach the trace before connect()'s does.
    for (int round = 0; round < 20; ++round) {
        Workbench bench;
        StageModel model;
        const SocketId listener = makeSocket(bench);
        EXPECT_OK(RUN(bench, listener, calls::bind(QStringLiteral("127.0.0.1"), 0)));
        EXPECT_OK(RUN(bench, listener, calls::listen(1)));
        const quint16 port = RUN(bench, listener, calls::getsockname()).result.address.port();
        const SocketId client = makeSocket(bench);
        applyAll(bench, model);
        // Counted in the completions: callFinished comes from the workers' threads.
        std::atomic<int> finished{0};
        auto done = [&finished](const Event&) { ++finished; };
        bench.submit(listener, calls::accept(), QStringLiteral("server"), done);
        bench.submit(client, calls::connect(QStringLiteral("127.0.0.1"), port),
                     QStringLiteral("client"), done);
        QVERIFY(waitUntil([&] { return finished.load() >= 2; }));
        // Apply them one by one, as the presenter would, looking after each.
        for (const Event& event : bench.trace().events(model.lastSeq() + 1)) {
            model.apply(event);
            QVERIFY2(outsideHosts(model).isEmpty(), qPrintable(outsideHosts(model).join(',')));
        }
    }
}

void PeerStageTest::lessonPeerIsAHostOnTheStage()
{
    Workbench bench;
    MainWindow window(bench);
    QVERIFY(showLesson(window, QStringLiteral("22")));
    auto& runner = window.session().runner();
    // The peer listens before the first statement, and it is on the stage already.
    QTRY_VERIFY_WITH_TIMEOUT(window.stage()->host(QStringLiteral("web")) &&
                                 !window.stage()->host(QStringLiteral("web"))->cards().isEmpty(),
                             kWaitMs);
    runner.setStopAtPauses(false);
    runner.setPlayInterval(0);
    runner.play();
    QTRY_VERIFY_WITH_TIMEOUT(runner.isFinished(), kWaitMs);
    QCOMPARE(runner.failures(), 0);
    // The connection the peer accepted is a card on its host, wired to the client's.
    QTRY_VERIFY_WITH_TIMEOUT(window.stage()->host(QStringLiteral("web"))->cards().size() >= 2,
                             kWaitMs);
    QVERIFY(outsideHosts(window.session().model()).isEmpty());
    // No script variable names the peer's sockets: their roles do, never a bare number.
    QStringList titles;
    for (SocketCard* card : window.stage()->host(QStringLiteral("web"))->cards())
        titles << card->title();
    QVERIFY2(titles.first().startsWith(QStringLiteral("listener ·")), qPrintable(titles.join('|')));
    for (const QString& title : titles.mid(1))
        QVERIFY2(title.startsWith(QStringLiteral("conn from :")), qPrintable(titles.join('|')));
    // The ladder's lifelines, the event log and the inspector name them alike.
    for (SocketCard* card : window.stage()->host(QStringLiteral("web"))->cards())
        QVERIFY2(card->title().startsWith(window.session().timeline().socketName(card->socketId()) +
                                          " ·"),
                 qPrintable(card->title()));
    // Reset: the peer starts afresh, and the stage shows it again.
    window.resetAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(runner.mode() == program::Runner::Mode::Idle, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(window.stage()->host(QStringLiteral("web")) &&
                                 window.stage()->host(QStringLiteral("web"))->cards().size() == 1,
                             kWaitMs);
}

void PeerStageTest::peersMenuStartsAPeer()
{
    Workbench bench;
    MainWindow window(bench);
    QVERIFY(window.openLesson(QStringLiteral("1")));
    window.session().presenter().setSpeed(0);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QStringList offered;
    for (QAction* action : window.findChildren<QAction*>())
        if (action->objectName().startsWith(QLatin1String("startPeer_"))) {
            offered << action->objectName().mid(10);
            QVERIFY(!action->toolTip().isEmpty());
        }
    offered.sort();
    QCOMPARE(offered, QStringList({QStringLiteral("course-web"), QStringLiteral("daytime"),
                                   QStringLiteral("echo"), QStringLiteral("patient-receiver"),
                                   QStringLiteral("udp-echo")}));
    // Once the lesson stands at its first line (its reset over), as a person would click.
    QTRY_VERIFY_WITH_TIMEOUT(window.stepAction()->isEnabled(), kWaitMs);
    window.findChild<QAction*>(QStringLiteral("startPeer_echo"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(window.stage()->host(QStringLiteral("echo")), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(
        window.statusBar()->currentMessage().contains(QLatin1String("listens on")), kWaitMs);
    services::Peer* echo = window.session().runner().peers().peer(QStringLiteral("echo"));
    QVERIFY(echo && echo->isListening());
    // A real program outside connects to it and is served.
    OutsideClient client;
    QVERIFY(client.connectTo(echo->address()));
    QVERIFY(client.sendAll("ping"));
    QCOMPARE(client.receive(4), QByteArray("ping"));
    // The lesson's reset stops it.
    const QList<SocketId> sockets = echo->sockets();
    window.resetAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(std::none_of(sockets.begin(), sockets.end(),
                                          [&](SocketId id) { return bench.socket(id)->open; }),
                             kWaitMs);
}

QTEST_MAIN(PeerStageTest)
#include "tst_peerstage.moc"
