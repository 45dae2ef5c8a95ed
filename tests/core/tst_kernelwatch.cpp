// The kernel's view, recorded in the trace: snapshots after every call, and observations
// when the kernel changes a socket without a call of ours (data arriving, the peer's FIN,
// a connection landing in a listener's accept queue, TIME_WAIT after close).

#include "pythonoracle.h"
#include "testsupport.h"

#include "engine/kernelwatcher.h"

#include <QFile>

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>
#include <optional>
#include <sys/socket.h>
#include <unistd.h>

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

// A descriptor of this test's own, closed when it goes.
struct Fd {
    int fd = -1;
    explicit Fd(int value = -1)
        : fd(value)
    {
    }
    ~Fd() { reset(); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    void reset()
    {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
};

Endpoint addressOf(int fd, bool peer)
{
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    auto* address = reinterpret_cast<sockaddr*>(&storage);
    const int result =
        peer ? ::getpeername(fd, address, &length) : ::getsockname(fd, address, &length);
    return result == 0 ? Endpoint::fromSockaddr(address, length).value_or(Endpoint()) : Endpoint();
}

// The kernel's own table, read by the test: the state of the connection local-remote as
// /proc/net/tcp{,6} lists it, nullopt when it is not listed.
std::optional<TcpState> stateInProc(const Endpoint& local, const Endpoint& remote)
{
    const bool v4 = local.family() == AddressFamily::Inet4;
    auto hex = [v4](const Endpoint& e) {
        QByteArray text;
        if (v4) {
            const quint32 net = htonl(e.ipv4());
            quint32 word = 0;
            std::memcpy(&word, &net, 4);
            text = QByteArray::number(word, 16).rightJustified(8, '0');
        } else {
            for (size_t i = 0; i < 16; i += 4) {
                quint32 word = 0;
                std::memcpy(&word, e.ipv6().data() + i, 4);
                text += QByteArray::number(word, 16).rightJustified(8, '0');
            }
        }
        return text.toUpper() + ':' +
               QByteArray::number(e.port(), 16).rightJustified(4, '0').toUpper();
    };
    QFile table(v4 ? QStringLiteral("/proc/net/tcp") : QStringLiteral("/proc/net/tcp6"));
    if (!table.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray wantLocal = hex(local);
    const QByteArray wantRemote = hex(remote);
    for (const QByteArray& line : table.readAll().split('\n')) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() > 3 && fields[1] == wantLocal && fields[2] == wantRemote)
            return static_cast<TcpState>(fields[3].toUInt(nullptr, 16));
    }
    return std::nullopt;
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
    void sendQueueCountsDataNotTheSynNorAnEndedAttempt();
    void observationsAreCoalescedDuringBulk();
    void aDataCallReadsItsOwnQueueAndTheWatcherTheRest();
    void closedConnectionLookupAgreesWithTheKernelTable_data();
    void closedConnectionLookupAgreesWithTheKernelTable();
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
    // SIOCOUTQ on AF_UNIX is memory, not bytes waiting (768 for these 3): not reported.
    QCOMPARE(RUN(bench, c.client, calls::getsockname()).kernel.sendQueue, -1);
}

void TestKernelWatch::sendQueueCountsDataNotTheSynNorAnEndedAttempt()
{
    // A SYN the listener's full queue drops leaves the client in SYN_SENT, its SYN counted by
    // SIOCOUTQ as one unacknowledged sequence number: no byte of data waits. How many
    // connections a backlog of 0 takes is the kernel's: try a few, and probe the first one
    // the kernel leaves waiting.
    Workbench bench;
    const SocketId listener = makeSocket(bench);
    EXPECT_OK(RUN(bench, listener, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    EXPECT_OK(RUN(bench, listener, calls::listen(0)));
    const quint16 port = RUN(bench, listener, calls::getsockname()).result.address.port();
    std::optional<KernelSnapshot> waiting;
    for (int attempt = 0; attempt < 8 && !waiting; ++attempt) {
        const SocketId client = makeSocket(bench);
        EXPECT_OK(RUN(bench, client, calls::setblocking(false)));
        RUN(bench, client, calls::connect(QStringLiteral("127.0.0.1"), port));
        const KernelSnapshot k = RUN(bench, client, calls::getsockname()).kernel;
        if (k.tcpState == TcpState::SynSent)
            waiting = k;
    }
    QVERIFY2(waiting, "the kernel took every connection: none was left in SYN_SENT");
    QCOMPARE(waiting->sendQueue, 0);
    // A refused attempt leaves no connection: nothing to count.
    EXPECT_OK(RUN(bench, listener, calls::close()));
    const SocketId refused = makeSocket(bench);
    const Event no = RUN(bench, refused, calls::connect(QStringLiteral("127.0.0.1"), port));
    QCOMPARE(no.result.errorName(), QStringLiteral("ECONNREFUSED"));
    QCOMPARE(RUN(bench, refused, calls::getsockname()).kernel.sendQueue, -1);
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

void TestKernelWatch::aDataCallReadsItsOwnQueueAndTheWatcherTheRest()
{
    // On an established connection a data call changes its own queue only: the probe reads
    // that one afresh and keeps the rest of the last view. What the peer does meanwhile (its
    // FIN here) is the watcher's to catch, without a call.
    const std::unique_ptr<KernelProbe> probe = makeKernelProbe();
    Fd listener(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    auto* raw = reinterpret_cast<sockaddr*>(&address);
    QVERIFY(::bind(listener.fd, raw, sizeof address) == 0 && ::listen(listener.fd, 1) == 0);
    QVERIFY(::getsockname(listener.fd, raw, &length) == 0);
    Fd client(::socket(AF_INET, SOCK_STREAM, 0));
    QVERIFY(::connect(client.fd, raw, sizeof address) == 0);
    Fd server(::accept(listener.fd, nullptr, nullptr));
    QVERIFY(server.fd >= 0);
    QCOMPARE(::send(client.fd, "hello", 5, 0), 5);
    const KernelSnapshot whole = probe->probe(server.fd, AddressFamily::Inet4, SocketType::Stream);
    QCOMPARE(whole.tcpState, TcpState::Established);
    QVERIFY(waitUntil([&] {
        return probe->probe(server.fd, AddressFamily::Inet4, SocketType::Stream).recvQueue == 5;
    }));
    char two[2];
    QCOMPARE(::recv(server.fd, two, 2, 0), 2);
    KernelSnapshot marked = whole;
    marked.sendQueue = 12345; // not read by a receive-queue probe
    const KernelSnapshot afterRecv = probe->probe(
        server.fd, AddressFamily::Inet4, SocketType::Stream, ProbeScope::ReceiveQueue, marked);
    QCOMPARE(afterRecv.recvQueue, 3);
    QCOMPARE(afterRecv.sendQueue, 12345);
    QCOMPARE(afterRecv.tcpState, TcpState::Established);
    // A view that is not an established connection's is read whole.
    KernelSnapshot unsure = marked;
    unsure.tcpState = TcpState::SynRecv;
    QCOMPARE(probe->probe(server.fd, AddressFamily::Inet4, SocketType::Stream,
                          ProbeScope::ReceiveQueue, unsure),
             probe->probe(server.fd, AddressFamily::Inet4, SocketType::Stream));

    // Through the workbench: the peer sends and closes, the reader takes part of the data.
    // Its recv() says what is left; the watcher, not a further call, brings CLOSE_WAIT.
    Workbench bench;
    const Connected c = connectedPair(bench);
    EXPECT_OK(RUN(bench, c.client, calls::sendAll("hello")));
    QVERIFY(waitUntil([&] {
        return observed(bench, c.server, [](const KernelSnapshot& k) { return k.recvQueue == 5; });
    }));
    const Event part = RUN(bench, c.server, calls::recv(2));
    QCOMPARE(part.kernel.recvQueue, 3);
    EXPECT_OK(RUN(bench, c.client, calls::close()));
    QVERIFY2(waitUntil([&] {
                 return observed(bench, c.server, [](const KernelSnapshot& k) {
                     return k.tcpState == TcpState::CloseWait;
                 });
             }),
             qPrintable(statesOf(bench, c.server)));
    const Event rest = RUN(bench, c.server, calls::recv(10));
    QCOMPARE(rest.result.data, QByteArray("llo"));
    QCOMPARE(rest.kernel.tcpState, TcpState::CloseWait);
    QCOMPARE(rest.kernel.recvQueue, 0);
    const Event end = RUN(bench, c.server, calls::recv(10));
    QCOMPARE(end.result.count, 0);
    QCOMPARE(end.kernel.tcpState, TcpState::CloseWait);
}

void TestKernelWatch::closedConnectionLookupAgreesWithTheKernelTable_data()
{
    QTest::addColumn<int>("family");
    QTest::addColumn<QString>("host");
    QTest::newRow("IPv4") << AF_INET << QStringLiteral("127.0.0.1");
    QTest::newRow("IPv6") << AF_INET6 << QStringLiteral("::1");
    // IPv4 on IPv6 sockets: the kernel finds these by their IPv4 addresses.
    QTest::newRow("IPv4-mapped") << AF_INET6 << QStringLiteral("::ffff:127.0.0.1");
}

void TestKernelWatch::closedConnectionLookupAgreesWithTheKernelTable()
{
    // The probe asks the kernel about one connection by its addresses; the kernel's table
    // (/proc/net/tcp), read here, must say the same - for a connection that lives, one in
    // TIME_WAIT, and one the kernel forgot while a listener still listens on its port.
    QFETCH(int, family);
    QFETCH(QString, host);
    const auto probe = makeKernelProbe();
    Fd listener(::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_storage storage{};
    const Endpoint loopback = *Endpoint::parseLiteral(host, 0, AddressFamily::Unspecified);
    const socklen_t length = loopback.toSockaddr(storage);
    if (listener.fd < 0 || ::bind(listener.fd, reinterpret_cast<sockaddr*>(&storage), length) != 0)
        QSKIP("no loopback for this family here");
    QCOMPARE(::listen(listener.fd, 4), 0);
    const Endpoint listening = addressOf(listener.fd, false);

    struct Pair {
        Fd client;
        Fd server;
        Endpoint local; // the server's side
        Endpoint remote;
    };
    auto connectPair = [&](Pair& p) {
        sockaddr_storage to{};
        const socklen_t toLength = listening.toSockaddr(to);
        p.client.fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (::connect(p.client.fd, reinterpret_cast<sockaddr*>(&to), toLength) != 0)
            return false;
        p.server.fd = ::accept4(listener.fd, nullptr, nullptr, SOCK_CLOEXEC);
        p.local = addressOf(p.server.fd, false);
        p.remote = addressOf(p.client.fd, false);
        return p.server.fd >= 0 && p.local.isValid() && p.remote.isValid();
    };
    auto agrees = [&](const Pair& p, std::optional<TcpState> expected) {
        const auto table = stateInProc(p.local, p.remote);
        const auto asked = probe->lookupClosed(p.local, p.remote);
        return table == expected && asked == table;
    };
    auto describe = [&](const Pair& p) {
        const auto table = stateInProc(p.local, p.remote);
        const auto asked = probe->lookupClosed(p.local, p.remote);
        return QStringLiteral("table %1, probe %2")
            .arg(table ? tcpStateName(*table) : QStringLiteral("none"),
                 asked ? tcpStateName(*asked) : QStringLiteral("none"));
    };

    // Open: the same lookup finds a connection that is alive.
    Pair alive;
    QVERIFY(connectPair(alive));
    QVERIFY2(agrees(alive, TcpState::Established), qPrintable(describe(alive)));

    // The server closes first, then the client: the server's side waits in TIME_WAIT.
    Pair timeWait;
    QVERIFY(connectPair(timeWait));
    timeWait.server.reset();
    char byte = 0;
    QCOMPARE(::recv(timeWait.client.fd, &byte, 1, 0), ssize_t(0));
    timeWait.client.reset();
    QVERIFY2(waitUntil([&] { return agrees(timeWait, TcpState::TimeWait); }),
             qPrintable(describe(timeWait)));

    // The client closes first: the server's side ends with its own close (LAST_ACK, then
    // gone) while the listener still listens on the same local address. A lookup that
    // fell back to the listener would answer LISTEN.
    Pair gone;
    QVERIFY(connectPair(gone));
    gone.client.reset();
    QCOMPARE(::recv(gone.server.fd, &byte, 1, 0), ssize_t(0));
    gone.server.reset();
    QVERIFY2(waitUntil([&] { return agrees(gone, std::nullopt); }), qPrintable(describe(gone)));
    QCOMPARE(
        stateInProc(listening, Endpoint::parseLiteral(family == AF_INET ? QStringLiteral("0.0.0.0")
                                                                        : QStringLiteral("::"),
                                                      0, AddressFamily::Unspecified)
                                   .value()),
        std::optional<TcpState>(TcpState::Listen));
}

QTEST_GUILESS_MAIN(TestKernelWatch)
#include "tst_kernelwatch.moc"
