#include "flowlayout.h"

#include <QWidget>

#include <algorithm>

namespace sockbench {

FlowLayout::FlowLayout(QWidget* parent, int horizontalSpacing, int verticalSpacing)
    : QLayout(parent)
    , m_hSpacing(horizontalSpacing)
    , m_vSpacing(verticalSpacing)
{
}

FlowLayout::~FlowLayout()
{
    while (QLayoutItem* item = takeAt(0))
        delete item;
}

void FlowLayout::addItem(QLayoutItem* item)
{
    m_items.append(item);
    invalidate();
}

void FlowLayout::insertWidget(int index, QWidget* widget)
{
    addChildWidget(widget);
    if (index < 0 || index > m_items.size())
        index = int(m_items.size());
    m_items.insert(index, new QWidgetItem(widget));
    invalidate();
}

QLayoutItem* FlowLayout::itemAt(int index) const
{
    return index >= 0 && index < m_items.size() ? m_items.at(index) : nullptr;
}

QLayoutItem* FlowLayout::takeAt(int index)
{
    if (index < 0 || index >= m_items.size())
        return nullptr;
    QLayoutItem* item = m_items.takeAt(index);
    invalidate();
    return item;
}

void FlowLayout::invalidate()
{
    m_cachedWidth = -1;
    QLayout::invalidate();
}

int FlowLayout::heightForWidth(int width) const
{
    if (width != m_cachedWidth) {
        m_cachedHeight = arrange(QRect(0, 0, width, 0), false);
        m_cachedWidth = width;
    }
    return m_cachedHeight;
}

QSize FlowLayout::minimumSize() const
{
    // As narrow as the widest item: only an item wider than the view needs a side scroll.
    // The height is the height for the width (an item's minimum height is taken at its
    // narrowest, where its text wraps most: a scroll area would scroll for nothing).
    int width = 0;
    for (const QLayoutItem* item : m_items)
        if (!item->isEmpty())
            width = std::max(width, item->minimumSize().width());
    const QMargins m = contentsMargins();
    return QSize(width + m.left() + m.right(), m.top() + m.bottom());
}

QSize FlowLayout::sizeHint() const
{
    // What it would like: everything in one row.
    int width = 0;
    int height = 0;
    for (const QLayoutItem* item : m_items) {
        if (item->isEmpty())
            continue;
        const QSize hint = item->sizeHint();
        width += (width > 0 ? m_hSpacing : 0) + hint.width();
        height = std::max(height, hint.height());
    }
    const QMargins m = contentsMargins();
    return QSize(width + m.left() + m.right(), height + m.top() + m.bottom());
}

void FlowLayout::setGeometry(const QRect& rect)
{
    QLayout::setGeometry(rect);
    arrange(rect, true, &m_rows);
}

void FlowLayout::setColumns(int minimumWidth)
{
    if (minimumWidth == m_columnWidth)
        return;
    m_columnWidth = minimumWidth;
    invalidate();
}

int FlowLayout::arrange(const QRect& rect, bool apply, int* rows) const
{
    if (m_columnWidth > 0)
        return arrangeColumns(rect, apply, rows);
    const QMargins m = contentsMargins();
    QList<QLayoutItem*> items;
    for (QLayoutItem* item : m_items)
        if (!item->isEmpty())
            items << item;
    const int bottom = flow(items, rect.marginsRemoved(m), rect.y() + m.top(), apply, rows);
    return bottom + m.bottom() - rect.y();
}

int FlowLayout::arrangeColumns(const QRect& rect, bool apply, int* rows) const
{
    const QMargins m = contentsMargins();
    const QRect area = rect.marginsRemoved(m);
    QList<QLayoutItem*> columns;
    QList<QLayoutItem*> rest;
    for (QLayoutItem* item : m_items) {
        if (item->isEmpty())
            continue;
        const bool expands = item->expandingDirections() & Qt::Horizontal;
        (expands ? columns : rest) << item;
    }
    const int n = int(columns.size());
    // No column narrower than its host can be: hosts side by side never overlap.
    int narrowest = m_columnWidth;
    for (const QLayoutItem* item : columns)
        narrowest = std::max(narrowest, item->minimumSize().width());
    int perRow =
        std::clamp((area.width() + m_hSpacing) / (narrowest + m_hSpacing), 1, std::max(n, 1));
    const int rowCount = n == 0 ? 0 : (n + perRow - 1) / perRow;
    if (rowCount > 0)
        perRow = (n + rowCount - 1) / rowCount;
    const int width = std::max(narrowest, (area.width() - m_hSpacing * (perRow - 1)) / perRow);
    int y = area.y();
    for (int r = 0; r < rowCount; ++r) {
        int rowHeight = 0;
        const int first = r * perRow;
        const int last = std::min(n, first + perRow);
        for (int i = first; i < last; ++i) {
            QLayoutItem* item = columns[i];
            const int height =
                item->hasHeightForWidth() ? item->heightForWidth(width) : item->sizeHint().height();
            rowHeight = std::max(rowHeight, height);
        }
        for (int i = first; i < last; ++i)
            if (apply)
                columns[i]->setGeometry(
                    QRect(area.x() + (i - first) * (width + m_hSpacing), y, width, rowHeight));
        y += rowHeight + m_vSpacing;
    }
    int restRows = 0;
    const int bottom = rest.isEmpty() ? y - (rowCount > 0 ? m_vSpacing : 0)
                                      : flow(rest, area, y, apply, &restRows);
    if (rows)
        *rows = rowCount + restRows;
    return bottom + m.bottom() - rect.y();
}

int FlowLayout::flow(const QList<QLayoutItem*>& items, const QRect& area, int top, bool apply,
                     int* rows) const
{
    int x = area.x();
    int y = top;
    int rowHeight = 0;
    int rowCount = 0;
    for (QLayoutItem* item : items) {
        // Preferred width, but never wider than the row (unless the item cannot shrink).
        const int width =
            std::max(item->minimumSize().width(), std::min(item->sizeHint().width(), area.width()));
        const int height =
            item->hasHeightForWidth() ? item->heightForWidth(width) : item->sizeHint().height();
        const QSize size =
            QSize(width, height).boundedTo(item->maximumSize()).expandedTo(item->minimumSize());
        if (rowCount == 0) {
            rowCount = 1;
        } else if (x + size.width() > area.x() + area.width()) {
            x = area.x();
            y += rowHeight + m_vSpacing;
            rowHeight = 0;
            ++rowCount;
        }
        if (apply)
            item->setGeometry(QRect(QPoint(x, y), size));
        x += size.width() + m_hSpacing;
        rowHeight = std::max(rowHeight, size.height());
    }
    if (rows)
        *rows = rowCount;
    return y + rowHeight;
}

} // namespace sockbench
