#include "event.h"

namespace sockbench {

QString laneName(LaneKind lane)
{
    switch (lane) {
    case LaneKind::Control:
        return QStringLiteral("control");
    case LaneKind::Read:
        return QStringLiteral("read");
    case LaneKind::Write:
        return QStringLiteral("write");
    case LaneKind::Resolver:
        return QStringLiteral("resolver");
    }
    return {};
}

LaneKind laneOf(CallKind kind)
{
    switch (kind) {
    case CallKind::Accept:
    case CallKind::Recv:
    case CallKind::RecvFrom:
    case CallKind::RecvInto:
    case CallKind::RecvFromInto:
        return LaneKind::Read;
    case CallKind::Connect:
    case CallKind::ConnectEx:
    case CallKind::Send:
    case CallKind::SendAll:
    case CallKind::SendTo:
        return LaneKind::Write;
    case CallKind::GetAddrInfo:
    case CallKind::GetHostByName:
    case CallKind::GetHostByAddr:
    case CallKind::GetHostName:
        return LaneKind::Resolver;
    default:
        return LaneKind::Control;
    }
}

QString eventKindName(EventKind kind)
{
    switch (kind) {
    case EventKind::CallBlocked:
        return QStringLiteral("blocked");
    case EventKind::CallFinished:
        return QStringLiteral("finished");
    case EventKind::Observation:
        return QStringLiteral("observed");
    }
    return {};
}

} // namespace sockbench
