#include "wireoverlay.h"

#include "presentation/describe.h"

#include <QPaintEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <array>

namespace sockbench {

WireOverlay::WireOverlay(Locate locate, QWidget* parent)
    : QWidget(parent)
    , m_locate(std::move(locate))
{
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    m_clock.start();
    m_frame.setInterval(16);
    connect(&m_frame, &QTimer::timeout, this, &WireOverlay::tick);
}

void WireOverlay::setWires(std::vector<Wire> wires)
{
    m_wires = std::move(wires);
    cardsMoved();
}

void WireOverlay::cardsMoved()
{
    m_drawnValid = false;
    update();
}

const std::vector<WireOverlay::Drawn>& WireOverlay::drawn()
{
    if (m_drawnValid)
        return m_drawn;
    m_drawn.clear();
    std::vector<std::pair<SocketId, QRect>> cards;
    if (m_cards)
        cards = m_cards();
    if (cards.size() > kFewCards)
        cards.clear();
    for (const Wire& wire : m_wires) {
        const QRect a = m_locate(wire.a);
        const QRect b = m_locate(wire.b);
        if (a.isNull() || b.isNull())
            continue;
        QPainterPath path = routeBetween(a, b, cards);
        const QRect bounds = path.controlPointRect().toAlignedRect();
        QRegion under;
        for (const auto& [id, rect] : cards)
            if (id != wire.a && id != wire.b && rect.intersects(bounds) &&
                path.intersects(QRectF(rect)))
                under += rect;
        // The kernel's leftover connection is a hint, not the picture: run under another
        // card it would come out of that card's far side as if joined to it (lesson 04:
        // conn #2's FIN_WAIT2 to bob, under alice). Then the peer address says it alone.
        if (wire.lingering && !under.isEmpty())
            continue;
        m_drawn.push_back(Drawn{std::move(path), bounds, wire.datagram, wire.queued, wire.lingering,
                                std::move(under)});
    }
    m_drawnValid = true;
    return m_drawn;
}

void WireOverlay::launch(SocketId from, SocketId to, const QString& label, qint64 size,
                         int durationMs, bool datagram)
{
    const qint64 now = m_clock.elapsed();
    // A chunk still on the first half of the same wire takes the new bytes along. TCP
    // merges them anyway; datagrams keep their own shapes (up to a handful).
    if (!datagram) {
        for (Flight& f : m_flights) {
            if (!f.control && f.from == from && f.to == to && now - f.startMs < f.durationMs / 2) {
                f.size += size;
                f.label = describe::byteCount(f.size);
                update();
                return;
            }
        }
    } else if (m_flights.size() > 24) {
        return; // enough datagrams in the air to show the idea; the counts live on the cards
    }
    m_flights.push_back(
        Flight{from, to, label, size, now, std::max(durationMs, 120), datagram, false});
    if (!m_frame.isActive())
        m_frame.start();
    update();
}

void WireOverlay::mark(SocketId from, SocketId to, const QString& kind, int durationMs)
{
    m_flights.push_back(
        Flight{from, to, kind, 0, m_clock.elapsed(), std::max(durationMs, 120), false, true});
    if (!m_frame.isActive())
        m_frame.start();
    update();
}

void WireOverlay::land()
{
    if (m_flights.empty())
        return;
    m_flights.clear();
    m_frame.stop();
    update();
}

void WireOverlay::tick()
{
    const qint64 now = m_clock.elapsed();
    std::erase_if(m_flights, [now](const Flight& f) { return now - f.startMs > f.durationMs; });
    if (m_flights.empty())
        m_frame.stop();
    update();
}

QPointF WireOverlay::anchor(const QRect& card, const QRect& towards) const
{
    // Leave from the side that faces the other card; stacked cards join at their sides.
    if (towards.isNull())
        return QPointF(card.right(), card.center().y());
    if (towards.left() > card.right())
        return QPointF(card.right(), card.center().y());
    if (towards.right() < card.left())
        return QPointF(card.left(), card.center().y());
    return QPointF(card.right(), card.center().y());
}

QPainterPath WireOverlay::pathBetween(const QRect& a, const QRect& b) const
{
    const bool sameColumn = !b.isNull() && qAbs(a.center().x() - b.center().x()) < a.width() / 2;
    if (sameColumn) {
        // Two cards stacked in one column: loop out and back, on the side with more room
        // (the last column's right is the stage's edge), never further than that room: a
        // loop cut off at the edge would leave two stubs that join nothing.
        const double rightRoom = width() - 2 - std::max(a.right(), b.right());
        const double leftRoom = std::min(a.left(), b.left()) - 2;
        const bool right = rightRoom >= leftRoom;
        const QPointF from(right ? a.right() : a.left(), a.center().y());
        const QPointF to(right ? b.right() : b.left(), b.center().y());
        // A cubic's control points at `out` take the curve about 3/4 of the way there.
        const double room = std::max(right ? rightRoom : leftRoom, 8.0);
        const double out =
            std::min(40 + qAbs(from.y() - to.y()) * 0.15, room / 0.75) * (right ? 1 : -1);
        QPainterPath path(from);
        path.cubicTo(from + QPointF(out, 0), to + QPointF(out, 0), to);
        return path;
    }
    if (!b.isNull() && std::max(a.top(), b.top()) < std::min(a.bottom(), b.bottom())) {
        // Two cards side by side with little between them (a socketpair in one host's two
        // columns): a wire across the gap would be a stub too short to see, or to carry a
        // chip. It dips below the pair instead, or rises above it where a card sits below.
        const QRect& left = a.left() <= b.left() ? a : b;
        const QRect& right = a.left() <= b.left() ? b : a;
        if (right.left() - left.right() < kCloseGap)
            return loopPast(a, b, left, right);
    }
    const QPointF from = anchor(a, b);
    const QPointF to = b.isNull() ? QPointF(width() - 4, a.center().y()) : anchor(b, a);
    const double dx = (to.x() - from.x()) / 2;
    QPainterPath path(from);
    path.cubicTo(from + QPointF(dx, 0), to - QPointF(dx, 0), to);
    return path;
}

namespace {

// How many of the cards (not a or b) a path runs under, and how long it is, from points
// along it: a card's edge grazed by a few pixels does not count.
std::pair<int, double> crossings(const QPainterPath& path, const QRect& a, const QRect& b,
                                 const std::vector<std::pair<SocketId, QRect>>& cards)
{
    constexpr int kSamples = 40;
    std::vector<QPointF> points;
    points.reserve(kSamples + 1);
    double length = 0;
    for (int i = 0; i <= kSamples; ++i) {
        points.push_back(path.pointAtPercent(double(i) / kSamples));
        if (i > 0)
            length += QLineF(points[size_t(i) - 1], points[size_t(i)]).length();
    }
    int under = 0;
    for (const auto& [id, rect] : cards) {
        if (rect == a || rect == b)
            continue;
        const QRectF inside = QRectF(rect).adjusted(4, 4, -4, -4);
        if (std::any_of(points.begin(), points.end(),
                        [&](const QPointF& p) { return inside.contains(p); }))
            ++under;
    }
    // Nor back across its own two cards, whose text it would strike through: between its
    // ends, a point inside either counts as one card more.
    for (const QRect& own : {a, b}) {
        const QRectF inside = QRectF(own).adjusted(6, 6, -6, -6);
        if (std::any_of(points.begin() + 2, points.end() - 2,
                        [&](const QPointF& p) { return inside.contains(p); }))
            ++under;
    }
    return {under, length};
}

} // namespace

QPainterPath WireOverlay::routeBetween(const QRect& a, const QRect& b,
                                       const std::vector<std::pair<SocketId, QRect>>& cards) const
{
    QPainterPath usual = pathBetween(a, b);
    if (b.isNull() || cards.empty() || cards.size() > kFewCards)
        return usual;
    const auto [usualUnder, usualLength] = crossings(usual, a, b, cards);
    if (usualUnder == 0)
        return usual;
    // From the middle of each side of one card to the middle of each side of the other,
    // leaving and arriving square to the side: lesson 09's wires to a second column of
    // clients ran under the first and showed as stubs; lesson 29's to bob under alice,
    // as if alice were joined to bob.
    struct Side {
        QPointF at;
        QPointF out;
    };
    const auto sides = [](const QRect& r) {
        return std::array<Side, 4>{Side{QPointF(r.right(), r.center().y()), QPointF(1, 0)},
                                   Side{QPointF(r.left(), r.center().y()), QPointF(-1, 0)},
                                   Side{QPointF(r.center().x(), r.top()), QPointF(0, -1)},
                                   Side{QPointF(r.center().x(), r.bottom()), QPointF(0, 1)}};
    };
    const QRectF room = QRectF(rect()).adjusted(2, 2, -2, -2);
    QPainterPath best = usual;
    int bestUnder = usualUnder;
    double bestLength = usualLength;
    for (const Side& from : sides(a)) {
        for (const Side& to : sides(b)) {
            const double reach = std::clamp(QLineF(from.at, to.at).length() * 0.45, 30.0, 180.0);
            QPainterPath path(from.at);
            path.cubicTo(from.at + from.out * reach, to.at + to.out * reach, to.at);
            if (!room.contains(path.controlPointRect()) && !room.contains(path.boundingRect()))
                continue; // it would leave the stage: cut off, two stubs
            const auto [under, length] = crossings(path, a, b, cards);
            if (under < bestUnder ||
                (under == bestUnder && under < usualUnder && length < bestLength)) {
                best = std::move(path);
                bestUnder = under;
                bestLength = length;
            }
        }
    }
    if (bestUnder == 0)
        return best;
    // Cards in a grid (lesson 09's crowd): no side-to-side curve clears the ones between,
    // but the gap between two rows does. Along the gap above or below one end, then a
    // short step into that end's top or bottom.
    // It takes the place of the best so far when it runs under fewer cards.
    const auto viaGap = [&](const QRect& from, const QRect& into, bool reversed) {
        for (const bool above : {true, false}) {
            // The nearest card edge across the gap, among cards in the same column.
            double across = above ? into.top() - 24.0 : into.bottom() + 24.0;
            for (const auto& [id, rect] : cards) {
                if (rect == into || rect.right() < into.left() || rect.left() > into.right())
                    continue;
                if (above && rect.bottom() < into.top())
                    across = std::max(across, double(rect.bottom()));
                else if (!above && rect.top() > into.bottom())
                    across = std::min(across, double(rect.top()));
            }
            const double edge = above ? into.top() : into.bottom();
            const QPointF gap(into.center().x(), (edge + across) / 2);
            const QPointF entry(into.center().x(), edge);
            const bool rightward = gap.x() > from.center().x();
            const double dir = rightward ? 1 : -1;
            const QPointF start(rightward ? from.right() : from.left(), from.center().y());
            // Out to the middle of the gap between this card's column and the next, down
            // (or up) it to the row gap's height, along the row gap, into the card: square
            // turns with round corners, as a wire laid along the gaps.
            double next = start.x() + dir * 48;
            for (const auto& [id, rect] : cards) {
                if (rect == from)
                    continue;
                if (rightward && rect.left() > from.right())
                    next = std::min(next, double(rect.left()));
                else if (!rightward && rect.right() < from.left())
                    next = std::max(next, double(rect.right()));
            }
            const double x1 = (start.x() + next) / 2;
            const double rise = gap.y() - start.y();
            const double r = std::min(8.0, qAbs(rise) / 2);
            const double sy = rise >= 0 ? 1 : -1;
            QPainterPath path(start);
            path.lineTo(x1 - dir * r, start.y());
            path.quadTo(x1, start.y(), x1, start.y() + sy * r);
            path.lineTo(x1, gap.y() - sy * r);
            path.quadTo(x1, gap.y(), x1 + dir * r, gap.y());
            path.lineTo(gap.x(), gap.y());
            path.lineTo(entry);
            if (!room.contains(path.boundingRect()))
                continue;
            const int under = crossings(path, from, into, cards).first;
            if (under < bestUnder) {
                best = reversed ? path.toReversed() : path;
                bestUnder = under;
            }
        }
    };
    viaGap(a, b, false);
    viaGap(b, a, true);
    return best;
}

QPainterPath WireOverlay::loopPast(const QRect& a, const QRect& b, const QRect& left,
                                   const QRect& right) const
{
    constexpr double kDepth = 30;
    const int inset = std::min(48, std::min(left.width(), right.width()) / 4);
    const double belowRoom = height() - 3 - std::max(a.bottom(), b.bottom());
    const QRect beneath(left.right() - inset, std::max(a.bottom(), b.bottom()) + 2,
                        right.left() - left.right() + 2 * inset, int(kDepth));
    bool blocked = belowRoom < kDepth / 2;
    if (!blocked && m_cards) {
        const auto cards = m_cards();
        blocked =
            cards.size() <= kFewCards &&
            std::any_of(cards.begin(), cards.end(), [&](const auto& card) {
                return card.second != a && card.second != b && card.second.intersects(beneath);
            });
    }
    const bool above = blocked && std::min(a.top(), b.top()) > kDepth / 2;
    const double depth = above ? -std::min(kDepth, double(std::min(a.top(), b.top()) - 3))
                               : std::min(kDepth, std::max(belowRoom, 4.0));
    const auto edgeOf = [&](const QRect& card, bool isLeft) {
        return QPointF(isLeft ? card.right() - inset : card.left() + inset,
                       above ? card.top() : card.bottom());
    };
    const QPointF from = edgeOf(a, &a == &left);
    const QPointF to = edgeOf(b, &b == &left);
    // Control points at 4/3 of the depth past the pair's outer edge bring the curve's
    // lowest (or highest) point to the depth, level under cards of different heights.
    const double edge = above ? std::min(a.top(), b.top()) : std::max(a.bottom(), b.bottom());
    const double turn = edge + depth * 4 / 3;
    QPainterPath path(from);
    path.cubicTo(QPointF(from.x(), turn), QPointF(to.x(), turn), to);
    return path;
}

void WireOverlay::paintEvent(QPaintEvent* event)
{
    QElapsedTimer frameTimer;
    frameTimer.start();
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);

    // Only the wires that cross what is being repainted: a card's clock ticking under the
    // overlay must not stroke a thousand wires elsewhere on the stage. The region, not its
    // bounding rect: clocks ticking on cards far apart make one small rect each.
    QRegion dirty;
    for (const QRect& r : event->region())
        dirty += r.adjusted(-4, -4, 4, 4); // half the pen's width
    for (const Drawn& wire : drawn()) {
        if (!dirty.intersects(wire.bounds))
            continue;
        // A connection still in the listener's accept queue: dotted, in the listener's
        // colour, until accept() takes it and the wire joins the two connected ends.
        QPen pen(wire.queued ? QColor(0x7c, 0x3a, 0xed, 150) : QColor(0x05, 0x96, 0x69, 170),
                 wire.queued ? 4 : 5,
                 wire.queued     ? Qt::DotLine
                 : wire.datagram ? Qt::DashLine
                                 : Qt::SolidLine,
                 Qt::RoundCap);
        if (wire.lingering)
            pen = QPen(QColor(0x64, 0x74, 0x8b, 190), 3, Qt::DashDotLine, Qt::RoundCap);
        // save() and restore(), not setClipping(false): a clip region set again after
        // setClipping(false) was not applied when it held more than one card (lesson 09's
        // queued wires struck through the clients they crossed).
        p.save();
        p.setPen(pen);
        if (!wire.under.isEmpty())
            p.setClipRegion(QRegion(rect()) - wire.under);
        p.drawPath(wire.path);
        p.restore();
    }

    const qint64 now = m_clock.elapsed();
    QFont font = this->font();
    font.setBold(true);
    p.setFont(font);
    const QFontMetrics fm(font);
    // The cards a chip's track must keep out from under, as the wires do (once a frame).
    std::vector<std::pair<SocketId, QRect>> flightCards;
    if (!m_flights.empty() && m_cards)
        flightCards = m_cards();
    for (const Flight& f : m_flights) {
        const QRect a = m_locate(f.from);
        const QRect b = f.to.isValid() ? m_locate(f.to) : QRect();
        if (a.isNull())
            continue;
        const double t = std::clamp(double(now - f.startMs) / f.durationMs, 0.0, 1.0);
        const double eased = t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) * (-2 * t + 2) / 2;
        const QPainterPath path = routeBetween(a, b, flightCards);
        const QPointF at = path.pointAtPercent(eased);
        // A segment between sockets no longer wired (a FIN or RST after close()) travels a
        // thin track of its own: nothing floats.
        if (!b.isNull() && std::none_of(m_wires.begin(), m_wires.end(), [&f](const Wire& w) {
                return (w.a == f.from && w.b == f.to) || (w.a == f.to && w.b == f.from);
            })) {
            p.setPen(QPen(QColor(0x64, 0x74, 0x8b, 160), 2, Qt::DotLine, Qt::RoundCap));
            p.setBrush(Qt::NoBrush);
            p.drawPath(path);
        }
        if (f.control) {
            const QColor color = f.label == QLatin1String("RST")   ? QColor(0xdc, 0x26, 0x26)
                                 : f.label == QLatin1String("FIN") ? QColor(0xd9, 0x77, 0x06)
                                                                   : QColor(0x25, 0x63, 0xeb);
            const QRectF box(at.x() - 22, at.y() - 11, 44, 22);
            p.setPen(Qt::NoPen);
            p.setBrush(color);
            p.drawRoundedRect(box, 11, 11);
            p.setPen(Qt::white);
            p.drawText(box, Qt::AlignCenter, f.label);
            continue;
        }
        const QString text = f.label;
        const double w = fm.horizontalAdvance(text) + 18;
        const QRectF box(at.x() - w / 2, at.y() - fm.height() / 2.0 - 5, w, fm.height() + 10);
        p.setPen(QPen(QColor(0x1e, 0x3a, 0x8a), 1.5));
        p.setBrush(f.datagram ? QColor(0xfe, 0xf3, 0xc7) : QColor(0xdb, 0xea, 0xfe));
        p.drawRoundedRect(box, f.datagram ? 2 : 8, f.datagram ? 2 : 8);
        p.setPen(QColor(0x1e, 0x3a, 0x8a));
        p.drawText(box, Qt::AlignCenter, text);
    }
    if (!m_flights.empty()) {
        m_frameTimes.push_back(frameTimer.nsecsElapsed());
        if (m_frameTimes.size() > 4096)
            m_frameTimes.erase(m_frameTimes.begin(), m_frameTimes.begin() + 2048);
    }
}

} // namespace sockbench
