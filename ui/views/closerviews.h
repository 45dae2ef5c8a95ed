#pragma once

#include <QWidget>

class QTabWidget;

namespace sockbench {

class AddressView;
class EventLogView;
class EventSelection;
class InspectorView;
class LadderView;
class ResolutionView;
class ThroughputView;
class Timeline;

// "Look closer": the views of the trace beside the stage. Above, the whole story (ladder,
// event log, throughput); below, the one moment selected in any of them (inspector,
// addresses, name resolution). They share one timeline and one selection, so a click in
// any view shows that moment in all.
class CloserViews : public QWidget {
    Q_OBJECT
public:
    CloserViews(Timeline& timeline, EventSelection& selection, QWidget* parent = nullptr);

    LadderView* ladder() const { return m_ladder; }
    EventLogView* eventLog() const { return m_log; }
    ThroughputView* throughput() const { return m_throughput; }
    InspectorView* inspector() const { return m_inspector; }
    AddressView* addresses() const { return m_addresses; }
    ResolutionView* resolution() const { return m_resolution; }
    QTabWidget* storyTabs() const { return m_story; }
    QTabWidget* momentTabs() const { return m_moment; }

private:
    void followSelection(quint64 seq);

    Timeline& m_timeline;
    QTabWidget* m_story;
    QTabWidget* m_moment;
    LadderView* m_ladder;
    EventLogView* m_log;
    ThroughputView* m_throughput;
    InspectorView* m_inspector;
    AddressView* m_addresses;
    ResolutionView* m_resolution;
};

} // namespace sockbench
