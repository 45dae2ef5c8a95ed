#pragma once

#include "eventlogmodel.h"
#include "selection.h"

#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QTableView;

namespace sockbench {

// The event log: every event of the Timeline in a table, filterable by socket, actor and
// kind. Selecting a row selects its event everywhere (EventSelection); an event selected
// elsewhere is selected and scrolled to here. While the reader has not scrolled up, the
// log follows the newest row. Ctrl+C (or "Copy rows" in the context menu) copies the
// selected rows as tab-separated text with a header line.
class EventLogView : public QWidget {
    Q_OBJECT
public:
    EventLogView(Timeline& timeline, EventSelection& selection, QWidget* parent = nullptr);

    EventLogModel* model() const { return m_model; }
    EventLogFilter* filter() const { return m_filter; }
    QTableView* table() const { return m_table; }
    QAction* copyAction() const { return m_copy; }

    // The filters, as the combo boxes set them (tests and the window may set them too).
    void setSocketFilter(SocketId socket);
    void setActorFilter(const QString& actor);
    void setKindFilter(EventLogFilter::Kind kind);
    void clearFilters();

    // The selected rows as text (what Copy puts on the clipboard).
    QString selectedRowsText() const;
    void copySelectedRows() const;
    bool isFollowingBottom() const { return m_followBottom; }

private:
    void refreshSourceCombos();
    void onCurrentRowChanged();
    void showSelected(quint64 seq);
    void updateFooter();

    Timeline& m_timeline;
    EventSelection& m_selection;
    EventLogModel* m_model;
    EventLogFilter* m_filter;
    QComboBox* m_socketCombo;
    QComboBox* m_actorCombo;
    QComboBox* m_kindCombo;
    QTableView* m_table;
    QLabel* m_footer;
    QLabel* m_selectionNote;
    QAction* m_copy;
    bool m_syncing = false;     // true while the view follows the selection it did not make
    bool m_selecting = false;   // true while a row the reader chose becomes the selection
    bool m_followBottom = true; // the reader has not scrolled away from the newest row
};

} // namespace sockbench
