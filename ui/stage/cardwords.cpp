#include "cardwords.h"

#include "net/endpoint.h"
#include "net/kernelprobe.h"

#include <QObject>

namespace sockbench::cardwords {

QColor stateColor(TeachingState state)
{
    switch (state) {
    case TeachingState::Created:
        return QColor(0x6b, 0x72, 0x80);
    case TeachingState::Bound:
        return QColor(0x25, 0x63, 0xeb);
    case TeachingState::Listening:
        return QColor(0x7c, 0x3a, 0xed);
    case TeachingState::Connected:
        return QColor(0x05, 0x96, 0x69);
    case TeachingState::WriteShut:
    case TeachingState::ReadShut:
    case TeachingState::BothShut:
        return QColor(0xd9, 0x77, 0x06);
    case TeachingState::Closed:
        return QColor(0x37, 0x41, 0x51);
    }
    return Qt::gray;
}

QString chip(const QString& text, const QColor& color)
{
    return QStringLiteral("<span style='background:%1;color:white;'>&nbsp;%2&nbsp;</span>")
        .arg(color.name(), text.toHtmlEscaped());
}

QString transport(const SocketView& v)
{
    if (v.family == AddressFamily::Unix)
        return v.type == SocketType::Stream     ? QStringLiteral("Unix stream")
               : v.type == SocketType::Datagram ? QStringLiteral("Unix datagram")
                                                : QStringLiteral("Unix seqpacket");
    const QString ip =
        v.family == AddressFamily::Inet6 ? QStringLiteral("IPv6") : QStringLiteral("IPv4");
    return (v.type == SocketType::Stream     ? QStringLiteral("TCP · ")
            : v.type == SocketType::Datagram ? QStringLiteral("UDP · ")
                                             : QStringLiteral("SEQPACKET · ")) +
           ip;
}

QString addressLine(const Endpoint& e, bool kernelChosen, bool bare)
{
    if (!e.isValid() || (e.family() != AddressFamily::Unix && e.port() == 0 && e.isAny()))
        return QStringLiteral("—");
    QString text = e.toString().toHtmlEscaped();
    if (e.family() == AddressFamily::Unix || bare)
        return text;
    // The IANA class names a range of numbers, not a registration: "registered range,
    // chosen by the kernel" does not read as a contradiction, "registered port" did.
    const QString label =
        kernelChosen ? QObject::tr("%1 range, chosen by the kernel") : QObject::tr("%1 range");
    return text + QStringLiteral(" <span style='color:#6b7280'>%1</span>")
                      .arg(label.arg(portClassName(e.portClass())));
}

Badge badgeFor(const SocketView& v)
{
    const bool tcp = v.isTcp() && v.kernel.valid;
    const TcpState k = v.kernel.tcpState;
    const bool early = v.state == TeachingState::Created || v.state == TeachingState::Bound;
    if (v.isBlocked() &&
        (v.blockedKind == CallKind::Connect || v.blockedKind == CallKind::ConnectEx))
        return {QObject::tr("connecting"), QColor(0xd9, 0x77, 0x06),
                QObject::tr("connect() is waiting for the handshake to finish")};
    if (early && tcp && (k == TcpState::SynSent || k == TcpState::Established))
        // connect() gave up (a timeout) or returned without Python seeing it, and the
        // kernel went on with the handshake on its own.
        return {QObject::tr("connecting"), QColor(0xd9, 0x77, 0x06),
                QObject::tr("The kernel has a connection attempt of its own going (%1), though "
                            "no connect() succeeded in the program: a handshake that finished "
                            "after connect() gave up.")
                    .arg(tcpStateName(k))};
    const bool gone = v.lastFailed && (v.lastErrorName == QLatin1String("EPIPE") ||
                                       v.lastErrorName == QLatin1String("ECONNRESET"));
    if (v.state == TeachingState::Connected && ((tcp && k == TcpState::Close) || gone))
        return {QObject::tr("broken"), QColor(0xb9, 0x1c, 0x1c),
                QObject::tr("The connection is gone: the peer closed or reset it. Nothing more "
                            "can be sent; close() is all that is left to do.")};
    const bool halfShut = v.state == TeachingState::WriteShut ||
                          v.state == TeachingState::ReadShut || v.state == TeachingState::BothShut;
    if (halfShut && tcp && k == TcpState::Close)
        // After shutdown() the FINs of both sides went and were acknowledged: "write-shut"
        // beside "kernel CLOSE" read as half open and closed at once (lesson 28).
        return {QObject::tr("finished"), stateColor(TeachingState::Closed),
                QObject::tr("The connection is over: both sides have sent their FIN and each "
                            "was acknowledged. Nothing more can be sent or received; close() "
                            "is all that is left to do.")};
    if (v.state == TeachingState::Connected && tcp && k == TcpState::CloseWait)
        return {QObject::tr("peer finished"), stateColor(TeachingState::WriteShut),
                QObject::tr("The peer has finished sending: its FIN arrived, so the kernel is in "
                            "CLOSE_WAIT. recv() returns b'' once the bytes before the FIN are "
                            "read. This end can still send until it closes.")};
    if (v.state == TeachingState::Connected && v.family == AddressFamily::Unix && v.kernel.valid &&
        v.kernel.peerDone)
        return {QObject::tr("peer finished"), stateColor(TeachingState::WriteShut),
                QObject::tr("The peer has finished sending: it closed, or shut down its writing. "
                            "recv() returns b'' once the bytes before that are read. AF_UNIX "
                            "sends no FIN: the kernel holds both ends and knows at once.")};
    return {teachingStateName(v.state), stateColor(v.state), {}};
}

} // namespace sockbench::cardwords
