#pragma once

#include "selection.h"
#include "timeline.h"

#include <QWidget>

class QLabel;
class QScrollArea;
class QStackedWidget;

namespace sockbench {

class ErrnoView;
class HexView;

// Everything about the selected event: what was called with which arguments, the full
// result (and for an error, what it means and what to try), the kernel's view of the
// socket at that moment, its addresses, and the bytes in hex and text side by side.
class InspectorView : public QWidget {
    Q_OBJECT
public:
    InspectorView(Timeline& timeline, EventSelection& selection, QWidget* parent = nullptr);

    // The event shown (0: none, the empty state).
    quint64 shownSeq() const { return m_shown; }
    // The hex and text dump of the payload shown, as plain text ("" when there is none).
    QString payloadText() const;

protected:
    void showEvent(QShowEvent* event) override;

private:
    void display(quint64 seq);
    void refresh();

    Timeline& m_timeline;
    EventSelection& m_selection;
    quint64 m_shown = 0;
    bool m_stale = false; // selected while hidden: laid out when shown
    QStackedWidget* m_pages;
    QLabel* m_empty;
    QLabel* m_heading;
    QLabel* m_call;
    QLabel* m_details;     // arguments, result
    ErrnoView* m_errno;    // what an error means and what to try (hides itself otherwise)
    QLabel* m_kernel;      // kernel snapshot and addresses
    QLabel* m_payloadNote; // "5 bytes", "64 of 1,048,576 bytes kept in the trace"
    HexView* m_hex;
};

} // namespace sockbench
