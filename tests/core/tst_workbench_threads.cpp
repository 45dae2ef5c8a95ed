// Workers, full duplex, interrupts and teardown: a blocked call never holds anything else
// up, any blocked call can be interrupted, and nothing outlives the workbench.

#include "testsupport.h"

#include <QSignalSpy>

#include <memory>
#include <mutex>
#include <thread>

using namespace sockbench;
using namespace sockbench::test;

class TestWorkbenchThreads : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void submitReturnsAtOnce();
    void fullDuplexSendWhileRecvBlocked();
    void blockedCallDoesNotDelayOtherSockets();
    void oneDirectionKeepsItsOrder();
    void callsWaitForEarlierControlCalls();
    void stillParkedUntilTheKernelAnswers();
    void twoRecvsOnOneSocketBothWait();
    void interruptAccept();
    void interruptRecv();
    void interruptRecvFromUdp();
    void interruptConnect();
    void interruptSendOnFullBuffer();
    void interruptQueuedCall();
    void interruptFinishedCallIsRefused();
    void closeWakesBlockedCalls();
    void interruptAll();
    void destroyingWorkbenchLeavesNothingBehind();
    void closedSocketsGiveBackTheirThreads();
    void idleSocketsHoldNoThread();
    void aWaitedCallRunsOnTheThreadThatWaits();
    void onlyClosedSocketsAreForgotten();
    void forgettingInTheCloseCompletion();
};

void TestWorkbenchThreads::submitReturnsAtOnce()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    QVERIFY(c.server.isValid());
    const Pending recv = start(bench, c.server, calls::recv(10));
    // submit() came back while the call is still waiting for data.
    WAIT_BLOCKED(bench, recv);
    QVERIFY(!recv.finished());
    QVERIFY(bench.pendingCalls().contains(recv.call));
    EXPECT_OK(RUN(bench, c.client, calls::sendAll("x")));
    WAIT_FINISHED(recv);
    QCOMPARE(recv.event().result.data, QByteArray("x"));
    QVERIFY(!bench.pendingCalls().contains(recv.call));
}

void TestWorkbenchThreads::fullDuplexSendWhileRecvBlocked()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    const Pending recv = start(bench, c.server, calls::recv(1024));
    WAIT_BLOCKED(bench, recv);
    // The same socket sends while its recv() is blocked.
    const Event sent = RUN(bench, c.server, calls::sendAll("from the server"));
    EXPECT_OK(sent);
    QVERIFY(!recv.finished());
    QCOMPARE(RUN(bench, c.client, calls::recv(1024)).result.data, QByteArray("from the server"));
    EXPECT_OK(RUN(bench, c.client, calls::sendAll("from the client")));
    WAIT_FINISHED(recv);
    QCOMPARE(recv.event().result.data, QByteArray("from the client"));
    QCOMPARE(recv.event().lane, LaneKind::Read);
    QCOMPARE(sent.lane, LaneKind::Write);
}

void TestWorkbenchThreads::stillParkedUntilTheKernelAnswers()
{
    // What the program runner asks before it calls a run settled: a blocked call with
    // nothing to read is parked; once it has returned it is not. Unknown calls are not.
    Workbench bench;
    const Connected c = connectedPair(bench);
    const Pending recv = start(bench, c.server, calls::recv(10));
    WAIT_BLOCKED(bench, recv);
    QVERIFY(waitUntil([&] { return bench.stillParked(recv.call); }));
    // Still parked a while later: nothing arrived, and asking changes nothing.
    QVERIFY(bench.stillParked(recv.call));
    QVERIFY(!recv.finished());
    const Pending accept = start(bench, c.listener, calls::accept());
    WAIT_BLOCKED(bench, accept);
    QVERIFY(waitUntil([&] { return bench.stillParked(accept.call); }));

    EXPECT_OK(RUN(bench, c.client, calls::sendAll("x")));
    WAIT_FINISHED(recv);
    QVERIFY(!bench.stillParked(recv.call));
    QVERIFY(bench.stillParked(accept.call)); // the other socket's call is untouched
    QVERIFY(!bench.stillParked(CallId{987654}));
    QVERIFY(bench.interrupt(accept.call));
    WAIT_FINISHED(accept);
    QVERIFY(!bench.stillParked(accept.call));
}

void TestWorkbenchThreads::twoRecvsOnOneSocketBothWait()
{
    // Two Python threads in recv() on one socket both wait in the kernel: the second is
    // blocked (and parked) as the first is, and each message wakes one of them.
    Workbench bench;
    const Connected c = connectedPair(bench);
    const Pending first = start(bench, c.server, calls::recv(10));
    WAIT_BLOCKED(bench, first);
    const Pending second = start(bench, c.server, calls::recv(10));
    WAIT_BLOCKED(bench, second);
    QVERIFY(waitUntil([&] { return bench.stillParked(first.call); }));
    QVERIFY(bench.stillParked(second.call));
    EXPECT_OK(RUN(bench, c.client, calls::sendAll("one")));
    WAIT_FINISHED(first);
    QCOMPARE(first.event().result.data, QByteArray("one"));
    QVERIFY(waitUntil([&] { return bench.stillParked(second.call); }));
    QVERIFY(!second.finished());
    EXPECT_OK(RUN(bench, c.client, calls::sendAll("two")));
    WAIT_FINISHED(second);
    QCOMPARE(second.event().result.data, QByteArray("two"));
    // One blocked event each, as a call that waits has.
    int blocked = 0;
    for (const Event& e : bench.trace().events(1))
        if (e.kind == EventKind::CallBlocked && (e.call == first.call || e.call == second.call))
            ++blocked;
    QCOMPARE(blocked, 2);
}

void TestWorkbenchThreads::blockedCallDoesNotDelayOtherSockets()
{
    Workbench bench;
    const Connected a = connectedPair(bench);
    const Connected b = connectedPair(bench);
    const Pending acceptA = start(bench, a.listener, calls::accept());
    const Pending recvA = start(bench, a.server, calls::recv(1));
    WAIT_BLOCKED(bench, acceptA);
    WAIT_BLOCKED(bench, recvA);
    // Everything on the other pair goes on as if nothing were blocked.
    EXPECT_OK(RUN(bench, b.client, calls::sendAll("free")));
    QCOMPARE(RUN(bench, b.server, calls::recv(10)).result.data, QByteArray("free"));
    EXPECT_OK(RUN(bench, SocketId{}, calls::gethostname()));
    QVERIFY(!acceptA.finished());
    QVERIFY(!recvA.finished());
}

void TestWorkbenchThreads::oneDirectionKeepsItsOrder()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    QByteArray expected;
    for (int i = 0; i < 200; ++i) {
        const QByteArray chunk = QByteArray::number(i) + ',';
        expected += chunk;
        bench.submit(c.client, calls::send(chunk), QStringLiteral("test"));
    }
    QByteArray got;
    while (got.size() < expected.size()) {
        const Event e = RUN(bench, c.server, calls::recv(4096));
        EXPECT_OK(e);
        QVERIFY(e.result.count > 0);
        got += e.result.data;
    }
    QCOMPARE(got, expected);
}

void TestWorkbenchThreads::callsWaitForEarlierControlCalls()
{
    // Submitted all at once, without waiting: accept() must still come after listen(),
    // and bind() after socket(), though they run on different lanes.
    Workbench bench;
    const QString actor = QStringLiteral("test");
    const SocketId listener =
        bench.createSocket(AddressFamily::Inet4, SocketType::Stream, actor).socket;
    bench.submit(listener, calls::bind(QStringLiteral("127.0.0.1"), 0), actor);
    bench.submit(listener, calls::listen(1), actor);
    const Pending accept = start(bench, listener, calls::accept());
    const Endpoint address = RUN(bench, listener, calls::getsockname()).result.address;
    QVERIFY(address.port() != 0);
    const SocketId client =
        bench.createSocket(AddressFamily::Inet4, SocketType::Stream, actor).socket;
    const Pending send = start(bench, client, calls::sendAll("early"));
    bench.submit(client, calls::connect(QStringLiteral("127.0.0.1"), address.port()), actor);
    // send was submitted before connect: on a socket that is not connected yet the
    // kernel refuses it, and the workbench reports exactly that.
    WAIT_FINISHED(send);
    QCOMPARE(send.event().result.errorName(), QStringLiteral("EPIPE"));
    WAIT_FINISHED(accept);
    EXPECT_OK(accept.event());
}

void TestWorkbenchThreads::interruptAccept()
{
    Workbench bench;
    const SocketId s = makeSocket(bench);
    EXPECT_OK(RUN(bench, s, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    EXPECT_OK(RUN(bench, s, calls::listen(1)));
    const Pending accept = start(bench, s, calls::accept());
    WAIT_BLOCKED(bench, accept);
    QVERIFY(bench.interrupt(accept.call));
    WAIT_FINISHED(accept);
    QCOMPARE(accept.event().result.outcome, Outcome::Interrupted);
    // The listener is fine afterwards.
    QCOMPARE(RUN(bench, s, calls::getsockname()).kernel.tcpState, TcpState::Listen);
}

void TestWorkbenchThreads::interruptRecv()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    const Pending recv = start(bench, c.server, calls::recv(10));
    WAIT_BLOCKED(bench, recv);
    QVERIFY(bench.interrupt(recv.call));
    WAIT_FINISHED(recv);
    QCOMPARE(recv.event().result.outcome, Outcome::Interrupted);
    QCOMPARE(recv.event().result.errorName(), QStringLiteral("interrupted"));
    // No data was lost: the next recv gets what is sent now.
    EXPECT_OK(RUN(bench, c.client, calls::sendAll("after")));
    QCOMPARE(RUN(bench, c.server, calls::recv(10)).result.data, QByteArray("after"));
}

void TestWorkbenchThreads::interruptRecvFromUdp()
{
    Workbench bench;
    const SocketId s = makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
    EXPECT_OK(RUN(bench, s, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    const Pending recv = start(bench, s, calls::recvFrom(100));
    WAIT_BLOCKED(bench, recv);
    QVERIFY(bench.interrupt(recv.call));
    WAIT_FINISHED(recv);
    QCOMPARE(recv.event().result.outcome, Outcome::Interrupted);
}

void TestWorkbenchThreads::interruptConnect()
{
    // A listener with backlog 0 takes a connection or two into its accept queue (Linux:
    // backlog + 1); once it is full, the kernel drops further SYNs and the next connect()
    // stays in SYN_SENT until its SYN is sent again, a second later. How many get in is
    // the kernel's: try a few, and take the first one the kernel leaves waiting.
    Workbench bench;
    const SocketId listener = makeSocket(bench);
    EXPECT_OK(RUN(bench, listener, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    EXPECT_OK(RUN(bench, listener, calls::listen(0)));
    const quint16 port = RUN(bench, listener, calls::getsockname()).result.address.port();
    const SocketId first = makeSocket(bench);
    EXPECT_OK(RUN(bench, first, calls::connect(QStringLiteral("127.0.0.1"), port)));
    QVERIFY(waitUntil(
        [&] { return RUN(bench, listener, calls::getsockname()).kernel.acceptQueue == 1; }));

    Pending connect;
    SocketId waiting;
    for (int attempt = 0; attempt < 5 && !connect.call.isValid(); ++attempt) {
        const SocketId s = makeSocket(bench);
        const Pending p = start(bench, s, calls::connect(QStringLiteral("127.0.0.1"), port));
        QVERIFY(waitUntil([&] {
            return p.finished() ||
                   (isBlocked(bench, p.call) &&
                    RUN(bench, s, calls::getsockname()).kernel.tcpState == TcpState::SynSent);
        }));
        // A handshake the queue takes ends within milliseconds even on a busy machine; a
        // dropped SYN waits a second for its retry. 300 ms tell the two apart. An interrupt
        // that comes too late finds the call finished, and the next attempt goes on.
        if (p.finished() ||
            waitUntil([&] { return p.finished(); }, std::chrono::milliseconds(300))) {
            EXPECT_OK(p.event()); // let in: the queue had room after all
            continue;
        }
        if (bench.interrupt(p.call)) {
            WAIT_FINISHED(p);
            if (p.event().result.outcome == Outcome::Interrupted) {
                connect = p;
                waiting = s;
            }
        }
    }
    if (!connect.call.isValid())
        QSKIP("every connect() was let in although the accept queue was full: this kernel "
              "leaves none waiting in SYN_SENT to interrupt");
    // The kernel goes on trying. A blocking connect() waits for that attempt again, as
    // the kernel's own blocking connect does...
    const Pending second = start(bench, waiting, calls::connect(QStringLiteral("127.0.0.1"), port));
    QVERIFY(waitUntil([&] { return isBlocked(bench, second.call); }));
    QVERIFY(bench.interrupt(second.call));
    WAIT_FINISHED(second);
    QCOMPARE(second.event().result.outcome, Outcome::Interrupted);
    // ...and a non-blocking one meets the attempt in progress: EALREADY.
    EXPECT_OK(RUN(bench, waiting, calls::setblocking(false)));
    const Event again = RUN(bench, waiting, calls::connectEx(QStringLiteral("127.0.0.1"), port));
    EXPECT_OK(again);
    QCOMPARE(again.result.count, qint64(EALREADY));
}

void TestWorkbenchThreads::interruptSendOnFullBuffer()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    EXPECT_OK(RUN(bench, c.client, calls::setsockopt(SocketOption::SndBuf, 4096)));
    EXPECT_OK(RUN(bench, c.server, calls::setsockopt(SocketOption::RcvBuf, 4096)));
    const qint64 asked = 256 * 1024 * 1024;
    const Pending send = start(bench, c.client, calls::sendAll(QByteArray("x"), asked));
    WAIT_BLOCKED(bench, send);
    QVERIFY(bench.interrupt(send.call));
    WAIT_FINISHED(send);
    const Event e = send.event();
    QCOMPARE(e.result.outcome, Outcome::Interrupted);
    QVERIFY(e.result.partial);
    QVERIFY(e.result.count > 0);
    QVERIFY(e.result.count < asked);
    QCOMPARE(e.payloadSize, e.result.count); // the trace counts what really left
}

void TestWorkbenchThreads::interruptQueuedCall()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    const Pending first = start(bench, c.server, calls::recv(10));
    const Pending second = start(bench, c.server, calls::recv(10)); // queued behind it
    WAIT_BLOCKED(bench, first);
    QVERIFY(bench.interrupt(second.call));
    WAIT_FINISHED(second);
    QCOMPARE(second.event().result.outcome, Outcome::Interrupted);
    QVERIFY(second.event().result.message.contains(QStringLiteral("before it started")));
    QVERIFY(!first.finished());
    EXPECT_OK(RUN(bench, c.client, calls::sendAll("1")));
    WAIT_FINISHED(first);
    QCOMPARE(first.event().result.data, QByteArray("1"));
}

void TestWorkbenchThreads::interruptFinishedCallIsRefused()
{
    Workbench bench;
    const Event e = RUN(bench, SocketId{}, calls::gethostname());
    QVERIFY(!bench.interrupt(e.call));
    QVERIFY(!bench.interrupt(CallId{999999}));
}

void TestWorkbenchThreads::closeWakesBlockedCalls()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    const Pending recv = start(bench, c.server, calls::recv(10));
    const Pending accept = start(bench, c.listener, calls::accept());
    WAIT_BLOCKED(bench, recv);
    WAIT_BLOCKED(bench, accept);
    EXPECT_OK(RUN(bench, c.server, calls::close()));
    EXPECT_OK(RUN(bench, c.listener, calls::close()));
    WAIT_FINISHED(recv);
    WAIT_FINISHED(accept);
    QCOMPARE(recv.event().result.outcome, Outcome::Interrupted);
    QCOMPARE(accept.event().result.outcome, Outcome::Interrupted);
    // The peer sees the connection end.
    QCOMPARE(RUN(bench, c.client, calls::recv(10)).result.count, 0);
}

void TestWorkbenchThreads::interruptAll()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    const Pending a = start(bench, c.server, calls::recv(10));
    const Pending b = start(bench, c.client, calls::recv(10));
    const Pending l = start(bench, c.listener, calls::accept());
    WAIT_BLOCKED(bench, a);
    WAIT_BLOCKED(bench, b);
    WAIT_BLOCKED(bench, l);
    bench.interruptAll();
    WAIT_FINISHED(a);
    WAIT_FINISHED(b);
    WAIT_FINISHED(l);
    for (const Pending* p : {&a, &b, &l})
        QCOMPARE(p->event().result.outcome, Outcome::Interrupted);
    QVERIFY(bench.pendingCalls().isEmpty());
}

void TestWorkbenchThreads::destroyingWorkbenchLeavesNothingBehind()
{
    const int fdsBefore = openDescriptors();
    const int threadsBefore = liveThreads();
    {
        Workbench bench;
        const Connected c = connectedPair(bench);
        start(bench, c.server, calls::recv(10));
        start(bench, c.listener, calls::accept());
        const SocketId udp = makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
        RUN(bench, udp, calls::bind(QStringLiteral("127.0.0.1"), 0));
        const Pending recvFrom = start(bench, udp, calls::recvFrom(10));
        EXPECT_OK(RUN(bench, c.client, calls::setsockopt(SocketOption::SndBuf, 4096)));
        const Pending send = start(bench, c.client, calls::sendAll(QByteArray("x"), 1 << 28));
        WAIT_BLOCKED(bench, send);
        WAIT_BLOCKED(bench, recvFrom);
        start(bench, c.server, calls::recv(10)); // queued behind the blocked one
        QVERIFY(openDescriptors() > fdsBefore);
        QVERIFY(liveThreads() > threadsBefore);
    }
    QCOMPARE(openDescriptors(), fdsBefore);
    QCOMPARE(liveThreads(), threadsBefore);
}

void TestWorkbenchThreads::closedSocketsGiveBackTheirThreads()
{
    Workbench bench;
    EXPECT_OK(RUN(bench, SocketId{}, calls::gethostname())); // the resolver lane stays
    // So does the janitor, one lane that joins the lanes of closed sockets; it is made at
    // the first close. A thread, and no descriptor: it never waits for a socket.
    const int threadsBefore = liveThreads() + 1;
    const int fdsBefore = openDescriptors();
    for (int i = 0; i < 20; ++i) {
        const Connected c = connectedPair(bench);
        EXPECT_OK(RUN(bench, c.client, calls::sendAll("x")));
        QCOMPARE(RUN(bench, c.server, calls::recv(1)).result.data, QByteArray("x"));
        for (SocketId s : {c.client, c.server, c.listener})
            EXPECT_OK(RUN(bench, s, calls::close()));
    }
    // Each closed socket's lanes end and are joined moments after its close, with no
    // further call: their threads and wake-up descriptors are gone.
    QVERIFY2(
        waitUntil([&] { return liveThreads() <= threadsBefore; }),
        qPrintable(QStringLiteral("%1 threads, %2 before").arg(liveThreads()).arg(threadsBefore)));
    QVERIFY2(
        waitUntil([&] { return openDescriptors() <= fdsBefore; }),
        qPrintable(
            QStringLiteral("%1 descriptors, %2 before").arg(openDescriptors()).arg(fdsBefore)));
}

void TestWorkbenchThreads::idleSocketsHoldNoThread()
{
    // A stage of many sockets, one call in progress: the threads are about the calls in
    // progress, not one per lane of every socket ever used (2,000 sockets took 3,000).
    Workbench bench;
    const int threadsBefore = liveThreads();
    std::vector<Connected> pairs;
    for (int i = 0; i < 20; ++i) {
        pairs.push_back(connectedPair(bench));
        EXPECT_OK(RUN(bench, pairs.back().client, calls::sendAll("x")));
        QCOMPARE(RUN(bench, pairs.back().server, calls::recv(1)).result.data, QByteArray("x"));
    }
    const Pending blocked = start(bench, pairs[0].server, calls::recv(1));
    WAIT_BLOCKED(bench, blocked);
    // 60 sockets have used 80 lanes. What stays: the blocked call's, and the workbench's
    // own (its kernel watcher).
    QVERIFY2(
        waitUntil([&] { return liveThreads() <= threadsBefore + 3; }, Lane::kIdleExit * 5),
        qPrintable(QStringLiteral("%1 threads, %2 before").arg(liveThreads()).arg(threadsBefore)));
    // An idle socket answers at once all the same, on both lanes, and the blocked call
    // still gets its bytes.
    EXPECT_OK(RUN(bench, pairs[7].server, calls::sendAll("late")));
    QCOMPARE(RUN(bench, pairs[7].client, calls::recv(4)).result.data, QByteArray("late"));
    EXPECT_OK(RUN(bench, pairs[0].client, calls::sendAll("y")));
    WAIT_FINISHED(blocked);
    QCOMPARE(blocked.event().result.data, QByteArray("y"));
    // A call that blocks on a lane whose thread had ended is interrupted at once too.
    const Pending waiting = start(bench, pairs[9].server, calls::recv(1));
    WAIT_BLOCKED(bench, waiting);
    QVERIFY(bench.interrupt(waiting.call));
    WAIT_FINISHED(waiting);
    QCOMPARE(waiting.event().result.outcome, Outcome::Interrupted);
}

void TestWorkbenchThreads::aWaitedCallRunsOnTheThreadThatWaits()
{
    // callAndWait() runs a read or write call on the thread that waits for it when the
    // socket's lane is idle, as a blocking call runs on a program's own thread. It is still
    // the workbench's call: it waits in the same interruptible wait, a call submitted
    // meanwhile queues behind it, and interrupt() and close() end it.
    Workbench bench;
    const Connected c = connectedPair(bench);
    std::mutex mutex;
    QList<std::pair<CallId, std::thread::id>> blocked; // the call, and where it waited
    connect(
        &bench, &Workbench::callBlocked, &bench,
        [&](CallId call, SocketId) {
            const std::lock_guard lock(mutex);
            blocked.append({call, std::this_thread::get_id()});
        },
        Qt::DirectConnection);
    const auto blockedCount = [&] {
        const std::lock_guard lock(mutex);
        return blocked.size();
    };
    // Waits in a thread of its own, like a program's thread in recv().
    const auto waitIn = [&](std::optional<Event>* out, std::thread::id* where) {
        return std::thread([&bench, &c, out, where] {
            *where = std::this_thread::get_id();
            *out =
                bench.callAndWait(c.server, calls::recv(3), QStringLiteral("test"), kFinishWithin);
        });
    };

    std::optional<Event> first;
    std::thread::id firstThread;
    std::thread waiter = waitIn(&first, &firstThread);
    QVERIFY(waitUntil([&] { return blockedCount() == 1; }));
    const Pending queued = start(bench, c.server, calls::recv(3));
    QVERIFY(waitUntil([&] { return isBlocked(bench, queued.call); })); // behind the first
    EXPECT_OK(RUN(bench, c.client, calls::sendAll("abc")));
    waiter.join();
    QVERIFY(first);
    QCOMPARE(first->result.data, QByteArray("abc"));
    QCOMPARE(blocked.first().second, firstThread); // it waited where it was called
    QVERIFY(blocked.first().second != std::this_thread::get_id());
    EXPECT_OK(RUN(bench, c.client, calls::sendAll("def")));
    WAIT_FINISHED(queued);
    QCOMPARE(queued.event().result.data, QByteArray("def"));

    std::optional<Event> interrupted;
    std::thread::id interruptedThread;
    const qsizetype before = blockedCount();
    waiter = waitIn(&interrupted, &interruptedThread);
    QVERIFY(waitUntil([&] { return blockedCount() > before; }));
    QVERIFY(bench.interrupt(blocked.last().first));
    waiter.join();
    QCOMPARE(interrupted->result.outcome, Outcome::Interrupted);
    QCOMPARE(blocked.last().second, interruptedThread);

    std::optional<Event> closed;
    std::thread::id closedThread;
    const qsizetype again = blockedCount();
    waiter = waitIn(&closed, &closedThread);
    QVERIFY(waitUntil([&] { return blockedCount() > again; }));
    EXPECT_OK(RUN(bench, c.server, calls::close()));
    waiter.join();
    QCOMPARE(closed->result.outcome, Outcome::Interrupted);
    QCOMPARE(blocked.last().second, closedThread);
}

void TestWorkbenchThreads::onlyClosedSocketsAreForgotten()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    EXPECT_OK(RUN(bench, c.client, calls::sendAll("x")));
    QVERIFY2(!bench.forget(c.server), "an open socket is never forgotten");
    QVERIFY(bench.socket(c.server));
    EXPECT_OK(RUN(bench, c.server, calls::close()));
    QVERIFY(bench.socket(c.server));
    QVERIFY(bench.trace().totals(c.server).calls > 0);
    QVERIFY(bench.forget(c.server));
    QVERIFY(!bench.socket(c.server));
    for (const Workbench::SocketInfo& info : bench.sockets())
        QVERIFY(info.id != c.server);
    QCOMPARE(bench.trace().totals(c.server).calls, 0);
    QVERIFY2(!bench.forget(c.server), "forgotten already");
    QVERIFY2(!bench.forget(SocketId{9999}), "never made");
    // Its events stay in the trace; a call on its id is refused as on an id never made.
    bool inTrace = false;
    for (const Event& e : bench.trace().events())
        inTrace = inTrace || (e.socket == c.server && e.request.kind == CallKind::Close);
    QVERIFY(inTrace);
    const Event late = RUN(bench, c.server, calls::recv(1));
    QCOMPARE(late.result.outcome, Outcome::Invalid);
    // The other sockets go on.
    QCOMPARE(RUN(bench, c.client, calls::recv(10)).result.count, 0);
}

void TestWorkbenchThreads::forgettingInTheCloseCompletion()
{
    // A server forgets a connection in the completion of its close(), which runs on the
    // socket's own control lane: the lane must not be destroyed under itself, and every
    // thread and descriptor must still be given back.
    const int threadsBefore = liveThreads();
    const int fdsBefore = openDescriptors();
    {
        Workbench bench;
        constexpr int kSockets = 40;
        std::atomic<int> forgotten{0};
        std::atomic<int> done{0};
        for (int i = 0; i < kSockets; ++i) {
            const Connected c = connectedPair(bench);
            EXPECT_OK(RUN(bench, c.client, calls::sendAll("x")));
            const Pending recv = start(bench, c.server, calls::recv(10)); // a read lane too
            WAIT_FINISHED(recv);
            for (const SocketId socket : {c.server, c.client, c.listener})
                bench.submit(socket, calls::close(), QStringLiteral("test"),
                             [&bench, &forgotten, &done, socket](const Event&) {
                                 forgotten += bench.forget(socket) ? 1 : 0;
                                 ++done;
                             });
        }
        QVERIFY(waitUntil([&] { return done.load() == 3 * kSockets; }));
        QCOMPARE(forgotten.load(), 3 * kSockets);
        QVERIFY(bench.sockets().isEmpty());
        // The workbench's own workers stay: the watcher (made with it) and the janitor.
        QVERIFY2(waitUntil([&] { return liveThreads() <= threadsBefore + 2; }),
                 qPrintable(QStringLiteral("%1 threads, %2 before the workbench")
                                .arg(liveThreads())
                                .arg(threadsBefore)));
        // Destroyed at once, while the janitor may still hold what was forgotten last.
        bench.submit(makeSocket(bench), calls::close(), QStringLiteral("test"),
                     [&bench](const Event& e) { bench.forget(e.socket); });
    }
    QCOMPARE(liveThreads(), threadsBefore);
    QCOMPARE(openDescriptors(), fdsBefore);
}

QTEST_GUILESS_MAIN(TestWorkbenchThreads)
#include "tst_workbench_threads.moc"
