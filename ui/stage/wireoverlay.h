#pragma once

#include "net/call.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <vector>

namespace sockbench {

// Draws over the stage: a wire between every two connected sockets, the byte chunks
// travelling along them, and small SYN / FIN / RST marks where the kernel's states prove
// them. It never takes a mouse click: the cards underneath stay usable.
//
// Motion costs nothing when nothing moves: the frame timer runs only while a chunk or a
// mark is in flight. Chunks that leave on a wire while another is still on its first half
// join it (their counts add up), so bulk traffic keeps a handful of shapes on screen.
class WireOverlay : public QWidget {
    Q_OBJECT
public:
    struct Wire {
        SocketId a;
        SocketId b;
        bool datagram = false;
    };
    // Where a socket's card is, in this widget's coordinates (null rect: not shown).
    using Locate = std::function<QRect(SocketId)>;

    WireOverlay(Locate locate, QWidget* parent);

    void setWires(std::vector<Wire> wires);
    // A chunk of bytes from one card to another (to invalid: off the stage's edge).
    void launch(SocketId from, SocketId to, const QString& label, qint64 size, int durationMs,
                bool datagram);
    void mark(SocketId from, SocketId to, const QString& kind, int durationMs);
    // Every chunk and mark in flight has arrived: the picture moved on to a later moment,
    // and nothing of an earlier one may still travel as if it were now.
    void land();
    int inFlight() const { return static_cast<int>(m_flights.size()); }
    const std::vector<Wire>& wires() const { return m_wires; }
    // Frame times of the last frames painted (for the benchmark), in nanoseconds.
    const std::vector<qint64>& frameTimes() const { return m_frameTimes; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    struct Flight {
        SocketId from;
        SocketId to;
        QString label;
        qint64 size = 0;
        qint64 startMs = 0;
        int durationMs = 600;
        bool datagram = false;
        bool control = false;
    };
    void tick();
    QPointF anchor(const QRect& card, const QRect& towards) const;

    Locate m_locate;
    std::vector<Wire> m_wires;
    std::vector<Flight> m_flights;
    QElapsedTimer m_clock;
    QTimer m_frame;
    std::vector<qint64> m_frameTimes;
};

} // namespace sockbench
