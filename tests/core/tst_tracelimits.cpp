// The trace's memory over a long run: what a stored event keeps of a short read's buffer,
// limits lowered for a headless server, and the totals of a socket the workbench forgot.
// (tst_trace tests the default limits, ordering and notifications.)

#include "engine/trace.h"

#include <QtTest>

#include <algorithm>

using namespace sockbench;

namespace {

Event finished(SocketId socket, CallKind call, qint64 bytes = 0)
{
    Event e;
    e.kind = EventKind::CallFinished;
    e.socket = socket;
    e.request.kind = call;
    e.payloadSize = bytes;
    return e;
}

// A payload whose bytes differ, so a wrong slice cannot pass for the right one.
QByteArray pattern(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = static_cast<char>('a' + i % 23);
    return bytes;
}

QList<quint64> seqsOf(const QList<Event>& events)
{
    QList<quint64> seqs;
    for (const Event& e : events)
        seqs << e.seq;
    return seqs;
}

QList<quint64> range(quint64 first, quint64 last)
{
    QList<quint64> seqs;
    for (quint64 seq = first; seq <= last; ++seq)
        seqs << seq;
    return seqs;
}

} // namespace

class TestTraceLimits : public QObject {
    Q_OBJECT

private Q_SLOTS:
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

QTEST_GUILESS_MAIN(TestTraceLimits)
#include "tst_tracelimits.moc"
