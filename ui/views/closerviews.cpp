#include "closerviews.h"

#include "addressview.h"
#include "eventlogview.h"
#include "inspectorview.h"
#include "ladderview.h"
#include "resolutionview.h"
#include "selection.h"
#include "throughputview.h"
#include "timeline.h"

#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace sockbench {

CloserViews::CloserViews(Timeline& timeline, EventSelection& selection, QWidget* parent)
    : QWidget(parent)
    , m_timeline(timeline)
    , m_story(new QTabWidget(this))
    , m_moment(new QTabWidget(this))
    , m_ladder(new LadderView(timeline, selection, this))
    , m_log(new EventLogView(timeline, selection, this))
    , m_throughput(new ThroughputView(timeline, selection, this))
    , m_inspector(new InspectorView(timeline, selection, this))
    , m_addresses(new AddressView(timeline, selection, this))
    , m_resolution(new ResolutionView(timeline, selection, this))
{
    setObjectName(QStringLiteral("closerViews"));
    m_story->setObjectName(QStringLiteral("storyTabs"));
    m_moment->setObjectName(QStringLiteral("momentTabs"));
    m_story->addTab(m_ladder, tr("Ladder"));
    m_story->setTabToolTip(0, tr("Every socket as a lifeline, time downwards: calls, bytes, "
                                 "and the segments the kernel's states prove"));
    m_story->addTab(m_log, tr("Event log"));
    m_story->setTabToolTip(1, tr("Every event in a table; filter it, copy rows"));
    m_story->addTab(m_throughput, tr("Throughput"));
    m_story->setTabToolTip(2, tr("Bytes per second on each connection"));
    m_moment->addTab(m_inspector, tr("Inspector"));
    m_moment->setTabToolTip(0, tr("The selected event: arguments, result, kernel state, bytes "
                                  "in hex and text, and why an error happened"));
    m_moment->addTab(m_addresses, tr("Addresses"));
    m_moment->setTabToolTip(1, tr("The selected event's addresses in every form"));
    m_moment->addTab(m_resolution, tr("Name resolution"));
    m_moment->setTabToolTip(2, tr("getaddrinfo()'s table, gethostbyname() and gethostbyaddr()"));

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_story);
    split->addWidget(m_moment);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(&selection, &EventSelection::changed, this, &CloserViews::followSelection);
}

void CloserViews::followSelection(quint64 seq)
{
    // A resolver call is best seen in its own view; anything else in the inspector, unless
    // the student chose the address view.
    const Event* e = m_timeline.find(seq);
    if (!e || e->kind != EventKind::CallFinished)
        return;
    const bool resolver = e->request.kind == CallKind::GetAddrInfo ||
                          e->request.kind == CallKind::GetHostByName ||
                          e->request.kind == CallKind::GetHostByAddr;
    if (resolver)
        m_moment->setCurrentWidget(m_resolution);
    else if (m_moment->currentWidget() == m_resolution)
        m_moment->setCurrentWidget(m_inspector);
}

} // namespace sockbench
