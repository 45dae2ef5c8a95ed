#include "throughputview.h"

#include "presentation/describe.h"
#include "selection.h"
#include "timeline.h"

#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QSet>
#include <QStackedLayout>
#include <QTimer>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <memory>

namespace sockbench {

namespace {

bool isRead(CallKind kind)
{
    return kind == CallKind::Recv || kind == CallKind::RecvFrom || kind == CallKind::RecvInto ||
           kind == CallKind::RecvFromInto;
}

// A bin of 1, 2 or 5 times a power of ten nanoseconds, so that the span shows as about
// kTargetBins bars; never finer than 10 µs (the clock and a recv() call are coarser).
qint64 niceBin(qint64 spanNs)
{
    constexpr qint64 kTargetBins = 80;
    const qint64 wanted = std::max<qint64>(spanNs / kTargetBins, 10'000);
    for (qint64 decade = 1;; decade *= 10)
        for (qint64 step : {1, 2, 5})
            if (step * decade >= wanted)
                return step * decade;
}

QString durationText(qint64 ns)
{
    if (ns >= 1'000'000'000)
        return QStringLiteral("%1 s").arg(double(ns) / 1e9, 0, 'g', 3);
    if (ns >= 1'000'000)
        return QStringLiteral("%1 ms").arg(double(ns) / 1e6, 0, 'g', 3);
    return QStringLiteral("%1 µs").arg(double(ns) / 1e3, 0, 'g', 3);
}

QFont scaled(QFont font, double factor, bool bold = false)
{
    font.setPointSizeF(font.pointSizeF() * factor);
    font.setBold(bold);
    return font;
}

} // namespace

ThroughputView::ThroughputView(Timeline& timeline, EventSelection& selection, QWidget* parent)
    : QWidget(parent)
    , m_timeline(timeline)
    , m_selection(selection)
    , m_stack(new QStackedLayout(this))
    , m_empty(new QLabel(this))
    , m_chartView(new QChartView(this))
    , m_chart(new QChart)
    , m_timeAxis(new QValueAxis(m_chart))
    , m_rateAxis(new QValueAxis(m_chart))
    , m_marker(new QLineSeries(m_chart))
    , m_redrawTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("throughputView"));
    m_empty->setObjectName(QStringLiteral("throughputEmpty"));
    m_empty->setText(tr("No bytes have moved yet: the plot fills as send() and recv() move data."));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setFont(scaled(m_empty->font(), 1.3));
    m_empty->setStyleSheet(QStringLiteral("color:#6b7280; padding:24px;"));

    m_chart->setTitle(tr("Bytes received per connection"));
    m_chart->setTitleFont(scaled(m_chart->titleFont(), 1.3, true));
    m_chart->setAnimationOptions(QChart::NoAnimation); // it redraws ten times a second
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->legend()->setFont(scaled(m_chart->legend()->font(), 1.2));
    m_chart->setMargins(QMargins(8, 8, 8, 8));
    for (QValueAxis* axis : {m_timeAxis, m_rateAxis}) {
        axis->setLabelsFont(scaled(axis->labelsFont(), 1.15));
        axis->setTitleFont(scaled(axis->titleFont(), 1.2, true));
    }
    m_rateAxis->setLabelFormat(QStringLiteral("%.3g"));
    m_timeAxis->setLabelFormat(QStringLiteral("%.3g"));
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_rateAxis, Qt::AlignLeft);

    // The selected event: a dashed vertical line across the plot.
    m_marker->setName(tr("selected"));
    QPen markerPen(QColor(0xdc, 0x26, 0x26), 2, Qt::DashLine);
    m_marker->setPen(markerPen);
    m_chart->addSeries(m_marker);
    m_marker->attachAxis(m_timeAxis);
    m_marker->attachAxis(m_rateAxis);
    for (QLegendMarker* legend : m_chart->legend()->markers(m_marker))
        legend->setVisible(false);
    m_marker->hide();

    // A QChartView starts with a default chart of its own; setChart() hands ownership of
    // that one back to us without deleting it, and takes ownership of ours.
    std::unique_ptr<QChart> defaultChart(m_chartView->chart());
    m_chartView->setChart(m_chart);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setObjectName(QStringLiteral("throughputChart"));
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_chartView);

    m_redrawTimer->setSingleShot(true);
    m_redrawTimer->setInterval(kRedrawMs);
    connect(m_redrawTimer, &QTimer::timeout, this, &ThroughputView::redraw);
    connect(&m_timeline, &Timeline::appended, this, [this](qsizetype first, qsizetype count) {
        take(first, count);
        scheduleRedraw();
    });
    connect(&m_timeline, &Timeline::trimmed, this, [this](qsizetype) {
        // Reads that left the timeline leave the plot; they are the oldest of each list.
        const quint64 firstSeq = m_timeline.size() ? m_timeline.at(0).seq : 0;
        for (auto& reads : m_reads)
            reads.erase(reads.begin(),
                        std::find_if(reads.begin(), reads.end(),
                                     [firstSeq](const Read& r) { return r.seq >= firstSeq; }));
        m_originNs = m_timeline.size() ? m_timeline.at(0).timeNs : 0;
        scheduleRedraw();
    });
    connect(&m_timeline, &Timeline::reset, this, [this] {
        rebuild();
        scheduleRedraw();
    });
    connect(&m_selection, &EventSelection::changed, this, &ThroughputView::placeMarker);
    rebuild();
    redraw();
}

bool ThroughputView::showsEmptyState() const
{
    return m_stack->currentWidget() == m_empty;
}

std::optional<double> ThroughputView::markerPosition() const
{
    if (!m_marker->isVisible() || m_marker->count() == 0)
        return std::nullopt;
    return m_marker->at(0).x();
}

void ThroughputView::rebuild()
{
    m_reads.clear();
    m_ends.clear();
    m_order.clear();
    m_originNs = m_timeline.size() ? m_timeline.at(0).timeNs : 0;
    take(0, m_timeline.size());
}

void ThroughputView::take(qsizetype first, qsizetype count)
{
    if (m_timeline.size() && first == 0)
        m_originNs = m_timeline.at(0).timeNs;
    for (qsizetype i = first; i < first + count; ++i)
        remember(m_timeline.at(i));
}

void ThroughputView::remember(const Event& e)
{
    // Where each socket is: its own address and its peer's, from every event that says.
    if (e.socket.isValid()) {
        Ends& ends = m_ends[e.socket];
        if (e.localAddress.isValid())
            ends.local = e.localAddress;
        if (e.peerAddress.isValid())
            ends.peer = e.peerAddress;
    }
    if (e.kind != EventKind::CallFinished || !e.result.ok())
        return;
    if (e.request.kind == CallKind::Accept && e.result.newSocket.isValid()) {
        Ends& ends = m_ends[e.result.newSocket];
        ends.local = e.result.acceptedLocal;
        ends.peer = e.result.address;
    }
    if (isRead(e.request.kind) && e.payloadSize > 0 && e.socket.isValid()) {
        auto& reads = m_reads[e.socket];
        if (reads.isEmpty() && !m_order.contains(e.socket))
            m_order.append(e.socket);
        reads.append(Read{e.seq, e.timeNs, e.payloadSize});
    }
}

void ThroughputView::scheduleRedraw()
{
    if (!m_redrawTimer->isActive())
        m_redrawTimer->start();
}

QList<ThroughputView::Series> ThroughputView::group() const
{
    // A TCP connection is two sockets whose addresses mirror each other: one's local is
    // the other's peer. Each socket belongs to one connection at most.
    QList<SocketId> known = m_ends.keys();
    std::sort(known.begin(), known.end());
    QSet<SocketId> used;
    QList<Series> out;
    for (SocketId socket : m_order) {
        if (used.contains(socket) || m_reads.value(socket).isEmpty())
            continue;
        Series s;
        s.sockets = {socket};
        const Ends mine = m_ends.value(socket);
        if (mine.local.isValid() && mine.peer.isValid()) {
            for (SocketId other : known) {
                if (other == socket || used.contains(other))
                    continue;
                const Ends theirs = m_ends.value(other);
                if (theirs.local == mine.peer && theirs.peer == mine.local) {
                    s.sockets.append(other);
                    break;
                }
            }
        }
        for (SocketId member : s.sockets)
            used.insert(member);
        s.label = labelFor(s.sockets);
        out.append(s);
    }
    return out;
}

QString ThroughputView::labelFor(const QList<SocketId>& sockets) const
{
    const SocketId a = sockets.value(0);
    if (sockets.size() < 2) {
        const Endpoint peer = m_ends.value(a).peer;
        return peer.isValid() ? tr("%1 → %2").arg(peer.toString(), m_timeline.socketName(a))
                              : tr("into %1").arg(m_timeline.socketName(a));
    }
    const SocketId b = sockets.value(1);
    // The arrow points the way the bytes went: from the end that sent to the end that read.
    const bool aReads = !m_reads.value(a).isEmpty();
    const bool bReads = !m_reads.value(b).isEmpty();
    if (aReads && bReads)
        return tr("%1 ⇄ %2").arg(m_timeline.socketName(b), m_timeline.socketName(a));
    return aReads ? tr("%1 → %2").arg(m_timeline.socketName(b), m_timeline.socketName(a))
                  : tr("%1 → %2").arg(m_timeline.socketName(a), m_timeline.socketName(b));
}

void ThroughputView::redraw()
{
    m_redrawTimer->stop();
    QList<Series> plotted = group();
    if (plotted.isEmpty()) {
        for (QAbstractSeries* series : m_chart->series()) {
            if (series == m_marker)
                continue;
            m_chart->removeSeries(series);
            delete series;
        }
        m_plotted.clear();
        m_stack->setCurrentWidget(m_empty);
        return;
    }

    // The axis runs from the timeline's first event to its newest, in ms or s.
    qint64 endNs = m_timeline.size() ? m_timeline.at(m_timeline.size() - 1).timeNs : m_originNs;
    for (const auto& reads : m_reads)
        if (!reads.isEmpty())
            endNs = std::max(endNs, reads.last().timeNs);
    const qint64 spanNs = std::max<qint64>(endNs - m_originNs, 1'000'000);
    m_binNs = niceBin(spanNs);
    const qsizetype bins = qsizetype(spanNs / m_binNs) + 1;
    qint64 maxBin = 0;
    for (Series& s : plotted) {
        s.binBytes.fill(0, bins);
        for (SocketId socket : s.sockets)
            for (const Read& r : m_reads.value(socket)) {
                const qsizetype bin =
                    std::clamp<qsizetype>((r.timeNs - m_originNs) / m_binNs, 0, bins - 1);
                s.binBytes[bin] += r.bytes;
                s.totalBytes += r.bytes;
                s.readSeqs.append(r.seq);
            }
        std::sort(s.readSeqs.begin(), s.readSeqs.end());
        for (qint64 b : s.binBytes)
            maxBin = std::max(maxBin, b);
    }
    const double binSeconds = double(m_binNs) / 1e9;
    const double maxRate = double(maxBin) / binSeconds; // bytes per second
    const bool mebi = maxRate >= 1024.0 * 1024.0;
    m_rateUnit = mebi ? QStringLiteral("MiB/s") : QStringLiteral("KiB/s");
    const double rateScale = mebi ? 1024.0 * 1024.0 : 1024.0;
    const bool seconds = spanNs >= 2'000'000'000;
    m_timeUnit = seconds ? QStringLiteral("s") : QStringLiteral("ms");
    m_timeScale = seconds ? 1e9 : 1e6;

    // Reuse the lines already on the chart: removing and adding series ten times a second
    // would flicker the legend.
    QList<QLineSeries*> lines;
    for (QAbstractSeries* series : m_chart->series())
        if (series != m_marker)
            lines.append(static_cast<QLineSeries*>(series));
    while (lines.size() > plotted.size()) {
        QLineSeries* extra = lines.takeLast();
        m_chart->removeSeries(extra);
        delete extra;
    }
    while (lines.size() < plotted.size()) {
        auto* line = new QLineSeries;
        m_chart->addSeries(line);
        line->attachAxis(m_timeAxis);
        line->attachAxis(m_rateAxis);
        QPen pen = line->pen();
        pen.setWidthF(2.5);
        line->setPen(pen);
        const int index = int(lines.size());
        connect(line, &QLineSeries::clicked, this,
                [this, index](const QPointF& point) { selectNear(index, point.x()); });
        lines.append(line);
    }
    for (qsizetype i = 0; i < plotted.size(); ++i) {
        const Series& s = plotted[i];
        // Steps: each bin is a flat segment at its rate, so a burst looks like one.
        QList<QPointF> points;
        points.reserve(bins * 2);
        for (qsizetype b = 0; b < bins; ++b) {
            const double rate = double(s.binBytes[b]) / binSeconds / rateScale;
            points.append(QPointF(double(b * m_binNs) / m_timeScale, rate));
            points.append(QPointF(double((b + 1) * m_binNs) / m_timeScale, rate));
        }
        lines[i]->replace(points);
        lines[i]->setName(tr("%1 · %2").arg(s.label, describe::byteCount(s.totalBytes)));
    }
    m_timeAxis->setRange(0, double(bins * m_binNs) / m_timeScale);
    m_timeAxis->applyNiceNumbers();
    m_timeAxis->setTitleText(tr("time since the first event (%1)").arg(m_timeUnit));
    m_rateAxis->setRange(0, std::max(maxRate / rateScale * 1.1, 1e-3));
    m_rateAxis->applyNiceNumbers();
    // The axis title stays short enough for a narrow panel; the bin goes in the title.
    m_rateAxis->setTitleText(tr("received (%1)").arg(m_rateUnit));
    m_chart->setTitle(tr("Bytes received per connection · bins of %1").arg(durationText(m_binNs)));
    m_plotted = plotted;
    m_stack->setCurrentWidget(m_chartView);
    placeMarker();
}

void ThroughputView::placeMarker()
{
    const Event* selected = m_selection.seq() ? m_timeline.find(m_selection.seq()) : nullptr;
    if (!selected || m_plotted.isEmpty()) {
        m_marker->hide();
        return;
    }
    const double x = double(selected->timeNs - m_originNs) / m_timeScale;
    m_marker->replace(QList<QPointF>{QPointF(x, m_rateAxis->min()), QPointF(x, m_rateAxis->max())});
    m_marker->show();
    for (QLegendMarker* legend : m_chart->legend()->markers(m_marker))
        legend->setVisible(false);
}

void ThroughputView::selectNear(int seriesIndex, double x)
{
    if (seriesIndex < 0 || seriesIndex >= m_plotted.size())
        return;
    const qint64 wantedNs = m_originNs + qint64(x * m_timeScale);
    quint64 best = 0;
    qint64 bestDistance = 0;
    for (quint64 seq : m_plotted[seriesIndex].readSeqs) {
        const Event* read = m_timeline.find(seq);
        if (!read)
            continue;
        const qint64 distance = std::abs(read->timeNs - wantedNs);
        if (!best || distance < bestDistance) {
            best = seq;
            bestDistance = distance;
        }
    }
    if (best)
        m_selection.select(best);
}

} // namespace sockbench
