#include "tracemodel.h"

#include "presentation/describe.h"

#include <QFont>

namespace sockbench {

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
            return describe::call(*e);
        case Result:
            return describe::result(*e);
        case Bytes:
            return e->payloadSize ? QString::number(e->payloadSize) : QString();
        case Kernel:
            return describe::kernel(e->kernel);
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
