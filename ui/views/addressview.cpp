#include "addressview.h"
#include "theme.h"

#include "net/addressforms.h"
#include "presentation/describe.h"
#include "views/selection.h"
#include "views/timeline.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sockbench {

using addressforms::Form;
using addressforms::FormKind;

namespace {

// --- the three-column table: form, value, what it tells you; headings span the row ---

QTableWidgetItem* cell(const QString& text)
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setToolTip(text);
    return item;
}

QTableWidget* createFormsTable(QWidget* parent)
{
    auto* table = new QTableWidget(0, 3, parent);
    table->setHorizontalHeaderLabels(
        {AddressView::tr("Form"), AddressView::tr("Value"), AddressView::tr("What it tells you")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setWordWrap(true);
    table->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    auto* header = table->horizontalHeader();
    header->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(2, QHeaderView::Stretch);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    // Rows grow with their wrapped note, whatever width the window gives the table.
    table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    return table;
}

void addSpanningRow(QTableWidget* table, QTableWidgetItem* item)
{
    const int row = table->rowCount();
    table->insertRow(row);
    table->setItem(row, 0, item);
    table->setSpan(row, 0, 1, 3);
}

void addHeading(QTableWidget* table, const QString& text)
{
    auto* item = cell(text);
    QFont font = item->font();
    font.setBold(true);
    item->setFont(font);
    item->setBackground(QColor(0xdb, 0xea, 0xfe));
    item->setForeground(QColor(0x1e, 0x3a, 0x8a));
    addSpanningRow(table, item);
}

void addRemark(QTableWidget* table, const QString& text)
{
    auto* item = cell(text);
    item->setForeground(QColor(0x4b, 0x55, 0x63));
    addSpanningRow(table, item);
}

void addForms(QTableWidget* table, const QList<Form>& forms,
              std::optional<FormKind> emphasised = std::nullopt)
{
    QFont mono(monoFamily());
    mono.setStyleHint(QFont::Monospace);
    mono.setPointSizeF(QApplication::font().pointSizeF());
    for (const Form& form : forms) {
        const int row = table->rowCount();
        table->insertRow(row);
        auto* label = cell(form.label);
        auto* value = cell(form.text);
        value->setFont(mono);
        auto* note = cell(form.note);
        note->setForeground(QColor(0x37, 0x41, 0x51));
        if (emphasised && form.kind == *emphasised) {
            // The form the user typed: the row to read all the others against.
            for (auto* item : {label, value, note}) {
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
                item->setBackground(QColor(0xfe, 0xf3, 0xc7));
            }
        }
        table->setItem(row, 0, label);
        table->setItem(row, 1, value);
        table->setItem(row, 2, note);
    }
}

void clearTable(QTableWidget* table)
{
    table->clearSpans();
    table->setRowCount(0);
}

// --- which addresses an event carries ---

struct Shown {
    QString heading;
    Endpoint endpoint;
    bool withPort = true;
};

QString resultHeading(const Event& e)
{
    const QString call = callName(e.request.kind) + QStringLiteral("()");
    switch (e.request.kind) {
    case CallKind::Bind:
        return AddressView::tr("%1 bound the socket to").arg(call);
    case CallKind::Connect:
    case CallKind::ConnectEx:
        return AddressView::tr("%1 went to").arg(call);
    case CallKind::SendTo:
        return AddressView::tr("%1 sent to").arg(call);
    case CallKind::Accept:
        return AddressView::tr("%1 returned the client's address").arg(call);
    case CallKind::RecvFrom:
    case CallKind::RecvFromInto:
        return AddressView::tr("%1 says the bytes came from").arg(call);
    case CallKind::GetSockName:
    case CallKind::GetPeerName:
        return AddressView::tr("%1 answered").arg(call);
    case CallKind::GetHostByName:
        return AddressView::tr("%1 answered").arg(call);
    case CallKind::GetHostByAddr:
        return AddressView::tr("%1 looked up").arg(call);
    default:
        return AddressView::tr("%1's address").arg(call);
    }
}

// Local, peer, then the call's own address(es); an address met twice gets one table with
// both headings.
QList<Shown> addressesOf(const Event& e)
{
    QList<Shown> shown;
    auto add = [&shown](const QString& heading, const Endpoint& endpoint, bool withPort) {
        if (!endpoint.isValid())
            return;
        for (Shown& s : shown) {
            if (s.endpoint == endpoint && s.withPort == withPort) {
                s.heading += QStringLiteral(" = ") + heading;
                return;
            }
        }
        shown.append({heading, endpoint, withPort});
    };
    add(AddressView::tr("This socket's own address (getsockname)"), e.localAddress, true);
    add(AddressView::tr("Its peer's address (getpeername)"), e.peerAddress, true);
    if (e.kind != EventKind::CallFinished)
        return shown;
    const bool module = isModuleCall(e.request.kind);
    add(resultHeading(e), e.result.address, !module);
    if (e.request.kind == CallKind::Accept)
        add(AddressView::tr("The new socket's own address"), e.result.acceptedLocal, true);
    for (qsizetype i = 0; i < e.result.addrInfo.size(); ++i)
        add(AddressView::tr("getaddrinfo() entry %1: its sockaddr").arg(i + 1),
            e.result.addrInfo[i].address, true);
    return shown;
}

QString formName(FormKind kind)
{
    switch (kind) {
    case FormKind::Dotted:
        return AddressView::tr("the IPv4 dotted quad");
    case FormKind::Decimal32:
        return AddressView::tr("the 32-bit decimal form");
    case FormKind::Hex32:
        return AddressView::tr("the 32-bit hex form");
    case FormKind::PackedBytes:
        return AddressView::tr("packed bytes");
    case FormKind::Ipv6Compressed:
        return AddressView::tr("compressed IPv6");
    case FormKind::Ipv6Full:
        return AddressView::tr("full IPv6");
    case FormKind::Ipv4Mapped:
        return AddressView::tr("the IPv4-mapped form");
    case FormKind::Ipv4MappedHex:
        return AddressView::tr("the IPv4-mapped form in hex");
    case FormKind::PythonTuple:
        return AddressView::tr("a Python address tuple");
    case FormKind::UnixPath:
        return AddressView::tr("an AF_UNIX path");
    case FormKind::UnixAbstract:
        return AddressView::tr("an abstract AF_UNIX name");
    default:
        return AddressView::tr("an address");
    }
}

} // namespace

AddressView::AddressView(Timeline& timeline, EventSelection& selection, QWidget* parent)
    : QWidget(parent)
    , m_timeline(timeline)
    , m_selection(selection)
    , m_field(new QLineEdit(this))
    , m_error(new QLabel(this))
    , m_lookupTable(createFormsTable(this))
    , m_eventTitle(new QLabel(this))
    , m_eventTable(createFormsTable(this))
{
    setObjectName(QStringLiteral("addressView"));
    auto* layout = new QVBoxLayout(this);

    auto* lookupRow = new QHBoxLayout;
    auto* prompt = new QLabel(tr("Look at any address:"), this);
    QFont bold = prompt->font();
    bold.setBold(true);
    prompt->setFont(bold);
    prompt->setBuddy(m_field);
    m_field->setObjectName(QStringLiteral("addressLookup"));
    m_field->setPlaceholderText(tr("127.0.0.1:4000  0x7F000001  [::1]:80  ::ffff:127.0.0.1  "
                                   "/tmp/sock  @name"));
    m_field->setClearButtonEnabled(true);
    m_field->setMinimumWidth(fontMetrics().averageCharWidth() * 34);
    m_error->setObjectName(QStringLiteral("addressLookupError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b91c1c; font-weight: bold;"));
    m_error->hide();
    lookupRow->addWidget(prompt);
    lookupRow->addWidget(m_field, 1);
    lookupRow->addWidget(m_error, 2);
    layout->addLayout(lookupRow);
    m_lookupTable->setObjectName(QStringLiteral("addressLookupTable"));
    m_lookupTable->hide();
    layout->addWidget(m_lookupTable, 2);

    m_eventTitle->setObjectName(QStringLiteral("addressEventTitle"));
    m_eventTitle->setWordWrap(true);
    m_eventTitle->setFont(bold);
    layout->addWidget(m_eventTitle);
    m_eventTable->setObjectName(QStringLiteral("addressEventTable"));
    layout->addWidget(m_eventTable, 3);
    // Takes the room only while both tables are hidden, so the lines stay at the top.
    layout->addStretch(0);

    connect(m_field, &QLineEdit::textChanged, this, &AddressView::showTyped);
    connect(&m_selection, &EventSelection::changed, this, &AddressView::showSelected);
    connect(&m_timeline, &Timeline::reset, this, &AddressView::showSelected);
    connect(&m_timeline, &Timeline::trimmed, this, &AddressView::showSelected);
    // An event is immutable: only one that was selected before it arrived needs a redraw.
    connect(&m_timeline, &Timeline::appended, this, [this] {
        if (!m_selectedFound && m_selection.seq() != 0)
            showSelected();
    });
    showSelected();
}

QString AddressView::lookupError() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QStringList AddressView::eventHeadings() const
{
    QStringList headings;
    for (int row = 0; row < m_eventTable->rowCount(); ++row)
        if (m_eventTable->columnSpan(row, 0) == 3 && m_eventTable->item(row, 0) &&
            m_eventTable->item(row, 0)->font().bold())
            headings << m_eventTable->item(row, 0)->text();
    return headings;
}

void AddressView::lookAt(const QString& text)
{
    m_field->setText(text);
}

void AddressView::showTyped(const QString& text)
{
    clearTable(m_lookupTable);
    if (text.trimmed().isEmpty()) {
        m_error->clear();
        m_error->hide();
        m_lookupTable->hide();
        return;
    }
    const auto parsed = addressforms::parseTyped(text);
    if (const auto* why = std::get_if<QString>(&parsed)) {
        m_error->setText(*why);
        m_error->show();
        m_lookupTable->hide();
        return;
    }
    m_error->clear();
    m_error->hide();
    const auto& typed = std::get<addressforms::Typed>(parsed);
    const QString port = typed.hasPort ? tr(", port %1").arg(typed.endpoint.port()) : QString();
    addHeading(m_lookupTable, tr("%1 — read as %2%3 (%4)")
                                  .arg(text.trimmed(), formName(typed.form), port,
                                       familyName(typed.endpoint.family())));
    addForms(m_lookupTable, addressforms::formsOf(typed.endpoint, typed.hasPort), typed.form);
    m_lookupTable->show();
}

void AddressView::showSelected()
{
    clearTable(m_eventTable);
    const quint64 seq = m_selection.seq();
    const Event* event = seq ? m_timeline.find(seq) : nullptr;
    m_selectedFound = event != nullptr;
    if (!event) {
        m_eventTitle->setText(
            seq ? tr("Event #%1 is not in the timeline.").arg(seq)
                : tr("Select an event (in the ladder, the log or on the stage) to see its "
                     "addresses in every form."));
        m_eventTable->hide();
        return;
    }
    m_eventTitle->setText(
        tr("Event #%1 (%2): %3").arg(event->seq).arg(event->actor, describe::call(*event)));
    const QList<Shown> shown = addressesOf(*event);
    if (shown.isEmpty()) {
        addRemark(m_eventTable, tr("This event carries no address. bind(), connect(), "
                                   "accept(), sendto() and recvfrom() do; so does any call "
                                   "on a bound or connected socket."));
    }
    for (const Shown& s : shown) {
        addHeading(m_eventTable, s.heading + QStringLiteral(": ") + s.endpoint.toString());
        addForms(m_eventTable, addressforms::formsOf(s.endpoint, s.withPort));
    }
    m_eventTable->show();
}

} // namespace sockbench
