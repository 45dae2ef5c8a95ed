#include "eventlogmodel.h"

#include "presentation/describe.h"

#include <QBrush>
#include <QColor>
#include <QFont>

#include <algorithm>

namespace sockbench {

namespace {

bool isFailure(const Event& event)
{
    return event.kind == EventKind::CallFinished && !event.result.ok();
}

// describe::call spells a call as Python does, "name(arguments)"; the log shows the two
// halves in their own columns so that a column of calls reads down easily.
QString argumentsOf(const QString& described, const QString& name)
{
    if (!described.startsWith(name + QLatin1Char('(')) || !described.endsWith(QLatin1Char(')')))
        return {};
    return described.mid(name.size() + 1, described.size() - name.size() - 2);
}

QString cellForClipboard(QString text)
{
    // A tab or line break inside a cell would split it into columns or rows when pasted.
    text.replace(QLatin1Char('\t'), QLatin1Char(' '));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return text;
}

} // namespace

EventLogModel::EventLogModel(const Timeline& timeline, QObject* parent)
    : QAbstractTableModel(parent)
    , m_timeline(timeline)
{
    connect(&timeline, &Timeline::appended, this, &EventLogModel::onAppended);
    connect(&timeline, &Timeline::trimmed, this, &EventLogModel::onTrimmed);
    connect(&timeline, &Timeline::reset, this, &EventLogModel::onReset);
    onReset();
}

int EventLogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int EventLogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const Event* EventLogModel::eventAt(int row) const
{
    return row >= 0 && row < m_rows && row < m_timeline.size() ? &m_timeline.at(row) : nullptr;
}

int EventLogModel::rowOf(quint64 seq) const
{
    return seq == 0 ? -1 : int(m_timeline.indexOf(seq));
}

QString EventLogModel::text(const Event& e, int column) const
{
    switch (column) {
    case Seq:
        return QString::number(e.seq);
    case Time:
        return QString::number(double(e.timeNs - m_originNs) / 1e6, 'f', 3);
    case Actor:
        return e.actor;
    case Socket:
        return e.socket.isValid() ? m_timeline.socketName(e.socket) : QStringLiteral("—");
    case CallColumn:
        return e.kind == EventKind::Observation ? describe::call(e) : callName(e.request.kind);
    case Arguments:
        return e.kind == EventKind::Observation
                   ? QString()
                   : argumentsOf(describe::call(e), callName(e.request.kind));
    case Result:
        return describe::result(e);
    case Bytes:
        if (e.kind == EventKind::CallFinished && e.result.ok() && isDataCall(e.request.kind))
            return describe::byteCount(e.payloadSize);
        return {};
    case Kernel:
        return describe::kernel(e.kernel);
    default:
        return {};
    }
}

QVariant EventLogModel::data(const QModelIndex& index, int role) const
{
    const Event* e = eventAt(index.row());
    if (!e || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return text(*e, index.column());
    case Qt::ToolTipRole:
        if (index.column() == Result && isFailure(*e))
            return QStringLiteral("%1 — %2").arg(e->result.errorName(), e->result.message);
        if (index.column() == Arguments || index.column() == Result)
            return text(*e, index.column());
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Seq || index.column() == Time || index.column() == Bytes)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (isFailure(*e))
            return QBrush(QColor(0xb9, 0x1c, 0x1c));
        if (e->kind == EventKind::CallBlocked)
            return QBrush(QColor(0xb4, 0x53, 0x09));
        if (e->kind == EventKind::Observation)
            return QBrush(QColor(0x47, 0x55, 0x69));
        return {};
    case Qt::FontRole:
        if (isFailure(*e) && index.column() == Result) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case SeqRole:
        return QVariant::fromValue(e->seq);
    case SocketRole:
        return QVariant::fromValue(e->socket.value);
    case ActorRole:
        return e->actor;
    case EventKindRole:
        return int(e->kind);
    case ErrorRole:
        return isFailure(*e);
    default:
        return {};
    }
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Seq:
        return QStringLiteral("#");
    case Time:
        return QStringLiteral("time (ms)");
    case Actor:
        return QStringLiteral("actor");
    case Socket:
        return QStringLiteral("socket");
    case CallColumn:
        return QStringLiteral("call");
    case Arguments:
        return QStringLiteral("arguments");
    case Result:
        return QStringLiteral("result / errno");
    case Bytes:
        return QStringLiteral("bytes");
    case Kernel:
        return QStringLiteral("kernel");
    default:
        return {};
    }
}

QString EventLogModel::rowsAsText(QList<int> rows) const
{
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    QStringList header;
    for (int column = 0; column < ColumnCount; ++column)
        header << headerData(column, Qt::Horizontal).toString();
    lines << header.join(QLatin1Char('\t'));
    for (int row : rows) {
        const Event* e = eventAt(row);
        if (!e)
            continue;
        QStringList cells;
        for (int column = 0; column < ColumnCount; ++column)
            cells << cellForClipboard(text(*e, column));
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

void EventLogModel::onAppended(qsizetype first, qsizetype count)
{
    if (count <= 0)
        return;
    // The Timeline has already appended; the model's own row count changes only between
    // begin and end, so a proxy that counts rows in beginInsertRows sees the old count.
    beginInsertRows({}, int(first), int(first + count - 1));
    m_rows = int(first + count);
    endInsertRows();
    bool sourcesGrew = false;
    for (qsizetype i = first; i < first + count; ++i)
        sourcesGrew = remember(m_timeline.at(i)) || sourcesGrew;
    if (sourcesGrew)
        Q_EMIT sourcesChanged();
}

void EventLogModel::onTrimmed(qsizetype count)
{
    if (count <= 0)
        return;
    beginRemoveRows({}, 0, int(count - 1));
    m_rows -= int(count);
    endRemoveRows();
}

void EventLogModel::onReset()
{
    beginResetModel();
    m_hasOrigin = false;
    m_originNs = 0;
    m_sockets.clear();
    m_actors.clear();
    m_rows = int(m_timeline.size());
    for (qsizetype i = 0; i < m_timeline.size(); ++i)
        remember(m_timeline.at(i));
    endResetModel();
    Q_EMIT sourcesChanged();
}

bool EventLogModel::remember(const Event& event)
{
    if (!m_hasOrigin) {
        m_originNs = event.timeNs;
        m_hasOrigin = true;
    }
    bool grew = false;
    if (event.socket.isValid() && !m_sockets.contains(event.socket)) {
        m_sockets.append(event.socket);
        grew = true;
    }
    if (!event.actor.isEmpty() && !m_actors.contains(event.actor)) {
        m_actors.append(event.actor);
        grew = true;
    }
    return grew;
}

EventLogFilter::EventLogFilter(QObject* parent)
    : QSortFilterProxyModel(parent)
{
}

void EventLogFilter::setSocket(SocketId socket)
{
    if (socket == m_socket)
        return;
    m_socket = socket;
    invalidateFilter();
}

void EventLogFilter::setActor(const QString& actor)
{
    if (actor == m_actor)
        return;
    m_actor = actor;
    invalidateFilter();
}

void EventLogFilter::setKind(Kind kind)
{
    if (kind == m_kind)
        return;
    m_kind = kind;
    invalidateFilter();
}

bool EventLogFilter::isFiltering() const
{
    return m_socket.isValid() || !m_actor.isEmpty() || m_kind != Kind::All;
}

bool EventLogFilter::filterAcceptsRow(int sourceRow, const QModelIndex&) const
{
    const auto* log = qobject_cast<const EventLogModel*>(sourceModel());
    const Event* e = log ? log->eventAt(sourceRow) : nullptr;
    if (!e)
        return false;
    if (m_socket.isValid() && e->socket != m_socket &&
        !(e->kind == EventKind::CallFinished && e->result.newSocket == m_socket))
        return false;
    if (!m_actor.isEmpty() && e->actor != m_actor)
        return false;
    switch (m_kind) {
    case Kind::All:
        return true;
    case Kind::Calls:
        return e->kind == EventKind::CallFinished;
    case Kind::Blocked:
        return e->kind == EventKind::CallBlocked;
    case Kind::Observations:
        return e->kind == EventKind::Observation;
    case Kind::Errors:
        return isFailure(*e);
    }
    return true;
}

} // namespace sockbench
