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
    QSize size;
    for (const QLayoutItem* item : m_items)
        if (!item->isEmpty())
            size = size.expandedTo(item->minimumSize());
    const QMargins m = contentsMargins();
    return size + QSize(m.left() + m.right(), m.top() + m.bottom());
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

int FlowLayout::arrange(const QRect& rect, bool apply, int* rows) const
{
    const QMargins m = contentsMargins();
    const QRect area = rect.marginsRemoved(m);
    int x = area.x();
    int y = area.y();
    int rowHeight = 0;
    int rowCount = 0;
    for (QLayoutItem* item : m_items) {
        if (item->isEmpty())
            continue;
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
    return y + rowHeight + m.bottom() - rect.y();
}

} // namespace sockbench
