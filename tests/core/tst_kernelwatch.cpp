// The kernel's view, recorded in the trace: snapshots after every call, and observations
// when the kernel changes a socket without a call of ours (data arriving, the peer's FIN,
// a connection landing in a listener's accept queue, TIME_WAIT after close).

#include "pythonoracle.h"
#include "testsupport.h"

#include "engine/kernelwatcher.h"

using namespace sockbench;
using namespace sockbench::test;

namespace {

QList<Event> eventsOf(const Workbench& bench, SocketId socket, std::optional<EventKind> kind = {})
{
    QList<Event> out;
    for (const Event& e : bench.trace().events())
        if (e.socket == socket && (!kind || e.kind == *kind))
            out << e;
    return out;
}

// Whether the trace holds an observation (no call) of socket matching pred.
template <typename Pred> bool observed(const Workbench& bench, SocketId socket, Pred pred)
{
    for (const Event& e : eventsOf(bench, socket, EventKind::Observation))
        if (pred(e.kernel))
            return true;
    return false;
}

bool sawState(const Workbench& bench, SocketId socket, TcpState state)
{
    for (const Event& e : eventsOf(bench, socket))
        if (e.kernel.valid && e.kernel.tcpState == state)
            return true;
    return false;
}

QString statesOf(const Workbench& bench, SocketId socket)
{
    QStringList states;
    for (const Event& e : eventsOf(bench, socket))
        states << eventKindName(e.kind) + QLatin1Char(':') + tcpStateName(e.kernel.tcpState);
    return states.join(QStringLiteral(", "));
}

} // namespace

class TestKernelWatch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void statesAcrossConnectShutdownClose();
    void activeCloserIsFollowedIntoTimeWait();
    void acceptQueueCountsUpAndDown();
    void arrivingDataIsObservedWithoutACall();
    void udpQueueShowsTheNextDatagram();
    void unixSocketsHaveQueuesButNoTcpState();
    void observationsAreCoalescedDuringBulk();
};

void TestKernelWatch::statesAcrossConnectShutdownClose()
{
    Workbench bench;
    const SocketId listener = makeSocket(bench);
    QCOMPARE(RUN(bench, listener, calls::getsockname()).kernel.tcpState, TcpState::Close);
    EXPECT_OK(RUN(bench, listener, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    const Event listening = RUN(bench, listener, calls::listen(5));
    QCOMPARE(listening.kernel.tcpState, TcpState::Listen);
    QCOMPARE(listening.kernel.backlog, oracle::reportedBacklog(5));
    QCOMPARE(listening.kernel.acceptQueue, 0);
    const quint16 port = RUN(bench, listener, calls::getsockname()).result.address.port();

    const SocketId client = makeSocket(bench);
    const Event connected = RUN(bench, client, calls::connect(QStringLiteral("127.0.0.1"), port));
    QCOMPARE(connected.kernel.tcpState, TcpState::Established);
    const SocketId server = RUN(bench, listener, calls::accept()).result.newSocket;
    QCOMPARE(RUN(bench, server, calls::getsockname()).kernel.tcpState, TcpState::Established);

    // Half-close from the client: its FIN makes the server CLOSE_WAIT, with no call on
    // the server - the watcher sees it.
    EXPECT_OK(RUN(bench, client, calls::shutdown(1)));
    QVERIFY2(waitUntil([&] {
                 return observed(bench, server, [](const KernelSnapshot& k) {
                     return k.tcpState == TcpState::CloseWait;
                 });
             }),
             qPrintable(statesOf(bench, server)));
    QVERIFY2(waitUntil([&] { return sawState(bench, client, TcpState::FinWait2); }),
             qPrintable(statesOf(bench, client)));

    // The server closes: LAST_ACK until the client's ACK, then gone. The client, which
    // receives the FIN, goes to TIME_WAIT once it closes too.
    const Event serverClosed = RUN(bench, server, calls::close());
    EXPECT_OK(serverClosed);
    QVERIFY(serverClosed.peerAddress.isValid());
    QVERIFY(waitUntil([&] {
        const Event probe = RUN(bench, client, calls::getsockname());
        return probe.kernel.tcpState == TcpState::Close; // the open fd of a TIME_WAIT pair
    }));
    const Event clientClosed = RUN(bench, client, calls::close());
    QCOMPARE(clientClosed.kernel.tcpState, TcpState::TimeWait);
    QVERIFY(clientClosed.localAddress.port() != 0);
}

void TestKernelWatch::activeCloserIsFollowedIntoTimeWait()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    // The server closes first: FIN_WAIT1/2 while its descriptor is already gone.
    const Event closed = RUN(bench, c.server, calls::close());
    QVERIFY2(closed.kernel.tcpState == TcpState::FinWait1 ||
                 closed.kernel.tcpState == TcpState::FinWait2,
             qPrintable(tcpStateName(closed.kernel.tcpState)));
    // When the client closes as well, the watcher follows the server's side into
    // TIME_WAIT by its addresses.
    QCOMPARE(RUN(bench, c.client, calls::recv(10)).result.count, 0);
    EXPECT_OK(RUN(bench, c.client, calls::close()));
    QVERIFY2(waitUntil([&] {
                 return observed(bench, c.server, [](const KernelSnapshot& k) {
                     return k.tcpState == TcpState::TimeWait;
                 });
             }),
             qPrintable(statesOf(bench, c.server)));
}

void TestKernelWatch::acceptQueueCountsUpAndDown()
{
    Workbench bench;
    const SocketId listener = makeSocket(bench);
    EXPECT_OK(RUN(bench, listener, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    EXPECT_OK(RUN(bench, listener, calls::listen(5)));
    const quint16 port = RUN(bench, listener, calls::getsockname()).result.address.port();
    const int backlog = oracle::reportedBacklog(5);
    for (int i = 1; i <= 3; ++i) {
        const SocketId client = makeSocket(bench);
        EXPECT_OK(RUN(bench, client, calls::connect(QStringLiteral("127.0.0.1"), port)));
        // The kernel completed the handshake on its own; the connection waits in the
        // listener's queue, and the watcher records it without any call on the listener.
        QVERIFY2(waitUntil([&] {
                     return observed(bench, listener, [i, backlog](const KernelSnapshot& k) {
                         return k.acceptQueue == i && k.backlog == backlog;
                     });
                 }),
                 qPrintable(QStringLiteral("queue never showed %1").arg(i)));
    }
    for (int left = 2; left >= 0; --left) {
        const Event accepted = RUN(bench, listener, calls::accept());
        EXPECT_OK(accepted);
        QCOMPARE(accepted.kernel.acceptQueue, left);
    }
}

void TestKernelWatch::arrivingDataIsObservedWithoutACall()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    EXPECT_OK(RUN(bench, c.client, calls::sendAll("hello")));
    QVERIFY(waitUntil([&] {
        return observed(bench, c.server, [](const KernelSnapshot& k) { return k.recvQueue == 5; });
    }));
    const Event got = RUN(bench, c.server, calls::recv(1024));
    QCOMPARE(got.result.data, QByteArray("hello"));
    QCOMPARE(got.kernel.recvQueue, 0);
}

void TestKernelWatch::udpQueueShowsTheNextDatagram()
{
    Workbench bench;
    const SocketId a = makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
    const SocketId b = makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
    EXPECT_OK(RUN(bench, b, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    const quint16 port = RUN(bench, b, calls::getsockname()).result.address.port();
    EXPECT_OK(RUN(bench, a, calls::sendTo("12345", QStringLiteral("127.0.0.1"), port)));
    EXPECT_OK(RUN(bench, a, calls::sendTo("123", QStringLiteral("127.0.0.1"), port)));
    // For a datagram socket the kernel reports the size of the next datagram only.
    QVERIFY(waitUntil([&] { return RUN(bench, b, calls::getsockname()).kernel.recvQueue == 5; }));
    QCOMPARE(RUN(bench, b, calls::recv(100)).kernel.recvQueue, 3);
    QCOMPARE(RUN(bench, b, calls::getsockname()).kernel.tcpState, TcpState::None);
}

void TestKernelWatch::unixSocketsHaveQueuesButNoTcpState()
{
    Workbench bench;
    const QString name = QLatin1Char('\0') +
                         QStringLiteral("sockbench-kw-%1").arg(QCoreApplication::applicationPid());
    const Connected c = connectedPair(bench, AddressFamily::Unix, name);
    QVERIFY(c.server.isValid());
    EXPECT_OK(RUN(bench, c.client, calls::sendAll("abc")));
    QVERIFY(waitUntil(
        [&] { return RUN(bench, c.server, calls::getsockname()).kernel.recvQueue == 3; }));
    const Event e = RUN(bench, c.server, calls::recv(10));
    QCOMPARE(e.kernel.tcpState, TcpState::None);
    QCOMPARE(e.kernel.recvQueue, 0);
}

void TestKernelWatch::observationsAreCoalescedDuringBulk()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    const qint64 total = 32 * 1024 * 1024;
    bench.submit(c.client, calls::sendAll(QByteArray("b"), total), QStringLiteral("test"));
    qint64 got = 0;
    int recvCalls = 0;
    while (got < total) {
        const Event e = RUN(bench, c.server, calls::recv(64 * 1024));
        EXPECT_OK(e);
        got += e.result.count;
        ++recvCalls;
    }
    // However many segments arrived, one socket is looked at no more than once per
    // KernelWatcher::kMinInterval: n observations need n - 1 intervals. (Slack for the
    // time between deciding to look and the event landing in the trace.)
    const QList<Event> observations = eventsOf(bench, c.server, EventKind::Observation);
    if (observations.size() > 1) {
        const qint64 span = observations.last().timeNs - observations.first().timeNs;
        const qint64 interval = std::chrono::nanoseconds(KernelWatcher::kMinInterval).count();
        QVERIFY2((observations.size() - 1) * interval <= span + 5 * interval,
                 qPrintable(QStringLiteral("%1 observations in %2 ms")
                                .arg(observations.size())
                                .arg(span / 1e6)));
    }
    QVERIFY(recvCalls > 0);
    QCOMPARE(bench.trace().totals(c.server).bytesReceived, total);
}

QTEST_GUILESS_MAIN(TestKernelWatch)
#include "tst_kernelwatch.moc"
