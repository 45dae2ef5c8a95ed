#pragma once

#include "engine/event.h"

#include <QHash>
#include <QList>
#include <QWidget>

#include <optional>

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QStackedLayout;
class QTimer;
class QValueAxis;

namespace sockbench {

class EventSelection;
class Timeline;

// How fast bytes arrive on each connection: bytes read by recv() and friends, per time
// bin, over the timeline's time axis (from its first event). One series per TCP
// connection (both ends' reads), or per receiving socket where no other end is on the
// stage (UDP, a program outside the workbench). Clicking a point selects the nearest read
// of that connection; the selected event is a vertical marker.
//
// It follows the timeline as it grows, redrawing at most every kRedrawMs.
class ThroughputView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kRedrawMs = 100;

    // One plotted line, as the last redraw computed it.
    struct Series {
        QString label;           // "client → conn"
        QList<SocketId> sockets; // the connection's ends (one where the peer is unknown)
        qint64 totalBytes = 0;   // every byte read on these sockets in the timeline
        QList<qint64> binBytes;  // bytes read in each bin, from the first bin on
        QList<quint64> readSeqs; // the reads, oldest first
    };

    ThroughputView(Timeline& timeline, EventSelection& selection, QWidget* parent = nullptr);

    QList<Series> series() const { return m_plotted; }
    qint64 binWidthNs() const { return m_binNs; }
    QString rateUnit() const { return m_rateUnit; } // "KiB/s", "MiB/s"
    QString timeUnit() const { return m_timeUnit; } // "ms", "s"
    bool showsEmptyState() const;
    QChart* chart() const { return m_chart; }
    // The marker's position on the time axis (in timeUnit()), nullopt when hidden.
    std::optional<double> markerPosition() const;

public Q_SLOTS:
    void redraw(); // now, instead of at the next coalesced moment

private:
    struct Read {
        quint64 seq = 0;
        qint64 timeNs = 0;
        qint64 bytes = 0;
    };
    struct Ends {
        Endpoint local;
        Endpoint peer;
    };

    void rebuild();
    void take(qsizetype first, qsizetype count);
    void remember(const Event& event);
    void scheduleRedraw();
    QList<Series> group() const;
    QString labelFor(const QList<SocketId>& sockets) const;
    void placeMarker();
    void selectNear(int seriesIndex, double x);

    Timeline& m_timeline;
    EventSelection& m_selection;
    QStackedLayout* m_stack;
    QLabel* m_empty;
    QChartView* m_chartView;
    QChart* m_chart;
    QValueAxis* m_timeAxis;
    QValueAxis* m_rateAxis;
    QLineSeries* m_marker;
    QTimer* m_redrawTimer;

    // What the timeline has shown so far, per socket.
    QHash<SocketId, QList<Read>> m_reads;
    QHash<SocketId, Ends> m_ends;
    QList<SocketId> m_order; // sockets in the order they first read bytes
    qint64 m_originNs = 0;   // the timeline's first event: time 0 on the axis

    QList<Series> m_plotted;
    qint64 m_binNs = 0;
    double m_timeScale = 1e6; // ns per axis unit
    QString m_rateUnit;
    QString m_timeUnit;
};

} // namespace sockbench
