#pragma once

#include "timeline.h"

#include <QAbstractTableModel>
#include <QList>
#include <QSortFilterProxyModel>

namespace sockbench {

// Every event of the Timeline as a table row, oldest at the top. It holds no copy of its
// own: it reads the Timeline, which keeps the newest Timeline::kMaxEvents (100,000) events
// and trims the front beyond that, so the log is bounded by the same cap and a long session
// cannot eat memory. Time is in milliseconds since the first event the model saw after its
// last reset (trimming keeps that origin, so a row's time never changes under the reader).
class EventLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr qsizetype kMaxRows = Timeline::kMaxEvents;

    enum Column {
        Seq,
        Time,
        Actor,
        Socket,
        CallColumn,
        Arguments,
        Result,
        Bytes,
        Kernel,
        ColumnCount
    };
    enum Role {
        SeqRole = Qt::UserRole + 1, // quint64
        SocketRole,                 // quint32: SocketId::value, 0 for module calls
        ActorRole,                  // QString
        EventKindRole,              // int: EventKind
        ErrorRole,                  // bool: a call that finished with a failure
    };

    explicit EventLogModel(const Timeline& timeline, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const Timeline& timeline() const { return m_timeline; }
    const Event* eventAt(int row) const;
    int rowOf(quint64 seq) const; // -1 when the event is not (or no longer) in the log
    // The sockets and actors the rows mention, in order of first appearance.
    const QList<SocketId>& sockets() const { return m_sockets; }
    const QStringList& actors() const { return m_actors; }

    // The text of one cell, as shown and as copied.
    QString text(const Event& event, int column) const;
    // These rows as tab-separated text: a header line, then one line per row.
    QString rowsAsText(QList<int> rows) const;

Q_SIGNALS:
    // A socket or an actor appeared that the rows did not mention before (or all changed).
    void sourcesChanged();

private:
    void onAppended(qsizetype first, qsizetype count);
    void onTrimmed(qsizetype count);
    void onReset();
    bool remember(const Event& event);

    const Timeline& m_timeline;
    int m_rows = 0; // the Timeline's size as announced to views so far
    qint64 m_originNs = 0;
    bool m_hasOrigin = false;
    QList<SocketId> m_sockets;
    QStringList m_actors;
};

// Which rows the log shows: one socket, one actor, one kind of event (all by default).
class EventLogFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class Kind { All, Calls, Blocked, Observations, Errors };

    explicit EventLogFilter(QObject* parent = nullptr);

    // A socket's rows are the events on it and the call that made it (accept() on the
    // listener is where a connection's socket comes from). Invalid: every socket.
    void setSocket(SocketId socket);
    void setActor(const QString& actor); // empty: every actor
    void setKind(Kind kind);
    SocketId socket() const { return m_socket; }
    QString actor() const { return m_actor; }
    Kind kind() const { return m_kind; }
    bool isFiltering() const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    SocketId m_socket;
    QString m_actor;
    Kind m_kind = Kind::All;
};

} // namespace sockbench
