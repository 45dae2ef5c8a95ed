#pragma once

#include "net/call.h"
#include "net/kernelprobe.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace sockbench {

// Which worker performed a call. A socket has a read, a write and a control lane so that a
// blocked recv() never holds up a send() on the same socket; module-level calls
// (getaddrinfo and friends) run on the resolver lane.
enum class LaneKind : quint8 { Control, Read, Write, Resolver };
QString laneName(LaneKind lane);
LaneKind laneOf(CallKind kind);

enum class EventKind : quint8 {
    CallBlocked,  // the call found nothing to do and is now waiting in the kernel
    CallFinished, // the call returned: value or error, with the kernel snapshot after it
    Observation,  // the kernel's view of a socket changed without a call of ours
};
QString eventKindName(EventKind kind);

// One immutable entry of the trace. Everything the screen shows is derived from these.
struct Event {
    quint64 seq = 0;    // 1, 2, 3, ... in the order things happened
    qint64 timeNs = 0;  // monotonic, since the workbench started
    qint64 startNs = 0; // CallFinished: when the call began; its duration is timeNs - startNs
    EventKind kind = EventKind::CallFinished;
    SocketId socket; // none for module-level calls
    CallId call;     // none for observations
    QString actor;   // who issued the call ("server", "client", "you")
    LaneKind lane = LaneKind::Control;
    Call request;      // the call and its arguments (payload trimmed to the sample below)
    CallResult result; // CallFinished: the outcome (data trimmed to the sample below)

    // send*: how many bytes the program asked to send (the request's payload is kept only
    // as a sample in the trace).
    qint64 requestedBytes = 0;
    // The bytes that moved: for a send, those the kernel took; for a recv, those read.
    // payloadSize is the true count; payload holds at most a bounded sample of them.
    qint64 payloadSize = 0;
    QByteArray payload;

    KernelSnapshot kernel; // the kernel's view of the socket right after the event
    // The socket's own address and its peer's right after the call (calls that move no
    // data; unset where there is none), and for close() the addresses the connection had.
    Endpoint localAddress;
    Endpoint peerAddress;

    qint64 durationNs() const { return kind == EventKind::CallFinished ? timeNs - startNs : 0; }
    bool payloadTruncated() const { return payload.size() < payloadSize; }
};

} // namespace sockbench

Q_DECLARE_METATYPE(sockbench::Event)
