#pragma once

#include <QLayout>
#include <QList>

namespace sockbench {

// Lays items out left to right and starts a new row when the width runs out, each item at
// its preferred size and top-aligned in its row. It has a height for every width, so a
// scroll area around it grows downwards instead of sideways: the stage's hosts wrap
// instead of running off the right edge.
class FlowLayout : public QLayout {
    Q_OBJECT
public:
    FlowLayout(QWidget* parent, int horizontalSpacing, int verticalSpacing);
    ~FlowLayout() override;

    void insertWidget(int index, QWidget* widget);
    int horizontalSpacing() const { return m_hSpacing; }
    int verticalSpacing() const { return m_vSpacing; }
    // How many rows the last layout used (0 when empty).
    int rowCount() const { return m_rows; }
    // Columns: the items that expand horizontally (the stage's hosts) share each row in
    // equal columns, as many to a row as fit at minimumWidth, the rows as even as they can
    // be (four hosts with room for three: two and two). Every other item follows them, at
    // its preferred size. 0, the default, flows every item at its preferred size.
    void setColumns(int minimumWidth);
    int columnWidth() const { return m_columnWidth; }

    void addItem(QLayoutItem* item) override;
    int count() const override { return int(m_items.size()); }
    QLayoutItem* itemAt(int index) const override;
    QLayoutItem* takeAt(int index) override;
    Qt::Orientations expandingDirections() const override { return {}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize minimumSize() const override;
    QSize sizeHint() const override;
    void setGeometry(const QRect& rect) override;
    void invalidate() override;

private:
    // Places the items in rect (or only measures, when apply is false); returns the
    // height used, margins included, and the number of rows.
    int arrange(const QRect& rect, bool apply, int* rows = nullptr) const;
    int arrangeColumns(const QRect& rect, bool apply, int* rows) const;
    // Places items left to right from (x, y), starting a row where the width runs out.
    int flow(const QList<QLayoutItem*>& items, const QRect& area, int y, bool apply,
             int* rows) const;

    QList<QLayoutItem*> m_items;
    int m_hSpacing;
    int m_vSpacing;
    int m_rows = 0;
    int m_columnWidth = 0; // the narrowest column, in columns mode; 0: flow
    // heightForWidth is asked many times per resize; the answer only changes with the items.
    mutable int m_cachedWidth = -1;
    mutable int m_cachedHeight = 0;
};

} // namespace sockbench
