#include "itemlayout.h"

#include <QWidget>

#include <algorithm>

namespace sockbench {

ItemLayout::ItemLayout(QWidget* parent, int horizontalSpacing, int verticalSpacing)
    : QLayout(parent)
    , m_hSpacing(horizontalSpacing)
    , m_vSpacing(verticalSpacing)
{
}

ItemLayout::~ItemLayout()
{
    qDeleteAll(m_items);
}

void ItemLayout::addItem(QLayoutItem* item)
{
    m_items.append(item);
    invalidate();
}

void ItemLayout::insertWidget(int index, QWidget* widget)
{
    addChildWidget(widget);
    if (index < 0 || index > m_items.size())
        index = int(m_items.size());
    m_items.insert(index, new QWidgetItem(widget));
    invalidate();
}

QLayoutItem* ItemLayout::itemAt(int index) const
{
    return index >= 0 && index < m_items.size() ? m_items.at(index) : nullptr;
}

QLayoutItem* ItemLayout::takeAt(int index)
{
    if (index < 0 || index >= m_items.size())
        return nullptr;
    QLayoutItem* item = m_items.takeAt(index);
    invalidate();
    return item;
}

void ItemLayout::invalidate()
{
    m_cachedWidth = -1;
    QLayout::invalidate();
}

QList<QLayoutItem*> ItemLayout::shown() const
{
    QList<QLayoutItem*> items;
    for (QLayoutItem* item : m_items)
        if (!item->isEmpty())
            items << item;
    return items;
}

int ItemLayout::heightForWidth(int width) const
{
    if (width != m_cachedWidth) {
        m_cachedHeight = arrange(QRect(0, 0, width, 0), false);
        m_cachedWidth = width;
    }
    return m_cachedHeight;
}

QSize ItemLayout::sizeHint() const
{
    int width = 0;
    int height = 0;
    for (const QLayoutItem* item : shown()) {
        const QSize hint = item->sizeHint();
        width += (width > 0 ? m_hSpacing : 0) + hint.width();
        height = std::max(height, hint.height());
    }
    const QMargins m = contentsMargins();
    return QSize(width + m.left() + m.right(), height + m.top() + m.bottom());
}

void ItemLayout::setGeometry(const QRect& rect)
{
    QLayout::setGeometry(rect);
    arrange(rect, true);
}

} // namespace sockbench
