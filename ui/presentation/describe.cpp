#include "describe.h"

#include "codegen/pyrepr.h"

#include <QCoreApplication>
#include <QStringList>

namespace sockbench::describe {

QString wrappable(const QString& plain)
{
    // Runs up to the length of a long identifier are kept whole (server.setsockopt(...).
    // A longer one may break after the characters that end its parts, where a reader
    // would break it ("/5062CEM.php?" "lecturer=" "Ian%20Cornelius"), and, where a part
    // is longer than kPiece, every kPiece characters of it.
    constexpr qsizetype kLongestKept = 30;
    constexpr qsizetype kPiece = 20;
    const auto endsAPart = [](QChar c) { return QStringView(u"/?&=,;.:([{").contains(c); };
    QString out;
    out.reserve(plain.size() + plain.size() / 4);
    qsizetype start = 0; // of the run being read
    const auto endRun = [&](qsizetype end) {
        const QStringView run = QStringView(plain).mid(start, end - start);
        const bool longRun = run.size() > kLongestKept;
        // A forced break keeps a token whole where it can (a word, a number, 'utf-8', an
        // escape such as \x00), waiting up to kSlack characters for a better place.
        const auto splitsAToken = [&](qsizetype i) {
            const QChar a = run[i - 1];
            const QChar b = run[i];
            if (b.isLowSurrogate() || (a.isLetterOrNumber() && b.isLetterOrNumber()))
                return true;
            if ((a == QLatin1Char('-') && b.isLetterOrNumber()) ||
                (a.isLetterOrNumber() && b == QLatin1Char('-')))
                return true;
            for (qsizetype k = 1; k <= 3 && i - k >= 0; ++k)
                if (run[i - k] == QLatin1Char('\\'))
                    return k < 2 || run[i - k + 1] == QLatin1Char('x');
            return false;
        };
        constexpr qsizetype kSlack = 12;
        qsizetype since = 0;
        for (qsizetype i = 0; i < run.size(); ++i, ++since) {
            const bool due = longRun && since >= kPiece && i > 0;
            const bool escape = longRun && since >= 4 && run[i] == QLatin1Char('\\');
            if ((due && (!splitsAToken(i) || since >= kPiece + kSlack) &&
                 !run[i].isLowSurrogate()) ||
                escape) {
                out += QChar(0x200B); // ZERO WIDTH SPACE: a break, and nothing drawn
                since = 0;
            }
            out += run[i];
            const bool closingTag =
                run[i] == QLatin1Char('/') && i > 0 && run[i - 1] == QLatin1Char('<');
            // "[::1]:57974": the port stays with its address.
            const bool port =
                run[i] == QLatin1Char(':') && i + 1 < run.size() && run[i + 1].isDigit();
            if (longRun && endsAPart(run[i]) && !closingTag && !port && i + 1 < run.size() &&
                since > 0) {
                out += QChar(0x200B);
                since = -1;
            }
        }
    };
    for (qsizetype i = 0; i < plain.size(); ++i) {
        if (plain[i].isSpace()) {
            endRun(i);
            out += plain[i];
            start = i + 1;
        }
    }
    endRun(plain.size());
    return out.toHtmlEscaped();
}

QString byteCount(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
    double value = double(bytes);
    int unit = -1;
    while (value >= 1024 && unit < 3) {
        value /= 1024;
        ++unit;
    }
    return QStringLiteral("%1 %2")
        .arg(value, 0, 'f', value < 10 ? 1 : 0)
        .arg(QLatin1String(units[unit]));
}

QString bytes(const QByteArray& sample, qint64 size, int maxChars)
{
    if (size <= maxChars && sample.size() <= maxChars)
        return codegen::bytesRepr(sample);
    // "(105 B)" kept on one line: "(105" over "B)" read as two things.
    return codegen::bytesRepr(sample.left(maxChars)) +
           QStringLiteral("… (%1)").arg(byteCount(size).replace(QLatin1Char(' '), QChar(0xA0)));
}

QString call(const Event& event)
{
    if (event.kind == EventKind::Observation)
        return QStringLiteral("(kernel)");
    const CallArgs& a = event.request.args;
    const QString name = callName(event.request.kind);
    auto address = [&a] {
        if (a.port == 0 && a.host.startsWith(QLatin1Char('/')))
            return codegen::strRepr(a.host);
        return QStringLiteral("(%1, %2)").arg(codegen::strRepr(a.host)).arg(a.port);
    };
    switch (event.request.kind) {
    case CallKind::Socket:
    case CallKind::SocketPair:
        return QStringLiteral("%1(%2, %3)").arg(name, familyName(a.family), socketTypeName(a.type));
    case CallKind::Bind:
    case CallKind::Connect:
    case CallKind::ConnectEx:
        return QStringLiteral("%1(%2)").arg(name, address());
    case CallKind::Listen:
        return a.backlog ? QStringLiteral("listen(%1)").arg(*a.backlog)
                         : QStringLiteral("listen()");
    case CallKind::Send:
    case CallKind::SendAll:
        return QStringLiteral("%1(%2)").arg(
            name,
            bytes(a.payload, event.requestedBytes ? event.requestedBytes : a.payloadLength(), 24));
    case CallKind::SendTo:
        return QStringLiteral("sendto(%1, %2)")
            .arg(bytes(a.payload, event.requestedBytes ? event.requestedBytes : a.payloadLength(),
                       20),
                 address());
    case CallKind::Recv:
    case CallKind::RecvFrom:
        return QStringLiteral("%1(%2)").arg(name).arg(a.size);
    case CallKind::RecvInto:
    case CallKind::RecvFromInto:
        return QStringLiteral("%1(bytearray(%2))").arg(name).arg(a.bufferSize);
    case CallKind::Shutdown: {
        static const char* const how[] = {"SHUT_RD", "SHUT_WR", "SHUT_RDWR"};
        return QStringLiteral("shutdown(%1)")
            .arg(a.how >= 0 && a.how <= 2 ? QString::fromLatin1(how[a.how])
                                          : QString::number(a.how));
    }
    case CallKind::SetSockOpt:
        return QStringLiteral("setsockopt(%1, %2)").arg(optionName(a), optionValueText(a));
    case CallKind::GetSockOpt:
        return QStringLiteral("getsockopt(%1)").arg(optionName(a));
    case CallKind::SetTimeout:
        return a.timeout ? QStringLiteral("settimeout(%1)").arg(*a.timeout)
                         : QStringLiteral("settimeout(None)");
    case CallKind::SetBlocking:
        return QStringLiteral("setblocking(%1)")
            .arg(a.blocking ? QStringLiteral("True") : QStringLiteral("False"));
    case CallKind::GetAddrInfo:
    case CallKind::GetHostByName:
    case CallKind::GetHostByAddr:
        return QStringLiteral("%1(%2)").arg(name, codegen::strRepr(a.host));
    default:
        return name + QStringLiteral("()");
    }
}

QString result(const Event& event)
{
    switch (event.kind) {
    case EventKind::CallBlocked:
        return QStringLiteral("blocked…");
    case EventKind::Observation:
        return kernel(event.kernel);
    case EventKind::CallFinished:
        break;
    }
    const CallResult& r = event.result;
    if (!r.ok())
        return r.errorName();
    switch (event.request.kind) {
    case CallKind::Socket:
        return QStringLiteral("fd %1").arg(r.count);
    case CallKind::SocketPair:
        return QStringLiteral("fds %1 and %2").arg(r.count).arg(r.pairedFd);
    case CallKind::Accept:
        return QStringLiteral("new socket, peer %1").arg(r.address.toString());
    case CallKind::Send:
    case CallKind::SendAll:
    case CallKind::SendTo:
        return QStringLiteral("%1 sent").arg(byteCount(r.count));
    case CallKind::Recv:
    case CallKind::RecvFrom:
        if (event.payloadSize == 0)
            return QStringLiteral("b'' — the peer has closed");
        return bytes(event.payload, event.payloadSize);
    case CallKind::RecvInto:
    case CallKind::RecvFromInto:
        // recv_into() returns a count, not bytes: the bytes are in the buffer.
        if (event.payloadSize == 0)
            return QStringLiteral("0 — the peer has closed");
        return QStringLiteral("%1, the buffer now starts %2")
            .arg(event.payloadSize)
            .arg(bytes(event.payload, event.payloadSize));
    case CallKind::ConnectEx:
    case CallKind::GetSockOpt:
        return QString::number(r.count);
    case CallKind::GetSockName:
    case CallKind::GetPeerName:
        return r.address.toString();
    case CallKind::GetHostByName:
    case CallKind::GetHostName:
        return r.text;
    case CallKind::GetAddrInfo:
        return QStringLiteral("%1 entries").arg(r.addrInfo.size());
    default:
        return QStringLiteral("ok");
    }
}

QString kernel(const KernelSnapshot& s)
{
    if (!s.valid)
        return QStringLiteral("—");
    QStringList parts;
    if (s.tcpState != TcpState::None)
        parts << tcpStateName(s.tcpState);
    if (s.recvQueue >= 0)
        parts << QStringLiteral("recv-q %1").arg(s.recvQueue);
    if (s.sendQueue >= 0)
        parts << QStringLiteral("send-q %1").arg(s.sendQueue);
    if (s.acceptQueue >= 0)
        parts << QStringLiteral("accept-q %1/%2").arg(s.acceptQueue).arg(s.backlog);
    return parts.join(QStringLiteral(" · "));
}

QString threadName(const QString& name, bool withLine)
{
    const qsizetype tilde = name.lastIndexOf(QLatin1Char('~'));
    bool isLine = false;
    const int line = tilde > 0 ? name.mid(tilde + 1).toInt(&isLine) : 0;
    if (!isLine)
        return name;
    return withLine ? QCoreApplication::translate("describe", "%1 in the background (line %2)")
                          .arg(name.left(tilde))
                          .arg(line)
                    : QCoreApplication::translate("describe", "%1 in the background")
                          .arg(name.left(tilde));
}

} // namespace sockbench::describe
