// The trace's memory: what an event keeps of its payload, the total payload budget, what
// a stored event keeps of a short read's buffer, limits lowered for a headless server, and
// the totals of a socket the workbench forgot. (tst_trace tests ordering, the event cap
// and notifications.)

#include "tracesupport.h"

#include <QtTest>

#include <algorithm>

using namespace sockbench;
using namespace sockbench::tracetest;

class TestTraceLimits : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void payloadTrimmedPerEvent();
    void resultDataLivesInPayloadOnly();
    void requestPayloadIsSampled();
    void payloadTotalCap();
    void payloadTotalCapIsNeverCrossed();
    void aBulkStreamKeepsItsFirstMebibytesThenSamples();
    void shortReadKeepsItsBytesNotItsBuffer();
    void limitsCanBeLowered();
    void forgottenSocketLosesItsTotals();
};

void TestTraceLimits::shortReadKeepsItsBytesNotItsBuffer()
{
    // recv(65536) that got 20 bytes: the bytes sit in a 64 KiB buffer. Stored as it is,
    // each such event would keep 64 KiB alive while counting 20.
    Trace trace;
    QByteArray read(65536, Qt::Uninitialized);
    read.resize(20);
    std::fill(read.begin(), read.end(), 'r');
    QVERIFY(read.capacity() >= 65536);
    Event e = finished(SocketId{1}, CallKind::Recv, read.size());
    e.result.data = read;
    e.payload = read;
    QByteArray sent(4096, Qt::Uninitialized);
    sent.resize(10);
    std::fill(sent.begin(), sent.end(), 's');
    e.request.args.payload = sent;
    trace.append(e);
    const Event stored = *trace.event(e.seq);
    QCOMPARE(stored.payload, QByteArray(20, 'r'));
    QVERIFY2(stored.payload.capacity() < 1024,
             qPrintable(QString::number(stored.payload.capacity())));
    QCOMPARE(stored.request.args.payload, QByteArray(10, 's'));
    QVERIFY2(stored.request.args.payload.capacity() < 1024,
             qPrintable(QString::number(stored.request.args.payload.capacity())));
    QCOMPARE(trace.payloadBytesStored(), 20);
    // The caller's event keeps its bytes, buffer and all.
    QCOMPARE(e.result.data, QByteArray(20, 'r'));
}

void TestTraceLimits::limitsCanBeLowered()
{
    Trace trace;
    QCOMPARE(trace.limits().maxEvents, Trace::kMaxEvents);
    QCOMPARE(trace.limits().payloadTotal, Trace::kPayloadTotal);
    for (int i = 0; i < 100; ++i) {
        Event e = finished(SocketId{1}, CallKind::Recv, 10);
        e.payload = pattern(10);
        trace.append(e);
    }
    QCOMPARE(trace.payloadBytesStored(), 1000);
    // Lowered: the oldest events beyond the new cap go at once, their payload with them.
    trace.setLimits({30, 500});
    QCOMPARE(trace.size(), 30);
    QCOMPARE(trace.firstSeq(), 71u);
    QCOMPARE(trace.payloadBytesStored(), 300);
    for (int i = 0; i < 50; ++i) {
        Event e = finished(SocketId{1}, CallKind::Recv, 10);
        e.payload = pattern(10);
        trace.append(e);
    }
    QCOMPARE(trace.size(), 30);
    QCOMPARE(seqsOf(trace.events()), range(121, 150));
    QCOMPARE(trace.payloadBytesStored(), 300);
    // The payload budget is the lowered one: past it, a sample.
    Event big = finished(SocketId{1}, CallKind::Recv, 1000);
    big.payload = pattern(1000);
    trace.append(big);
    QCOMPARE(trace.event(big.seq)->payload, pattern(Trace::kPayloadSample));
    // Totals count everything ever appended, whatever was evicted.
    QCOMPARE(trace.totals(SocketId{1}).calls, 151);
    QCOMPARE(trace.totals(SocketId{1}).bytesReceived, 150 * 10 + 1000);
}

void TestTraceLimits::forgottenSocketLosesItsTotals()
{
    Trace trace;
    for (const SocketId socket : {SocketId{1}, SocketId{2}}) {
        Event e = finished(socket, CallKind::Send, 5);
        e.payload = "hello";
        trace.append(e);
    }
    trace.forgetSocket(SocketId{1});
    QCOMPARE(trace.totals(SocketId{1}).calls, 0);
    QCOMPARE(trace.totals(SocketId{1}).bytesSent, 0);
    QCOMPARE(trace.totals(SocketId{2}).calls, 1);
    QCOMPARE(trace.totals(SocketId{2}).bytesSent, 5);
    // Its events stay.
    QCOMPARE(trace.size(), 2);
    QCOMPARE(trace.events().first().socket, SocketId{1});
}

void TestTraceLimits::payloadTrimmedPerEvent()
{
    Trace trace;
    const QByteArray big = pattern(100 * 1024);
    Event e = finished(SocketId{1}, CallKind::Recv, big.size());
    e.payload = big;
    trace.append(e);
    // The caller's copy is untouched.
    QCOMPARE(e.payload.size(), big.size());
    QVERIFY(!e.payloadTruncated());

    const Event stored = *trace.event(e.seq);
    QCOMPARE(stored.payload.size(), Trace::kPayloadPerEvent);
    QCOMPARE(stored.payload, big.left(Trace::kPayloadPerEvent));
    QCOMPARE(stored.payloadSize, 100 * 1024); // the true count
    QVERIFY(stored.payloadTruncated());
    QCOMPARE(trace.payloadBytesStored(), Trace::kPayloadPerEvent);

    // Exactly the limit is kept whole.
    Event exact = finished(SocketId{1}, CallKind::Send, Trace::kPayloadPerEvent);
    exact.payload = pattern(Trace::kPayloadPerEvent);
    trace.append(exact);
    QCOMPARE(trace.event(exact.seq)->payload, exact.payload);
    QVERIFY(!trace.event(exact.seq)->payloadTruncated());
    QCOMPARE(trace.payloadBytesStored(), 2 * Trace::kPayloadPerEvent);
}

void TestTraceLimits::resultDataLivesInPayloadOnly()
{
    Trace trace;
    Event e = finished(SocketId{1}, CallKind::Recv, 5);
    e.result.data = "hello";
    e.payload = "hello";
    trace.append(e);
    QCOMPARE(e.result.data, QByteArray("hello"));
    const Event stored = *trace.event(e.seq);
    QVERIFY(stored.result.data.isEmpty());
    QCOMPARE(stored.payload, QByteArray("hello"));
    QCOMPARE(trace.payloadBytesStored(), 5);
}

void TestTraceLimits::requestPayloadIsSampled()
{
    Trace trace;
    const QByteArray big = pattern(1000);
    Event e = finished(SocketId{1}, CallKind::SendAll, 5000);
    e.request.args.payload = big;
    e.request.args.repeat = 5;
    e.requestedBytes = 5000;
    trace.append(e);
    QCOMPARE(e.request.args.payload, big);
    const Event stored = *trace.event(e.seq);
    QCOMPARE(stored.request.args.payload, big.left(Trace::kPayloadSample));
    QCOMPARE(stored.request.args.payload.size(), 64);
    QCOMPARE(stored.request.args.repeat, 5);
    QCOMPARE(stored.requestedBytes, 5000);
    // The request sample is not payload: it does not count against the payload budget.
    QCOMPARE(trace.payloadBytesStored(), 0);

    for (const qsizetype size : {qsizetype(10), Trace::kPayloadSample}) {
        Event small = finished(SocketId{1}, CallKind::Send, size);
        small.request.args.payload = pattern(size);
        trace.append(small);
        QCOMPARE(trace.event(small.seq)->request.args.payload, pattern(size));
    }
}

void TestTraceLimits::payloadTotalCap()
{
    Trace trace;
    // One buffer shared by every event: 64 MiB are accounted without 64 MiB being used.
    // Spread over sockets, each within its own kPayloadPerSocket.
    const QByteArray full = pattern(Trace::kPayloadPerEvent);
    const qint64 fullEvents = Trace::kPayloadTotal / Trace::kPayloadPerEvent;
    const qint64 perSocket = Trace::kPayloadPerSocket / Trace::kPayloadPerEvent;
    QCOMPARE(fullEvents, 1024);
    for (qint64 i = 0; i < fullEvents; ++i) {
        Event e = finished(SocketId{quint32(i / perSocket + 1)}, CallKind::Recv, full.size());
        e.payload = full;
        trace.append(e);
    }
    QCOMPARE(trace.payloadBytesStored(), Trace::kPayloadTotal);
    QCOMPARE(trace.event(trace.lastSeq())->payload.size(), Trace::kPayloadPerEvent);

    // From now on only a sample is kept, but the true size and the totals stay exact.
    Event over = finished(SocketId{1}, CallKind::Recv, 1000);
    over.payload = pattern(1000);
    trace.append(over);
    const Event stored = *trace.event(over.seq);
    QCOMPARE(stored.payload, pattern(1000).left(Trace::kPayloadSample));
    QCOMPARE(stored.payloadSize, 1000);
    QVERIFY(stored.payloadTruncated());
    QCOMPARE(trace.payloadBytesStored(), Trace::kPayloadTotal + Trace::kPayloadSample);

    Event tiny = finished(SocketId{1}, CallKind::Recv, 10);
    tiny.payload = pattern(10);
    trace.append(tiny);
    QCOMPARE(trace.event(tiny.seq)->payload, pattern(10));
    QCOMPARE(trace.payloadBytesStored(), Trace::kPayloadTotal + Trace::kPayloadSample + 10);
    QCOMPARE(trace.totals(SocketId{1}).bytesReceived, perSocket * full.size() + 1000 + 10);
}

void TestTraceLimits::payloadTotalCapIsNeverCrossed()
{
    Trace trace;
    const QByteArray full = pattern(Trace::kPayloadPerEvent);
    const qint64 perSocket = Trace::kPayloadPerSocket / Trace::kPayloadPerEvent;
    const qint64 fullEvents = Trace::kPayloadTotal / Trace::kPayloadPerEvent;
    for (qint64 i = 0; i < fullEvents - 1; ++i) {
        Event e = finished(SocketId{quint32(i / perSocket + 1)}, CallKind::Recv, full.size());
        e.payload = full;
        trace.append(e);
    }
    // The last socket's last event: its socket has room, the whole trace has 100 bytes less.
    Event almost = finished(SocketId{quint32((fullEvents - 1) / perSocket + 1)}, CallKind::Recv,
                            full.size() - 100);
    almost.payload = full.left(full.size() - 100);
    trace.append(almost);
    QCOMPARE(trace.payloadBytesStored(), Trace::kPayloadTotal - 100);

    // 1000 bytes would cross the budget: a sample is kept instead (on a socket of its own
    // that has kept nothing: the whole trace's limit decides).
    Event crossing = finished(SocketId{9999}, CallKind::Recv, 1000);
    crossing.payload = pattern(1000);
    trace.append(crossing);
    QCOMPARE(trace.event(crossing.seq)->payload.size(), Trace::kPayloadSample);
    QCOMPARE(trace.payloadBytesStored(), Trace::kPayloadTotal - 100 + Trace::kPayloadSample);

    // What still fits is kept whole, up to the budget exactly.
    Event fits = finished(SocketId{9999}, CallKind::Recv, 36);
    fits.payload = pattern(36);
    trace.append(fits);
    QCOMPARE(trace.event(fits.seq)->payload, pattern(36));
    QCOMPARE(trace.payloadBytesStored(), Trace::kPayloadTotal);
}

void TestTraceLimits::aBulkStreamKeepsItsFirstMebibytesThenSamples()
{
    // One socket's 1 GiB of 256 KiB reads: the first kPayloadPerSocket bytes are kept in
    // full (64 KiB an event), every later event a sample, so the stream costs 4 MiB of
    // fresh memory rather than the whole trace's 64. Another socket keeps its own in full.
    Trace trace;
    const QByteArray read = pattern(256 * 1024);
    const qint64 full = Trace::kPayloadPerSocket / Trace::kPayloadPerEvent;
    for (qint64 i = 0; i < full + 10; ++i) {
        Event e = finished(SocketId{1}, CallKind::Recv, read.size());
        e.payload = read;
        trace.append(e);
        QCOMPARE(trace.event(e.seq)->payload.size(),
                 i < full ? Trace::kPayloadPerEvent : Trace::kPayloadSample);
        QCOMPARE(trace.event(e.seq)->payloadSize, read.size()); // the true size stays
    }
    QCOMPARE(trace.payloadBytesStored(), Trace::kPayloadPerSocket + 10 * Trace::kPayloadSample);
    QCOMPARE(trace.totals(SocketId{1}).bytesReceived, (full + 10) * read.size());
    Event other = finished(SocketId{2}, CallKind::Recv, read.size());
    other.payload = read;
    trace.append(other);
    QCOMPARE(trace.event(other.seq)->payload, read.left(Trace::kPayloadPerEvent));
}

QTEST_GUILESS_MAIN(TestTraceLimits)
#include "tst_tracelimits.moc"
