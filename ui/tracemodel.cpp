#include "tracemodel.h"

#include <QFont>

namespace sockbench {

QString describeCall(const Event& event)
{
    if (event.kind == EventKind::Observation)
        return QStringLiteral("(kernel)");
    const CallArgs& a = event.request.args;
    const QString name = callName(event.request.kind);
    switch (event.request.kind) {
    case CallKind::Socket:
        return QStringLiteral("socket(%1, %2)").arg(familyName(a.family), socketTypeName(a.type));
    case CallKind::Bind:
    case CallKind::Connect:
    case CallKind::ConnectEx:
        return QStringLiteral("%1(('%2', %3))").arg(name, a.host).arg(a.port);
    case CallKind::Listen:
        return a.backlog ? QStringLiteral("listen(%1)").arg(*a.backlog)
                         : QStringLiteral("listen()");
    case CallKind::Send:
    case CallKind::SendAll:
    case CallKind::SendTo:
        return QStringLiteral("%1(%2 bytes)").arg(name).arg(event.requestedBytes);
    case CallKind::Recv:
    case CallKind::RecvFrom:
        return QStringLiteral("%1(%2)").arg(name).arg(a.size);
    case CallKind::Shutdown:
        return QStringLiteral("shutdown(%1)").arg(a.how);
    case CallKind::SetSockOpt:
        return QStringLiteral("setsockopt(%1, %2, %3)")
            .arg(optionLevelName(a.option), optionName(a.option))
            .arg(a.value);
    case CallKind::GetAddrInfo:
    case CallKind::GetHostByName:
    case CallKind::GetHostByAddr:
        return QStringLiteral("%1('%2')").arg(name, a.host);
    default:
        return name + QStringLiteral("()");
    }
}

QString describeResult(const Event& event)
{
    switch (event.kind) {
    case EventKind::CallBlocked:
        return QStringLiteral("blocked…");
    case EventKind::Observation:
        return describeKernel(event.kernel);
    case EventKind::CallFinished:
        break;
    }
    const CallResult& r = event.result;
    if (!r.ok())
        return r.errorName() + QStringLiteral(": ") + r.message;
    switch (event.request.kind) {
    case CallKind::Socket:
        return QStringLiteral("socket #%1 (fd %2)").arg(r.newSocket.value).arg(r.count);
    case CallKind::Accept:
        return QStringLiteral("socket #%1 from %2")
            .arg(r.newSocket.value)
            .arg(r.address.toString());
    case CallKind::Send:
    case CallKind::SendAll:
    case CallKind::SendTo:
    case CallKind::Recv:
    case CallKind::RecvFrom:
    case CallKind::RecvInto:
    case CallKind::RecvFromInto:
    case CallKind::ConnectEx:
    case CallKind::GetSockOpt:
        return QString::number(r.count);
    case CallKind::GetSockName:
    case CallKind::GetPeerName:
        return r.address.toString();
    case CallKind::GetHostByName:
    case CallKind::GetHostName:
        return r.text;
    case CallKind::GetAddrInfo:
        return QStringLiteral("%1 entries").arg(r.addrInfo.size());
    default:
        return QStringLiteral("ok");
    }
}

QString describeKernel(const KernelSnapshot& s)
{
    if (!s.valid)
        return QStringLiteral("—");
    QStringList parts;
    if (s.tcpState != TcpState::None)
        parts << tcpStateName(s.tcpState);
    if (s.recvQueue >= 0)
        parts << QStringLiteral("recv-q %1").arg(s.recvQueue);
    if (s.sendQueue >= 0)
        parts << QStringLiteral("send-q %1").arg(s.sendQueue);
    if (s.acceptQueue >= 0)
        parts << QStringLiteral("accept-q %1/%2").arg(s.acceptQueue).arg(s.backlog);
    return parts.join(QStringLiteral(" · "));
}

TraceModel::TraceModel(const Trace& trace, QObject* parent)
    : QAbstractTableModel(parent)
    , m_trace(trace)
{
    connect(&trace, &Trace::appended, this, &TraceModel::refresh);
    refresh();
}

int TraceModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TraceModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const Event* TraceModel::eventAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_rows.size()))
        return nullptr;
    return &m_rows[static_cast<size_t>(row)];
}

QVariant TraceModel::data(const QModelIndex& index, int role) const
{
    const Event* e = eventAt(index.row());
    if (!e)
        return {};
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Seq:
            return QString::number(e->seq);
        case Time:
            return QStringLiteral("%1 ms").arg(double(e->timeNs) / 1e6, 0, 'f', 3);
        case Actor:
            return e->actor;
        case Socket:
            return e->socket.isValid() ? QStringLiteral("#%1").arg(e->socket.value) : QString();
        case Kind:
            return eventKindName(e->kind);
        case CallColumn:
            return describeCall(*e);
        case Result:
            return describeResult(*e);
        case Bytes:
            return e->payloadSize ? QString::number(e->payloadSize) : QString();
        case Kernel:
            return describeKernel(e->kernel);
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == Result && e->kind == EventKind::CallFinished &&
        !e->result.ok())
        return e->result.message;
    return {};
}

QVariant TraceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* const names[] = {"#",    "Time",   "Actor", "Socket", "Kind",
                                        "Call", "Result", "Bytes", "Kernel"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

void TraceModel::refresh()
{
    const QList<Event> fresh = m_trace.events(m_nextSeq);
    if (fresh.isEmpty())
        return;
    m_nextSeq = fresh.last().seq + 1;
    const int overflow =
        static_cast<int>(m_rows.size()) + static_cast<int>(fresh.size()) - kMaxRows;
    if (overflow > 0) {
        const int drop = std::min(overflow, static_cast<int>(m_rows.size()));
        if (drop > 0) {
            beginRemoveRows({}, 0, drop - 1);
            m_rows.erase(m_rows.begin(), m_rows.begin() + drop);
            endRemoveRows();
        }
    }
    const qsizetype skip = std::max<qsizetype>(0, fresh.size() - kMaxRows);
    const int first = static_cast<int>(m_rows.size());
    beginInsertRows({}, first, first + static_cast<int>(fresh.size() - skip) - 1);
    for (qsizetype i = skip; i < fresh.size(); ++i)
        m_rows.push_back(fresh[i]);
    endInsertRows();
}

} // namespace sockbench
