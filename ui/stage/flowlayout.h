#pragma once

#include "itemlayout.h"

namespace sockbench {

// Lays items out left to right and starts a new row when the width runs out, each item at
// its preferred size and top-aligned in its row: a card's buttons wrap instead of running
// off its right edge.
class FlowLayout : public ItemLayout {
    Q_OBJECT
public:
    using ItemLayout::ItemLayout;

    Qt::Orientations expandingDirections() const override { return {}; }
    QSize minimumSize() const override;

private:
    int arrange(const QRect& rect, bool apply) const override;
};

} // namespace sockbench
