// Every call of the core on real loopback sockets: the success paths, and the failures the
// course meets, with the kernel's own errno. Answers that differ between kernels and their
// settings are compared with the kernel's own, in tst_workbench_kernel.

#include "codegen/c.h"
#include "testsupport.h"

#include <QTemporaryDir>

#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>

using namespace sockbench;
using namespace sockbench::test;

class TestWorkbenchCalls : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void socketCreatesEachFamilyAndType_data();
    void socketCreatesEachFamilyAndType();
    void socketWithoutFamilyIsInvalid();
    void tcpExchangeIPv4();
    void tcpExchangeIPv6();
    void tcpExchangeUnix();
    void abstractUnixName();
    void acceptReportsPeerAddressAndNewSocket();
    void bindPortZeroPicksAnEphemeralPort();
    void bindHostForms_data();
    void bindHostForms();
    void secondBindIsEADDRINUSE();
    void connectRefused();
    void connectExReturnsErrno();
    void partialRecv();
    void zeroLengthReadAfterPeerClose();
    void zeroLengthReadAfterShutdownWrite();
    void sendAfterPeerResetFails();
    void shutdownRead();
    void tcpCoalescesUdpKeepsBoundaries();
    void udpSendToRecvFrom();
    void recvIntoAndRecvFromInto();
    void sendAllSendsEverything();
    void theCOfASendShowsTheBytesItWasGiven();
    void repeatedPayloadIsSentWithoutBuildingIt();
    void recvTimeout();
    void nonBlockingRecvIsEAGAIN();
    void connectExOnNonBlockingIsEINPROGRESS();
    void closedSocketIsEBADFAndCloseTwiceIsFine();
    void unknownSocketIsInvalid();
    void invalidArguments_data();
    void invalidArguments();
    void lingerZeroCloseResetsPeer();
    void traceRecordsEveryCallInOrder();
};

void TestWorkbenchCalls::socketCreatesEachFamilyAndType_data()
{
    QTest::addColumn<AddressFamily>("family");
    QTest::addColumn<SocketType>("type");
    for (auto family : {AddressFamily::Inet4, AddressFamily::Inet6, AddressFamily::Unix})
        for (auto type : {SocketType::Stream, SocketType::Datagram})
            QTest::addRow("%s %s", qPrintable(familyName(family)), qPrintable(socketTypeName(type)))
                << family << type;
}

void TestWorkbenchCalls::socketCreatesEachFamilyAndType()
{
    QFETCH(AddressFamily, family);
    QFETCH(SocketType, type);
    Workbench bench;
    const Event created = RUN(bench, SocketId{}, calls::socket(family, type));
    EXPECT_OK(created);
    QVERIFY(created.result.newSocket.isValid());
    QCOMPARE(created.socket, created.result.newSocket);
    QVERIFY(created.result.count >= 0); // the real descriptor number
    QVERIFY(created.kernel.valid);
    // The descriptor must be close-on-exec: a child process never inherits it.
    const int fd = static_cast<int>(created.result.count);
    QVERIFY(::fcntl(fd, F_GETFD) & FD_CLOEXEC);
    const auto info = bench.socket(created.result.newSocket);
    QVERIFY(info && info->open);
    QCOMPARE(info->family, family);
    QCOMPARE(info->type, type);
}

void TestWorkbenchCalls::socketWithoutFamilyIsInvalid()
{
    Workbench bench;
    const Event e = RUN(bench, SocketId{}, calls::socket(AddressFamily::Unspecified));
    QCOMPARE(e.result.outcome, Outcome::Invalid);
    QVERIFY(e.result.message.contains(QStringLiteral("AF_INET")));
}

static void exchange(AddressFamily family, const QString& unixPath = {})
{
    Workbench bench;
    const Connected c = connectedPair(bench, family, unixPath);
    QVERIFY(c.server.isValid());
    const Event sent = RUN(bench, c.client, calls::sendAll("hello"));
    EXPECT_OK(sent);
    QCOMPARE(sent.payloadSize, 5);
    QCOMPARE(sent.payload, QByteArray("hello"));
    const Event got = RUN(bench, c.server, calls::recv(1024));
    EXPECT_OK(got);
    QCOMPARE(got.result.data, QByteArray("hello"));
    QCOMPARE(got.payload, QByteArray("hello"));
    // And back the other way on the same connection.
    EXPECT_OK(RUN(bench, c.server, calls::send("world")));
    QCOMPARE(RUN(bench, c.client, calls::recv(1024)).result.data, QByteArray("world"));
}

void TestWorkbenchCalls::tcpExchangeIPv4()
{
    exchange(AddressFamily::Inet4);
}
void TestWorkbenchCalls::tcpExchangeIPv6()
{
    exchange(AddressFamily::Inet6);
}

void TestWorkbenchCalls::tcpExchangeUnix()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    exchange(AddressFamily::Unix, dir.filePath(QStringLiteral("sock")));
}

void TestWorkbenchCalls::abstractUnixName()
{
    Workbench bench;
    const QString name =
        QLatin1Char('\0') +
        QStringLiteral("sockbench-test-%1").arg(QCoreApplication::applicationPid());
    const SocketId server = makeSocket(bench, AddressFamily::Unix);
    EXPECT_OK(RUN(bench, server, calls::bind(name, 0)));
    const Event local = RUN(bench, server, calls::getsockname());
    EXPECT_OK(local);
    QVERIFY(local.result.address.isAbstract());
    QCOMPARE(local.result.address.toString(),
             QStringLiteral("@sockbench-test-%1").arg(QCoreApplication::applicationPid()));
}

void TestWorkbenchCalls::acceptReportsPeerAddressAndNewSocket()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    QVERIFY(c.server.isValid());
    QVERIFY(c.server != c.listener);
    const auto info = bench.socket(c.server);
    QVERIFY(info);
    QCOMPARE(info->acceptedFrom, c.listener);
    const Endpoint clientLocal = RUN(bench, c.client, calls::getsockname()).result.address;
    const Endpoint serverPeer = RUN(bench, c.server, calls::getpeername()).result.address;
    QCOMPARE(serverPeer, clientLocal);
    // The listener goes on listening: a second client is accepted too.
    const SocketId second = makeSocket(bench);
    EXPECT_OK(
        RUN(bench, second, calls::connect(QStringLiteral("127.0.0.1"), c.listenAddress.port())));
    const Event again = RUN(bench, c.listener, calls::accept());
    EXPECT_OK(again);
    QVERIFY(again.result.newSocket != c.server);
    QCOMPARE(again.result.address, RUN(bench, second, calls::getsockname()).result.address);
}

void TestWorkbenchCalls::bindPortZeroPicksAnEphemeralPort()
{
    Workbench bench;
    const SocketId s = makeSocket(bench);
    EXPECT_OK(RUN(bench, s, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    const Endpoint local = RUN(bench, s, calls::getsockname()).result.address;
    QVERIFY(local.port() != 0);
    QCOMPARE(local.dotted(), QStringLiteral("127.0.0.1"));
}

void TestWorkbenchCalls::bindHostForms_data()
{
    QTest::addColumn<AddressFamily>("family");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty is any") << AddressFamily::Inet4 << QString() << "0.0.0.0";
    QTest::newRow("localhost") << AddressFamily::Inet4 << "localhost"
                               << "127.0.0.1";
    QTest::newRow("dotted") << AddressFamily::Inet4 << "127.0.0.1"
                            << "127.0.0.1";
    QTest::newRow("32-bit hex") << AddressFamily::Inet4 << "0x7F000001"
                                << "127.0.0.1";
    QTest::newRow("another loopback") << AddressFamily::Inet4 << "127.1.2.3"
                                      << "127.1.2.3";
    QTest::newRow("v6 loopback") << AddressFamily::Inet6 << "::1"
                                 << "::1";
    QTest::newRow("v6 empty is any") << AddressFamily::Inet6 << QString() << "::";
    QTest::newRow("v6 mapped") << AddressFamily::Inet6 << "::ffff:127.0.0.1"
                               << "::ffff:127.0.0.1";
}

void TestWorkbenchCalls::bindHostForms()
{
    QFETCH(AddressFamily, family);
    QFETCH(QString, host);
    QFETCH(QString, expected);
    Workbench bench;
    const SocketId s = makeSocket(bench, family);
    const Event bound = RUN(bench, s, calls::bind(host, 0));
    EXPECT_OK(bound);
    QCOMPARE(RUN(bench, s, calls::getsockname()).result.address.host(), expected);
}

void TestWorkbenchCalls::secondBindIsEADDRINUSE()
{
    Workbench bench;
    const SocketId first = makeSocket(bench);
    EXPECT_OK(RUN(bench, first, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    EXPECT_OK(RUN(bench, first, calls::listen(1)));
    const quint16 port = RUN(bench, first, calls::getsockname()).result.address.port();
    const SocketId second = makeSocket(bench);
    const Event e = RUN(bench, second, calls::bind(QStringLiteral("127.0.0.1"), port));
    EXPECT_ERRNO(e, "EADDRINUSE");
    QCOMPARE(e.result.errorNumber, EADDRINUSE);
    QVERIFY(!e.result.message.isEmpty());
    QCOMPARE(errnocatalog::pythonException(e.result.errorDomain, e.result.errorNumber),
             QStringLiteral("OSError"));
}

static quint16 unusedPort(Workbench& bench)
{
    // A port bound and never listening, for as long as the workbench lives: a connect()
    // there is refused, and no other program can start listening on it meanwhile.
    const SocketId s = makeSocket(bench);
    RUN(bench, s, calls::bind(QStringLiteral("127.0.0.1"), 0));
    return RUN(bench, s, calls::getsockname()).result.address.port();
}

void TestWorkbenchCalls::connectRefused()
{
    Workbench bench;
    const quint16 port = unusedPort(bench);
    const SocketId s = makeSocket(bench);
    const Event e = RUN(bench, s, calls::connect(QStringLiteral("127.0.0.1"), port));
    EXPECT_ERRNO(e, "ECONNREFUSED");
    QCOMPARE(errnocatalog::pythonException(e.result.errorDomain, e.result.errorNumber),
             QStringLiteral("ConnectionRefusedError"));
}

void TestWorkbenchCalls::connectExReturnsErrno()
{
    Workbench bench;
    const quint16 port = unusedPort(bench);
    const SocketId s = makeSocket(bench);
    const Event refused = RUN(bench, s, calls::connectEx(QStringLiteral("127.0.0.1"), port));
    EXPECT_OK(refused);                                   // connect_ex does not raise...
    QCOMPARE(refused.result.count, qint64(ECONNREFUSED)); // ...it returns the errno

    const Connected c = connectedPair(bench);
    const SocketId other = makeSocket(bench);
    const Event ok =
        RUN(bench, other, calls::connectEx(QStringLiteral("127.0.0.1"), c.listenAddress.port()));
    EXPECT_OK(ok);
    QCOMPARE(ok.result.count, 0);
}

void TestWorkbenchCalls::partialRecv()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    EXPECT_OK(RUN(bench, c.client, calls::sendAll("<html>\n<head>\n")));
    // Wait until all 14 bytes are queued at the receiver, then read them in small bites.
    QVERIFY(waitUntil(
        [&] { return RUN(bench, c.server, calls::getsockname()).kernel.recvQueue == 14; }));
    QCOMPARE(RUN(bench, c.server, calls::recv(10)).result.data, QByteArray("<html>\n<he"));
    QCOMPARE(RUN(bench, c.server, calls::recv(10)).result.data, QByteArray("ad>\n"));
}

void TestWorkbenchCalls::zeroLengthReadAfterPeerClose()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    EXPECT_OK(RUN(bench, c.client, calls::sendAll("bye")));
    EXPECT_OK(RUN(bench, c.client, calls::close()));
    QCOMPARE(RUN(bench, c.server, calls::recv(1024)).result.data, QByteArray("bye"));
    const Event eof = RUN(bench, c.server, calls::recv(1024));
    EXPECT_OK(eof);
    QCOMPARE(eof.result.count, 0);
    QVERIFY(eof.result.data.isEmpty());
    QCOMPARE(eof.kernel.tcpState, TcpState::CloseWait);
}

void TestWorkbenchCalls::zeroLengthReadAfterShutdownWrite()
{
    // The determined sender: shutdown(1), then the receiver sees end of data and can still
    // answer on the same connection.
    Workbench bench;
    const Connected c = connectedPair(bench);
    EXPECT_OK(RUN(bench, c.client, calls::sendAll(QByteArray("x"), 3000)));
    EXPECT_OK(RUN(bench, c.client, calls::shutdown(1)));
    qint64 total = 0;
    for (;;) {
        const Event block = RUN(bench, c.server, calls::recv(1024));
        EXPECT_OK(block);
        if (block.result.count == 0)
            break;
        total += block.result.count;
    }
    QCOMPARE(total, 3000);
    EXPECT_OK(RUN(bench, c.server, calls::sendAll("3000")));
    QCOMPARE(RUN(bench, c.client, calls::recv(30)).result.data, QByteArray("3000"));
    EXPECT_ERRNO(RUN(bench, c.client, calls::send("more")), "EPIPE");
}

void TestWorkbenchCalls::sendAfterPeerResetFails()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    // Unread data at close makes the kernel answer with RST instead of FIN.
    EXPECT_OK(RUN(bench, c.client, calls::sendAll("unread")));
    QVERIFY(waitUntil(
        [&] { return RUN(bench, c.server, calls::getsockname()).kernel.recvQueue == 6; }));
    EXPECT_OK(RUN(bench, c.server, calls::close()));
    // The first send after a reset meets ECONNRESET or EPIPE; either way it fails,
    // and never kills the process with SIGPIPE.
    const Event first = RUN(bench, c.client, calls::send("hello?"));
    Event failed = first;
    if (first.result.ok())
        failed = RUN(bench, c.client, calls::send("again?"));
    QCOMPARE(failed.result.outcome, Outcome::Error);
    QVERIFY2(failed.result.errorName() == QLatin1String("ECONNRESET") ||
                 failed.result.errorName() == QLatin1String("EPIPE"),
             qPrintable(failed.result.errorName()));
}

void TestWorkbenchCalls::shutdownRead()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    EXPECT_OK(RUN(bench, c.server, calls::shutdown(0)));
    const Event e = RUN(bench, c.server, calls::recv(10));
    EXPECT_OK(e);
    QCOMPARE(e.result.count, 0); // reading is over: recv returns at once with nothing
    // shutdown(2) then: both ways closed, the peer reads end of data.
    EXPECT_OK(RUN(bench, c.server, calls::shutdown(2)));
    QCOMPARE(RUN(bench, c.client, calls::recv(10)).result.count, 0);
}

void TestWorkbenchCalls::tcpCoalescesUdpKeepsBoundaries()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    EXPECT_OK(RUN(bench, c.client, calls::send("hello")));
    EXPECT_OK(RUN(bench, c.client, calls::send("world")));
    QVERIFY(waitUntil(
        [&] { return RUN(bench, c.server, calls::getsockname()).kernel.recvQueue == 10; }));
    QCOMPARE(RUN(bench, c.server, calls::recv(1024)).result.data, QByteArray("helloworld"));

    const SocketId a = makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
    const SocketId b = makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
    EXPECT_OK(RUN(bench, b, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    const quint16 port = RUN(bench, b, calls::getsockname()).result.address.port();
    EXPECT_OK(RUN(bench, a, calls::sendTo("hello", QStringLiteral("127.0.0.1"), port)));
    EXPECT_OK(RUN(bench, a, calls::sendTo("world", QStringLiteral("127.0.0.1"), port)));
    QCOMPARE(RUN(bench, b, calls::recv(1024)).result.data, QByteArray("hello"));
    QCOMPARE(RUN(bench, b, calls::recv(1024)).result.data, QByteArray("world"));
}

void TestWorkbenchCalls::udpSendToRecvFrom()
{
    Workbench bench;
    const SocketId a = makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
    const SocketId b = makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
    EXPECT_OK(RUN(bench, a, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    EXPECT_OK(RUN(bench, b, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    const Endpoint aAddress = RUN(bench, a, calls::getsockname()).result.address;
    const Endpoint bAddress = RUN(bench, b, calls::getsockname()).result.address;
    // No handshake: the first call that moves data is sendto().
    const Event sent =
        RUN(bench, a, calls::sendTo("ping", QStringLiteral("127.0.0.1"), bAddress.port()));
    EXPECT_OK(sent);
    QCOMPARE(sent.result.count, 4);
    const Event got = RUN(bench, b, calls::recvFrom(1024));
    EXPECT_OK(got);
    QCOMPARE(got.result.data, QByteArray("ping"));
    QCOMPARE(got.result.address, aAddress);
    // A datagram bigger than the read: the rest of it is gone.
    EXPECT_OK(
        RUN(bench, a, calls::sendTo("0123456789", QStringLiteral("127.0.0.1"), bAddress.port())));
    EXPECT_OK(RUN(bench, a, calls::sendTo("next", QStringLiteral("127.0.0.1"), bAddress.port())));
    QCOMPARE(RUN(bench, b, calls::recv(4)).result.data, QByteArray("0123"));
    QCOMPARE(RUN(bench, b, calls::recv(1024)).result.data, QByteArray("next"));
}

void TestWorkbenchCalls::recvIntoAndRecvFromInto()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    EXPECT_OK(RUN(bench, c.client, calls::sendAll("abcdef")));
    const Event into = RUN(bench, c.server, calls::recvInto(4));
    EXPECT_OK(into);
    QCOMPARE(into.result.count, 4);
    QCOMPARE(into.result.data, QByteArray("abcd"));
    const Event limited = RUN(bench, c.server, calls::recvInto(8, 1));
    QCOMPARE(limited.result.data, QByteArray("e"));

    const SocketId a = makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
    const SocketId b = makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
    EXPECT_OK(RUN(bench, b, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    const quint16 port = RUN(bench, b, calls::getsockname()).result.address.port();
    EXPECT_OK(RUN(bench, a, calls::sendTo("datagram", QStringLiteral("127.0.0.1"), port)));
    const Event fromInto = RUN(bench, b, calls::recvFromInto(16));
    EXPECT_OK(fromInto);
    QCOMPARE(fromInto.result.count, 8);
    // a was never bound: sendto() gave it an ephemeral port, and the datagram says so.
    QCOMPARE(fromInto.result.address.port(),
             RUN(bench, a, calls::getsockname()).result.address.port());
    QCOMPARE(fromInto.result.address.dotted(), QStringLiteral("127.0.0.1"));
}

void TestWorkbenchCalls::sendAllSendsEverything()
{
    // A blocking sendall() takes everything, however much the kernel takes at a time (how
    // much one non-blocking send() takes is the kernel's own: tst_workbench_kernel).
    Workbench bench;
    const Connected d = connectedPair(bench);
    bench.submit(d.client, calls::sendAll(QByteArray("z"), 3 * 1024 * 1024),
                 QStringLiteral("test"));
    qint64 got = 0;
    while (got < 3 * 1024 * 1024) {
        const Event block = RUN(bench, d.server, calls::recv(1 << 20));
        EXPECT_OK(block);
        got += block.result.count;
    }
    QCOMPARE(got, 3 * 1024 * 1024);
}

void TestWorkbenchCalls::theCOfASendShowsTheBytesItWasGiven()
{
    // The C pane shows send() with the bytes the program passed, whatever became of them:
    // refused (lesson 14, after shutdown(SHUT_WR): it read send(5, "", 8) with EPIPE) or
    // still blocked (lesson 11's sendall(): send(5, "", 0), blocked).
    Workbench bench;
    const Connected c = connectedPair(bench);
    const auto facts = [](SocketId) { return codegen::c::SocketFacts{5, AddressFamily::Inet4}; };
    EXPECT_OK(RUN(bench, c.client, calls::shutdown(SHUT_WR)));
    const Event refused = RUN(bench, c.client, calls::send("one more"));
    EXPECT_ERRNO(refused, "EPIPE");
    const QString refusedC = codegen::c::render(refused, facts);
    QVERIFY2(refusedC.contains(QLatin1String("send(5, \"one more\", 8, MSG_NOSIGNAL);")),
             qPrintable(refusedC));

    // Nobody reads: 64 MiB cannot all fit in the kernel's buffers, and sendall() waits.
    const Connected d = connectedPair(bench);
    const qint64 total = 64 * 1024 * 1024;
    const CallId call =
        bench.submit(d.client, calls::sendAll(QByteArray("z"), total), QStringLiteral("test")).call;
    std::optional<Event> blocked;
    QVERIFY(waitUntil([&] {
        for (const Event& e : bench.trace().events())
            if (e.call == call && e.kind == EventKind::CallBlocked)
                blocked = e;
        return blocked.has_value();
    }));
    const QString blockedC = codegen::c::render(*blocked, facts);
    QVERIFY2(blockedC.contains(QLatin1String("send(5, \"zzzz")) &&
                 blockedC.contains(QStringLiteral("%1 bytes in all */, %1,").arg(total)),
             qPrintable(blockedC));
    EXPECT_OK(RUN(bench, d.server, calls::close())); // the sendall() ends, with an error
}

void TestWorkbenchCalls::repeatedPayloadIsSentWithoutBuildingIt()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    const qint64 total = 8 * 1024 * 1024 + 3;
    bench.submit(c.client, calls::sendAll(QByteArray("abc"), total / 3), QStringLiteral("test"));
    qint64 received = 0;
    QByteArray head;
    while (received < total - total % 3) {
        const Event block = RUN(bench, c.server, calls::recv(1 << 20));
        EXPECT_OK(block);
        QVERIFY(block.result.count > 0);
        if (head.isEmpty())
            head = block.result.data.left(6);
        received += block.result.count;
    }
    QCOMPARE(received, total - total % 3);
    QCOMPARE(head, QByteArray("abcabc"));
    QCOMPARE(bench.trace().totals(c.server).bytesReceived, received);
}

void TestWorkbenchCalls::recvTimeout()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    EXPECT_OK(RUN(bench, c.server, calls::settimeout(0.05)));
    const Event e = RUN(bench, c.server, calls::recv(10));
    QCOMPARE(e.result.outcome, Outcome::Timeout); // socket.timeout, not an errno
    QCOMPARE(e.result.errorName(), QStringLiteral("timeout"));
    QVERIFY(e.durationNs() >= 50'000'000);
    // The socket is still fine afterwards.
    EXPECT_OK(RUN(bench, c.client, calls::sendAll("late")));
    QCOMPARE(RUN(bench, c.server, calls::recv(10)).result.data, QByteArray("late"));
}

void TestWorkbenchCalls::nonBlockingRecvIsEAGAIN()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    EXPECT_OK(RUN(bench, c.server, calls::setblocking(false)));
    EXPECT_ERRNO(RUN(bench, c.server, calls::recv(10)), "EAGAIN");
    EXPECT_OK(RUN(bench, c.server, calls::settimeout(std::nullopt))); // blocking again
    EXPECT_OK(RUN(bench, c.client, calls::sendAll("x")));
    QCOMPARE(RUN(bench, c.server, calls::recv(10)).result.data, QByteArray("x"));
}

void TestWorkbenchCalls::connectExOnNonBlockingIsEINPROGRESS()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    const SocketId s = makeSocket(bench);
    EXPECT_OK(RUN(bench, s, calls::setblocking(false)));
    const Event e =
        RUN(bench, s, calls::connectEx(QStringLiteral("127.0.0.1"), c.listenAddress.port()));
    EXPECT_OK(e);
    // On loopback the handshake may already be done; otherwise it is in progress.
    QVERIFY2(e.result.count == 0 || e.result.count == EINPROGRESS,
             qPrintable(QString::number(e.result.count)));
}

void TestWorkbenchCalls::closedSocketIsEBADFAndCloseTwiceIsFine()
{
    Workbench bench;
    const SocketId s = makeSocket(bench);
    EXPECT_OK(RUN(bench, s, calls::close()));
    const Event again = RUN(bench, s, calls::close());
    EXPECT_OK(again); // Python: closing twice does nothing
    EXPECT_ERRNO(RUN(bench, s, calls::bind(QStringLiteral("127.0.0.1"), 0)), "EBADF");
    EXPECT_ERRNO(RUN(bench, s, calls::recv(1)), "EBADF");
    EXPECT_ERRNO(RUN(bench, s, calls::send("x")), "EBADF");
    const auto info = bench.socket(s);
    QVERIFY(info && !info->open);
}

void TestWorkbenchCalls::unknownSocketIsInvalid()
{
    Workbench bench;
    const Event e = RUN(bench, SocketId{4242}, calls::recv(1));
    QCOMPARE(e.result.outcome, Outcome::Invalid);
    QVERIFY(e.result.message.contains(QStringLiteral("4242")));
}

void TestWorkbenchCalls::invalidArguments_data()
{
    QTest::addColumn<Call>("call");
    QTest::addColumn<QString>("says");
    QTest::newRow("port too big") << calls::bind(QStringLiteral("127.0.0.1"), 65536) << "0-65535";
    QTest::newRow("negative port") << calls::connect(QStringLiteral("127.0.0.1"), -1) << "0-65535";
    QTest::newRow("negative recv") << calls::recv(-1) << "negative buffersize";
    QTest::newRow("huge recv") << calls::recv(qint64(1) << 40) << "at most";
    QTest::newRow("negative recvfrom") << calls::recvFrom(-5) << "negative buffersize";
    QTest::newRow("recv_into too small") << calls::recvInto(4, 8) << "buffer too small";
    QTest::newRow("negative timeout") << calls::settimeout(-1.0) << "out of range";
}

void TestWorkbenchCalls::invalidArguments()
{
    QFETCH(Call, call);
    QFETCH(QString, says);
    Workbench bench;
    const SocketId s = makeSocket(bench);
    const Event e = RUN(bench, s, call);
    QCOMPARE(e.result.outcome, Outcome::Invalid);
    QVERIFY2(e.result.message.contains(says), qPrintable(e.result.message));
    // A malformed address is the resolver's refusal, as in Python (socket.gaierror).
    const Event bad = RUN(bench, s, calls::bind(QStringLiteral("300.1.2.3"), 0));
    QCOMPARE(bad.result.outcome, Outcome::Error);
    QCOMPARE(bad.result.errorDomain, ErrorDomain::AddrInfo);
}

void TestWorkbenchCalls::lingerZeroCloseResetsPeer()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    EXPECT_OK(RUN(bench, c.client, calls::setsockopt(SocketOption::Linger, 1, 0)));
    EXPECT_OK(RUN(bench, c.client, calls::close()));
    EXPECT_ERRNO(RUN(bench, c.server, calls::recv(10)), "ECONNRESET");
}

void TestWorkbenchCalls::traceRecordsEveryCallInOrder()
{
    Workbench bench;
    const SocketId s = makeSocket(bench);
    RUN(bench, s, calls::bind(QStringLiteral("127.0.0.1"), 0));
    RUN(bench, s, calls::listen(3));
    RUN(bench, s, calls::close());
    QList<CallKind> kinds;
    quint64 lastSeq = 0;
    qint64 lastTime = -1;
    for (const Event& e : bench.trace().events()) {
        QVERIFY(e.seq > lastSeq);
        QVERIFY(e.timeNs >= lastTime);
        lastSeq = e.seq;
        lastTime = e.timeNs;
        if (e.kind == EventKind::CallFinished) {
            kinds << e.request.kind;
            QCOMPARE(e.actor, QStringLiteral("test"));
            QCOMPARE(e.socket, s);
        }
    }
    QCOMPARE(kinds, (QList<CallKind>{CallKind::Socket, CallKind::Bind, CallKind::Listen,
                                     CallKind::Close}));
    QCOMPARE(bench.trace().totals(s).calls, 4);
}

QTEST_GUILESS_MAIN(TestWorkbenchCalls)
#include "tst_workbench_calls.moc"
