#include "ladderview.h"

#include "ladderstyle.h"
#include "presentation/describe.h"
#include "views/selection.h"
#include "views/timeline.h"

#include <QHBoxLayout>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QScrollBar>
#include <QToolButton>
#include <QToolTip>
#include <QWheelEvent>

#include <cmath>

namespace sockbench {

using namespace ladderstyle;

namespace {

double distanceToSegment(QPointF p, QPointF a, QPointF b)
{
    const QPointF ab = b - a;
    const double length2 = QPointF::dotProduct(ab, ab);
    const double t =
        length2 > 0 ? std::clamp(QPointF::dotProduct(p - a, ab) / length2, 0.0, 1.0) : 0.0;
    const QPointF d = p - (a + t * ab);
    return std::hypot(d.x(), d.y());
}

} // namespace

LadderView::LadderView(Timeline& timeline, EventSelection& selection, QWidget* parent)
    : QAbstractScrollArea(parent)
    , m_timeline(timeline)
    , m_selection(selection)
    , m_header(new QWidget(this))
    , m_footer(new QWidget(this))
    , m_zoomOut(new QToolButton(m_footer))
    , m_zoomReset(new QToolButton(m_footer))
    , m_zoomIn(new QToolButton(m_footer))
{
    setObjectName(QStringLiteral("ladderView"));
    setFont(atLeast(font(), 11));
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(false);
    viewport()->setAutoFillBackground(false);
    m_header->setObjectName(QStringLiteral("ladderHeader"));
    m_footer->setObjectName(QStringLiteral("ladderFooter"));
    m_header->installEventFilter(this);
    m_footer->installEventFilter(this);

    m_zoomOut->setText(QStringLiteral("−"));
    m_zoomOut->setToolTip(tr("Zoom out (Ctrl+wheel, −)"));
    m_zoomReset->setText(QStringLiteral("100%"));
    m_zoomReset->setToolTip(tr("Reset the zoom (0)"));
    m_zoomIn->setText(QStringLiteral("+"));
    m_zoomIn->setToolTip(tr("Zoom in (Ctrl+wheel, +)"));
    auto* buttons = new QHBoxLayout(m_footer);
    buttons->setContentsMargins(8, 3, 8, 3);
    buttons->addStretch();
    for (QToolButton* b : {m_zoomOut, m_zoomReset, m_zoomIn}) {
        b->setFocusPolicy(Qt::NoFocus);
        b->setMinimumWidth(36);
        buttons->addWidget(b);
    }
    connect(m_zoomOut, &QToolButton::clicked, this, &LadderView::zoomOut);
    connect(m_zoomIn, &QToolButton::clicked, this, &LadderView::zoomIn);
    connect(m_zoomReset, &QToolButton::clicked, this, &LadderView::resetZoom);

    const QFontMetrics header(atLeast(font(), 12, true));
    const int headerHeight = 2 * header.height() + 22;
    const int footerHeight = std::max(m_zoomIn->sizeHint().height(), fontMetrics().height()) + 8;
    setViewportMargins(0, headerHeight, 0, footerHeight);

    connect(&m_timeline, &Timeline::appended, this, &LadderView::onAppended);
    connect(&m_timeline, &Timeline::trimmed, this, &LadderView::onTrimmed);
    connect(&m_timeline, &Timeline::reset, this, &LadderView::onReset);
    connect(&m_selection, &EventSelection::changed, this, &LadderView::onSelectionChanged);
    m_layout.rebuild(m_timeline);
    layoutChanged();
}

void LadderView::onAppended(qsizetype first, qsizetype count)
{
    m_layout.append(m_timeline, first, count);
    layoutChanged();
}

void LadderView::onTrimmed()
{
    m_layout.trimBefore(m_timeline.size() ? m_timeline.at(0).seq
                                          : std::numeric_limits<quint64>::max());
    layoutChanged();
}

void LadderView::onReset()
{
    m_layout.rebuild(m_timeline);
    m_following = true;
    layoutChanged();
}

void LadderView::layoutChanged()
{
    updateScrollBars();
    if (m_following) {
        m_adjusting = true;
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
        m_adjusting = false;
    }
    m_header->update();
    viewport()->update();
}

void LadderView::onSelectionChanged(quint64 seq)
{
    scrollToEvent(seq);
    viewport()->update();
}

double LadderView::rowHeight() const
{
    return kRow * m_zoom;
}

double LadderView::columnWidth() const
{
    const int columns = std::max(1, m_layout.columnCount());
    // Few sockets use the width they are given; many scroll sideways.
    // Half a column more on the right: the last socket's words need room too.
    const double fill = (viewport()->width() - 2 * kMargin) / (columns + 0.5);
    return std::max(kColumn * m_zoom, std::min(fill, kMaxColumn * m_zoom));
}

double LadderView::xOf(int lifeline) const
{
    const int column = m_layout.lifelines()[size_t(lifeline)].column;
    return kMargin + (column + 0.5) * columnWidth();
}

double LadderView::yOf(qsizetype row) const
{
    return kTopPad + (double(row - m_layout.firstRow()) + 0.5) * rowHeight();
}

double LadderView::contentHeight() const
{
    return 2 * kTopPad + double(m_layout.rowCount() - m_layout.firstRow()) * rowHeight();
}

QPointF LadderView::toViewport(QPointF content) const
{
    return content - QPointF(horizontalScrollBar()->value(), verticalScrollBar()->value());
}

void LadderView::updateScrollBars()
{
    m_adjusting = true;
    const QSize area = viewport()->size();
    const double width = 2 * kMargin + (m_layout.columnCount() + 0.5) * columnWidth();
    verticalScrollBar()->setRange(0, std::max(0, int(std::ceil(contentHeight())) - area.height()));
    verticalScrollBar()->setPageStep(area.height());
    verticalScrollBar()->setSingleStep(std::max(1, int(rowHeight())));
    horizontalScrollBar()->setRange(0, std::max(0, int(std::ceil(width)) - area.width()));
    horizontalScrollBar()->setPageStep(area.width());
    horizontalScrollBar()->setSingleStep(std::max(1, int(columnWidth() / 4)));
    m_adjusting = false;
}

void LadderView::scrollContentsBy(int, int)
{
    if (!m_adjusting)
        m_following = verticalScrollBar()->value() >= verticalScrollBar()->maximum();
    m_header->update();
    viewport()->update();
}

void LadderView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    const QRect vp = viewport()->geometry();
    const QMargins margins = viewportMargins();
    m_header->setGeometry(vp.left(), vp.top() - margins.top(), vp.width(), margins.top());
    m_footer->setGeometry(vp.left(), vp.bottom() + 1, vp.width(), margins.bottom());
    layoutChanged();
    // The selected moment stays in view as the dock or the window changes size.
    if (m_selection.seq() != 0)
        scrollToEvent(m_selection.seq());
}

void LadderView::setZoom(double zoom)
{
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    if (qFuzzyCompare(zoom, m_zoom))
        return;
    // Keep the moment in the middle of the view where it is.
    const double vh = viewport()->height();
    const double middle = (verticalScrollBar()->value() + vh / 2) / std::max(1.0, contentHeight());
    m_zoom = zoom;
    updateScrollBars();
    m_adjusting = true;
    if (!m_following)
        verticalScrollBar()->setValue(int(middle * contentHeight() - vh / 2));
    else
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    m_adjusting = false;
    m_zoomReset->setText(QStringLiteral("%1%").arg(qRound(m_zoom * 100)));
    m_header->update();
    viewport()->update();
    Q_EMIT zoomChanged(m_zoom);
}

void LadderView::zoomIn()
{
    setZoom(m_zoom * 1.25);
}

void LadderView::zoomOut()
{
    setZoom(m_zoom / 1.25);
}

void LadderView::resetZoom()
{
    setZoom(1.0);
}

void LadderView::scrollToEvent(quint64 seq)
{
    const LadderLayout::Mark* mark = m_layout.markFor(seq);
    if (!mark)
        return;
    const double y = yOf(mark->row);
    const double x = xOf(mark->lifeline);
    const int top = verticalScrollBar()->value();
    const int height = viewport()->height();
    m_adjusting = true;
    if (y - rowHeight() < top || y + rowHeight() > top + height)
        verticalScrollBar()->setValue(int(y - height / 2.0));
    // The mark and its words: a label on the left of its lifeline must not be cut off.
    const QRectF shown = markContentRect(*mark).united(QRectF(x - 20, y, 40, 1));
    const int left = horizontalScrollBar()->value();
    if (shown.left() < left || shown.right() > left + viewport()->width()) {
        const double centre = shown.width() < viewport()->width() ? shown.center().x() : x;
        horizontalScrollBar()->setValue(int(centre - viewport()->width() / 2.0));
    }
    m_adjusting = false;
    m_following = verticalScrollBar()->value() >= verticalScrollBar()->maximum();
    m_header->update();
    viewport()->update();
}

QRectF LadderView::markContentRect(const LadderLayout::Mark& mark) const
{
    const QFontMetricsF fm(font());
    const double x = xOf(mark.lifeline);
    const double y = yOf(mark.row);
    const double height = std::min(rowHeight(), fm.height() + 6);
    const double textWidth = rowHeight() >= fm.height()
                                 ? std::min(fm.horizontalAdvance(mark.text), textRoom(mark)) + 6
                                 : 0;
    if (mark.textOnLeft())
        return {x - 12 - textWidth, y - height / 2, 22 + textWidth, height};
    return {x - 10, y - height / 2, 22 + textWidth, height};
}

double LadderView::textRoom(const LadderLayout::Mark& mark) const
{
    const double cw = columnWidth();
    const int column = m_layout.lifelines()[size_t(mark.lifeline)].column;
    if (mark.textOnLeft())
        return column == 0 ? cw / 2 - 12 : cw - 28;
    return column == m_layout.columnCount() - 1 ? cw - 16 : cw - 28;
}

QRect LadderView::markRect(quint64 seq) const
{
    const LadderLayout::Mark* mark = m_layout.markFor(seq);
    if (!mark)
        return {};
    const QRectF r = markContentRect(*mark);
    return QRectF(toViewport(r.topLeft()), r.size()).toAlignedRect();
}

const LadderLayout::Mark* LadderView::markAt(QPointF content) const
{
    if (m_layout.isEmpty())
        return nullptr;
    const qsizetype row =
        m_layout.firstRow() + qsizetype(std::floor((content.y() - kTopPad) / rowHeight()));
    const auto& marks = m_layout.marks();
    const qsizetype index = m_layout.markIndexAtRow(row);
    if (index >= qsizetype(marks.size()) || marks[size_t(index)].row != row)
        return nullptr;
    const LadderLayout::Mark& mark = marks[size_t(index)];
    return markContentRect(mark).contains(content) ? &mark : nullptr;
}

const LadderLayout::Arrow* LadderView::arrowAt(QPointF content) const
{
    const LadderLayout::Arrow* best = nullptr;
    double bestDistance = 7;
    for (const LadderLayout::Arrow& a : m_layout.arrows()) {
        const double d =
            distanceToSegment(content, {xOf(a.from), yOf(a.fromRow)}, {xOf(a.to), yOf(a.toRow)});
        if (d < bestDistance) {
            bestDistance = d;
            best = &a;
        }
    }
    return best;
}

const LadderLayout::Bar* LadderView::barAt(QPointF content) const
{
    const qsizetype last = m_layout.rowCount() - 1;
    for (const LadderLayout::Bar& b : m_layout.bars()) {
        const double x = xOf(b.lifeline);
        const QRectF r(x - 10, yOf(b.fromRow), 20,
                       yOf(b.toRow >= 0 ? b.toRow : last) - yOf(b.fromRow));
        if (r.contains(content))
            return &b;
    }
    return nullptr;
}

quint64 LadderView::eventAt(QPoint viewportPos) const
{
    const QPointF content = QPointF(viewportPos) +
                            QPointF(horizontalScrollBar()->value(), verticalScrollBar()->value());
    if (const auto* mark = markAt(content))
        return mark->seq;
    if (const auto* arrow = arrowAt(content))
        return arrow->seq;
    if (const auto* bar = barAt(content))
        return bar->seq();
    return 0;
}

QString LadderView::tooltipAt(QPoint viewportPos) const
{
    const QPointF content = QPointF(viewportPos) +
                            QPointF(horizontalScrollBar()->value(), verticalScrollBar()->value());
    if (const auto* mark = markAt(content)) {
        const Event* e = m_timeline.find(mark->seq);
        if (!e)
            return mark->text;
        QString text = QStringLiteral("#%1 · %2\n%3").arg(e->seq).arg(e->actor, mark->text);
        if (e->kernel.valid)
            text += QStringLiteral("\nkernel: ") + describe::kernel(e->kernel);
        if (e->kind == EventKind::CallFinished && !e->result.ok() && !e->result.message.isEmpty())
            text += QStringLiteral("\n") + e->result.message;
        return text;
    }
    if (const auto* arrow = arrowAt(content)) {
        if (arrow->inferred)
            return tr("%1\nNot captured on the wire: inferred because %2.")
                .arg(arrow->label, arrow->proof);
        return tr("%1 travelled from %2 to %3")
            .arg(arrow->label, m_layout.lifelines()[size_t(arrow->from)].label(),
                 m_layout.lifelines()[size_t(arrow->to)].label());
    }
    if (const auto* bar = barAt(content)) {
        const Event* e = m_timeline.find(bar->seq());
        if (e && e->kind == EventKind::CallFinished)
            return tr("%1 was blocked for %2 ms")
                .arg(describe::call(*e))
                .arg(double(e->durationNs()) / 1e6, 0, 'f', 1);
        return tr("blocked: waiting in the kernel");
    }
    return {};
}

bool LadderView::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = tooltipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, viewport());
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void LadderView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QAbstractScrollArea::mousePressEvent(event);
    setFocus(Qt::MouseFocusReason);
    if (const quint64 seq = eventAt(event->position().toPoint()))
        m_selection.select(seq);
    event->accept();
}

void LadderView::mouseReleaseEvent(QMouseEvent* event)
{
    event->accept(); // the press selected already
}

void LadderView::wheelEvent(QWheelEvent* event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        if (event->angleDelta().y() > 0)
            zoomIn();
        else if (event->angleDelta().y() < 0)
            zoomOut();
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void LadderView::stepSelection(int direction)
{
    const auto& marks = m_layout.marks();
    if (marks.empty())
        return;
    const LadderLayout::Mark* current = m_layout.markFor(m_selection.seq());
    qsizetype index = current ? m_layout.markIndexAtRow(current->row) + direction
                              : (direction > 0 ? 0 : qsizetype(marks.size()) - 1);
    index = std::clamp<qsizetype>(index, 0, qsizetype(marks.size()) - 1);
    m_selection.select(marks[size_t(index)].seq);
}

void LadderView::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        break;
    case Qt::Key_Minus:
        zoomOut();
        break;
    case Qt::Key_0:
        resetZoom();
        break;
    case Qt::Key_Up:
        stepSelection(-1);
        break;
    case Qt::Key_Down:
        stepSelection(+1);
        break;
    case Qt::Key_End:
        m_following = true;
        layoutChanged();
        break;
    default:
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    event->accept();
}

bool LadderView::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Paint) {
        if (watched == m_header)
            paintHeader(m_header);
        else if (watched == m_footer)
            paintFooter(m_footer);
    }
    return QAbstractScrollArea::eventFilter(watched, event);
}

} // namespace sockbench
