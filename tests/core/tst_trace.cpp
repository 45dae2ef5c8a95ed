// The trace: sequence and time stamps, places held for calls, the event cap,
// per-socket totals, ranges, appends from many threads and the coalesced `appended` signal.

#include "tracesupport.h"

#include <QSemaphore>
#include <QSignalSpy>
#include <QtTest>

#include <algorithm>
#include <latch>
#include <limits>
#include <optional>
#include <thread>
#include <vector>

using namespace sockbench;
using namespace sockbench::tracetest;

class TestTrace : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void emptyTrace();
    void sequenceAndTime();
    void appendStampsTheCallersEvent();
    void aPlaceHoldsBackWhatCameAfterIt();
    void aPlaceGivenUpLeavesAGap();
    void totalsPerSocket();
    void ranges_data();
    void ranges();
    void oldestEventsAreEvicted();
    void concurrentAppends();
    void appendedIsQueuedAndCoalesced();
    void appendedCoalescesAppendsFromAnotherThread();
    void appendedOncePerBatch();
    void appendedWhileAppendsContinue();
};

void TestTrace::emptyTrace()
{
    Trace trace;
    QCOMPARE(trace.firstSeq(), 1u);
    QCOMPARE(trace.lastSeq(), 0u);
    QCOMPARE(trace.size(), 0);
    QVERIFY(!trace.event(0));
    QVERIFY(!trace.event(1));
    QVERIFY(trace.events().isEmpty());
    QCOMPARE(trace.payloadBytesStored(), 0);
    const Trace::SocketTotals none = trace.totals(SocketId{1});
    QCOMPARE(none.calls, 0);
    QCOMPARE(none.errors, 0);
    QCOMPARE(none.bytesSent, 0);
    QCOMPARE(none.bytesReceived, 0);
}

void TestTrace::sequenceAndTime()
{
    Trace trace;
    QList<qint64> times;
    for (quint64 expected = 1; expected <= 3; ++expected) {
        Event e = finished(SocketId{1}, CallKind::Send, 1);
        QCOMPARE(trace.append(e), expected);
        times << e.timeNs;
    }
    const qint64 after = trace.nowNs();
    QCOMPARE(trace.firstSeq(), 1u);
    QCOMPARE(trace.lastSeq(), 3u);
    QCOMPARE(trace.size(), 3);
    const QList<Event> stored = trace.events();
    QCOMPARE(seqsOf(stored), range(1, 3));
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(stored[i].timeNs, times[i]);
        QVERIFY(stored[i].timeNs >= 0);
        QVERIFY(stored[i].timeNs <= after);
        if (i > 0)
            QVERIFY(stored[i].timeNs >= stored[i - 1].timeNs);
    }
    QCOMPARE(trace.event(2)->seq, 2u);
    QCOMPARE(trace.event(2)->timeNs, times[1]);
}

void TestTrace::appendStampsTheCallersEvent()
{
    Trace trace;
    Event first; // seq 1, so that the next one is not a default value
    trace.append(first);

    // No start given: the call took no time.
    Event instant = finished(SocketId{1}, CallKind::Close);
    const quint64 seq = trace.append(instant);
    QCOMPARE(seq, 2u);
    QCOMPARE(instant.seq, 2u);
    QCOMPARE(instant.startNs, instant.timeNs);
    QCOMPARE(instant.durationNs(), 0);

    // A start taken from the trace's clock before the call is kept.
    Event timed = finished(SocketId{1}, CallKind::Recv);
    const qint64 started = trace.nowNs();
    timed.startNs = started;
    QCOMPARE(trace.append(timed), 3u);
    QCOMPARE(timed.seq, 3u);
    QCOMPARE(timed.startNs, started);
    QVERIFY(timed.timeNs >= started);
    QCOMPARE(timed.durationNs(), timed.timeNs - started);

    // A start in the future cannot be: it becomes the finish time.
    Event future = finished(SocketId{1}, CallKind::Recv);
    future.startNs = std::numeric_limits<qint64>::max();
    trace.append(future);
    QCOMPARE(future.startNs, future.timeNs);

    // The stored copy carries the same stamps.
    for (const Event* e : {&instant, &timed, &future}) {
        const auto stored = trace.event(e->seq);
        QVERIFY(stored);
        QCOMPARE(stored->seq, e->seq);
        QCOMPARE(stored->timeNs, e->timeNs);
        QCOMPARE(stored->startNs, e->startNs);
        QCOMPARE(stored->request.kind, e->request.kind);
    }
}

void TestTrace::totalsPerSocket()
{
    Trace trace;
    const SocketId a{1};
    const SocketId b{2};
    const qint64 sent[] = {100, 50, 25};
    int i = 0;
    for (CallKind kind : {CallKind::Send, CallKind::SendAll, CallKind::SendTo}) {
        Event e = finished(a, kind, sent[i++]);
        trace.append(e);
    }
    const qint64 received[] = {10, 20, 30, 40};
    i = 0;
    for (CallKind kind :
         {CallKind::Recv, CallKind::RecvFrom, CallKind::RecvInto, CallKind::RecvFromInto}) {
        Event e = finished(a, kind, received[i++]);
        trace.append(e);
    }
    Event refused = finished(a, CallKind::Connect, 0, Outcome::Error);
    trace.append(refused);
    Event timedOut = finished(a, CallKind::Recv, 0, Outcome::Timeout);
    trace.append(timedOut);
    // A big send whose payload is trimmed still counts in full.
    Event big = finished(a, CallKind::Send, 200 * 1024);
    big.payload = pattern(200 * 1024);
    trace.append(big);
    // Not calls that finished: not counted.
    Event blocked = finished(a, CallKind::Recv, 999);
    blocked.kind = EventKind::CallBlocked;
    trace.append(blocked);
    Event observed = finished(a, CallKind::Recv, 999);
    observed.kind = EventKind::Observation;
    trace.append(observed);
    // A call that moves no data counts as a call only.
    Event option = finished(a, CallKind::SetSockOpt, 4);
    trace.append(option);

    Event other = finished(b, CallKind::Send, 7);
    trace.append(other);

    const Trace::SocketTotals ta = trace.totals(a);
    QCOMPARE(ta.bytesSent, 100 + 50 + 25 + 200 * 1024);
    QCOMPARE(ta.bytesReceived, 10 + 20 + 30 + 40);
    QCOMPARE(ta.calls, 3 + 4 + 2 + 1 + 1);
    QCOMPARE(ta.errors, 2);
    const Trace::SocketTotals tb = trace.totals(b);
    QCOMPARE(tb.bytesSent, 7);
    QCOMPARE(tb.bytesReceived, 0);
    QCOMPARE(tb.calls, 1);
    QCOMPARE(tb.errors, 0);
    QCOMPARE(trace.totals(SocketId{3}).calls, 0);
}

void TestTrace::ranges_data()
{
    QTest::addColumn<quint64>("from");
    QTest::addColumn<qsizetype>("max");
    QTest::addColumn<QList<quint64>>("expected");
    QTest::newRow("all") << quint64(0) << qsizetype(-1) << range(1, 10);
    QTest::newRow("from 1") << quint64(1) << qsizetype(-1) << range(1, 10);
    QTest::newRow("from 5") << quint64(5) << qsizetype(-1) << range(5, 10);
    QTest::newRow("from 5, 3 of them") << quint64(5) << qsizetype(3) << range(5, 7);
    QTest::newRow("more than there are") << quint64(3) << qsizetype(100) << range(3, 10);
    QTest::newRow("the last") << quint64(10) << qsizetype(-1) << range(10, 10);
    QTest::newRow("past the end") << quint64(11) << qsizetype(-1) << QList<quint64>();
    QTest::newRow("far past the end") << quint64(1000) << qsizetype(5) << QList<quint64>();
    QTest::newRow("none wanted") << quint64(1) << qsizetype(0) << QList<quint64>();
    QTest::newRow("one") << quint64(0) << qsizetype(1) << range(1, 1);
}

void TestTrace::ranges()
{
    QFETCH(quint64, from);
    QFETCH(qsizetype, max);
    QFETCH(QList<quint64>, expected);
    Trace trace;
    for (int i = 0; i < 10; ++i) {
        Event e = finished(SocketId{1}, CallKind::Send, i);
        trace.append(e);
    }
    const QList<Event> got = trace.events(from, max);
    QCOMPARE(seqsOf(got), expected);
    for (const Event& e : got)
        QCOMPARE(e.payloadSize, qint64(e.seq - 1)); // the right event behind each number
    QCOMPARE(trace.event(1)->seq, 1u);
    QCOMPARE(trace.event(10)->seq, 10u);
    QVERIFY(!trace.event(0));
    QVERIFY(!trace.event(11));
}

void TestTrace::oldestEventsAreEvicted()
{
    Trace trace;
    const auto total = static_cast<quint64>(Trace::kMaxEvents) + 10;
    for (quint64 i = 0; i < total; ++i) {
        Event e = finished(SocketId{1}, CallKind::Send, 1);
        e.payload = "x";
        trace.append(e);
    }
    QCOMPARE(trace.size(), Trace::kMaxEvents);
    QCOMPARE(trace.firstSeq(), 11u);
    QCOMPARE(trace.lastSeq(), total);
    QVERIFY(!trace.event(10));
    QCOMPARE(trace.event(11)->seq, 11u);
    QCOMPARE(trace.event(total)->seq, total);
    // Ranges are clamped to what is kept.
    QCOMPARE(seqsOf(trace.events(0, 2)), range(11, 12));
    QCOMPARE(seqsOf(trace.events(5, 2)), range(11, 12));
    QCOMPARE(seqsOf(trace.events(total - 1)), range(total - 1, total));
    // Evicted payload leaves the budget; the totals remember everything.
    QCOMPARE(trace.payloadBytesStored(), Trace::kMaxEvents);
    QCOMPARE(trace.totals(SocketId{1}).calls, qint64(total));
    QCOMPARE(trace.totals(SocketId{1}).bytesSent, qint64(total));
}

void TestTrace::concurrentAppends()
{
    Trace trace;
    constexpr int kThreads = 4;
    constexpr int kPerThread = 5000;
    std::vector<std::vector<quint64>> seqs(kThreads);
    std::latch start(kThreads);
    {
        std::vector<std::jthread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&trace, &seqs, &start, t] {
                start.arrive_and_wait();
                for (int i = 0; i < kPerThread; ++i) {
                    Event e = finished(SocketId{quint32(t + 1)}, CallKind::Send, 10);
                    e.payload = "0123456789";
                    const quint64 seq = trace.append(e);
                    if (e.seq != seq) // caught below: every seq must show up exactly once
                        return;
                    seqs[size_t(t)].push_back(seq);
                }
            });
        }
    } // the jthreads join here

    std::vector<quint64> all;
    for (const auto& mine : seqs) {
        QCOMPARE(int(mine.size()), kPerThread);
        QVERIFY(std::is_sorted(mine.begin(), mine.end())); // each thread sees its own order
        all.insert(all.end(), mine.begin(), mine.end());
    }
    std::sort(all.begin(), all.end());
    QCOMPARE(int(all.size()), kThreads * kPerThread);
    for (size_t i = 0; i < all.size(); ++i)
        QCOMPARE(all[i], quint64(i + 1)); // unique and contiguous

    QCOMPARE(trace.size(), kThreads * kPerThread);
    QCOMPARE(trace.lastSeq(), quint64(kThreads * kPerThread));
    const QList<Event> stored = trace.events();
    for (qsizetype i = 0; i < stored.size(); ++i) {
        QCOMPARE(stored[i].seq, quint64(i + 1));
        if (i > 0)
            QVERIFY(stored[i].timeNs >= stored[i - 1].timeNs); // time order is seq order
    }
    for (int t = 0; t < kThreads; ++t) {
        const Trace::SocketTotals totals = trace.totals(SocketId{quint32(t + 1)});
        QCOMPARE(totals.calls, kPerThread);
        QCOMPARE(totals.bytesSent, 10 * kPerThread);
    }
    QCOMPARE(trace.payloadBytesStored(), 10 * kThreads * kPerThread);
}

void TestTrace::appendedIsQueuedAndCoalesced()
{
    Trace trace;
    QSignalSpy spy(&trace, &Trace::appended);
    QVERIFY(spy.isValid());
    for (int i = 0; i < 100; ++i) {
        Event e = finished(SocketId{1}, CallKind::Send, 1);
        trace.append(e);
    }
    // Queued: nothing yet, even from the trace's own thread.
    QCOMPARE(spy.count(), 0);
    QVERIFY(spy.count() || spy.wait());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).value<quint64>(), 100u);
    QCoreApplication::processEvents();
    QCOMPARE(spy.count(), 1);

    // The next append notifies again.
    Event e = finished(SocketId{1}, CallKind::Send, 1);
    trace.append(e);
    QVERIFY(spy.wait());
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy.at(1).at(0).value<quint64>(), 101u);
}

void TestTrace::appendedCoalescesAppendsFromAnotherThread()
{
    Trace trace;
    QSignalSpy spy(&trace, &Trace::appended);
    QThread* deliveredIn = nullptr;
    connect(&trace, &Trace::appended, this,
            [&deliveredIn] { deliveredIn = QThread::currentThread(); });
    constexpr quint64 kEvents = 10000;
    std::jthread([&trace] {
        for (quint64 i = 0; i < kEvents; ++i) {
            Event e = finished(SocketId{1}, CallKind::Send, 1);
            trace.append(e);
        }
    }).join();
    QCOMPARE(spy.count(), 0); // waiting in this thread's queue
    QVERIFY(spy.count() || spy.wait());
    QCoreApplication::processEvents();
    // 10000 events, one signal, carrying the newest seq, delivered in the trace's thread.
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).value<quint64>(), kEvents);
    QCOMPARE(deliveredIn, trace.thread());
}

void TestTrace::appendedOncePerBatch()
{
    Trace trace;
    QSignalSpy spy(&trace, &Trace::appended);
    QSemaphore firstBatchDone;
    QSemaphore goOn;
    constexpr quint64 kBatch = 5000;
    std::jthread producer([&] {
        for (int batch = 0; batch < 2; ++batch) {
            for (quint64 i = 0; i < kBatch; ++i) {
                Event e = finished(SocketId{1}, CallKind::Recv, 1);
                trace.append(e);
            }
            if (batch == 0) {
                firstBatchDone.release();
                goOn.acquire();
            }
        }
    });
    firstBatchDone.acquire();
    QVERIFY(spy.count() || spy.wait());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).value<quint64>(), kBatch);

    goOn.release();
    producer.join();
    QVERIFY(spy.count() > 1 || spy.wait());
    QCoreApplication::processEvents();
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy.at(1).at(0).value<quint64>(), 2 * kBatch);
}

void TestTrace::appendedWhileAppendsContinue()
{
    Trace trace;
    QList<quint64> seen;
    connect(&trace, &Trace::appended, this, [&seen](quint64 lastSeq) { seen << lastSeq; });
    constexpr quint64 kEvents = 20000;
    std::jthread producer([&trace] {
        for (quint64 i = 0; i < kEvents; ++i) {
            Event e = finished(SocketId{1}, CallKind::Send, 1);
            trace.append(e);
        }
    });
    // The consumer keeps its event loop turning while the producer runs.
    QTRY_COMPARE_WITH_TIMEOUT(seen.isEmpty() ? 0 : seen.last(), kEvents, 10000);
    producer.join();
    QCoreApplication::processEvents();
    QCOMPARE(seen.last(), kEvents);
    QVERIFY2(seen.size() < qsizetype(kEvents), qPrintable(QString::number(seen.size())));
    for (qsizetype i = 1; i < seen.size(); ++i)
        QVERIFY(seen[i] > seen[i - 1]); // every signal says something new
}

void TestTrace::aPlaceHoldsBackWhatCameAfterIt()
{
    // A call takes a place before its system call; what it causes, told by other threads
    // first, is stored behind the place and read only once the call has filled it.
    Trace trace;
    QSignalSpy spy(&trace, &Trace::appended);
    Event before = finished(SocketId{1}, CallKind::Listen);
    trace.append(before);
    Trace::Place place = trace.reserve();
    QVERIFY(place.held());
    Event caused = finished(SocketId{2}, CallKind::Accept);
    std::thread([&] { trace.append(caused); }).join();
    QCOMPARE(caused.seq, 3u);
    QCOMPARE(trace.lastSeq(), 1u); // the accept waits for the connect's place
    QCOMPARE(seqsOf(trace.events()), range(1, 1));
    QVERIFY(!trace.event(3));
    QCoreApplication::processEvents();
    QCOMPARE(spy.size(), 1); // the first event only

    Event cause = finished(SocketId{3}, CallKind::Connect);
    cause.startNs = before.timeNs;
    QCOMPARE(trace.append(cause, place), 2u);
    QVERIFY(!place.held());
    QCOMPARE(cause.seq, 2u);
    QCOMPARE(trace.lastSeq(), 3u);
    const QList<Event> stored = trace.events();
    QCOMPARE(seqsOf(stored), range(1, 3));
    QCOMPARE(stored[1].request.kind, CallKind::Connect);
    QCOMPARE(stored[2].request.kind, CallKind::Accept);
    // Sequence order and time order agree: the filled place is no later than what it held.
    QVERIFY(stored[0].timeNs <= stored[1].timeNs);
    QVERIFY(stored[1].timeNs <= stored[2].timeNs);
    QCOMPARE(stored[1].timeNs, cause.timeNs);
    QVERIFY(cause.startNs <= cause.timeNs);
    QCOMPARE(trace.totals(SocketId{3}).calls, 1);
    QTRY_COMPARE(spy.size(), 2);
    QCOMPARE(spy.last().at(0).toULongLong(), 3u);

    // A place already filled is not filled twice: the next event is appended.
    Event later = finished(SocketId{3}, CallKind::Send, 4);
    QCOMPARE(trace.append(later, place), 4u);
    QCOMPARE(trace.lastSeq(), 4u);
}

void TestTrace::aPlaceGivenUpLeavesAGap()
{
    // A call that ends without an event (it never does in the workbench, but a place must
    // not hold the trace back forever) gives its place up: a gap in the numbers.
    Trace trace;
    Event first = finished(SocketId{1}, CallKind::Bind);
    trace.append(first);
    std::optional<Trace::Place> place(trace.reserve());
    Event second = finished(SocketId{1}, CallKind::Listen);
    trace.append(second);
    QCOMPARE(trace.lastSeq(), 1u);
    place.reset(); // destroyed unfilled
    QCOMPARE(trace.lastSeq(), 3u);
    QCOMPARE(seqsOf(trace.events()), (QList<quint64>{1, 3}));
    QVERIFY(!trace.event(2));
    QCOMPARE(trace.event(3)->request.kind, CallKind::Listen);
    // Two places: the older one holds back the younger one's event too.
    Trace::Place older = trace.reserve();
    Trace::Place younger = trace.reserve();
    Event y = finished(SocketId{2}, CallKind::Recv);
    trace.append(y, younger);
    QCOMPARE(trace.lastSeq(), 3u);
    Event o = finished(SocketId{3}, CallKind::Send);
    trace.append(o, older);
    QCOMPARE(trace.lastSeq(), 5u);
    QCOMPARE(seqsOf(trace.events(4)), range(4, 5));
}

QTEST_GUILESS_MAIN(TestTrace)
#include "tst_trace.moc"
