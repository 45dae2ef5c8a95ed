#pragma once

#include <QLayout>
#include <QList>

namespace sockbench {

// What the stage's own layouts share: a list of items, spacing across and down, a height for
// every width (so that a scroll area around it grows downwards, never sideways), and the
// sizes of an everything-side-by-side hint. A subclass only places the items.
class ItemLayout : public QLayout {
    Q_OBJECT
public:
    ItemLayout(QWidget* parent, int horizontalSpacing, int verticalSpacing);
    ~ItemLayout() override;

    void insertWidget(int index, QWidget* widget);
    int horizontalSpacing() const { return m_hSpacing; }
    int verticalSpacing() const { return m_vSpacing; }

    void addItem(QLayoutItem* item) override;
    int count() const override { return int(m_items.size()); }
    QLayoutItem* itemAt(int index) const override;
    QLayoutItem* takeAt(int index) override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override; // everything side by side
    void setGeometry(const QRect& rect) override;
    void invalidate() override;

protected:
    QList<QLayoutItem*> shown() const; // the items not hidden, in order
    // Places the shown items in rect (or only measures, when apply is false); returns the
    // height used, margins included.
    virtual int arrange(const QRect& rect, bool apply) const = 0;

    const int m_hSpacing;
    const int m_vSpacing;

private:
    QList<QLayoutItem*> m_items;
    // heightForWidth is asked many times per resize; the answer only changes with the items.
    mutable int m_cachedWidth = -1;
    mutable int m_cachedHeight = 0;
};

} // namespace sockbench
