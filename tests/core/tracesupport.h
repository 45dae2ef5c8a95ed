#pragma once

// What the trace's tests share: events to append, and payloads and sequence numbers to
// compare.

#include "engine/trace.h"

#include <QByteArray>
#include <QList>

namespace sockbench::tracetest {

inline Event finished(SocketId socket, CallKind call, qint64 bytes = 0,
                      Outcome outcome = Outcome::Ok)
{
    Event e;
    e.kind = EventKind::CallFinished;
    e.socket = socket;
    e.request.kind = call;
    e.result.outcome = outcome;
    e.payloadSize = bytes;
    return e;
}

// A payload whose bytes differ, so a wrong slice cannot pass for the right one.
inline QByteArray pattern(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = static_cast<char>('a' + i % 23);
    return bytes;
}

inline QList<quint64> seqsOf(const QList<Event>& events)
{
    QList<quint64> seqs;
    for (const Event& e : events)
        seqs << e.seq;
    return seqs;
}

inline QList<quint64> range(quint64 first, quint64 last)
{
    QList<quint64> seqs;
    for (quint64 seq = first; seq <= last; ++seq)
        seqs << seq;
    return seqs;
}

} // namespace sockbench::tracetest
