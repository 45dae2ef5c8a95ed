// What a built-in peer keeps over many connections: `sockbench serve` forgets each one
// once it is closed, and nothing it keeps may grow with the number it has served. (The
// whole server, memory included, is tested from outside in tests/peers/check_peers.py.)

#include "outsideclient.h"
#include "services/peer.h"
#include "testsupport.h"

#include <QSignalSpy>

using namespace sockbench;
using namespace sockbench::services;
using namespace sockbench::test;

namespace {

const QByteArray kPage = QByteArrayLiteral(
    "<html>\n<head>\n\t<title>5062CEM - Networking Demo</title>\n</head>\n<body>\n"
    "Hello, welcome to 5062CEM!</body>\n");

struct Running {
    std::unique_ptr<Peer> peer;
    Endpoint address;
};

Running startPeer(Workbench& bench, const QString& kind, const PeerOptions& options)
{
    Running running;
    running.peer = Peer::create(kind, bench, QStringLiteral("peer"));
    QSignalSpy listening(running.peer.get(), &Peer::listening);
    running.peer->start(options);
    if (listening.count() || listening.wait(int(kFinishWithin.count())))
        running.address = running.peer->address();
    return running;
}

QByteArray fetch(const Endpoint& at, const QByteArray& request)
{
    OutsideClient client;
    if (!client.connectTo(at) || !client.sendAll(request))
        return QByteArrayLiteral("(could not connect and send)");
    return client.readToEnd();
}

} // namespace

class PeerMemoryTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void closedConnectionsAreForgotten();
};

void PeerMemoryTest::closedConnectionsAreForgotten()
{
    // `sockbench serve`'s way: a server that runs for days forgets each connection once it
    // is closed, so nothing it keeps grows with the number of connections it had.
    Workbench bench;
    const int threadsBefore = liveThreads();
    const int fdsBefore = openDescriptors();
    PeerOptions options;
    options.forgetClosed = true;
    const Running web = startPeer(bench, QStringLiteral("course-web"), options);
    QVERIFY(web.address.isValid());
    const SocketId listener = web.peer->sockets().value(0);
    constexpr int kConnections = 200;
    for (int i = 0; i < kConnections; ++i)
        QCOMPARE(fetch(web.address, "GET /5062CEM.php\r\n"), kPage);
    QVERIFY(waitUntil([&] {
        return web.peer->connectionsServed() == kConnections && web.peer->openSockets() == 1;
    }));
    QCOMPARE(web.peer->sockets(), QList<SocketId>{listener});
    QVERIFY(waitUntil([&] { return bench.sockets().size() == 1; }));
    QCOMPARE(bench.sockets().first().id, listener);

    // The connections' calls stay in the trace, their sockets and totals are gone.
    QSet<SocketId> accepted;
    for (const Event& e : bench.trace().events())
        if (e.kind == EventKind::CallFinished && e.request.kind == CallKind::Accept &&
            e.result.ok())
            accepted.insert(e.result.newSocket);
    QCOMPARE(accepted.size(), kConnections);
    for (const SocketId id : std::as_const(accepted)) {
        QVERIFY(!bench.socket(id));
        QCOMPARE(bench.trace().totals(id).calls, 0);
    }
    // No event keeps the buffer it was read into (4 KiB for the request, 64 KiB for what
    // follows the answer): the largest payload here is the 105-byte page.
    for (const Event& e : bench.trace().events())
        QVERIFY2(e.payload.capacity() < 1024,
                 qPrintable(QStringLiteral("event %1 (%2) keeps %3 bytes for %4")
                                .arg(e.seq)
                                .arg(callName(e.request.kind))
                                .arg(e.payload.capacity())
                                .arg(e.payload.size())));

    // What is left running is the idle server: its listener (the descriptor and the wake-up
    // descriptors of its control and read lanes) and the workbench's janitor (it never
    // waits for a socket, so it needs no wake-up descriptor). Threads: the read lane's, in
    // accept(); the control lane's and the janitor's only until they have been idle for
    // Lane::kIdleExit.
    QVERIFY2(waitUntil([&] { return liveThreads() <= threadsBefore + 3; }),
             qPrintable(QStringLiteral("%1 threads; %2 before the peer started")
                            .arg(liveThreads())
                            .arg(threadsBefore)));
    QVERIFY2(waitUntil([&] { return openDescriptors() == fdsBefore + 3; }),
             qPrintable(QStringLiteral("%1 descriptors; %2 before the peer started")
                            .arg(openDescriptors())
                            .arg(fdsBefore)));
    // A call on a forgotten socket is refused as on an id never made.
    const Event late = RUN(bench, *accepted.cbegin(), calls::recv(10));
    QCOMPARE(late.result.outcome, Outcome::Invalid);
}

QTEST_GUILESS_MAIN(PeerMemoryTest)
#include "tst_peermemory.moc"
