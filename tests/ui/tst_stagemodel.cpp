// The stage model from real events: what a card is told about a socket after close().

#include "presentation/stagemodel.h"
#include "testsupport.h"

#include <QtTest>

using namespace sockbench;
using namespace sockbench::test;

class TestStageModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void closeReleasesWhatNoConnectionKeeps();
    void acceptedSocketShowsItsKernelState();
    void aSocketPairIsTwoConnectedEnds();
    void peersInOnePassAreWhatPeerOfSaysOfEach();
    void aRefusedConnectKeepsThePortTheKernelChose();
    void aConnectionWaitsInTheQueueUntilAccepted();
    void aClientClosedInTheQueueStillWaitsThere();
    void manyAcceptedSocketsEachKeepTheirListener();
};

namespace {

// A second client of c's listener, connected and waiting in its accept queue (the kernel
// counts it); invalid if it could not be made so.
SocketId queuedClient(Workbench& bench, const Connected& c)
{
    const SocketId client = makeSocket(bench);
    if (!RUN(bench, client, calls::connect(QStringLiteral("127.0.0.1"), c.listenAddress.port()))
             .result.ok())
        return {};
    if (!QTest::qWaitFor(
            [&] { return RUN(bench, c.listener, calls::getsockname()).kernel.acceptQueue == 1; }))
        return {};
    return client;
}

// The events the model has not seen yet.
void applyNew(StageModel& model, const Workbench& bench)
{
    for (const Event& e : bench.trace().events())
        if (e.seq > model.lastSeq())
            model.apply(e);
}

} // namespace

void TestStageModel::closeReleasesWhatNoConnectionKeeps()
{
    Workbench bench;
    StageModel model;
    const Connected c = connectedPair(bench);
    QVERIFY(c.client.isValid());
    // A second client waits in the listener's queue when the listener closes.
    const SocketId waiting = queuedClient(bench, c);
    QVERIFY(waiting.isValid());
    EXPECT_OK(RUN(bench, c.listener, calls::close()));
    EXPECT_OK(RUN(bench, c.client, calls::close()));
    for (const Event& e : bench.trace().events())
        model.apply(e);

    // The listener is gone, and its queue with it: no LISTEN, no "1 / 128" left behind.
    const SocketView* listener = model.socket(c.listener);
    QVERIFY(listener);
    QCOMPARE(listener->state, TeachingState::Closed);
    QVERIFY(!listener->kernel.valid || listener->kernel.tcpState != TcpState::Listen);
    QVERIFY(listener->kernel.acceptQueue < 0);
    // A closed connection lives on in the kernel (FIN_WAIT, TIME_WAIT): its state stays
    // known, and observations go on updating it.
    const SocketView* client = model.socket(c.client);
    QVERIFY(client);
    QCOMPARE(client->state, TeachingState::Closed);
    QVERIFY(client->kernel.valid);
    QVERIFY(client->kernel.tcpState != TcpState::None);
}

void TestStageModel::acceptedSocketShowsItsKernelState()
{
    // accept() makes a socket nobody has called yet: its card still shows what the kernel
    // says of it (ESTABLISHED, empty queues) from the moment it appears.
    Workbench bench;
    StageModel model;
    const Connected c = connectedPair(bench);
    QVERIFY(c.server.isValid());
    for (const Event& e : bench.trace().events())
        model.apply(e);
    const SocketView* accepted = model.socket(c.server);
    QVERIFY(accepted);
    QVERIFY(accepted->kernel.valid);
    QCOMPARE(accepted->kernel.tcpState, TcpState::Established);
    QCOMPARE(accepted->kernel.recvQueue, 0);
}

void TestStageModel::aSocketPairIsTwoConnectedEnds()
{
    // socketpair() makes two sockets joined from the start, with no address to match them
    // by: both are on the stage, connected, each the other's peer, and bytes go between them.
    Workbench bench;
    StageModel model;
    const Event made =
        RUN(bench, SocketId{}, calls::socketpair(AddressFamily::Unix, SocketType::Stream, 0));
    QVERIFY(made.result.ok());
    const SocketId a = made.result.newSocket, b = made.result.pairedSocket;
    QVERIFY(a.isValid() && b.isValid());
    QVERIFY(RUN(bench, a, calls::sendAll("hi")).result.ok());
    QSignalSpy bytes(&model, &StageModel::bytesSent);
    for (const Event& e : bench.trace().events())
        model.apply(e);
    QVERIFY(model.socket(a) && model.socket(b));
    QCOMPARE(model.socket(a)->state, TeachingState::Connected);
    QCOMPARE(model.socket(b)->state, TeachingState::Connected);
    QCOMPARE(model.peerOf(a), b);
    QCOMPARE(model.peerOf(b), a);
    QCOMPARE(bytes.size(), 1);
    QCOMPARE(bytes.at(0).at(1).value<SocketId>(), b);
}

void TestStageModel::peersInOnePassAreWhatPeerOfSaysOfEach()
{
    // The wires of a crowded stage come from peers(), one pass over the sockets. It names
    // the same peer peerOf() names for each socket: TCP over IPv4 and IPv6, an IPv4 client
    // seen as ::ffff:127.0.0.1 by a dual-stack listener, a socketpair, a connected UDP
    // socket and the one it is connected to, a listener, and a closed connection.
    Workbench bench;
    StageModel model;
    const Connected v4 = connectedPair(bench);
    const Connected v6 = connectedPair(bench, AddressFamily::Inet6);
    QVERIFY(v4.server.isValid() && v6.server.isValid());
    const SocketId dual = makeSocket(bench, AddressFamily::Inet6);
    EXPECT_OK(RUN(bench, dual, calls::bind(QStringLiteral("::"), 0)));
    EXPECT_OK(RUN(bench, dual, calls::listen(1)));
    const quint16 dualPort = RUN(bench, dual, calls::getsockname()).result.address.port();
    const SocketId mappedClient = makeSocket(bench);
    EXPECT_OK(RUN(bench, mappedClient, calls::connect(QStringLiteral("127.0.0.1"), dualPort)));
    const SocketId mappedServer = RUN(bench, dual, calls::accept()).result.newSocket;
    QVERIFY(mappedServer.isValid());
    const Event pair =
        RUN(bench, SocketId{}, calls::socketpair(AddressFamily::Unix, SocketType::Stream, 0));
    QVERIFY(pair.result.ok());
    const SocketId udpA = makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
    const SocketId udpB = makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
    EXPECT_OK(RUN(bench, udpB, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    const quint16 udpPort = RUN(bench, udpB, calls::getsockname()).result.address.port();
    EXPECT_OK(RUN(bench, udpA, calls::connect(QStringLiteral("127.0.0.1"), udpPort)));
    const Connected closed = connectedPair(bench);
    QVERIFY(closed.client.isValid());
    EXPECT_OK(RUN(bench, closed.client, calls::close()));
    for (const Event& e : bench.trace().events())
        model.apply(e);

    const QHash<SocketId, SocketId> peers = model.peers();
    int named = 0;
    for (const SocketId id : model.sockets()) {
        QCOMPARE(peers.value(id), model.peerOf(id));
        named += peers.contains(id) ? 1 : 0;
    }
    // Both ends of the three TCP connections and of the pair, and the connected UDP socket.
    QCOMPARE(peers.value(mappedServer), mappedClient);
    QCOMPARE(peers.value(mappedClient), mappedServer);
    QCOMPARE(peers.value(v6.client), v6.server);
    QCOMPARE(peers.value(udpA), udpB);
    QVERIFY2(named >= 9, qPrintable(QString::number(named)));
}

void TestStageModel::aRefusedConnectKeepsThePortTheKernelChose()
{
    // Lesson 10: connect() to a port bound but not listening is refused, and the socket
    // keeps the ephemeral port the kernel gave it for the attempt. The card shows what
    // getsockname() says, labelled as the kernel's choice like any other ephemeral port.
    Workbench bench;
    StageModel model;
    const SocketId deaf = makeSocket(bench);
    EXPECT_OK(RUN(bench, deaf, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    const quint16 port = RUN(bench, deaf, calls::getsockname()).localAddress.port();
    const SocketId refused = makeSocket(bench);
    const Event connect = RUN(bench, refused, calls::connect(QStringLiteral("127.0.0.1"), port));
    QCOMPARE(connect.result.errorNumber, ECONNREFUSED);
    const Endpoint kernelSays = RUN(bench, refused, calls::getsockname()).localAddress;
    for (const Event& e : bench.trace().events())
        model.apply(e);
    const SocketView* view = model.socket(refused);
    QVERIFY(view);
    QCOMPARE(view->state, TeachingState::Created);
    QCOMPARE(view->local, kernelSays);
    if (kernelSays.port() != 0)
        QVERIFY(view->localChosenByKernel);
    QVERIFY(model.socket(deaf)->localChosenByKernel); // bind() to port 0
}

void TestStageModel::aConnectionWaitsInTheQueueUntilAccepted()
{
    // Lessons 09, 14 and 29: a client whose handshake the kernel finished waits in the
    // listener's accept queue, drawn to it, until accept() takes it; then it is the
    // accepted socket's peer, and no longer waiting. The kernel's count agrees.
    Workbench bench;
    StageModel model;
    const Connected c = connectedPair(bench);
    QVERIFY(c.client.isValid());
    const SocketId waiting = queuedClient(bench, c);
    QVERIFY(waiting.isValid());
    for (const Event& e : bench.trace().events())
        model.apply(e);
    QCOMPARE(model.waitingInQueues(), (QHash<SocketId, SocketId>{{waiting, c.listener}}));
    QCOMPARE(model.peers().value(c.client), c.server); // accepted: a connection, not waiting

    const Event taken = RUN(bench, c.listener, calls::accept());
    QVERIFY(taken.result.ok());
    applyNew(model, bench);
    QVERIFY(model.waitingInQueues().isEmpty());
    QCOMPARE(model.peers().value(waiting), taken.result.newSocket);

    // The accepted end closing leaves the client connected to no one: not waiting either.
    EXPECT_OK(RUN(bench, taken.result.newSocket, calls::close()));
    applyNew(model, bench);
    QVERIFY(model.waitingInQueues().isEmpty());

    // A listener closes and another takes its port (SO_REUSEADDR): the connection the first
    // accepted is still no one's queue; a new client waits in the new one's.
    Workbench second;
    StageModel again;
    const SocketId first = makeSocket(second);
    EXPECT_OK(RUN(second, first, calls::setsockopt(SocketOption::ReuseAddr, 1)));
    EXPECT_OK(RUN(second, first, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    EXPECT_OK(RUN(second, first, calls::listen(5)));
    const quint16 port = RUN(second, first, calls::getsockname()).localAddress.port();
    const SocketId early = makeSocket(second);
    EXPECT_OK(RUN(second, early, calls::connect(QStringLiteral("127.0.0.1"), port)));
    QVERIFY(RUN(second, first, calls::accept()).result.ok());
    EXPECT_OK(RUN(second, first, calls::close()));
    const SocketId next = makeSocket(second);
    EXPECT_OK(RUN(second, next, calls::setsockopt(SocketOption::ReuseAddr, 1)));
    EXPECT_OK(RUN(second, next, calls::bind(QStringLiteral("127.0.0.1"), port)));
    EXPECT_OK(RUN(second, next, calls::listen(5)));
    const SocketId late = makeSocket(second);
    EXPECT_OK(RUN(second, late, calls::connect(QStringLiteral("127.0.0.1"), port)));
    for (const Event& e : second.trace().events())
        again.apply(e);
    QCOMPARE(again.waitingInQueues(), (QHash<SocketId, SocketId>{{late, next}}));
}

void TestStageModel::aClientClosedInTheQueueStillWaitsThere()
{
    // Lesson 09's end: six clients close while nobody accepts. Their connections still sit
    // in the listener's queue ("6, backlog 5"), each client end kept by its kernel in
    // FIN_WAIT: each is drawn to the queue, not left joined to nothing.
    Workbench bench;
    StageModel model;
    const Connected c = connectedPair(bench);
    QVERIFY(c.client.isValid());
    const SocketId waiting = queuedClient(bench, c);
    QVERIFY(waiting.isValid());
    EXPECT_OK(RUN(bench, waiting, calls::close()));
    for (const Event& e : bench.trace().events())
        model.apply(e);
    const SocketView* view = model.socket(waiting);
    QVERIFY(view && view->state == TeachingState::Closed);
    const TcpState k = view->kernel.tcpState;
    if (!view->kernel.valid ||
        (k != TcpState::FinWait1 && k != TcpState::FinWait2 && k != TcpState::Closing))
        QSKIP("this kernel let the closed client's end go at once");
    QCOMPARE(model.waitingInQueues(), (QHash<SocketId, SocketId>{{waiting, c.listener}}));
}

void TestStageModel::manyAcceptedSocketsEachKeepTheirListener()
{
    // Each accept() adds a socket to the model while the listener's own view is in hand;
    // the model's hash grows past several of its steps here (the sanitizer build sees a
    // view used after it moved). Every accepted socket keeps its listener, its port, and
    // the port's label: chosen by the kernel, as the listener's was (bind to port 0).
    Workbench bench;
    StageModel model;
    const SocketId listener = makeSocket(bench);
    EXPECT_OK(RUN(bench, listener, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    EXPECT_OK(RUN(bench, listener, calls::listen(200)));
    const quint16 port = RUN(bench, listener, calls::getsockname()).localAddress.port();
    QList<SocketId> accepted;
    for (int i = 0; i < 150; ++i) {
        const SocketId client = makeSocket(bench);
        EXPECT_OK(RUN(bench, client, calls::connect(QStringLiteral("127.0.0.1"), port)));
        const Event taken = RUN(bench, listener, calls::accept());
        QVERIFY(taken.result.ok());
        accepted << taken.result.newSocket;
    }
    for (const Event& e : bench.trace().events())
        model.apply(e);
    QVERIFY(model.socket(listener)->localChosenByKernel);
    const QHash<SocketId, SocketId> peers = model.peers();
    for (const SocketId id : std::as_const(accepted)) {
        const SocketView* view = model.socket(id);
        QVERIFY(view);
        QCOMPARE(view->acceptedFrom, listener);
        QCOMPARE(view->local.port(), port);
        QVERIFY(view->localChosenByKernel);
        QVERIFY(peers.value(id).isValid()); // its client
    }
}

QTEST_MAIN(TestStageModel)
#include "tst_stagemodel.moc"
