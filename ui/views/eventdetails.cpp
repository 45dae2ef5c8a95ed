#include "eventdetails.h"

#include "codegen/pyrepr.h"
#include "presentation/describe.h"
#include "timeline.h"

#include <QLocale>
#include <QStringList>

#include <netdb.h>
#include <sys/socket.h>

namespace sockbench::eventdetails {

namespace {

QString flagNames(int flags, const QList<std::pair<int, const char*>>& known)
{
    if (flags == 0)
        return QStringLiteral("0");
    QStringList names;
    int rest = flags;
    for (const auto& [bit, name] : known) {
        if (flags & bit) {
            names << QLatin1String(name);
            rest &= ~bit;
        }
    }
    if (rest != 0)
        names << QStringLiteral("0x%1").arg(rest, 0, 16);
    return names.join(QStringLiteral(" | "));
}

QString messageFlags(int flags)
{
    return flagNames(flags, {{MSG_PEEK, "MSG_PEEK"},
                             {MSG_WAITALL, "MSG_WAITALL"},
                             {MSG_DONTWAIT, "MSG_DONTWAIT"},
                             {MSG_OOB, "MSG_OOB"}});
}

QString hostArgument(const CallArgs& a)
{
    return a.hostIsNone ? QStringLiteral("None") : codegen::strRepr(a.host);
}

void addAddress(QList<Field>& fields, const CallArgs& a)
{
    if (a.port == 0 && a.host.startsWith(QLatin1Char('/'))) {
        fields.append({QStringLiteral("path"), codegen::strRepr(a.host)});
        return;
    }
    fields.append({QStringLiteral("host"), hostArgument(a)});
    fields.append({QStringLiteral("port"), QString::number(a.port)});
    if (a.flowInfo != 0)
        fields.append({QStringLiteral("flowinfo"), QString::number(a.flowInfo)});
    if (a.scopeId != 0)
        fields.append({QStringLiteral("scope_id"), QString::number(a.scopeId)});
}

void addData(QList<Field>& fields, const Event& e)
{
    const CallArgs& a = e.request.args;
    const qint64 length = e.requestedBytes ? e.requestedBytes : a.payloadLength();
    fields.append({QStringLiteral("data"), describe::bytes(a.payload, length, 40)});
    fields.append({QStringLiteral("length"), number(length) + QStringLiteral(" bytes")});
    if (a.repeat != 1)
        fields.append({QStringLiteral("built as"),
                       QStringLiteral("%1 * %2").arg(codegen::bytesRepr(a.payload)).arg(a.repeat)});
}

QString socketType(int type)
{
    return type == 0 ? QStringLiteral("0 (any)") : nativeSocketTypeName(type);
}

QString queueValue(qint32 value)
{
    return value < 0 ? QStringLiteral("— (not reported for this socket)")
                     : number(value) + QStringLiteral(" bytes");
}

} // namespace

QString number(qint64 value)
{
    // The workbench speaks English; grouping digits keeps 1,048,576 readable from the back.
    static const QLocale english(QLocale::English, QLocale::UnitedStates);
    return english.toString(value);
}

QString duration(qint64 ns)
{
    if (ns < 1'000'000)
        return QStringLiteral("%1 µs").arg(double(ns) / 1e3, 0, 'f', ns < 10'000 ? 1 : 0);
    if (ns < 1'000'000'000)
        return QStringLiteral("%1 ms").arg(double(ns) / 1e6, 0, 'f', 3);
    return QStringLiteral("%1 s").arg(double(ns) / 1e9, 0, 'f', 3);
}

QList<Field> arguments(const Event& e)
{
    QList<Field> fields;
    if (e.kind == EventKind::Observation)
        return fields;
    const CallArgs& a = e.request.args;
    switch (e.request.kind) {
    case CallKind::Socket:
    case CallKind::SocketPair:
        fields.append({QStringLiteral("family"), familyName(a.family)});
        fields.append({QStringLiteral("type"), socketTypeName(a.type)});
        fields.append({QStringLiteral("proto"), QString::number(a.proto)});
        break;
    case CallKind::SetSockOpt:
        fields.append({QStringLiteral("level"), optionLevelName(a)});
        fields.append({QStringLiteral("optname"), optionName(a)});
        if (a.option == SocketOption::Linger) {
            fields.append({QStringLiteral("l_onoff"), QString::number(a.value)});
            fields.append(
                {QStringLiteral("l_linger"), QStringLiteral("%1 s").arg(a.lingerSeconds)});
        } else {
            fields.append({QStringLiteral("value"), optionValueText(a)});
        }
        break;
    case CallKind::GetSockOpt:
        fields.append({QStringLiteral("level"), optionLevelName(a)});
        fields.append({QStringLiteral("optname"), optionName(a)});
        break;
    case CallKind::Bind:
    case CallKind::Connect:
    case CallKind::ConnectEx:
        addAddress(fields, a);
        break;
    case CallKind::Listen:
        fields.append({QStringLiteral("backlog"),
                       a.backlog ? QString::number(*a.backlog)
                                 : QStringLiteral("(not given: Python's default)")});
        break;
    case CallKind::Send:
    case CallKind::SendAll:
        addData(fields, e);
        if (a.flags != 0)
            fields.append({QStringLiteral("flags"), messageFlags(a.flags)});
        break;
    case CallKind::SendTo:
        addData(fields, e);
        addAddress(fields, a);
        break;
    case CallKind::Recv:
    case CallKind::RecvFrom:
        fields.append({QStringLiteral("bufsize"), QString::number(a.size)});
        if (a.flags != 0)
            fields.append({QStringLiteral("flags"), messageFlags(a.flags)});
        break;
    case CallKind::RecvInto:
    case CallKind::RecvFromInto:
        fields.append(
            {QStringLiteral("buffer"), QStringLiteral("bytearray(%1)").arg(a.bufferSize)});
        fields.append({QStringLiteral("nbytes"), a.size == 0
                                                     ? QStringLiteral("0 (all of the buffer)")
                                                     : QString::number(a.size)});
        if (a.flags != 0)
            fields.append({QStringLiteral("flags"), messageFlags(a.flags)});
        break;
    case CallKind::Shutdown: {
        static const char* const how[] = {"SHUT_RD", "SHUT_WR", "SHUT_RDWR"};
        fields.append({QStringLiteral("how"),
                       a.how >= 0 && a.how <= 2
                           ? QStringLiteral("%1 (%2)").arg(QLatin1String(how[a.how])).arg(a.how)
                           : QString::number(a.how)});
        break;
    }
    case CallKind::SetBlocking:
        fields.append({QStringLiteral("flag"),
                       a.blocking ? QStringLiteral("True") : QStringLiteral("False")});
        break;
    case CallKind::SetTimeout:
        fields.append(
            {QStringLiteral("value"), a.timeout ? QStringLiteral("%1 s").arg(*a.timeout)
                                                : QStringLiteral("None (block without a limit)")});
        break;
    case CallKind::GetAddrInfo:
        fields.append({QStringLiteral("host"), hostArgument(a)});
        fields.append({QStringLiteral("port"),
                       a.service.isEmpty() ? QStringLiteral("None") : codegen::strRepr(a.service)});
        fields.append({QStringLiteral("family"), a.family == AddressFamily::Unspecified
                                                     ? QStringLiteral("0 (any)")
                                                     : familyName(a.family)});
        fields.append({QStringLiteral("type"), socketType(a.typeFilter)});
        fields.append(
            {QStringLiteral("flags"), flagNames(a.flags, {{AI_PASSIVE, "AI_PASSIVE"},
                                                          {AI_CANONNAME, "AI_CANONNAME"},
                                                          {AI_NUMERICHOST, "AI_NUMERICHOST"},
                                                          {AI_NUMERICSERV, "AI_NUMERICSERV"},
                                                          {AI_V4MAPPED, "AI_V4MAPPED"},
                                                          {AI_ALL, "AI_ALL"},
                                                          {AI_ADDRCONFIG, "AI_ADDRCONFIG"}})});
        break;
    case CallKind::GetHostByName:
        fields.append({QStringLiteral("hostname"), codegen::strRepr(a.host)});
        break;
    case CallKind::GetHostByAddr:
        fields.append({QStringLiteral("ip_address"), codegen::strRepr(a.host)});
        break;
    case CallKind::Accept:
    case CallKind::Close:
    case CallKind::GetSockName:
    case CallKind::GetPeerName:
    case CallKind::GetHostName:
        break;
    }
    return fields;
}

QList<Field> result(const Event& e, const Timeline& timeline)
{
    QList<Field> fields;
    if (e.kind == EventKind::Observation) {
        fields.append({QStringLiteral("what"),
                       QStringLiteral("the kernel's view of the socket changed without a call")});
        return fields;
    }
    if (e.kind == EventKind::CallBlocked) {
        fields.append({QStringLiteral("outcome"),
                       QStringLiteral("blocked: the call is waiting in the kernel")});
        return fields;
    }
    const CallResult& r = e.result;
    if (!r.ok()) {
        fields.append({QStringLiteral("outcome"), outcomeName(r.outcome)});
        fields.append(
            {r.outcome == Outcome::Error ? QStringLiteral("errno") : QStringLiteral("error"),
             r.outcome == Outcome::Error
                 ? QStringLiteral("%1 (%2)").arg(r.errorName()).arg(r.errorNumber)
                 : r.errorName()});
        if (!r.message.isEmpty())
            fields.append({QStringLiteral("message"), r.message});
        if (r.partial)
            fields.append({QStringLiteral("sent before it stopped"),
                           number(r.count) + QStringLiteral(" bytes")});
    } else {
        fields.append({QStringLiteral("outcome"), outcomeName(r.outcome)});
        fields.append({QStringLiteral("returned"), describe::result(e)});
        switch (e.request.kind) {
        case CallKind::Socket:
        case CallKind::Accept:
            fields.append({QStringLiteral("descriptor"), QString::number(r.count)});
            break;
        case CallKind::SocketPair:
            fields.append({QStringLiteral("descriptors"),
                           QStringLiteral("%1 and %2").arg(r.count).arg(r.pairedFd)});
            break;
        case CallKind::Send:
        case CallKind::SendAll:
        case CallKind::SendTo:
        case CallKind::RecvInto:
        case CallKind::RecvFromInto:
            fields.append({QStringLiteral("count"), number(r.count) + QStringLiteral(" bytes")});
            break;
        case CallKind::Recv:
        case CallKind::RecvFrom:
            fields.append(
                {QStringLiteral("count"), number(e.payloadSize) + QStringLiteral(" bytes")});
            break;
        case CallKind::GetSockOpt:
            fields.append({QStringLiteral("value"), QString::number(r.count)});
            if (e.request.args.option == SocketOption::Linger)
                fields.append(
                    {QStringLiteral("l_linger"), QStringLiteral("%1 s").arg(r.lingerSeconds)});
            break;
        case CallKind::ConnectEx:
            fields.append({QStringLiteral("value"), QString::number(r.count)});
            break;
        default:
            break;
        }
        if (r.address.isValid())
            fields.append({QStringLiteral("address"), r.address.toPythonTuple()});
        if (r.newSocket.isValid())
            fields.append({QStringLiteral("new socket"), QStringLiteral("%1 (#%2)")
                                                             .arg(timeline.socketName(r.newSocket))
                                                             .arg(r.newSocket.value)});
        if (r.acceptedLocal.isValid())
            fields.append({QStringLiteral("its own address"), r.acceptedLocal.toString()});
        if (e.request.kind == CallKind::GetAddrInfo)
            fields.append({QStringLiteral("addrinfo rows"), QString::number(r.addrInfo.size())});
        if (!r.text.isEmpty())
            fields.append({QStringLiteral("text"), r.text});
        if (!r.hostEntry.name.isEmpty())
            fields.append(
                {QStringLiteral("host entry"),
                 QStringLiteral("%1, aliases [%2], addresses [%3]")
                     .arg(r.hostEntry.name, r.hostEntry.aliases.join(QStringLiteral(", ")),
                          r.hostEntry.addresses.join(QStringLiteral(", ")))});
    }
    fields.append({QStringLiteral("duration"), duration(e.durationNs())});
    return fields;
}

QList<Field> kernel(const KernelSnapshot& s)
{
    if (!s.valid)
        return {{QStringLiteral("kernel"), QStringLiteral("not probed")}};
    QList<Field> fields;
    fields.append({QStringLiteral("TCP state"), s.tcpState == TcpState::None
                                                    ? QStringLiteral("— (not a TCP connection)")
                                                    : tcpStateName(s.tcpState)});
    fields.append({QStringLiteral("recv-q"), queueValue(s.recvQueue)});
    fields.append({QStringLiteral("send-q"), queueValue(s.sendQueue)});
    fields.append(
        {QStringLiteral("accept queue"),
         s.acceptQueue < 0
             ? QStringLiteral("— (not a listener)")
             : QStringLiteral("%1 waiting of backlog %2").arg(s.acceptQueue).arg(s.backlog)});
    return fields;
}

QList<Field> addresses(const Event& e)
{
    QList<Field> fields;
    if (e.localAddress.isValid())
        fields.append({QStringLiteral("local"), e.localAddress.toString()});
    if (e.peerAddress.isValid())
        fields.append({QStringLiteral("peer"), e.peerAddress.toString()});
    return fields;
}

QString payloadNote(const Event& e)
{
    if (e.payloadTruncated())
        return QStringLiteral("%1 of %2 bytes kept in the trace")
            .arg(number(e.payload.size()), number(e.payloadSize));
    return e.payloadSize == 1 ? QStringLiteral("1 byte")
                              : number(e.payloadSize) + QStringLiteral(" bytes");
}

} // namespace sockbench::eventdetails
