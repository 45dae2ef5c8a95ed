#pragma once

#include "engine/event.h"

#include <QList>
#include <QString>

namespace sockbench {
class Timeline;
}

// What the inspector lists about one event, as name/value rows: plain data, no widgets,
// shared by any view that wants to spell an event out in full.
namespace sockbench::eventdetails {

struct Field {
    QString name;
    QString value;
    friend bool operator==(const Field&, const Field&) = default;
};

// The call's arguments under Python's names, only those that call takes.
QList<Field> arguments(const Event& event);
// The whole outcome: value, address, new socket, addrinfo rows, errno name and message,
// duration. Socket ids are named through the timeline.
QList<Field> result(const Event& event, const Timeline& timeline);
// TCP state and the kernel queues; a single "not probed" row when there was no snapshot.
QList<Field> kernel(const KernelSnapshot& snapshot);
// The socket's own and its peer's address (rows only for those that are set).
QList<Field> addresses(const Event& event);
// "5 bytes", or "64 of 1,048,576 bytes kept in the trace" when only a sample was kept.
QString payloadNote(const Event& event);
QString duration(qint64 nanoseconds); // "850 µs", "12.345 ms", "2.500 s"
QString number(qint64 value);         // "1,048,576", whatever the system locale

} // namespace sockbench::eventdetails
