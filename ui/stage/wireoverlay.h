#pragma once

#include "net/call.h"

#include <QElapsedTimer>
#include <QPainterPath>
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
        bool queued = false; // a connection waiting in b's accept queue (b listens)
        // b is closed, and the kernel still holds its end of the connection (FIN_WAIT2
        // against a's CLOSE_WAIT): drawn thin and grey, the kernel's and no longer the
        // program's.
        bool lingering = false;
    };
    // Where a socket's card is, in this widget's coordinates (null rect: not shown).
    using Locate = std::function<QRect(SocketId)>;

    WireOverlay(Locate locate, QWidget* parent);

    // Every card shown, with where it is: a wire runs under the cards it crosses on its
    // way (drawn only between them), so that it never strikes through another card's text.
    // Up to kFewCards cards; a crowd beyond that is drawn over, as before.
    using Cards = std::function<std::vector<std::pair<SocketId, QRect>>()>;
    void setCards(Cards cards) { m_cards = std::move(cards); }
    static constexpr size_t kFewCards = 60;

    void setWires(std::vector<Wire> wires);
    // A card or a host moved, was resized, shown or hidden: the wires are found anew at
    // the next paint. Until then each wire's path is kept: a clock ticking on a card under
    // the overlay repaints without locating a thousand wires' ends.
    void cardsMoved();
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
    QPainterPath pathBetween(const QRect& a, const QRect& b) const;
    // pathBetween(), or, where that passes under other cards (it would seem to come out of
    // them, joined), the path between two of the cards' sides that passes under the fewest.
    QPainterPath routeBetween(const QRect& a, const QRect& b,
                              const std::vector<std::pair<SocketId, QRect>>& cards) const;
    // Side by side, closer than this: the wire loops past the pair, not across the gap.
    static constexpr int kCloseGap = 40;
    QPainterPath loopPast(const QRect& a, const QRect& b, const QRect& left,
                          const QRect& right) const;

    // A wire as drawn: its path and the box it lies in (a Bezier lies inside its control
    // points' box), kept until a card moves.
    struct Drawn {
        QPainterPath path;
        QRect bounds;
        bool datagram = false;
        bool queued = false;
        bool lingering = false;
        QRegion under; // the cards it passes under (not its own two): left out
    };
    const std::vector<Drawn>& drawn();

    Locate m_locate;
    Cards m_cards;
    std::vector<Wire> m_wires;
    std::vector<Drawn> m_drawn;
    bool m_drawnValid = false;
    std::vector<Flight> m_flights;
    QElapsedTimer m_clock;
    QTimer m_frame;
    std::vector<qint64> m_frameTimes;
};

} // namespace sockbench
