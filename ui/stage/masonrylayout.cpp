#include "masonrylayout.h"

#include <QWidget>

#include <algorithm>
#include <numeric>
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
    // Each item's place was chosen for a reason (it was kept, or its run was the lowest of
    // several, not the leftmost of equals): only those are kept for next time. A place
    // taken when every host was empty is no reason to stay under the one that filled up.
    std::vector<bool> settled;
    bool leavesAColumnEmpty = false; // that an item could have had to itself
};

// Where each item was placed last: its first column (-1: none, new since or now of another
// span), and whether that place was settled.
struct KeptPlaces {
    std::vector<int> first;
    std::vector<bool> settled;
    bool any() const
    {
        return std::any_of(first.cbegin(), first.cend(), [](int k) { return k >= 0; });
    }
};

// Each item in order, in the column it was placed in last unless that starts it lower than
// the lowest run would, by more than the tolerance where that place was settled (or at all
// where it was one of equals); otherwise in the run of columns whose tallest is lowest, the
// leftmost of equals.
Placement placeInOrder(const KeptPlaces& kept, const std::vector<int>& spans,
                       const std::vector<int>& heights, int columns, int spacing, int tolerance)
{
    Placement out;
    std::vector<int> free(size_t(columns), 0);
    std::vector<bool> used(size_t(columns), false);
    for (size_t i = 0; i < spans.size(); ++i) {
        int best = 0;
        int bestTop = 0;
        int lowest = 0; // how many runs share that lowest top
        for (int first = 0; first + spans[i] <= columns; ++first) {
            const int top =
                *std::max_element(free.begin() + first, free.begin() + first + spans[i]);
            if (first == 0 || top < bestTop) {
                best = first;
                bestTop = top;
                lowest = 1;
            } else if (top == bestTop) {
                ++lowest;
            }
        }
        bool settled = lowest == 1;
        if (const int k = kept.first.empty() ? -1 : kept.first[i];
            k >= 0 && k + spans[i] <= columns) {
            const int top = *std::max_element(free.begin() + k, free.begin() + k + spans[i]);
            if (top - bestTop <= (kept.settled[i] ? tolerance : 0)) {
                best = k;
                bestTop = top;
                settled = settled || kept.settled[i];
            }
        }
        out.first.push_back(best);
        out.settled.push_back(settled);
        std::fill(free.begin() + best, free.begin() + best + spans[i],
                  bestTop + heights[i] + spacing);
        std::fill(used.begin() + best, used.begin() + best + spans[i], true);
    }
    const int spanned = std::accumulate(spans.begin(), spans.end(), 0);
    out.leavesAColumnEmpty =
        spanned >= columns && std::find(used.begin(), used.end(), false) != used.end();
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
            m_best = {m_tried, bottom, std::vector<bool>(m_tried.size(), true)};
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

// Of the placements that end by the given bottom, the one that moves the fewest items from
// their kept columns (the lowest of equals), starting from a candidate known to fit; depth
// first, each item in its kept column first, within a budget.
class FewestMoves {
public:
    FewestMoves(const std::vector<int>& kept, const std::vector<int>& spans,
                const std::vector<int>& heights, int columns, int spacing, int limit,
                Placement fitting)
        : m_kept(kept)
        , m_spans(spans)
        , m_heights(heights)
        , m_columns(columns)
        , m_spacing(spacing)
        , m_limit(limit)
        , m_best(std::move(fitting))
        , m_bestMoved(moved(m_best.first))
        , m_tried(spans.size())
    {
    }
    Placement run()
    {
        std::vector<int> free(size_t(m_columns), 0);
        place(0, free, 0, 0);
        return m_best;
    }

private:
    int moved(const std::vector<int>& first) const
    {
        int count = 0;
        for (size_t i = 0; i < first.size(); ++i)
            count += m_kept[i] >= 0 && m_kept[i] != first[i] ? 1 : 0;
        return count;
    }
    void place(size_t i, const std::vector<int>& free, int bottom, int movedSoFar)
    {
        if (bottom > m_limit || movedSoFar > m_bestMoved || ++m_steps > kBudget)
            return;
        if (movedSoFar == m_bestMoved && bottom >= m_best.bottom)
            return;
        if (i == m_spans.size()) {
            m_best = {m_tried, bottom, std::vector<bool>(m_tried.size(), true)};
            m_bestMoved = movedSoFar;
            return;
        }
        std::vector<int> order;
        if (m_kept[i] >= 0 && m_kept[i] + m_spans[i] <= m_columns)
            order.push_back(m_kept[i]);
        for (int first = 0; first + m_spans[i] <= m_columns; ++first)
            if (first != m_kept[i])
                order.push_back(first);
        for (const int first : order) {
            const int top =
                *std::max_element(free.begin() + first, free.begin() + first + m_spans[i]);
            std::vector<int> next = free;
            std::fill(next.begin() + first, next.begin() + first + m_spans[i],
                      top + m_heights[i] + m_spacing);
            m_tried[i] = first;
            const bool moves = m_kept[i] >= 0 && m_kept[i] != first;
            place(i + 1, next, std::max(bottom, top + m_heights[i] + m_spacing),
                  movedSoFar + (moves ? 1 : 0));
        }
    }

    static constexpr int kBudget = 2000;
    const std::vector<int>& m_kept;
    const std::vector<int>& m_spans;
    const std::vector<int>& m_heights;
    int m_columns;
    int m_spacing;
    int m_limit;
    Placement m_best;
    int m_bestMoved;
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

void MasonryLayout::forgetPlaces()
{
    m_kept.clear();
    m_keptColumns = 0;
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
    const int margins = m.top() + m.bottom();
    const auto fits = [&](const Placement& p) {
        return p.bottom - m_vSpacing + margins <= m_heightLimit;
    };
    // Each item's place last time, where the columns are as many as then.
    KeptPlaces kept;
    if (m_heightLimit > 0 && columns == m_keptColumns)
        for (qsizetype i = 0; i < items.size(); ++i) {
            const auto at = std::find_if(m_kept.cbegin(), m_kept.cend(), [&](const Kept& k) {
                return k.widget == items[i]->widget() && k.span == spans[size_t(i)];
            });
            kept.first.push_back(at == m_kept.cend() ? -1 : at->first);
            kept.settled.push_back(at != m_kept.cend() && at->settled);
        }
    Placement placement =
        placeInOrder(kept, spans, heights, columns, m_vSpacing, m_heightLimit / 8);
    if (kept.any() && (placement.leavesAColumnEmpty || !fits(placement))) {
        placement = placeInOrder({}, spans, heights, columns, m_vSpacing, 0);
        if (!fits(placement))
            placement = Packer(spans, heights, columns, m_vSpacing, placement).run();
        // Where it must change, as few hosts as can change columns do.
        if (fits(placement))
            placement = FewestMoves(kept.first, spans, heights, columns, m_vSpacing,
                                    m_heightLimit + m_vSpacing - margins, placement)
                            .run();
    } else if (m_heightLimit > 0 && !fits(placement)) {
        placement = Packer(spans, heights, columns, m_vSpacing, placement).run();
    }
    m_moved = 0;
    for (size_t i = 0; i < kept.first.size(); ++i)
        m_moved += kept.first[i] >= 0 && kept.first[i] != placement.first[i] ? 1 : 0;
    if (apply) {
        m_keptColumns = columns;
        m_kept.clear();
        for (qsizetype i = 0; i < items.size(); ++i)
            m_kept.push_back({items[i]->widget(), spans[size_t(i)], placement.first[size_t(i)],
                              bool(placement.settled[size_t(i)])});
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
