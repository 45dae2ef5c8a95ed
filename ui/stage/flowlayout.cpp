#include "flowlayout.h"

#include <algorithm>

namespace sockbench {

QSize FlowLayout::minimumSize() const
{
    // As narrow as the widest item: only an item wider than the view needs a side scroll.
    // The height is the height for the width (an item's minimum height is taken at its
    // narrowest, where its text wraps most: a scroll area would scroll for nothing).
    int width = 0;
    for (const QLayoutItem* item : shown())
        width = std::max(width, item->minimumSize().width());
    const QMargins m = contentsMargins();
    return QSize(width + m.left() + m.right(), m.top() + m.bottom());
}

int FlowLayout::arrange(const QRect& rect, bool apply) const
{
    const QMargins m = contentsMargins();
    const QRect area = rect.marginsRemoved(m);
    int x = area.x();
    int y = area.y();
    int rowHeight = 0;
    bool first = true;
    for (QLayoutItem* item : shown()) {
        // Preferred width, but never wider than the row (unless the item cannot shrink).
        const int width =
            std::max(item->minimumSize().width(), std::min(item->sizeHint().width(), area.width()));
        const int height =
            item->hasHeightForWidth() ? item->heightForWidth(width) : item->sizeHint().height();
        const QSize size =
            QSize(width, height).boundedTo(item->maximumSize()).expandedTo(item->minimumSize());
        if (!first && x + size.width() > area.x() + area.width()) {
            x = area.x();
            y += rowHeight + m_vSpacing;
            rowHeight = 0;
        }
        first = false;
        if (apply)
            item->setGeometry(QRect(QPoint(x, y), size));
        x += size.width() + m_hSpacing;
        rowHeight = std::max(rowHeight, size.height());
    }
    return y + rowHeight + m.bottom() - rect.y();
}

} // namespace sockbench
