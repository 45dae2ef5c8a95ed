#include "masonrylayout.h"

#include <QWidget>

#include <algorithm>
#include <vector>

namespace sockbench {

void MasonryLayout::setMinimumColumnWidth(int width)
{
    if (width == m_minColumnWidth)
        return;
    m_minColumnWidth = width;
    invalidate();
}

void MasonryLayout::setMaximumColumns(int columns)
{
    if (columns == m_maxColumns)
        return;
    m_maxColumns = columns;
    invalidate();
}

int MasonryLayout::spanOf(const QLayoutItem* item)
{
    const QWidget* widget = item->widget();
    return widget ? std::max(1, widget->property("columnSpan").toInt()) : 1;
}

namespace {

// The narrowest a column may be: the minimum, and what every item needs across its span
// (no wider than the columns there may be: a card asking for the whole row, in a host of
// one column, needs its whole width of that one).
int narrowestColumn(const QList<QLayoutItem*>& items, int minimum, int spacing, int maxColumns)
{
    int narrowest = std::max(1, minimum);
    for (const QLayoutItem* item : items) {
        const int span = maxColumns > 0 ? std::min(MasonryLayout::spanOf(item), maxColumns)
                                        : MasonryLayout::spanOf(item);
        const int need = (item->minimumSize().width() - (span - 1) * spacing + span - 1) / span;
        narrowest = std::max(narrowest, need);
    }
    return narrowest;
}

} // namespace

int MasonryLayout::columnsFor(int width) const
{
    int spans = 0;
    for (const QLayoutItem* item : shown())
        spans += spanOf(item);
    int most = std::max(spans, 1);
    if (m_maxColumns > 0)
        most = std::min(most, m_maxColumns);
    return std::min(columnsThatFit(width), most);
}

int MasonryLayout::columnsThatFit(int width) const
{
    const QMargins m = contentsMargins();
    const int area = width - m.left() - m.right();
    const int narrowest = narrowestColumn(shown(), m_minColumnWidth, m_hSpacing, m_maxColumns);
    return std::max((area + m_hSpacing) / (narrowest + m_hSpacing), 1);
}

QSize MasonryLayout::minimumSize() const
{
    // One column: only an item wider than the view needs a side scroll. The height is the
    // height for the width (taken at the narrowest, a scroll area would scroll for nothing).
    const QMargins m = contentsMargins();
    const int narrowest = narrowestColumn(shown(), m_minColumnWidth, m_hSpacing, m_maxColumns);
    return QSize(narrowest + m.left() + m.right(), m.top() + m.bottom());
}

namespace {

struct Placement {
    std::vector<int> first; // each item's first column
    int bottom = 0;         // where the tallest column ends, spacing after it included
};

// Each item in order, in the run of columns whose tallest is lowest (the leftmost of equals).
Placement placeInOrder(const std::vector<int>& spans, const std::vector<int>& heights, int columns,
                       int spacing)
{
    Placement out;
    std::vector<int> free(size_t(columns), 0);
    for (size_t i = 0; i < spans.size(); ++i) {
        int best = 0;
        int bestTop = 0;
        for (int first = 0; first + spans[i] <= columns; ++first) {
            const int top =
                *std::max_element(free.begin() + first, free.begin() + first + spans[i]);
            if (first == 0 || top < bestTop) {
                best = first;
                bestTop = top;
            }
        }
        out.first.push_back(best);
        std::fill(free.begin() + best, free.begin() + best + spans[i],
                  bestTop + heights[i] + spacing);
    }
    out.bottom = *std::max_element(free.begin(), free.end());
    return out;
}

// The least tall placement, every run of columns tried for every item (depth first, a branch
// given up once it is as tall as the best so far), within a budget of placements tried.
class Packer {
public:
    Packer(const std::vector<int>& spans, const std::vector<int>& heights, int columns, int spacing,
           Placement best)
        : m_spans(spans)
        , m_heights(heights)
        , m_columns(columns)
        , m_spacing(spacing)
        , m_best(std::move(best))
        , m_tried(spans.size())
    {
    }
    Placement run()
    {
        std::vector<int> free(size_t(m_columns), 0);
        place(0, free, 0);
        return m_best;
    }

private:
    void place(size_t i, const std::vector<int>& free, int bottom)
    {
        if (bottom >= m_best.bottom || ++m_steps > kBudget)
            return;
        if (i == m_spans.size()) {
            m_best = {m_tried, bottom};
            return;
        }
        // The lowest runs first: the first placement reached is the order-kept one, and
        // the budget goes to the likeliest improvements.
        std::vector<std::pair<int, int>> runs; // (top, first column)
        for (int first = 0; first + m_spans[i] <= m_columns; ++first)
            runs.emplace_back(
                *std::max_element(free.begin() + first, free.begin() + first + m_spans[i]), first);
        std::stable_sort(runs.begin(), runs.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        for (const auto& [top, first] : runs) {
            std::vector<int> next = free;
            std::fill(next.begin() + first, next.begin() + first + m_spans[i],
                      top + m_heights[i] + m_spacing);
            m_tried[i] = first;
            place(i + 1, next, std::max(bottom, top + m_heights[i] + m_spacing));
        }
    }

    static constexpr int kBudget = 2000; // every placement of six hosts in three columns
    const std::vector<int>& m_spans;
    const std::vector<int>& m_heights;
    int m_columns;
    int m_spacing;
    Placement m_best;
    std::vector<int> m_tried;
    int m_steps = 0;
};

} // namespace

namespace {

void forgetLayout(QLayout* layout)
{
    for (int i = 0; i < layout->count(); ++i) {
        QLayoutItem* item = layout->itemAt(i);
        if (QLayout* nested = item->layout())
            forgetLayout(nested);
        else if (QWidget* child = item->widget())
            forgetMeasuredSizes(child);
    }
    layout->invalidate();
}

} // namespace

void forgetMeasuredSizes(QWidget* widget)
{
    if (QLayout* layout = widget->layout())
        forgetLayout(layout);
    widget->updateGeometry();
}

void MasonryLayout::setHeightLimit(int height)
{
    if (height == m_heightLimit)
        return;
    m_heightLimit = height;
    invalidate();
}

int MasonryLayout::arrange(const QRect& rect, bool apply) const
{
    const QList<QLayoutItem*> items = shown();
    const QMargins m = contentsMargins();
    const QRect area = rect.marginsRemoved(m);
    const int columns = columnsFor(rect.width());
    const int narrowest = narrowestColumn(items, m_minColumnWidth, m_hSpacing, m_maxColumns);
    const int column =
        std::max(narrowest, (area.width() - m_hSpacing * (columns - 1)) / std::max(columns, 1));
    std::vector<int> spans;
    std::vector<int> heights;
    for (QLayoutItem* item : items) {
        const int span = std::min(spanOf(item), columns);
        const int width = span * column + (span - 1) * m_hSpacing;
        const int hinted =
            item->hasHeightForWidth() ? item->heightForWidth(width) : item->sizeHint().height();
        spans.push_back(span);
        heights.push_back(
            std::clamp(hinted, item->minimumSize().height(),
                       std::max(item->minimumSize().height(), item->maximumSize().height())));
    }
    Placement placement = placeInOrder(spans, heights, columns, m_vSpacing);
    const int margins = m.top() + m.bottom();
    if (m_heightLimit > 0 && placement.bottom - m_vSpacing + margins > m_heightLimit)
        placement = Packer(spans, heights, columns, m_vSpacing, placement).run();
    if (apply) {
        std::vector<int> free(size_t(columns), area.y());
        for (qsizetype i = 0; i < items.size(); ++i) {
            const int first = placement.first[size_t(i)];
            const int span = spans[size_t(i)];
            const int top = *std::max_element(free.begin() + first, free.begin() + first + span);
            items[i]->setGeometry(QRect(area.x() + first * (column + m_hSpacing), top,
                                        span * column + (span - 1) * m_hSpacing,
                                        heights[size_t(i)]));
            std::fill(free.begin() + first, free.begin() + first + span,
                      top + heights[size_t(i)] + m_vSpacing);
        }
    }
    const int used = items.isEmpty() ? 0 : placement.bottom - m_vSpacing;
    return used + margins;
}

} // namespace sockbench
