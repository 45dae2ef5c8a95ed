#pragma once

#include "engine/trace.h"

#include <QAbstractTableModel>

#include <deque>

namespace sockbench {

// The trace as a table: one row per event, newest at the bottom. Bounded: it keeps the
// newest kMaxRows rows, so a long session cannot grow it without end.
class TraceModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int kMaxRows = 20'000;
    enum Column { Seq, Time, Actor, Socket, Kind, CallColumn, Result, Bytes, Kernel, ColumnCount };

    explicit TraceModel(const Trace& trace, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    const Event* eventAt(int row) const;
    // Pulls what the trace appended since last time.
    void refresh();

private:
    const Trace& m_trace;
    std::deque<Event> m_rows;
    quint64 m_nextSeq = 1;
};

} // namespace sockbench
