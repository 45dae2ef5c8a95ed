#include "ladderview.h"
#include "timeline.h"

#include "ladderstyle.h"
#include "views/selection.h"

#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QToolButton>

#include <cmath>

// The painting half of LadderView: header, legend, lifelines, bars, arrows and marks.
namespace sockbench {

using namespace ladderstyle;

void LadderView::paintHeader(QWidget* header)
{
    QPainter p(header);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(header->rect(), Qt::white);
    p.setPen(kHostEdge);
    p.drawLine(0, header->height() - 1, header->width(), header->height() - 1);
    if (m_layout.isEmpty())
        return;
    p.translate(-horizontalScrollBar()->value(), 0);
    const QFont hostFont = atLeast(font(), 11);
    const QFont socketFont = atLeast(font(), 12, true);
    const QFontMetricsF hostMetrics(hostFont);
    const double cw = columnWidth();
    const double hostHeight = hostMetrics.height() + 6;
    // One box per host over its sockets' columns (they are side by side by construction).
    QHash<QString, std::pair<int, int>> span;
    for (const LadderLayout::Lifeline& l : m_layout.lifelines()) {
        auto it = span.find(l.actor);
        if (it == span.end())
            span.insert(l.actor, {l.column, l.column});
        else
            *it = {std::min(it->first, l.column), std::max(it->second, l.column)};
    }
    for (auto it = span.cbegin(); it != span.cend(); ++it) {
        const QRectF box(kMargin + it->first * cw + 4, 4, (it->second - it->first + 1) * cw - 8,
                         header->height() - 8);
        const bool outside = it.key() == QLatin1String("outside the workbench");
        p.setPen(QPen(kHostEdge, 2, outside ? Qt::DashLine : Qt::SolidLine));
        p.setBrush(outside ? QColor(Qt::white) : kBand);
        p.drawRoundedRect(box, 8, 8);
        p.setFont(hostFont);
        p.setPen(kKernel);
        p.drawText(box.adjusted(8, 2, -8, 0).topLeft() + QPointF(0, hostMetrics.ascent()),
                   hostMetrics.elidedText(it.key().isEmpty() ? tr("(no host)") : it.key(),
                                          Qt::ElideRight, box.width() - 16));
    }
    p.setFont(socketFont);
    const QFontMetricsF socketMetrics(socketFont);
    for (const LadderLayout::Lifeline& l : m_layout.lifelines()) {
        const double x = kMargin + (l.column + 0.5) * cw;
        const QRectF text(x - cw / 2 + 10, 4 + hostHeight, cw - 20, socketMetrics.height() + 4);
        p.setPen(l.outside ? kInferred : kText);
        p.drawText(text, Qt::AlignCenter,
                   socketMetrics.elidedText(l.name, Qt::ElideRight, text.width()));
    }
}

void LadderView::paintFooter(QWidget* footer)
{
    QPainter p(footer);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(footer->rect(), Qt::white);
    p.setPen(kHostEdge);
    p.drawLine(0, 0, footer->width(), 0);
    const QFontMetrics fm(font());
    const int y = footer->height() / 2;
    int x = 10;
    // The legend keeps left of the zoom buttons: where its full words do not fit (Look
    // closer beside the stage at 1280), the long one is shortened, and nothing is drawn
    // under a button.
    const int room = m_zoomOut->isVisible() ? m_zoomOut->geometry().left() - 8 : footer->width();
    const int full = 10 + 3 * 52 + 16 + 16 +
                     fm.horizontalAdvance(tr("bytes") + tr("inferred from kernel state") +
                                          tr("blocked") + tr("error"));
    p.setClipRect(QRect(0, 0, room, footer->height()));
    auto sample = [&](const QPen& pen, const QString& text) {
        p.setPen(pen);
        p.drawLine(x, y, x + 28, y);
        p.drawLine(x + 28, y, x + 22, y - 4);
        p.drawLine(x + 28, y, x + 22, y + 4);
        x += 34;
        p.setPen(kText);
        p.drawText(x, y + fm.ascent() / 2 - 1, text);
        x += fm.horizontalAdvance(text) + 18;
    };
    sample(QPen(kData, 2.5), tr("bytes"));
    sample(QPen(kInferred, 1.5, Qt::DashLine),
           full <= room ? tr("inferred from kernel state") : tr("inferred"));
    p.setPen(QPen(kBlockedEdge, 1.5));
    p.setBrush(kBlockedFill);
    p.drawRect(x, y - 8, 10, 16);
    x += 16;
    p.setPen(kText);
    p.drawText(x, y + fm.ascent() / 2 - 1, tr("blocked"));
    x += fm.horizontalAdvance(tr("blocked")) + 18;
    p.setPen(Qt::NoPen);
    p.setBrush(kError);
    p.drawEllipse(QPointF(x + 5, y), 6, 6);
    x += 16;
    p.setPen(kError);
    p.drawText(x, y + fm.ascent() / 2 - 1, tr("error"));
}

void LadderView::paintArrow(QPainter& p, const LadderLayout::Arrow& a, bool selected) const
{
    const QPointF from(xOf(a.from), yOf(a.fromRow));
    const QPointF to(xOf(a.to), yOf(a.toRow));
    const QPointF d = to - from;
    const double length = std::hypot(d.x(), d.y());
    if (length < 1)
        return;
    const QPointF unit = d / length;
    const QPointF start = from + unit * 7;
    const QPointF end = to - unit * 7;
    const QColor color = a.inferred ? kInferred : kData;
    QPen pen(color, a.inferred ? 1.6 : 2.6, a.inferred ? Qt::DashLine : Qt::SolidLine);
    if (selected)
        pen.setWidthF(pen.widthF() + 2);
    p.setPen(pen);
    p.drawLine(start, end);
    const QPointF normal(-unit.y(), unit.x());
    const double head = a.inferred ? 9 : 12;
    QPainterPath arrowHead;
    arrowHead.moveTo(end);
    arrowHead.lineTo(end - unit * head + normal * head * 0.45);
    arrowHead.lineTo(end - unit * head - normal * head * 0.45);
    arrowHead.closeSubpath();
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawPath(arrowHead);
}

void LadderView::paintEvent(QPaintEvent*)
{
    QPainter p(viewport());
    p.fillRect(viewport()->rect(), Qt::white);
    if (m_layout.isEmpty()) {
        p.setPen(kKernel);
        p.setFont(atLeast(font(), 13));
        // Name lookups belong to no socket: they have no lifeline, but they did happen.
        const QString text =
            m_timeline.size() == 0
                ? tr("Nothing has happened yet. Every call on a socket appears here: one line "
                     "per socket, time running downwards, bytes as arrows between them.")
                : tr("No socket yet. The calls so far (getaddrinfo() and the other name "
                     "lookups) belong to no socket: the Name resolution view shows them.");
        p.drawText(viewport()->rect().adjusted(40, 0, -40, 0), Qt::AlignCenter | Qt::TextWordWrap,
                   text);
        return;
    }
    p.setRenderHint(QPainter::Antialiasing);
    const QPointF scroll(horizontalScrollBar()->value(), verticalScrollBar()->value());
    p.translate(-scroll);
    const QRectF visible(scroll, QSizeF(viewport()->size()));
    const double rowH = rowHeight();
    const double cw = columnWidth();
    const qsizetype firstRow = m_layout.firstRow();
    const qsizetype lastRow = m_layout.rowCount() - 1;
    const qsizetype topRow =
        firstRow + std::max<qsizetype>(0, qsizetype((visible.top() - kTopPad) / rowH) - 1);
    const qsizetype bottomRow = firstRow + qsizetype((visible.bottom() - kTopPad) / rowH) + 1;
    const QFontMetricsF fm(font());
    const bool showText = rowH >= fm.height();
    const quint64 selected = m_selection.seq();
    const LadderLayout::Mark* selectedMark = m_layout.markFor(selected);
    const auto& lifelines = m_layout.lifelines();

    // Host bands, so a host's sockets read as one group all the way down.
    for (const LadderLayout::Lifeline& l : lifelines)
        if (!l.outside)
            p.fillRect(QRectF(kMargin + l.column * cw, visible.top(), cw, visible.height()),
                       m_layout.actors().indexOf(l.actor) % 2 ? QColor(0xfa, 0xfb, 0xfc) : kBand);
    if (selectedMark)
        p.fillRect(QRectF(visible.left(), yOf(selectedMark->row) - rowH / 2, visible.width(), rowH),
                   QColor(0xfe, 0xf9, 0xc3));

    // Lifelines: solid while the socket is open, dotted after close().
    for (const LadderLayout::Lifeline& l : lifelines) {
        const double x = kMargin + (l.column + 0.5) * cw;
        const double top = std::max(visible.top(), yOf(l.firstRow) - rowH / 2);
        const double closed = l.closeRow >= 0 ? yOf(l.closeRow) : visible.bottom();
        p.setPen(QPen(kLifeline, 2, l.outside ? Qt::DashLine : Qt::SolidLine));
        if (top < closed)
            p.drawLine(QPointF(x, top), QPointF(x, std::min(closed, visible.bottom())));
        if (l.closeRow >= 0 && closed < visible.bottom()) {
            p.setPen(QPen(kLifeline, 1, Qt::DotLine));
            p.drawLine(QPointF(x, std::max(closed, top)), QPointF(x, visible.bottom()));
        }
    }

    for (const LadderLayout::Bar& b : m_layout.bars()) {
        const qsizetype end = b.toRow >= 0 ? b.toRow : lastRow;
        if (end < topRow || b.fromRow > bottomRow)
            continue;
        const double x = xOf(b.lifeline);
        const QRectF r(x - 7, yOf(b.fromRow), 14, std::max(2.0, yOf(end) - yOf(b.fromRow)));
        const bool isSelected = selected && (b.blockedSeq == selected || b.finishedSeq == selected);
        p.setPen(QPen(isSelected ? kSelectionEdge : kBlockedEdge, isSelected ? 3 : 1.5));
        p.setBrush(kBlockedFill);
        p.drawRect(r);
    }

    QList<const LadderLayout::Arrow*> shown;
    for (const LadderLayout::Arrow& a : m_layout.arrows()) {
        if (std::max(a.fromRow, a.toRow) < topRow || std::min(a.fromRow, a.toRow) > bottomRow)
            continue;
        paintArrow(p, a, selected && (a.seq == selected || a.toSeq == selected));
        shown.append(&a);
    }

    // Marks, with their text on a white backing so lines never cross the words.
    const auto& marks = m_layout.marks();
    for (qsizetype i = m_layout.markIndexAtRow(topRow);
         i < qsizetype(marks.size()) && marks[size_t(i)].row <= bottomRow; ++i) {
        const LadderLayout::Mark& m = marks[size_t(i)];
        const QPointF at(xOf(m.lifeline), yOf(m.row));
        const bool isSelected = m.seq == selected;
        const QColor color = m.kind == LadderLayout::MarkKind::Error     ? kError
                             : m.kind == LadderLayout::MarkKind::Kernel  ? kKernel
                             : m.kind == LadderLayout::MarkKind::Blocked ? kBlockedEdge
                                                                         : kText;
        if (isSelected) {
            p.setPen(QPen(kSelectionEdge, 3));
            p.setBrush(kSelection);
            p.drawEllipse(at, 11, 11);
        }
        p.setPen(Qt::NoPen);
        p.setBrush(color);
        if (m.kind == LadderLayout::MarkKind::Kernel) {
            QPolygonF diamond(
                {at + QPointF(0, -5), at + QPointF(5, 0), at + QPointF(0, 5), at + QPointF(-5, 0)});
            p.drawPolygon(diamond);
        } else {
            p.drawEllipse(at, m.kind == LadderLayout::MarkKind::Error ? 6.5 : 5, 5);
        }
        if (!showText)
            continue;
        QFont f = font();
        f.setBold(m.kind == LadderLayout::MarkKind::Error || isSelected);
        f.setItalic(m.kind == LadderLayout::MarkKind::Kernel);
        p.setFont(f);
        const QFontMetricsF mf(f);
        const QString text =
            mf.elidedText(m.text, Qt::ElideMiddle, textRoom(m)); // keeps the result
        const double width = mf.horizontalAdvance(text) + 6;
        const QRectF box(m.textOnLeft() ? at.x() - 12 - width : at.x() + 12,
                         at.y() - mf.height() / 2 - 1, width, mf.height() + 2);
        p.setPen(Qt::NoPen);
        p.setBrush(isSelected ? kSelection : QColor(255, 255, 255, 225));
        p.drawRoundedRect(box, 3, 3);
        p.setPen(color);
        p.drawText(box.adjusted(3, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, text);
    }

    // Arrow labels last: a label names the bytes, it must stay on top.
    if (showText) {
        for (const LadderLayout::Arrow* a : std::as_const(shown)) {
            QFont f = font();
            f.setBold(!a->inferred);
            if (a->inferred)
                f.setPointSizeF(std::max(10.0, f.pointSizeF() - 1));
            p.setFont(f);
            const QFontMetricsF af(f);
            const QPointF from(xOf(a->from), yOf(a->fromRow));
            const QPointF to(xOf(a->to), yOf(a->toRow));
            QPointF mid = (from + to) / 2;
            if (a->fromRow == a->toRow)
                mid.ry() -= af.height() / 2 + 3; // above a level arrow, off the marks' line
            const QString text = af.elidedText(a->label, Qt::ElideRight,
                                               std::max(60.0, std::abs(to.x() - from.x())));
            const double w = af.horizontalAdvance(text) + 8;
            const QRectF box(mid.x() - w / 2, mid.y() - af.height() / 2, w, af.height());
            p.setPen(Qt::NoPen);
            p.setBrush(QColor(255, 255, 255, 235));
            p.drawRoundedRect(box, 4, 4);
            p.setPen(a->inferred ? kInferred : kData);
            p.drawText(box, Qt::AlignCenter, text);
        }
    }
}

} // namespace sockbench
