// The trace's order across workers: what a call causes on another socket comes after the
// call, whichever worker tells the trace first, and a call waiting in the kernel holds no
// other socket's events back.

#include "testsupport.h"

using namespace sockbench;
using namespace sockbench::test;

class TestWorkbenchOrder : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void effectsComeAfterTheirCauses();
    void aCallQueuedBehindABlockedOneHoldsNothingBack();
};

namespace {

// The seq of the call's first event in the trace (blocked, or finished); 0 if none.
quint64 firstEventOf(Workbench& bench, CallId call)
{
    for (const Event& e : bench.trace().events())
        if (e.call == call)
            return e.seq;
    return 0;
}

} // namespace

void TestWorkbenchOrder::effectsComeAfterTheirCauses()
{
    // What a call causes on another socket comes after the call in the trace, whichever
    // worker tells the trace first: the accept() a connect() completes, the recvfrom() a
    // sendto() feeds, the recv() a shutdown() ends. Every view (stage, ladder, event log,
    // replay, saved file) shows the trace's order. The race is a matter of microseconds,
    // so it is run many times.
    Workbench bench;
    const SocketId listener = makeSocket(bench);
    EXPECT_OK(RUN(bench, listener, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    EXPECT_OK(RUN(bench, listener, calls::listen(8)));
    const qint64 port = RUN(bench, listener, calls::getsockname()).result.address.port();
    const SocketId receiver = makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
    EXPECT_OK(RUN(bench, receiver, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    const qint64 udpPort = RUN(bench, receiver, calls::getsockname()).result.address.port();
    const SocketId sender = makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
    const auto before = [](const char* cause, quint64 first, const char* effect, quint64 then) {
        return first != 0 && first < then
                   ? QByteArray()
                   : QStringLiteral("%1 (event %2) is not before %3 (event %4)")
                         .arg(QLatin1String(cause))
                         .arg(first)
                         .arg(QLatin1String(effect))
                         .arg(then)
                         .toLocal8Bit();
    };
    for (int round = 0; round < 40; ++round) {
        const Pending accept = start(bench, listener, calls::accept());
        WAIT_BLOCKED(bench, accept);
        const SocketId client = makeSocket(bench);
        const Event connected =
            RUN(bench, client, calls::connect(QStringLiteral("127.0.0.1"), port));
        EXPECT_OK(connected);
        WAIT_FINISHED(accept);
        QByteArray wrong = before("connect()", firstEventOf(bench, connected.call),
                                  "accept()'s return", accept.event().seq);
        QVERIFY2(wrong.isEmpty(), wrong.constData());

        const Pending recv = start(bench, accept.event().result.newSocket, calls::recv(16));
        WAIT_BLOCKED(bench, recv);
        const Event shut = RUN(bench, client, calls::shutdown(SHUT_WR));
        EXPECT_OK(shut);
        WAIT_FINISHED(recv);
        QCOMPARE(recv.event().payloadSize, 0);
        wrong =
            before("shutdown()", firstEventOf(bench, shut.call), "recv()'s b''", recv.event().seq);
        QVERIFY2(wrong.isEmpty(), wrong.constData());

        const Pending datagram = start(bench, receiver, calls::recvFrom(16));
        WAIT_BLOCKED(bench, datagram);
        const Event sent =
            RUN(bench, sender,
                calls::sendTo(QByteArrayLiteral("hi"), QStringLiteral("127.0.0.1"), udpPort));
        EXPECT_OK(sent);
        WAIT_FINISHED(datagram);
        wrong = before("sendto()", firstEventOf(bench, sent.call), "recvfrom()'s return",
                       datagram.event().seq);
        QVERIFY2(wrong.isEmpty(), wrong.constData());

        EXPECT_OK(RUN(bench, client, calls::close()));
        EXPECT_OK(RUN(bench, accept.event().result.newSocket, calls::close()));
    }
    // Sequence order and time order agree.
    const QList<Event> events = bench.trace().events();
    for (qsizetype i = 1; i < events.size(); ++i)
        QVERIFY2(events[i - 1].timeNs <= events[i].timeNs,
                 qPrintable(QStringLiteral("event %1 is stamped before event %2")
                                .arg(events[i].seq)
                                .arg(events[i - 1].seq)));
}

void TestWorkbenchOrder::aCallQueuedBehindABlockedOneHoldsNothingBack()
{
    // The second recv() waits in the queue behind the first, and is said to be blocked
    // there. Once it runs and waits in the kernel itself, every other socket's events go
    // on being shown: nothing it began holds the trace back.
    Workbench bench;
    const Connected c = connectedPair(bench);
    QVERIFY(c.server.isValid());
    const Pending first = start(bench, c.server, calls::recv(16));
    WAIT_BLOCKED(bench, first);
    const Pending second = start(bench, c.server, calls::recv(16));
    WAIT_BLOCKED(bench, second);
    EXPECT_OK(RUN(bench, c.client, calls::send(QByteArrayLiteral("a"))));
    WAIT_FINISHED(first);
    QVERIFY(waitUntil([&] { return bench.stillParked(second.call); }));
    for (int i = 0; i < 5; ++i) {
        const Event other = RUN(bench, c.listener, calls::getsockname());
        EXPECT_OK(other);
        QVERIFY2(bench.trace().lastSeq() >= other.seq,
                 qPrintable(QStringLiteral("event %1 is held back; the trace shows up to %2")
                                .arg(other.seq)
                                .arg(bench.trace().lastSeq())));
    }
    EXPECT_OK(RUN(bench, c.client, calls::send(QByteArrayLiteral("b"))));
    WAIT_FINISHED(second);
    QCOMPARE(second.event().payloadSize, 1);
}

QTEST_GUILESS_MAIN(TestWorkbenchOrder)
#include "tst_workbench_order.moc"
