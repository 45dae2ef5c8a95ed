#include "inspectorview.h"
#include "theme.h"

#include "errnoview.h"
#include "eventdetails.h"
#include "hexdump.h"
#include "hexview.h"
#include "presentation/describe.h"

#include <QLabel>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace sockbench {

namespace {

QString section(const QString& title)
{
    return QStringLiteral("<div style=\"font-size:13pt; font-weight:600; color:#1e3a8a; "
                          "margin-top:4px;\">%1</div>")
        .arg(title.toHtmlEscaped());
}

QString fieldTable(const QList<eventdetails::Field>& fields)
{
    if (fields.isEmpty())
        return QStringLiteral("<div style=\"color:#64748b;\">(none)</div>");
    QString html = QStringLiteral("<table cellspacing=\"0\" cellpadding=\"3\">");
    for (const auto& field : fields)
        html +=
            QStringLiteral("<tr><td style=\"color:#475569; padding-right:14px;\">%1</td>"
                           "<td style=\"font-family:'DejaVu Sans Mono',monospace;\">%2</td></tr>")
                .arg(field.name.toHtmlEscaped(), field.value.toHtmlEscaped());
    return html + QStringLiteral("</table>");
}

QLabel* makeLabel(QWidget* parent, const QString& name)
{
    auto* label = new QLabel(parent);
    label->setObjectName(name);
    label->setTextFormat(Qt::RichText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    return label;
}

} // namespace

InspectorView::InspectorView(Timeline& timeline, EventSelection& selection, QWidget* parent)
    : QWidget(parent)
    , m_timeline(timeline)
    , m_selection(selection)
    , m_pages(new QStackedWidget(this))
    , m_empty(new QLabel(QStringLiteral("Select an event in the ladder or the log to see it here."),
                         this))
{
    setObjectName(QStringLiteral("inspector"));
    m_empty->setObjectName(QStringLiteral("inspectorEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setStyleSheet(QStringLiteral("color: #64748b; font-size: 13pt;"));

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* content = new QWidget(scroll);
    content->setObjectName(QStringLiteral("inspectorContent"));
    m_heading = makeLabel(content, QStringLiteral("inspectorHeading"));
    m_call = makeLabel(content, QStringLiteral("inspectorCall"));
    m_details = makeLabel(content, QStringLiteral("inspectorResult"));
    m_errno = new ErrnoView(content);
    m_kernel = makeLabel(content, QStringLiteral("inspectorKernel"));
    m_payloadNote = makeLabel(content, QStringLiteral("inspectorPayloadNote"));
    m_hex = new HexView(content);
    m_hex->setObjectName(QStringLiteral("inspectorHex"));
    QFont mono(monoFamily());
    mono.setStyleHint(QFont::Monospace);
    mono.setPointSizeF(std::max(11.0, font().pointSizeF())); // read from the back of the room
    m_hex->setFont(mono);
    m_hex->setVisibleRows(16); // a longer payload scrolls inside the dump

    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->setSpacing(10);
    layout->addWidget(m_heading);
    layout->addWidget(m_call);
    layout->addWidget(m_details);
    layout->addWidget(m_errno);
    layout->addWidget(m_kernel);
    layout->addWidget(m_payloadNote);
    layout->addWidget(m_hex);
    layout->addStretch();
    scroll->setWidget(content);

    m_pages->addWidget(m_empty);
    m_pages->addWidget(scroll);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_pages);

    connect(&m_selection, &EventSelection::changed, this, &InspectorView::display);
    // The selected event may arrive after it was selected, or leave with a reset or a trim.
    connect(&m_timeline, &Timeline::reset, this, &InspectorView::refresh);
    connect(&m_timeline, &Timeline::trimmed, this, &InspectorView::refresh);
    connect(&m_timeline, &Timeline::appended, this, [this] {
        if (m_shown != m_selection.seq())
            refresh();
    });
    display(m_selection.seq());
}

QString InspectorView::payloadText() const
{
    const Event* e = m_timeline.find(m_shown);
    return e ? hexdump::toPlainText(e->payload) : QString();
}

void InspectorView::refresh()
{
    display(m_selection.seq());
}

void InspectorView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refresh();
}

void InspectorView::display(quint64 seq)
{
    const Event* e = seq ? m_timeline.find(seq) : nullptr;
    // Hidden (Look closer is closed, another tab is in front), it costs nothing: it is laid
    // out for the event selected then, once it is shown.
    m_stale = !isVisible();
    if (m_stale) {
        m_shown = e ? seq : 0;
        return;
    }
    if (!e) {
        m_shown = 0;
        m_empty->setText(
            seq ? QStringLiteral("Event #%1 is not in the timeline any more.").arg(seq)
                : QStringLiteral("Select an event in the ladder or the log to see it here."));
        m_pages->setCurrentIndex(0);
        return;
    }
    m_shown = seq;
    m_pages->setCurrentIndex(1);

    const QString socket =
        e->socket.isValid() ? m_timeline.socketName(e->socket) : QStringLiteral("(no socket)");
    const qint64 originNs = m_timeline.size() > 0 ? m_timeline.at(0).timeNs : e->timeNs;
    // Who did what, in words a student reads first; the workbench's own bookkeeping (the
    // worker lane, the call's id) comes last, in grey.
    const QString what = e->kind == EventKind::Observation ? tr("the kernel, on its own")
                         : e->kind == EventKind::CallBlocked
                             ? tr("%1() is waiting").arg(callName(e->request.kind))
                             : tr("%1() returned").arg(callName(e->request.kind));
    m_heading->setText(
        tr("<div style=\"font-size:15pt; font-weight:700;\">Event %1 · %2%3</div>"
           "<div style=\"color:#475569;\">%4 · by %5 · %6 ms after the first event</div>"
           "<div style=\"color:#94a3b8;\">runs on the socket's %7 worker%8</div>")
            .arg(e->seq)
            .arg(what.toHtmlEscaped(),
                 e->socket.isValid() ? tr(" on %1").arg(socket.toHtmlEscaped()) : QString(),
                 eventKindName(e->kind), e->actor.toHtmlEscaped(),
                 QString::number(double(e->timeNs - originNs) / 1e6, 'f', 3), laneName(e->lane),
                 e->call.isValid() ? tr(" · call %1").arg(e->call.value) : QString()));

    if (e->kind == EventKind::Observation) {
        m_call->setText(section(QStringLiteral("Kernel observation")) +
                        QStringLiteral("<div>No call: the kernel changed the socket on its own "
                                       "(a peer's packet, a timer).</div>"));
    } else {
        m_call->setText(section(QStringLiteral("Call")) +
                        QStringLiteral("<div style=\"font-family:'DejaVu Sans Mono',monospace; "
                                       "font-size:13pt;\">%1</div>")
                            .arg(describe::call(*e).toHtmlEscaped()) +
                        fieldTable(eventdetails::arguments(*e)));
    }
    m_details->setText(section(QStringLiteral("Result")) +
                       fieldTable(eventdetails::result(*e, m_timeline)));

    // ErrnoView hides itself for a success; blocked calls and observations have no result.
    if (e->kind == EventKind::CallFinished)
        m_errno->showResult(e->result);
    else
        m_errno->hide();

    QList<eventdetails::Field> kernel = eventdetails::kernel(e->kernel);
    // Calls that move data carry no addresses in the trace: say nothing rather than "none".
    const QList<eventdetails::Field> addresses = eventdetails::addresses(*e);
    m_kernel->setText(section(QStringLiteral("Kernel at that moment")) + fieldTable(kernel) +
                      (addresses.isEmpty()
                           ? QString()
                           : section(QStringLiteral("Addresses")) + fieldTable(addresses)));

    const bool isRecv =
        e->request.kind == CallKind::Recv || e->request.kind == CallKind::RecvFrom ||
        e->request.kind == CallKind::RecvInto || e->request.kind == CallKind::RecvFromInto;
    const bool finishedOk = e->kind == EventKind::CallFinished && e->result.ok();
    const bool hasPayload = e->payloadSize > 0 || (finishedOk && isDataCall(e->request.kind));
    m_payloadNote->setVisible(hasPayload);
    m_hex->setVisible(hasPayload && !e->payload.isEmpty());
    if (hasPayload) {
        QString note = eventdetails::payloadNote(*e);
        if (e->payloadSize == 0 && finishedOk && isRecv)
            note += QStringLiteral(": a zero-length read, the peer has closed its side");
        m_payloadNote->setText(section(QStringLiteral("Bytes")) +
                               QStringLiteral("<div>%1</div>").arg(note.toHtmlEscaped()));
        m_hex->setBytes(e->payload);
    }
}

} // namespace sockbench
