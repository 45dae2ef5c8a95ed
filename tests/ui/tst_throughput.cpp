// The throughput plot: real bulk transfers over loopback, followed live through the
// timeline, give one line per connection whose bytes add up to what recv() read.

#include "testsupport.h"

#include "views/selection.h"
#include "views/throughputview.h"
#include "views/timeline.h"

#include <QChart>
#include <QLabel>
#include <QLineSeries>
#include <QValueAxis>

#include <mutex>
#include <numeric>

using namespace sockbench;
using namespace sockbench::test;

namespace {

constexpr qint64 kChunk = 64 * 1024;

// sendall(size bytes) on the client, submitted without waiting (it cannot finish before
// the reader drains the connection), and recv() on the server until every byte is in.
// Returns the bytes recv() read, by its own count.
qint64 bulkTransfer(Workbench& bench, const Connected& c, qint64 size)
{
    std::mutex mutex;
    std::optional<Event> sent;
    bench.submit(c.client, calls::sendAll(QByteArray(1, 'x'), size), QStringLiteral("client"),
                 [&](const Event& e) {
                     const std::lock_guard lock(mutex);
                     sent = e;
                 });
    qint64 received = 0;
    while (received < size) {
        const Event got = RUN(bench, c.server, calls::recv(kChunk));
        if (!got.result.ok() || got.result.count == 0)
            return received; // the caller's comparison fails and says how far it got
        received += got.result.count;
    }
    waitUntil([&] {
        const std::lock_guard lock(mutex);
        return sent.has_value();
    });
    return received;
}

qint64 sum(const QList<qint64>& values)
{
    return std::accumulate(values.begin(), values.end(), qint64(0));
}

} // namespace

class TestThroughput : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void emptyUntilBytesMove();
    void bulkTransferAddsUpPerConnection();
    void viewBuiltAfterTheFactShowsTheSame();
    void clickSelectsTheNearestReadAndMarksIt();
};

void TestThroughput::emptyUntilBytesMove()
{
    Workbench bench;
    Timeline timeline;
    EventSelection selection;
    ThroughputView view(timeline, selection);
    view.resize(900, 500);
    QVERIFY(view.showsEmptyState());
    auto* empty = view.findChild<QLabel*>(QStringLiteral("throughputEmpty"));
    QVERIFY(empty);
    QCOMPARE(
        empty->text(),
        QStringLiteral("No bytes have moved yet: the plot fills as send() and recv() move data."));

    timeline.follow(bench.trace(), 1);
    // A connection with nothing sent yet: still nothing to plot.
    const Connected c = connectedPair(bench);
    QVERIFY(c.server.isValid());
    QTRY_VERIFY(timeline.size() > 0);
    view.redraw();
    QVERIFY(view.showsEmptyState());
    QVERIFY(view.series().isEmpty());

    // The first bytes read switch to the plot.
    EXPECT_OK(RUN(bench, c.client, calls::sendAll("hello")));
    EXPECT_OK(RUN(bench, c.server, calls::recv(10)));
    QTRY_VERIFY(!view.showsEmptyState());
    QCOMPARE(view.series().size(), 1);
    QCOMPARE(view.series().first().totalBytes, 5);

    // A reset with nothing to show goes back to the sentence.
    timeline.clear();
    QTRY_VERIFY(view.showsEmptyState());
}

void TestThroughput::bulkTransferAddsUpPerConnection()
{
    Workbench bench;
    Timeline timeline;
    EventSelection selection;
    ThroughputView view(timeline, selection);
    view.resize(1000, 560);
    timeline.follow(bench.trace(), 1);

    const Connected first = connectedPair(bench);
    QVERIFY(first.server.isValid());
    timeline.setSocketNamer([&](SocketId id) {
        if (id == first.client)
            return QStringLiteral("client");
        if (id == first.server)
            return QStringLiteral("conn");
        return QString();
    });
    constexpr qint64 kBulk = 4 * 1024 * 1024;
    QCOMPARE(bulkTransfer(bench, first, kBulk), kBulk);

    // The view follows the timeline as it grows: one line, for the one connection.
    QTRY_COMPARE(view.series().size(), 1);
    QTRY_COMPARE(view.series().first().totalBytes, kBulk);
    const ThroughputView::Series one = view.series().first();
    QCOMPARE(sum(one.binBytes), kBulk);
    QCOMPARE(one.label, QStringLiteral("client → conn"));
    QCOMPARE(QSet<SocketId>(one.sockets.begin(), one.sockets.end()),
             (QSet<SocketId>{first.client, first.server}));
    QVERIFY(view.binWidthNs() > 0);
    QVERIFY(view.rateUnit() == QLatin1String("MiB/s") || view.rateUnit() == QLatin1String("KiB/s"));
    // The axes say what they show.
    auto* rateAxis = qobject_cast<QValueAxis*>(view.chart()->axes(Qt::Vertical).value(0));
    QVERIFY(rateAxis);
    QVERIFY(rateAxis->titleText().contains(view.rateUnit()));
    auto* timeAxis = qobject_cast<QValueAxis*>(view.chart()->axes(Qt::Horizontal).value(0));
    QVERIFY(timeAxis);
    QVERIFY(timeAxis->titleText().contains(QStringLiteral("(%1)").arg(view.timeUnit())));

    // A second connection is a second line; the first keeps its bytes.
    const Connected second = connectedPair(bench);
    QVERIFY(second.server.isValid());
    constexpr qint64 kSmaller = 256 * 1024;
    QCOMPARE(bulkTransfer(bench, second, kSmaller), kSmaller);
    QTRY_COMPARE(view.series().size(), 2);
    QTRY_COMPARE(view.series().at(1).totalBytes, kSmaller);
    QCOMPARE(view.series().at(0).totalBytes, kBulk);
    QCOMPARE(sum(view.series().at(1).binBytes), kSmaller);
    QCOMPARE(QSet<SocketId>(view.series().at(1).sockets.begin(), view.series().at(1).sockets.end()),
             (QSet<SocketId>{second.client, second.server}));
    // Every plotted line is a series of the chart (the marker aside), named by its label.
    int named = 0;
    for (QAbstractSeries* s : view.chart()->series())
        for (const ThroughputView::Series& plotted : view.series())
            if (s->name().startsWith(plotted.label))
                ++named;
    QCOMPARE(named, 2);
}

void TestThroughput::viewBuiltAfterTheFactShowsTheSame()
{
    // A view opened after the transfer (or after a reset) rebuilds from the timeline.
    Workbench bench;
    const Connected c = connectedPair(bench);
    QVERIFY(c.server.isValid());
    constexpr qint64 kBulk = 1024 * 1024;
    QCOMPARE(bulkTransfer(bench, c, kBulk), kBulk);
    Timeline timeline;
    timeline.follow(bench.trace(), 1);
    QVERIFY(timeline.size() > 0);
    EventSelection selection;
    ThroughputView view(timeline, selection);
    QCOMPARE(view.series().size(), 1);
    QCOMPARE(view.series().first().totalBytes, kBulk);
    QCOMPARE(bench.trace().totals(c.server).bytesReceived, kBulk);
}

void TestThroughput::clickSelectsTheNearestReadAndMarksIt()
{
    Workbench bench;
    Timeline timeline;
    EventSelection selection;
    ThroughputView view(timeline, selection);
    view.resize(1000, 560);
    timeline.follow(bench.trace(), 1);
    const Connected c = connectedPair(bench);
    QVERIFY(c.server.isValid());
    QCOMPARE(bulkTransfer(bench, c, 512 * 1024), 512 * 1024);
    QTRY_COMPARE(view.series().size(), 1);
    QVERIFY(!view.markerPosition());

    // A click on the line, halfway along the time axis.
    QLineSeries* line = nullptr;
    for (QAbstractSeries* s : view.chart()->series())
        if (s->name().startsWith(view.series().first().label))
            line = qobject_cast<QLineSeries*>(s);
    QVERIFY(line);
    auto* timeAxis = qobject_cast<QValueAxis*>(view.chart()->axes(Qt::Horizontal).value(0));
    QVERIFY(timeAxis);
    Q_EMIT line->clicked(QPointF(timeAxis->max() / 2, 0));
    QVERIFY(selection.seq() != 0);
    const Event* picked = timeline.find(selection.seq());
    QVERIFY(picked);
    QCOMPARE(picked->request.kind, CallKind::Recv);
    QCOMPARE(picked->socket, c.server);
    QVERIFY(view.series().first().readSeqs.contains(selection.seq()));
    // The marker stands at the selected read's time.
    QVERIFY(view.markerPosition());
    QVERIFY(*view.markerPosition() >= 0 && *view.markerPosition() <= timeAxis->max());

    // Any view may select; the marker follows, and leaves when nothing is selected.
    selection.clear();
    QVERIFY(!view.markerPosition());
}

QTEST_MAIN(TestThroughput)
#include "tst_throughput.moc"
