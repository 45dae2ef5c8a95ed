// Calls whose answer is the kernel's to give: the state a refused connect() leaves, bind()
// next to TIME_WAIT, listen() and accept() out of order, shutdown() errors, buffer sizes,
// how much a non-blocking send() takes. Kernels differ here, and so do their settings, so
// no expectation is written down: each test makes the same calls the way Python makes them,
// on raw loopback sockets of this process (pythonoracle.h), in the same run, and asserts
// that the workbench gives the machine's answer.

#include "net/errnocatalog.h"
#include "pythonoracle.h"
#include "testsupport.h"

#include <sys/mman.h>

using namespace sockbench;
using namespace sockbench::test;
using oracle::PythonSocket;

namespace {

const char* const kLoopback = "127.0.0.1";
const QString kOk = QStringLiteral("ok");

QString loopbackHost()
{
    return QString::fromLatin1(kLoopback);
}

// "what was done: workbench [...], python [...]", for a failed comparison.
QByteArray differs(const QString& what, const QStringList& workbench, const QStringList& python)
{
    return QStringLiteral("%1: workbench [%2], python [%3]")
        .arg(what, workbench.join(QStringLiteral(", ")), python.join(QStringLiteral(", ")))
        .toLocal8Bit();
}

#define COMPARE_OUTCOMES(what, workbench, python)                                                  \
    QVERIFY2((workbench) == (python), differs((what), (workbench), (python)).constData())

// A listener and a client connected to it, accepted: the raw twin of connectedPair().
struct PythonPair {
    PythonSocket listener;
    PythonSocket client;
    PythonSocket server;
    bool connected = false;
    PythonPair()
    {
        connected = listener.bind(kLoopback, 0) == kOk && listener.listen(5) == kOk &&
                    client.connect(kLoopback, listener.port()) == kOk &&
                    listener.accept(&server) == kOk;
    }
};

} // namespace

class TestWorkbenchKernel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void connectEndsWhereABlockingConnectWould();
    void reuseAddrAfterTimeWait();
    void unixPeerThatClosedIsSeen();
    void listenBeforeBind();
    void acceptWithoutListen();
    void shutdownBadHowAndUnconnected();
    void socketOptions();
    void nonBlockingSendTakesWhatFits();
};

void TestWorkbenchKernel::connectEndsWhereABlockingConnectWould()
{
    // The workbench waits for a connect() without blocking a thread, but the socket must
    // end up where Python's connect() leaves it: blocking, or with a timeout (then Python
    // waits with poll() and reads SO_ERROR, which leaves the socket as a non-blocking
    // connect() does). What a later connect() or listen() says there changes between
    // kernels - Linux 6.18 refuses listen() after a refused blocking connect() with EINVAL,
    // older kernels allowed it - so each series runs on both sides and the answers compare.
    Workbench bench;
    const Connected c = connectedPair(bench);
    QVERIFY(c.client.isValid());
    PythonSocket pythonListener;
    QCOMPARE(pythonListener.bind(kLoopback, 0), kOk);
    QCOMPARE(pythonListener.listen(5), kOk);
    // A port bound but not listening: a connect() there is refused (the kernel's RST), and
    // nobody else can start listening on it while the holder lives.
    PythonSocket holder;
    QCOMPARE(holder.bind(kLoopback, 0), kOk);
    const quint16 refusing = holder.port();

    // Each series on a fresh socket of each side: "refused" connects to the port with no
    // listener, "listening" to that side's listener, "listen" is listen(1).
    const auto compare = [&](std::optional<double> timeout, const QStringList& series) {
        const SocketId ours = makeSocket(bench);
        PythonSocket theirs;
        if (timeout) {
            EXPECT_OK(RUN(bench, ours, calls::settimeout(*timeout)));
            theirs.settimeout(timeout);
        }
        QStringList workbench;
        QStringList python;
        for (const QString& step : series) {
            if (step == QLatin1String("listen")) {
                workbench << oracle::outcome(RUN(bench, ours, calls::listen(1)));
                python << theirs.listen(1);
                continue;
            }
            const bool refused = step == QLatin1String("refused");
            workbench << oracle::outcome(
                RUN(bench, ours,
                    calls::connect(loopbackHost(), refused ? refusing : c.listenAddress.port())));
            python << theirs.connect(kLoopback, refused ? refusing : pythonListener.port());
        }
        const QString what = QStringLiteral("%1 with timeout %2")
                                 .arg(series.join(QStringLiteral(", ")))
                                 .arg(timeout ? QString::number(*timeout) : QStringLiteral("None"));
        COMPARE_OUTCOMES(what, workbench, python);
        // Not a comparison of two silences: a refusal is a refusal on both sides.
        if (series.first() == QLatin1String("refused"))
            QVERIFY2(python.first() != kOk, differs(what, workbench, python).constData());
    };
    const QStringList series[] = {
        {QStringLiteral("listening"), QStringLiteral("listening"), QStringLiteral("listening")},
        {QStringLiteral("refused"), QStringLiteral("listening"), QStringLiteral("listening")},
        {QStringLiteral("refused"), QStringLiteral("listen")},
    };
    for (const std::optional<double> timeout : {std::optional<double>(), std::optional(5.0)}) {
        for (const QStringList& steps : series) {
            compare(timeout, steps);
            if (QTest::currentTestFailed())
                return;
        }
    }
}

void TestWorkbenchKernel::unixPeerThatClosedIsSeen()
{
    // AF_UNIX has no CLOSE_WAIT: whether the peer is done sending is poll()'s POLLRDHUP
    // (lesson 18's conn said "connected" after its client had closed). The oracle: a pair
    // of this process, one end closed, the other polled.
    int pair[2];
    QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0);
    ::close(pair[0]);
    pollfd p{pair[1], POLLRDHUP, 0};
    const bool expected = ::poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP)) != 0;
    ::close(pair[1]);

    Workbench bench;
    const QString name =
        QLatin1Char('\0') + QStringLiteral("sockbench-peerdone-%1").arg(::getpid());
    const Connected c = connectedPair(bench, AddressFamily::Unix, name);
    QVERIFY(c.server.isValid());
    QVERIFY(!RUN(bench, c.server, calls::getsockname()).kernel.peerDone);
    EXPECT_OK(RUN(bench, c.client, calls::close()));
    QVERIFY2(waitUntil([&] {
                 return RUN(bench, c.server, calls::getsockname()).kernel.peerDone == expected;
             }),
             expected ? "the workbench never saw the peer close" : "the kernel says otherwise");
}

void TestWorkbenchKernel::reuseAddrAfterTimeWait()
{
    // The server closes first, so its side of the connection sits in TIME_WAIT. Whether a
    // new listener may bind that port without SO_REUSEADDR, and with it, is the kernel's
    // rule (Linux also wants the option on the old socket: both set it here). The same
    // story runs on both sides, each on a port of its own, and ends in the same questions.
    Workbench bench;
    const SocketId listener = makeSocket(bench);
    EXPECT_OK(RUN(bench, listener, calls::setsockopt(SocketOption::ReuseAddr, 1)));
    EXPECT_OK(RUN(bench, listener, calls::bind(loopbackHost(), 0)));
    EXPECT_OK(RUN(bench, listener, calls::listen(1)));
    const quint16 port = RUN(bench, listener, calls::getsockname()).result.address.port();
    const SocketId client = makeSocket(bench);
    EXPECT_OK(RUN(bench, client, calls::connect(loopbackHost(), port)));
    const SocketId server = RUN(bench, listener, calls::accept()).result.newSocket;
    const Endpoint serverLocal = RUN(bench, server, calls::getsockname()).result.address;
    const Endpoint serverPeer = RUN(bench, server, calls::getpeername()).result.address;
    EXPECT_OK(RUN(bench, listener, calls::close()));
    EXPECT_OK(RUN(bench, server, calls::close()));
    QVERIFY(RUN(bench, client, calls::recv(10)).result.data.isEmpty()); // FIN arrived
    EXPECT_OK(RUN(bench, client, calls::close()));

    PythonSocket pythonListener;
    QCOMPARE(pythonListener.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1), kOk);
    QCOMPARE(pythonListener.bind(kLoopback, 0), kOk);
    QCOMPARE(pythonListener.listen(1), kOk);
    const quint16 pythonPort = pythonListener.port();
    PythonSocket pythonClient;
    QCOMPARE(pythonClient.connect(kLoopback, pythonPort), kOk);
    PythonSocket pythonServer;
    QCOMPARE(pythonListener.accept(&pythonServer), kOk);
    const Endpoint pythonServerLocal = Endpoint::inet4(INADDR_LOOPBACK, pythonPort);
    const Endpoint pythonServerPeer = Endpoint::inet4(INADDR_LOOPBACK, pythonClient.port());
    QCOMPARE(pythonListener.close(), kOk);
    QCOMPARE(pythonServer.close(), kOk);
    QByteArray eof("not yet");
    QCOMPARE(pythonClient.recv(10, &eof), kOk);
    QVERIFY(eof.isEmpty());
    QCOMPARE(pythonClient.close(), kOk);
    // Both servers' sides reach TIME_WAIT once the clients' FINs are in.
    QVERIFY(waitUntil([&] {
        return bench.probe().lookupClosed(serverLocal, serverPeer) == TcpState::TimeWait &&
               bench.probe().lookupClosed(pythonServerLocal, pythonServerPeer) ==
                   TcpState::TimeWait;
    }));

    const SocketId plain = makeSocket(bench);
    const SocketId reusing = makeSocket(bench);
    EXPECT_OK(RUN(bench, reusing, calls::setsockopt(SocketOption::ReuseAddr, 1)));
    const QStringList workbench{
        oracle::outcome(RUN(bench, plain, calls::bind(loopbackHost(), port))),
        oracle::outcome(RUN(bench, reusing, calls::bind(loopbackHost(), port))),
        oracle::outcome(RUN(bench, reusing, calls::listen(1)))};
    PythonSocket pythonPlain;
    PythonSocket pythonReusing;
    QCOMPARE(pythonReusing.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1), kOk);
    const QStringList python{pythonPlain.bind(kLoopback, pythonPort),
                             pythonReusing.bind(kLoopback, pythonPort), pythonReusing.listen(1)};
    COMPARE_OUTCOMES(QStringLiteral("bind without, bind with SO_REUSEADDR, listen"), workbench,
                     python);
}

void TestWorkbenchKernel::listenBeforeBind()
{
    // Linux binds an ephemeral port on the fly; the workbench reports what really happens.
    Workbench bench;
    const SocketId s = makeSocket(bench);
    const Event first = RUN(bench, s, calls::listen(1));
    const Event again = RUN(bench, s, calls::listen(1));
    const quint16 port = RUN(bench, s, calls::getsockname()).result.address.port();
    PythonSocket python;
    const QStringList pythonOutcomes{python.listen(1), python.listen(1)};
    const QStringList workbench{oracle::outcome(first), oracle::outcome(again)};
    COMPARE_OUTCOMES(QStringLiteral("listen, listen"), workbench, pythonOutcomes);
    QCOMPARE(port != 0, python.port() != 0);
    const auto info = python.tcpInfo();
    QVERIFY(info);
    QCOMPARE(again.kernel.tcpState == TcpState::Listen, info->tcpi_state == TCP_LISTEN);
}

void TestWorkbenchKernel::acceptWithoutListen()
{
    Workbench bench;
    const SocketId s = makeSocket(bench);
    EXPECT_OK(RUN(bench, s, calls::bind(loopbackHost(), 0)));
    PythonSocket python;
    QCOMPARE(python.bind(kLoopback, 0), kOk);
    const QStringList workbench{oracle::outcome(RUN(bench, s, calls::accept()))};
    COMPARE_OUTCOMES(QStringLiteral("accept on a bound socket"), workbench,
                     QStringList{python.accept()});
}

void TestWorkbenchKernel::shutdownBadHowAndUnconnected()
{
    // shutdown(3) on a connection, and shutdown(1) on a socket that never connected.
    Workbench bench;
    const Connected c = connectedPair(bench);
    QVERIFY(c.client.isValid());
    const SocketId lonely = makeSocket(bench);
    const QStringList workbench{oracle::outcome(RUN(bench, c.client, calls::shutdown(3))),
                                oracle::outcome(RUN(bench, lonely, calls::shutdown(1)))};
    PythonPair pair;
    QVERIFY(pair.connected);
    PythonSocket pythonLonely;
    const QStringList python{pair.client.shutdown(3), pythonLonely.shutdown(1)};
    COMPARE_OUTCOMES(QStringLiteral("shutdown(3) connected, shutdown(1) unconnected"), workbench,
                     python);
}

void TestWorkbenchKernel::socketOptions()
{
    // Each option set, then read back, on both sides: what the kernel keeps of a value is
    // its business (Linux doubles SO_RCVBUF and SO_SNDBUF for its bookkeeping, within
    // net.core.rmem_max and wmem_max).
    struct Option {
        SocketOption option;
        int level;
        int name;
        int value;
        int type;
    };
    const Option options[] = {
        {SocketOption::ReuseAddr, SOL_SOCKET, SO_REUSEADDR, 1, SOCK_STREAM},
        {SocketOption::ReusePort, SOL_SOCKET, SO_REUSEPORT, 1, SOCK_STREAM},
        {SocketOption::TcpNoDelay, IPPROTO_TCP, TCP_NODELAY, 1, SOCK_STREAM},
        {SocketOption::RcvBuf, SOL_SOCKET, SO_RCVBUF, 8192, SOCK_STREAM},
        {SocketOption::SndBuf, SOL_SOCKET, SO_SNDBUF, 8192, SOCK_STREAM},
        {SocketOption::Broadcast, SOL_SOCKET, SO_BROADCAST, 1, SOCK_DGRAM},
        // TCP_NODELAY means nothing to UDP: the kernel says so in its own way.
        {SocketOption::TcpNoDelay, IPPROTO_TCP, TCP_NODELAY, 1, SOCK_DGRAM},
    };
    Workbench bench;
    const SocketId tcp = makeSocket(bench);
    const SocketId udp = makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
    PythonSocket pythonTcp;
    PythonSocket pythonUdp(AF_INET, SOCK_DGRAM);
    QCOMPARE(RUN(bench, tcp, calls::getsockopt(SocketOption::ReuseAddr)).result.count,
             pythonTcp.getsockopt(SOL_SOCKET, SO_REUSEADDR).value_or(-1));
    for (const Option& o : options) {
        const SocketId s = o.type == SOCK_STREAM ? tcp : udp;
        PythonSocket& python = o.type == SOCK_STREAM ? pythonTcp : pythonUdp;
        const QString what = QStringLiteral("setsockopt(%1, %2) on %3")
                                 .arg(optionName(o.option))
                                 .arg(o.value)
                                 .arg(o.type == SOCK_STREAM ? "TCP" : "UDP");
        const QStringList workbench{
            oracle::outcome(RUN(bench, s, calls::setsockopt(o.option, o.value)))};
        const QStringList pythonSet{python.setsockopt(o.level, o.name, o.value)};
        COMPARE_OUTCOMES(what, workbench, pythonSet);
        if (pythonSet.first() != kOk)
            continue;
        const Event read = RUN(bench, s, calls::getsockopt(o.option));
        EXPECT_OK(read);
        QCOMPARE(read.result.count, python.getsockopt(o.level, o.name).value_or(-1));
    }
    EXPECT_OK(RUN(bench, tcp, calls::setsockopt(SocketOption::Linger, 1, 5)));
    const Event linger = RUN(bench, tcp, calls::getsockopt(SocketOption::Linger));
    QCOMPARE(linger.result.count, 1);
    QCOMPARE(linger.result.lingerSeconds, 5);
    QCOMPARE(RUN(bench, tcp, calls::getsockopt(SocketOption::Type)).result.count, SOCK_STREAM);
}

void TestWorkbenchKernel::nonBlockingSendTakesWhatFits()
{
    // A non-blocking send() into a peer that never reads: the kernel takes what fits in its
    // buffers and says how much, and once nothing fits it says so instead of waiting. How
    // much fits is the kernel's (tcp_wmem, tcp_rmem, autotuning), so the Python side sends
    // the same 64 MiB on a connection of its own and the two answers must agree in kind.
    const qint64 asked = 64 * 1024 * 1024;
    Workbench bench;
    const Connected c = connectedPair(bench);
    QVERIFY(c.client.isValid());
    EXPECT_OK(RUN(bench, c.client, calls::setblocking(false)));
    const Event sent = RUN(bench, c.client, calls::send(QByteArray("y"), asked));
    EXPECT_OK(sent);
    QCOMPARE(sent.payloadSize, sent.result.count);
    QCOMPARE(sent.requestedBytes, asked);
    Event full = sent;
    int workbenchSends = 1;
    for (; workbenchSends < 1000 && full.result.ok(); ++workbenchSends)
        full = RUN(bench, c.client, calls::send(QByteArray("y"), asked));

    PythonPair pair;
    QVERIFY(pair.connected);
    pair.client.settimeout(0.0);
    // Zero pages, never written: 64 MiB of address space that costs no memory.
    void* pages = ::mmap(nullptr, size_t(asked), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    QVERIFY(pages != MAP_FAILED);
    const auto* bytes = static_cast<const char*>(pages);
    qint64 taken = 0;
    const QString first = pair.client.send(bytes, size_t(asked), &taken);
    QString last = first;
    for (int sends = 1; sends < 1000 && last == kOk; ++sends) {
        qint64 more = 0;
        last = pair.client.send(bytes, size_t(asked), &more);
    }
    ::munmap(pages, size_t(asked));

    COMPARE_OUTCOMES(QStringLiteral("the first send(), and the last before one failed"),
                     (QStringList{oracle::outcome(sent), oracle::outcome(full)}),
                     (QStringList{first, last}));
    QCOMPARE(sent.result.count > 0, taken > 0);
    QCOMPARE(sent.result.count < asked, taken < asked);
    if (last == QLatin1String("EAGAIN"))
        QCOMPARE(errnocatalog::pythonException(full.result.errorDomain, full.result.errorNumber),
                 QStringLiteral("BlockingIOError"));
}

QTEST_GUILESS_MAIN(TestWorkbenchKernel)
#include "tst_workbench_kernel.moc"
