#pragma once

#include "views/ladderlayout.h"

#include <QAbstractScrollArea>

class QPainter;
class QToolButton;

namespace sockbench {

class EventSelection;
class Timeline;

// The ladder (sequence) diagram of the timeline: one lifeline per socket under its host,
// time downwards, calls as marks, blocked calls as bars, bytes as solid blue arrows from
// the sending socket to the reading one, and the TCP segments the kernel states prove
// (SYN, SYN-ACK, ACK, FIN, RST) as thin dashed grey arrows marked "inferred".
//
// Clicking a mark, bar or arrow selects its event in the shared EventSelection; a
// selection made elsewhere is highlighted here and scrolled into view. While the view is
// scrolled to the bottom it follows new events, like a log. Ctrl+wheel, +/- and the zoom
// buttons zoom; 0 resets; Up/Down step the selection through the events.
class LadderView : public QAbstractScrollArea {
    Q_OBJECT
public:
    LadderView(Timeline& timeline, EventSelection& selection, QWidget* parent = nullptr);

    const LadderLayout& layout() const { return m_layout; }
    double zoom() const { return m_zoom; }
    // Where an event's mark (dot and text) is, in viewport coordinates; null if it has none.
    QRect markRect(quint64 seq) const;
    // The event under a viewport point (a mark, an arrow or a bar); 0 for none.
    quint64 eventAt(QPoint viewportPos) const;
    // Whether new events scroll into view (the user has not scrolled away from the end).
    bool isFollowing() const { return m_following; }

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    void resetZoom();
    void setZoom(double zoom);
    void scrollToEvent(quint64 seq);

Q_SIGNALS:
    void zoomChanged(double zoom);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    void onAppended(qsizetype first, qsizetype count);
    void onTrimmed();
    void onReset();
    void onSelectionChanged(quint64 seq);
    void layoutChanged();
    void updateScrollBars();
    void stepSelection(int direction);

    // Geometry in content coordinates (before scrolling).
    double rowHeight() const;
    double columnWidth() const;
    double xOf(int lifeline) const;
    double yOf(qsizetype row) const;
    double contentHeight() const;
    QPointF toViewport(QPointF content) const;
    QRectF markContentRect(const LadderLayout::Mark& mark) const;
    double textRoom(const LadderLayout::Mark& mark) const; // how wide its text may be
    QString tooltipAt(QPoint viewportPos) const;
    const LadderLayout::Arrow* arrowAt(QPointF content) const;
    const LadderLayout::Bar* barAt(QPointF content) const;
    const LadderLayout::Mark* markAt(QPointF content) const;

    void paintHeader(QWidget* header);
    void paintFooter(QWidget* footer);
    void paintArrow(QPainter& p, const LadderLayout::Arrow& arrow, bool selected) const;

    Timeline& m_timeline;
    EventSelection& m_selection;
    LadderLayout m_layout;
    QWidget* m_header;
    QWidget* m_footer;
    QToolButton* m_zoomOut;
    QToolButton* m_zoomReset;
    QToolButton* m_zoomIn;
    double m_zoom = 1.0;
    bool m_following = true;
    bool m_adjusting = false; // scroll bars moved by the view itself, not the user
};

} // namespace sockbench
