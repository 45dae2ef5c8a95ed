#include "resolutionview.h"
#include "theme.h"

#include "codegen/pyrepr.h"
#include "views/selection.h"
#include "views/timeline.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <netinet/in.h>
#include <sys/socket.h>

namespace sockbench {

namespace {

const QColor kUsedBackground(0xdc, 0xfc, 0xe7);
const QColor kSelectedBackground(0xfe, 0xf3, 0xc7);

QTableWidgetItem* cell(const QString& text, const QFont* font = nullptr)
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setToolTip(text);
    if (font)
        item->setFont(*font);
    return item;
}

QFont monoFont(const QWidget* widget)
{
    QFont mono(monoFamily());
    mono.setStyleHint(QFont::Monospace);
    mono.setPointSizeF(widget->font().pointSizeF());
    return mono;
}

QString nativeFamilyName(int family)
{
    if (const auto known = fromNativeFamily(family))
        return familyName(*known);
    return QString::number(family);
}

// Python prints the number; the name says which protocol it is.
QString protoText(int proto)
{
    switch (proto) {
    case IPPROTO_TCP:
        return QStringLiteral("%1 (IPPROTO_TCP)").arg(proto);
    case IPPROTO_UDP:
        return QStringLiteral("%1 (IPPROTO_UDP)").arg(proto);
    default:
        return QString::number(proto);
    }
}

QString listRepr(const QStringList& items)
{
    QStringList parts;
    for (const QString& item : items)
        parts << codegen::strRepr(item);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

// The exception Python would raise, as its traceback's last line shows it.
QString pythonError(const CallResult& r)
{
    if (r.outcome == Outcome::Error)
        return QStringLiteral("%1: [Errno %2] %3")
            .arg(errnocatalog::pythonException(r.errorDomain, r.errorNumber))
            .arg(r.errorNumber)
            .arg(r.message.isEmpty() ? errnocatalog::description(r.errorDomain, r.errorNumber)
                                     : r.message);
    return r.errorName() + QStringLiteral(": ") + r.message;
}

// getaddrinfo('localhost', 4000, family=AF_INET, type=SOCK_STREAM), as the program wrote it.
QString addrInfoCall(const CallArgs& a)
{
    QStringList parts;
    parts << (a.hostIsNone ? QStringLiteral("None") : codegen::strRepr(a.host));
    bool numeric = !a.service.isEmpty();
    for (const QChar c : a.service)
        numeric = numeric && c.isDigit();
    parts << (a.service.isEmpty() ? QStringLiteral("None")
              : numeric           ? a.service
                                  : codegen::strRepr(a.service));
    if (a.family != AddressFamily::Unspecified)
        parts << QStringLiteral("family=") + familyName(a.family);
    if (a.typeFilter)
        parts << QStringLiteral("type=") + nativeSocketTypeName(a.typeFilter);
    if (a.proto)
        parts << QStringLiteral("proto=%1").arg(a.proto);
    if (a.flags)
        parts << QStringLiteral("flags=%1").arg(a.flags);
    return QStringLiteral("getaddrinfo(%1)").arg(parts.join(QStringLiteral(", ")));
}

// Where a connect()/connect_ex()/sendto() went: the address it reached, else (a failed
// call) the numeric address it was given.
std::optional<Endpoint> destinationOf(const Event& e)
{
    if (e.result.address.isValid())
        return e.result.address;
    const CallArgs& a = e.request.args;
    if (a.port < 0 || a.port > 65535)
        return std::nullopt;
    return Endpoint::parseLiteral(a.host, quint16(a.port), AddressFamily::Unspecified);
}

// getaddrinfo() never fills in a flow label, and its scope is 0 unless the name had one:
// compare what says where the packets go.
bool sameDestination(const Endpoint& entry, const Endpoint& to)
{
    if (entry.family() != to.family() || entry.port() != to.port())
        return false;
    if (entry.family() == AddressFamily::Unix)
        return entry.path() == to.path();
    return entry.ipv6() == to.ipv6() &&
           (entry.scopeId() == 0 || to.scopeId() == 0 || entry.scopeId() == to.scopeId());
}

struct Use {
    int entry = -1;
    quint64 seq = 0;
    QString call;
};

// The first later connect()/connect_ex()/sendto() of the same actor whose destination is
// one of the entries. A newer getaddrinfo() of that actor ends the search: what comes after
// it was chosen from the newer answer.
Use findUse(const Timeline& timeline, qsizetype index)
{
    const Event& asked = timeline.at(index);
    const auto& entries = asked.result.addrInfo;
    for (qsizetype i = index + 1; i < timeline.size(); ++i) {
        const Event& e = timeline.at(i);
        if (e.kind != EventKind::CallFinished || e.actor != asked.actor)
            continue;
        const CallKind kind = e.request.kind;
        if (kind == CallKind::GetAddrInfo)
            break;
        if (kind != CallKind::Connect && kind != CallKind::ConnectEx && kind != CallKind::SendTo)
            continue;
        const auto to = destinationOf(e);
        if (!to)
            continue;
        for (qsizetype j = 0; j < entries.size(); ++j)
            if (sameDestination(entries[j].address, *to))
                return {int(j), e.seq, callName(kind) + QStringLiteral("()")};
    }
    return {};
}

QTableWidget* createTable(QWidget* parent, int columns)
{
    auto* table = new QTableWidget(0, columns, parent);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setWordWrap(true);
    table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    return table;
}

} // namespace

ResolutionView::ResolutionView(Timeline& timeline, EventSelection& selection, QWidget* parent)
    : QWidget(parent)
    , m_timeline(timeline)
    , m_selection(selection)
    , m_title(new QLabel(this))
    , m_addrInfo(createTable(this, ColumnCount))
    , m_hosts(createTable(this, 2))
    , m_note(new QLabel(this))
    , m_hint(new QLabel(this))
{
    setObjectName(QStringLiteral("resolutionView"));
    auto* layout = new QVBoxLayout(this);

    m_title->setObjectName(QStringLiteral("resolutionTitle"));
    m_title->setWordWrap(true);
    QFont title = m_title->font();
    title.setBold(true);
    title.setPointSizeF(title.pointSizeF() * 1.15);
    m_title->setFont(title);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_title);

    m_addrInfo->setObjectName(QStringLiteral("addrInfoTable"));
    m_addrInfo->setHorizontalHeaderLabels({tr("#"), tr("family"), tr("type"), tr("proto"),
                                           tr("canonname"), tr("sockaddr"), tr("used by")});
    m_addrInfo->verticalHeader()->hide();
    auto* header = m_addrInfo->horizontalHeader();
    for (int c = 0; c < ColumnCount; ++c)
        header->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(UsedBy, QHeaderView::Stretch);
    layout->addWidget(m_addrInfo, 1);

    m_hosts->setObjectName(QStringLiteral("hostTable"));
    m_hosts->setHorizontalHeaderLabels({tr("gethostbyname()"), tr("gethostbyaddr()")});
    m_hosts->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    // Short cells: wrapping would size rows against the columns' width before the stretch.
    m_hosts->setWordWrap(false);
    m_hosts->setRowCount(HostRowCount);
    m_hosts->setVerticalHeaderLabels({tr("call"), tr("takes"), tr("hostname"), tr("aliases"),
                                      tr("addresses"), tr("Python returns"), tr("event")});
    m_hosts->verticalHeader()->setDefaultAlignment(Qt::AlignRight | Qt::AlignVCenter);
    layout->addWidget(m_hosts, 1);

    m_note->setObjectName(QStringLiteral("resolutionNote"));
    m_note->setWordWrap(true);
    layout->addWidget(m_note);

    m_hint->setObjectName(QStringLiteral("resolutionHint"));
    m_hint->setWordWrap(true);
    m_hint->setStyleSheet(QStringLiteral("color: #4b5563;"));
    layout->addWidget(m_hint);
    layout->addStretch(0);

    connect(&m_selection, &EventSelection::changed, this, &ResolutionView::refresh);
    connect(&m_timeline, &Timeline::reset, this, &ResolutionView::refresh);
    connect(&m_timeline, &Timeline::trimmed, this, &ResolutionView::refresh);
    // A later connect() can mark an entry used; a later gethostby*() does not change what
    // the selected one shows (the latest answers up to it), but the selection may arrive
    // before its event does.
    connect(&m_timeline, &Timeline::appended, this, [this] {
        if (m_refreshOnAppend)
            refresh();
    });
    refresh();
}

bool ResolutionView::showsHint() const
{
    return !m_hint->isHidden();
}

void ResolutionView::showHint(const QString& prefix)
{
    m_title->setText(prefix.isEmpty() ? tr("Name resolution") : prefix);
    m_hint->setText(tr("Select a getaddrinfo(), gethostbyname() or gethostbyaddr() call to see "
                       "the resolver's whole answer: every (family, type, proto, canonname, "
                       "sockaddr) entry and which one a later connect() used. Lesson 16, "
                       "\"From names to addresses\", exercises it."));
    m_hint->show();
    m_addrInfo->hide();
    m_hosts->hide();
    m_note->hide();
}

void ResolutionView::refresh()
{
    m_usedRow = -1;
    m_usedBySeq = 0;
    const quint64 seq = m_selection.seq();
    const qsizetype index = seq ? m_timeline.indexOf(seq) : -1;
    // What could still change with events yet to come: the selected event itself, its
    // finished twin, or the connect() that uses a getaddrinfo() entry.
    m_refreshOnAppend = seq != 0 && index < 0;
    if (index < 0) {
        showHint();
        return;
    }
    const Event& event = m_timeline.at(index);
    const CallKind kind = event.request.kind;
    const bool resolver = event.kind != EventKind::Observation &&
                          (kind == CallKind::GetAddrInfo || kind == CallKind::GetHostByName ||
                           kind == CallKind::GetHostByAddr || kind == CallKind::GetHostName);
    if (!resolver) {
        showHint();
        return;
    }
    if (event.kind != EventKind::CallFinished) {
        m_refreshOnAppend = true;
        showHint(tr("%1() is waiting for the resolver (event #%2)").arg(callName(kind)).arg(seq));
        return;
    }
    m_hint->hide();
    if (kind == CallKind::GetAddrInfo) {
        showAddrInfo(event, index);
        return;
    }
    showHosts(index);
    if (kind == CallKind::GetHostName) {
        m_title->setText(tr("gethostname() returned %1: this machine's own name (event #%2)")
                             .arg(event.result.ok() ? codegen::strRepr(event.result.text)
                                                    : pythonError(event.result),
                                  QString::number(seq)));
    }
}

void ResolutionView::showAddrInfo(const Event& event, qsizetype index)
{
    m_hosts->hide();
    m_addrInfo->clearContents();
    const auto& entries = event.result.addrInfo;
    const QString count =
        entries.size() == 1 ? tr("1 entry") : tr("%1 entries").arg(entries.size());
    m_title->setText(
        tr("%1 → %2 (event #%3, %4)")
            .arg(addrInfoCall(event.request.args), count, QString::number(event.seq), event.actor));
    if (!event.result.ok()) {
        m_title->setText(tr("%1 failed (event #%2)")
                             .arg(addrInfoCall(event.request.args), QString::number(event.seq)));
        m_addrInfo->setRowCount(0);
        m_addrInfo->hide();
        m_note->setText(pythonError(event.result));
        m_note->show();
        return;
    }
    const Use use = findUse(m_timeline, index);
    m_refreshOnAppend = use.entry < 0;
    m_usedRow = use.entry;
    m_usedBySeq = use.seq;
    const QFont mono = monoFont(this);
    m_addrInfo->setRowCount(int(entries.size()));
    for (int row = 0; row < entries.size(); ++row) {
        const AddrInfoEntry& entry = entries[row];
        m_addrInfo->setItem(row, Number, cell(QString::number(row)));
        m_addrInfo->setItem(row, Family, cell(nativeFamilyName(entry.family), &mono));
        m_addrInfo->setItem(row, Type, cell(nativeSocketTypeName(entry.socketType), &mono));
        m_addrInfo->setItem(row, Proto, cell(protoText(entry.protocol), &mono));
        m_addrInfo->setItem(row, CanonName, cell(codegen::strRepr(entry.canonicalName), &mono));
        m_addrInfo->setItem(row, SockAddr, cell(entry.address.toPythonTuple(), &mono));
        const bool used = row == use.entry;
        m_addrInfo->setItem(
            row, UsedBy,
            cell(used ? tr("used by %1 at event #%2").arg(use.call).arg(use.seq) : QString()));
        if (used) {
            for (int c = 0; c < ColumnCount; ++c) {
                QTableWidgetItem* item = m_addrInfo->item(row, c);
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
                item->setBackground(kUsedBackground);
            }
        }
    }
    m_addrInfo->show();
    if (use.entry >= 0)
        m_note->setText(tr("answers[%1] is the one %2 used (event #%3, actor %4): the entries "
                           "are made to be handed to socket() and connect().")
                            .arg(use.entry)
                            .arg(use.call)
                            .arg(use.seq)
                            .arg(event.actor));
    else
        m_note->setText(tr("No later connect(), connect_ex() or sendto() of %1 has gone to one "
                           "of these addresses yet.")
                            .arg(event.actor));
    m_note->show();
}

void ResolutionView::showHosts(qsizetype index)
{
    m_addrInfo->hide();
    m_note->hide();
    const Event* latest[2] = {nullptr, nullptr};
    for (qsizetype i = index; i >= 0 && !(latest[0] && latest[1]); --i) {
        const Event& e = m_timeline.at(i);
        if (e.kind != EventKind::CallFinished)
            continue;
        if (e.request.kind == CallKind::GetHostByName && !latest[0])
            latest[0] = &e;
        else if (e.request.kind == CallKind::GetHostByAddr && !latest[1])
            latest[1] = &e;
    }
    const quint64 selected = m_timeline.at(index).seq;
    m_title->setText(tr("gethostbyname() and gethostbyaddr(), side by side: the latest answer "
                        "of each up to event #%1")
                         .arg(selected));
    const QFont mono = monoFont(this);
    const QString dash = QStringLiteral("—");
    for (int column = 0; column < 2; ++column) {
        const Event* e = latest[column];
        const bool byName = column == 0;
        QStringList rows(HostRowCount);
        rows[HostTakes] = byName ? tr("a NAME; gives one IPv4 address")
                                 : tr("an ADDRESS; gives (hostname, aliases, addresses)");
        if (!e) {
            rows[HostCall] = byName ? tr("gethostbyname(): not called yet")
                                    : tr("gethostbyaddr(): not called yet");
            for (int r : {HostName, HostAliases, HostAddresses, HostReturns, HostEvent})
                rows[r] = dash;
        } else {
            const CallResult& r = e->result;
            rows[HostCall] = QStringLiteral("%1(%2)").arg(callName(e->request.kind),
                                                          codegen::strRepr(e->request.args.host));
            rows[HostEvent] = tr("#%1 (%2)").arg(e->seq).arg(e->actor);
            if (!r.ok()) {
                rows[HostName] = rows[HostAliases] = rows[HostAddresses] = dash;
                rows[HostReturns] = pythonError(r);
            } else if (byName) {
                rows[HostName] = tr("— (only the address comes back)");
                rows[HostAliases] = dash;
                rows[HostAddresses] = listRepr({r.text});
                rows[HostReturns] = codegen::strRepr(r.text);
            } else {
                const HostEntry& h = r.hostEntry;
                rows[HostName] = codegen::strRepr(h.name);
                rows[HostAliases] = listRepr(h.aliases);
                rows[HostAddresses] = listRepr(h.addresses);
                rows[HostReturns] =
                    QStringLiteral("(%1, %2, %3)")
                        .arg(codegen::strRepr(h.name), listRepr(h.aliases), listRepr(h.addresses));
            }
        }
        for (int row = 0; row < HostRowCount; ++row) {
            const bool code = row != HostTakes && row != HostEvent && (e || row == HostCall);
            auto* item = cell(rows[row], code ? &mono : nullptr);
            if (e && e->seq == selected)
                item->setBackground(kSelectedBackground);
            m_hosts->setItem(row, column, item);
        }
    }
    m_hosts->show();
}

} // namespace sockbench
