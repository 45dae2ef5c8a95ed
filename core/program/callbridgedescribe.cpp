// How a call a program made reads in the transcript: "connect(('127.0.0.1', 4000))".
#include "callbridge.h"

#include "net/calls.h"

namespace sockbench::program {

namespace {

QString bytesText(const QByteArray& data)
{
    if (data.size() > 24)
        return QStringLiteral("<%1 bytes>").arg(data.size());
    QString out = QStringLiteral("b'");
    for (char c : data) {
        const auto u = quint8(c);
        if (c == '\\' || c == '\'') {
            out += QLatin1Char('\\');
            out += QLatin1Char(c);
        } else if (c == '\n')
            out += QStringLiteral("\\n");
        else if (c == '\r')
            out += QStringLiteral("\\r");
        else if (u >= 0x20 && u < 0x7f)
            out += QLatin1Char(c);
        else
            out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
    }
    return out + QLatin1Char('\'');
}

} // namespace

QString CallBridge::describe(const Call& call, AddressFamily family)
{
    const CallArgs& a = call.args;
    const QString name = callName(call.kind);
    auto address = [&] {
        if (family == AddressFamily::Unix)
            return a.host.startsWith(QLatin1Char('\0')) ? bytesText(a.host.toUtf8())
                                                        : QStringLiteral("'%1'").arg(a.host);
        return QStringLiteral("('%1', %2)").arg(a.host).arg(a.port);
    };
    QString args;
    switch (call.kind) {
    case CallKind::Socket:
        args = QStringLiteral("%1, %2").arg(familyName(a.family), socketTypeName(a.type));
        break;
    case CallKind::Bind:
    case CallKind::Connect:
    case CallKind::ConnectEx:
        args = address();
        break;
    case CallKind::Listen:
        args = a.backlog ? QString::number(*a.backlog) : QString();
        break;
    case CallKind::Send:
    case CallKind::SendAll:
        args = bytesText(a.payload);
        break;
    case CallKind::SendTo:
        args = bytesText(a.payload) + QStringLiteral(", ") + address();
        break;
    case CallKind::Recv:
    case CallKind::RecvFrom:
        args = QString::number(a.size);
        break;
    case CallKind::RecvInto:
    case CallKind::RecvFromInto:
        args = QStringLiteral("<buffer of %1>").arg(a.bufferSize);
        if (a.size)
            args += QStringLiteral(", %1").arg(a.size);
        break;
    case CallKind::Shutdown:
        args = QString::number(a.how);
        break;
    case CallKind::SetSockOpt:
        args =
            QStringLiteral("%1, %2, %3").arg(optionLevelName(a), optionName(a), optionValueText(a));
        break;
    case CallKind::GetSockOpt:
        args = QStringLiteral("%1, %2").arg(optionLevelName(a), optionName(a));
        break;
    case CallKind::SetBlocking:
        args = a.blocking ? QStringLiteral("True") : QStringLiteral("False");
        break;
    case CallKind::SetTimeout:
        args = a.timeout ? QString::number(*a.timeout) : QStringLiteral("None");
        break;
    case CallKind::GetAddrInfo:
        args = QStringLiteral("%1, %2").arg(
            a.hostIsNone ? QStringLiteral("None") : QStringLiteral("'%1'").arg(a.host),
            a.service.isEmpty() ? QStringLiteral("None") : a.service);
        break;
    case CallKind::GetHostByName:
    case CallKind::GetHostByAddr:
        args = QStringLiteral("'%1'").arg(a.host);
        break;
    default:
        break;
    }
    return QStringLiteral("%1(%2)").arg(name, args);
}

} // namespace sockbench::program
