#pragma once

#include "itemlayout.h"

#include <vector>

namespace sockbench {

// Lays items out in columns of equal width, in order, each where the columns are lowest: an
// item that spans several columns (its widget's "columnSpan" property, 1 when unset) takes
// the run of columns whose tallest is lowest, the leftmost of equals. Short items stack under
// each other instead of leaving a row's worth of empty room under them, and an item never
// moves because a later one was added. As many columns as fit at the minimum width (and the
// widest item's minimum), no more than the maximum, and no more than the items' spans add up
// to, so that a few items share the whole width.
class MasonryLayout : public ItemLayout {
    Q_OBJECT
public:
    using ItemLayout::ItemLayout;

    void setMinimumColumnWidth(int width);
    void setMaximumColumns(int columns); // 0: as many as fit
    int maximumColumns() const { return m_maxColumns; }
    // With a height limit, an item keeps the column it was last placed in while that
    // placement fits under the limit (and leaves no column empty): a host does not change
    // columns because its neighbour grew. Past the limit the order-kept placement gives way
    // to the placement, among all the columns each item could take (order kept within each
    // column), that is least tall: the stage's hosts in view before they stay put. 0: no
    // limit, the order-kept placement always.
    void setHeightLimit(int height);
    void forgetPlaces(); // every item placed anew (the stage was cleared)
    // How many items the last measure or arrangement placed in other columns than before.
    int movedLastTime() const { return m_moved; }
    // How many columns of the given width (contents margins included) it uses.
    int columnsFor(int width) const;
    // How many columns would fit in it, whatever the items' spans add up to.
    int columnsThatFit(int width) const;
    static int spanOf(const QLayoutItem* item);

    Qt::Orientations expandingDirections() const override { return Qt::Horizontal; }
    QSize minimumSize() const override;

private:
    int arrange(const QRect& rect, bool apply) const override;

    // Where each item was last placed (apply), for it to stay there.
    struct Kept {
        const QWidget* widget;
        int span;
        int first;
        bool settled; // chosen for a reason, not as the leftmost of equals
    };
    mutable std::vector<Kept> m_kept;
    mutable int m_keptColumns = 0;
    mutable int m_moved = 0;

    int m_minColumnWidth = 0;
    int m_maxColumns = 0;
    int m_heightLimit = 0;
};

// Drops every size the widget's layouts have measured, down to the last nested layout and
// child widget: a layout caches its height for a width, and only its own invalidate() drops
// it. For measuring at once after the type size or what shows has changed.
void forgetMeasuredSizes(QWidget* widget);

} // namespace sockbench
