#pragma once

// A call's outcome as one line, the way callmatrix.py prints Python's: "ok VALUE",
// "CLASS ERRNO TEXT" for an OSError, "TimeoutError timed out", "Invalid TEXT" for what
// Python raises before the kernel. tst_callmatrix compares the two sides' lines.

#include "engine/event.h"

#include <QString>

#include <cerrno>

namespace sockbench::test {

// CPython's OSError subclass for an errno (Objects/exceptions.c, errnomap).
inline QString osErrorClass(int number)
{
    switch (number) {
    case EAGAIN:
    case EALREADY:
    case EINPROGRESS:
        return QStringLiteral("BlockingIOError");
    case EPIPE:
    case ESHUTDOWN:
        return QStringLiteral("BrokenPipeError");
    case ECONNABORTED:
        return QStringLiteral("ConnectionAbortedError");
    case ECONNREFUSED:
        return QStringLiteral("ConnectionRefusedError");
    case ECONNRESET:
        return QStringLiteral("ConnectionResetError");
    case EEXIST:
        return QStringLiteral("FileExistsError");
    case ENOENT:
        return QStringLiteral("FileNotFoundError");
    case EINTR:
        return QStringLiteral("InterruptedError");
    case EACCES:
    case EPERM:
        return QStringLiteral("PermissionError");
    case ETIMEDOUT:
        return QStringLiteral("TimeoutError");
    default:
        return QStringLiteral("OSError");
    }
}

inline QString address(const Endpoint& endpoint)
{
    if (!endpoint.isValid())
        return QStringLiteral("None");
    return endpoint.host() + (endpoint.port() == 0 ? QStringLiteral(":0") : QStringLiteral(":P"));
}

inline QString bytes(const QByteArray& data)
{
    return QStringLiteral("b:") + QString::fromLatin1(data.toHex());
}

inline QString value(const Event& event)
{
    const CallResult& r = event.result;
    switch (event.request.kind) {
    case CallKind::Accept:
        return QStringLiteral("sock ") + address(r.address);
    case CallKind::ConnectEx:
    case CallKind::Send:
    case CallKind::SendTo:
    case CallKind::GetSockOpt:
        return QString::number(r.count);
    case CallKind::Recv:
        return bytes(r.data);
    case CallKind::RecvFrom:
        return bytes(r.data) + u' ' + address(r.address);
    case CallKind::RecvInto:
        return QString::number(r.count) + u' ' + bytes(r.data);
    case CallKind::RecvFromInto:
        return QString::number(r.count) + u' ' + bytes(r.data) + u' ' + address(r.address);
    case CallKind::GetSockName:
    case CallKind::GetPeerName:
        return address(r.address);
    default:
        return QStringLiteral("None");
    }
}

inline QString normalized(const Event& event)
{
    const CallResult& r = event.result;
    switch (r.outcome) {
    case Outcome::Ok:
        return QStringLiteral("ok ") + value(event);
    case Outcome::Error:
        if (r.errorDomain != ErrorDomain::Errno)
            return QStringLiteral("error ") + r.errorName() + u' ' + r.message;
        return QStringLiteral("%1 %2 %3")
            .arg(osErrorClass(r.errorNumber))
            .arg(r.errorNumber)
            .arg(r.message);
    case Outcome::Timeout:
        return QStringLiteral("TimeoutError timed out");
    case Outcome::Invalid:
        return QStringLiteral("Invalid ") + r.message;
    case Outcome::Interrupted:
        return QStringLiteral("Interrupted ") + r.message;
    }
    return QStringLiteral("?");
}

} // namespace sockbench::test
