#include "hexview.h"

#include "hexdump.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>

#include <algorithm>

namespace sockbench {

namespace {

constexpr int kMargin = 6;
constexpr int kGap = 2; // character cells between columns

const QColor kOffset(0x64, 0x74, 0x8b);
const QColor kEscaped(0xb4, 0x53, 0x09); // \r and \n: a stand-in, not two bytes
const QColor kDot(0x94, 0xa3, 0xb8);

} // namespace

HexView::HexView(QWidget* parent)
    : QAbstractScrollArea(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("Bytes in hex and as text"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    viewport()->setBackgroundRole(QPalette::Base);
    viewport()->setAutoFillBackground(true);
}

void HexView::setBytes(const QByteArray& bytes)
{
    m_bytes = bytes;
    // The widest text column: a row's bytes, and one cell more for each \r or \n.
    m_textCells = 0;
    for (qsizetype from = 0; from < m_bytes.size(); from += hexdump::kBytesPerRow) {
        const qsizetype to = std::min<qsizetype>(from + hexdump::kBytesPerRow, m_bytes.size());
        int cells = int(to - from);
        for (qsizetype i = from; i < to; ++i)
            cells += m_bytes[i] == '\r' || m_bytes[i] == '\n' ? 1 : 0;
        m_textCells = std::max(m_textCells, cells);
    }
    verticalScrollBar()->setValue(0);
    horizontalScrollBar()->setValue(0);
    updateScrollBars();
    updateGeometry();
    viewport()->update();
}

void HexView::setVisibleRows(int rows)
{
    m_visibleRows = std::max(rows, 1);
    updateGeometry();
}

qsizetype HexView::rowCount() const
{
    return hexdump::rowCount(m_bytes);
}

qsizetype HexView::firstRowShown() const
{
    return verticalScrollBar()->value();
}

QString HexView::toPlainText() const
{
    return hexdump::toPlainText(m_bytes);
}

int HexView::lineHeight() const
{
    return fontMetrics().lineSpacing() + 2;
}

int HexView::cellWidth() const
{
    return std::max(fontMetrics().horizontalAdvance(QLatin1Char('0')), 1);
}

int HexView::columnsWide() const
{
    // offset, hex, and the widest text (each \r or \n takes two cells).
    const QString offset = hexdump::rowAt(m_bytes, std::max<qsizetype>(rowCount() - 1, 0)).offset;
    return int(std::max<qsizetype>(offset.size(), 6)) + kGap + hexdump::hexWidth() + kGap +
           std::max(m_textCells, 4);
}

QSize HexView::sizeHint() const
{
    const int rows = int(std::min<qsizetype>(rowCount(), m_visibleRows)) + 1; // + the header
    const int frame = 2 * frameWidth();
    const int scroll = rowCount() > m_visibleRows ? verticalScrollBar()->sizeHint().width() : 0;
    return {columnsWide() * cellWidth() + 2 * kMargin + frame + scroll,
            rows * lineHeight() + 2 * kMargin + frame + horizontalScrollBar()->sizeHint().height()};
}

QSize HexView::minimumSizeHint() const
{
    return {cellWidth() * 20, sizeHint().height()};
}

void HexView::updateScrollBars()
{
    const int height = viewport()->height() - 2 * kMargin;
    const int rowsInView = std::max(height / lineHeight() - 1, 1); // the header takes one
    QScrollBar* v = verticalScrollBar();
    v->setRange(0, int(std::max<qsizetype>(rowCount() - rowsInView, 0)));
    v->setPageStep(rowsInView);
    v->setSingleStep(1);
    QScrollBar* h = horizontalScrollBar();
    const int wide = columnsWide() * cellWidth() + 2 * kMargin;
    h->setRange(0, std::max(wide - viewport()->width(), 0));
    h->setPageStep(viewport()->width());
    h->setSingleStep(cellWidth() * 2);
}

void HexView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void HexView::changeEvent(QEvent* event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        updateScrollBars();
        updateGeometry();
    }
}

void HexView::paintEvent(QPaintEvent*)
{
    QPainter painter(viewport());
    painter.setFont(font());
    const int line = lineHeight();
    const int cell = cellWidth();
    const int ascent = fontMetrics().ascent() + 1;
    const int x0 = kMargin - horizontalScrollBar()->value();
    const QString lastOffset =
        hexdump::rowAt(m_bytes, std::max<qsizetype>(rowCount() - 1, 0)).offset;
    const int offsetCells = int(std::max<qsizetype>(lastOffset.size(), 6));
    const int hexX = x0 + (offsetCells + kGap) * cell;
    const int textX = hexX + (hexdump::hexWidth() + kGap) * cell;
    const QColor ink = palette().color(QPalette::Text);

    // The header stays put over the rows.
    int y = kMargin;
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(kOffset);
    painter.drawText(x0, y + ascent, tr("offset"));
    painter.drawText(hexX, y + ascent, tr("hex"));
    painter.drawText(textX, y + ascent, tr("text"));
    painter.setFont(font());
    y += line;

    m_formatted = 0;
    const qsizetype first = verticalScrollBar()->value();
    const int room = viewport()->height();
    for (qsizetype index = first; index < rowCount() && y < room; ++index, y += line) {
        const hexdump::Row row = hexdump::rowAt(m_bytes, index);
        ++m_formatted;
        painter.setPen(kOffset);
        painter.drawText(x0, y + ascent, row.offset);
        painter.setPen(ink);
        painter.drawText(hexX, y + ascent, row.hex);
        // The text column cell by cell: stand-ins in a colour of their own.
        int x = textX;
        const qsizetype from = index * hexdump::kBytesPerRow;
        const qsizetype to = std::min<qsizetype>(from + hexdump::kBytesPerRow, m_bytes.size());
        for (qsizetype i = from; i < to; ++i) {
            const char byte = m_bytes[i];
            const QString shown = hexdump::textOf(byte);
            painter.setPen(byte == '\r' || byte == '\n'  ? kEscaped
                           : byte >= 0x20 && byte < 0x7f ? ink
                                                         : kDot);
            painter.drawText(x, y + ascent, shown);
            x += int(shown.size()) * cell;
        }
    }
}

void HexView::keyPressEvent(QKeyEvent* event)
{
    if (event->matches(QKeySequence::Copy)) {
        copy();
        return;
    }
    QAbstractScrollArea::keyPressEvent(event);
}

void HexView::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu menu(this);
    menu.addAction(tr("Copy the bytes as a hex dump"), this, [this] { copy(); });
    menu.exec(event->globalPos());
}

void HexView::copy() const
{
    QApplication::clipboard()->setText(toPlainText());
}

} // namespace sockbench
