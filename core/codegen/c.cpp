#include "c.h"

#include "codegen/pyrepr.h"

#include <cerrno>

namespace sockbench::codegen::c {

namespace {

QString cString(const QByteArray& bytes, qint64 fullSize)
{
    QString out = QStringLiteral("\"");
    const qsizetype shown = std::min<qsizetype>(bytes.size(), 48);
    for (qsizetype i = 0; i < shown; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        switch (c) {
        case '\n':
            out += QStringLiteral("\\n");
            break;
        case '\r':
            out += QStringLiteral("\\r");
            break;
        case '\t':
            out += QStringLiteral("\\t");
            break;
        case '"':
            out += QStringLiteral("\\\"");
            break;
        case '\\':
            out += QStringLiteral("\\\\");
            break;
        default:
            if (c < 0x20 || c >= 0x7f)
                out += QStringLiteral("\\x%1\"\"").arg(c, 2, 16, QLatin1Char('0'));
            else
                out += QLatin1Char(static_cast<char>(c));
        }
    }
    out += QLatin1Char('"');
    if (fullSize > shown)
        out += QStringLiteral(" /* ... %1 bytes in all */").arg(fullSize);
    return out;
}

// The bytes the program passed to a send, as far as the trace kept them (the C shows the
// first few): the argument, whether the kernel took them, refused them or is still waiting.
QByteArray askedToSend(const Event& e)
{
    const CallArgs& args = e.request.args;
    if (args.repeat <= 1 || args.payload.isEmpty())
        return args.payload;
    const qsizetype copies = 48 / args.payload.size() + 1;
    return args.payload.repeated(std::min<qsizetype>(copies, args.repeat));
}

QString family(AddressFamily f)
{
    return familyName(f);
}

// The lines that fill a sockaddr for host:port, and the name of the variable.
QString sockaddrSetup(const QString& var, const QString& host, qint64 port, AddressFamily f)
{
    switch (f) {
    case AddressFamily::Inet6:
        return QStringLiteral(
                   "struct sockaddr_in6 %1 = { .sin6_family = AF_INET6, .sin6_port = htons(%2) };\n"
                   "inet_pton(AF_INET6, \"%3\", &%1.sin6_addr);\n")
            .arg(var)
            .arg(port)
            .arg(host.isEmpty() ? QStringLiteral("::") : host);
    case AddressFamily::Unix: {
        const bool abstract = host.startsWith(QLatin1Char('\0'));
        return QStringLiteral("struct sockaddr_un %1 = { .sun_family = AF_UNIX };\n"
                              "memcpy(%1.sun_path, \"%2%3\", %4);%5\n")
            .arg(var, abstract ? QStringLiteral("\\0") : QString(), abstract ? host.mid(1) : host)
            .arg(host.toUtf8().size() + (abstract ? 0 : 1))
            .arg(abstract ? QStringLiteral("\n/* abstract: leading NUL */") : QString());
    }
    default:
        break;
    }
    // The C library does not resolve names in inet_pton(): a name needs getaddrinfo() first.
    const bool numeric = host.isEmpty() || host.front().isDigit();
    return QStringLiteral(
               "struct sockaddr_in %1 = { .sin_family = AF_INET, .sin_port = htons(%2) };\n"
               "%3\n")
        .arg(var)
        .arg(port)
        .arg(host.isEmpty() ? QStringLiteral("%1.sin_addr.s_addr = htonl(INADDR_ANY);").arg(var)
             : numeric
                 ? QStringLiteral("inet_pton(AF_INET, \"%1\", &%2.sin_addr);").arg(host, var)
                 : QStringLiteral("/* \"%1\" is a name: getaddrinfo() turns it into %2.sin_addr */")
                       .arg(host, var));
}

// What the call returned, as a comment on a line of its own: after the call on the same
// line, a narrow pane broke "/*" into "/" and "*", which no longer read as a comment.
QString returned(const Event& e, const QString& success)
{
    if (e.kind == EventKind::CallBlocked)
        return QStringLiteral("\n/* blocked: it has not returned yet */");
    const CallResult& r = e.result;
    switch (r.outcome) {
    case Outcome::Ok:
        return QStringLiteral("\n/* returns %1 */").arg(success);
    case Outcome::Error:
        if (r.errorDomain == ErrorDomain::Errno)
            return QStringLiteral("\n/* returns -1, errno = %1 */").arg(r.errorName());
        return QStringLiteral("\n/* fails: %1 */").arg(r.errorName());
    case Outcome::Timeout:
        return QStringLiteral("\n/* poll() timed out first: Python raises socket.timeout */");
    case Outcome::Interrupted:
        return QStringLiteral("\n/* interrupted by the workbench */");
    case Outcome::Invalid:
        return QStringLiteral("\n/* never called: %1 */").arg(r.message);
    }
    return {};
}

} // namespace

QString render(const Event& e, const std::function<SocketFacts(SocketId)>& facts)
{
    const CallArgs& a = e.request.args;
    const CallResult& r = e.result;
    const SocketFacts socket = e.socket.isValid() ? facts(e.socket) : SocketFacts{};
    // A call on a socket the program has closed fails with EBADF: its fileno() is -1 by
    // then, and -1 is the descriptor CPython passes.
    const bool closedBefore = r.outcome == Outcome::Error && r.errorDomain == ErrorDomain::Errno &&
                              r.errorNumber == EBADF;
    const QString fd = QString::number(closedBefore ? -1 : socket.fd);
    const QString count = QString::number(r.count);
    switch (e.request.kind) {
    case CallKind::Socket:
        return QStringLiteral("int fd = socket(%1, %2 | SOCK_CLOEXEC, %3);")
                   .arg(family(a.family), socketTypeName(a.type))
                   .arg(a.proto) +
               returned(e, count);
    case CallKind::SocketPair:
        return QStringLiteral("int sv[2];\nsocketpair(%1, %2 | SOCK_CLOEXEC, %3, sv);")
                   .arg(family(a.family), socketTypeName(a.type))
                   .arg(a.proto) +
               returned(e, QStringLiteral("0, sv = {%1, %2}").arg(r.count).arg(r.pairedFd));
    case CallKind::Bind:
    case CallKind::Connect:
    case CallKind::ConnectEx: {
        const QString setup = sockaddrSetup(QStringLiteral("addr"), a.host, a.port, socket.family);
        const QString fn =
            e.request.kind == CallKind::Bind ? QStringLiteral("bind") : QStringLiteral("connect");
        QString text =
            setup + QStringLiteral("%1(%2, (struct sockaddr *)&addr, sizeof addr);").arg(fn, fd);
        if (e.request.kind == CallKind::ConnectEx)
            return text + QStringLiteral("\n/* connect_ex() returns errno: %1 */").arg(r.count);
        return text + returned(e, QStringLiteral("0"));
    }
    case CallKind::Listen:
        return QStringLiteral("listen(%1, %2);").arg(fd).arg(r.count) +
               returned(e, QStringLiteral("0"));
    case CallKind::Accept:
        return QStringLiteral(
                   "struct sockaddr_storage peer;\nsocklen_t len = sizeof peer;\n"
                   "int conn = accept4(%1, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);")
                   .arg(fd) +
               returned(e, QStringLiteral("%1, peer = %2").arg(r.count).arg(r.address.toString()));
    case CallKind::Send:
    case CallKind::SendAll: {
        QString text = QStringLiteral("send(%1, %2, %3, MSG_NOSIGNAL);")
                           .arg(fd, cString(askedToSend(e), e.requestedBytes))
                           .arg(e.requestedBytes);
        if (e.request.kind == CallKind::SendAll)
            text.prepend(
                QStringLiteral("/* sendall(): send() again until every byte is taken */\n"));
        return text + returned(e, count);
    }
    case CallKind::SendTo:
        return sockaddrSetup(QStringLiteral("to"), a.host, a.port, socket.family) +
               QStringLiteral(
                   "sendto(%1, %2, %3, MSG_NOSIGNAL, (struct sockaddr *)&to, sizeof to);")
                   .arg(fd, cString(askedToSend(e), e.requestedBytes))
                   .arg(e.requestedBytes) +
               returned(e, count);
    case CallKind::Recv:
    case CallKind::RecvInto:
        return QStringLiteral("char buf[%1];\nssize_t n = recv(%2, buf, sizeof buf, 0);")
                   .arg(e.request.kind == CallKind::Recv ? a.size
                                                         : (a.size ? a.size : a.bufferSize))
                   .arg(fd) +
               returned(e, r.count == 0 ? QStringLiteral("0: the peer closed") : count);
    case CallKind::RecvFrom:
    case CallKind::RecvFromInto:
        return QStringLiteral(
                   "char buf[%1];\nstruct sockaddr_storage from;\nsocklen_t len = sizeof from;\n"
                   "ssize_t n = recvfrom(%2, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);")
                   .arg(a.size ? a.size : a.bufferSize)
                   .arg(fd) +
               returned(e, QStringLiteral("%1, from %2").arg(count, r.address.toString()));
    case CallKind::Shutdown: {
        static const char* const how[] = {"SHUT_RD", "SHUT_WR", "SHUT_RDWR"};
        return QStringLiteral("shutdown(%1, %2);")
                   .arg(fd, a.how >= 0 && a.how <= 2 ? QString::fromLatin1(how[a.how])
                                                     : QString::number(a.how)) +
               returned(e, QStringLiteral("0"));
    }
    case CallKind::Close:
        return QStringLiteral("close(%1);").arg(fd) + returned(e, QStringLiteral("0"));
    case CallKind::SetSockOpt:
        if (a.option == SocketOption::Linger)
            return QStringLiteral("struct linger l = { %1, %2 };\nsetsockopt(%3, SOL_SOCKET, "
                                  "SO_LINGER, &l, sizeof l);")
                       .arg(a.value)
                       .arg(a.lingerSeconds)
                       .arg(fd) +
                   returned(e, QStringLiteral("0"));
        if (!a.payload.isEmpty()) {
            QStringList bytes;
            for (const char b : a.payload)
                bytes << QStringLiteral("0x%1").arg(uint(quint8(b)), 2, 16, QLatin1Char('0'));
            return QStringLiteral("unsigned char value[] = { %1 };\nsetsockopt(%2, %3, %4, value, "
                                  "sizeof value);")
                       .arg(bytes.join(QStringLiteral(", ")), fd, optionLevelName(a),
                            optionName(a)) +
                   returned(e, QStringLiteral("0"));
        }
        return QStringLiteral("int value = %1;\nsetsockopt(%2, %3, %4, &value, sizeof value);")
                   .arg(a.value)
                   .arg(fd, optionLevelName(a), optionName(a)) +
               returned(e, QStringLiteral("0"));
    case CallKind::GetSockOpt:
        return QStringLiteral("int value;\nsocklen_t len = sizeof value;\ngetsockopt(%1, %2, %3, "
                              "&value, &len);")
                   .arg(fd, optionLevelName(a), optionName(a)) +
               returned(e, QStringLiteral("0, value = %1").arg(r.count));
    case CallKind::GetSockName:
    case CallKind::GetPeerName:
        return QStringLiteral("struct sockaddr_storage addr;\nsocklen_t len = sizeof addr;\n%1(%2, "
                              "(struct sockaddr *)&addr, &len);")
                   .arg(callName(e.request.kind), fd) +
               returned(e, QStringLiteral("0, addr = %1").arg(r.address.toString()));
    case CallKind::SetBlocking:
        return QStringLiteral(
                   "/* Python keeps the mode itself; in C: */\nint flags = fcntl(%1, F_GETFL);\n"
                   "fcntl(%1, F_SETFL, %2);")
            .arg(fd, a.blocking ? QStringLiteral("flags & ~O_NONBLOCK")
                                : QStringLiteral("flags | O_NONBLOCK"));
    case CallKind::SetTimeout:
        return a.timeout ? QStringLiteral("/* A timeout has no one call in C: each call waits "
                                          "with\n   poll(&pfd, 1, %1) first. */")
                               .arg(qint64(*a.timeout * 1000))
                         : QStringLiteral("/* settimeout(None): back to plain blocking calls */");
    case CallKind::GetAddrInfo:
        return QStringLiteral(
                   "struct addrinfo hints = { .ai_family = %1, .ai_socktype = %2 }, *res;\n"
                   "getaddrinfo(%3, %4, &hints, &res);")
                   .arg(a.family == AddressFamily::Unspecified ? QStringLiteral("AF_UNSPEC")
                                                               : family(a.family))
                   .arg(a.typeFilter == 0   ? QStringLiteral("0")
                        : a.typeFilter == 1 ? QStringLiteral("SOCK_STREAM")
                                            : QStringLiteral("SOCK_DGRAM"))
                   .arg(a.hostIsNone
                            ? QStringLiteral("NULL")
                            : codegen::strRepr(a.host).replace(QLatin1Char('\''), QLatin1Char('"')))
                   .arg(a.service.isEmpty() ? QStringLiteral("NULL")
                                            : QLatin1Char('"') + a.service + QLatin1Char('"')) +
               returned(e, QStringLiteral("0, %1 entries in res").arg(r.addrInfo.size()));
    case CallKind::GetHostByName:
        return QStringLiteral("struct hostent *h = gethostbyname(\"%1\");").arg(a.host) +
               returned(e, QStringLiteral("h, h->h_addr_list[0] = %1").arg(r.text));
    case CallKind::GetHostByAddr:
        return QStringLiteral("struct in_addr ip;\ninet_pton(AF_INET, \"%1\", &ip);\n"
                              "struct hostent *h = gethostbyaddr(&ip, sizeof ip, AF_INET);")
                   .arg(a.host) +
               returned(e, QStringLiteral("h, h->h_name = %1")
                               .arg(cString(r.hostEntry.name.toUtf8(),
                                            r.hostEntry.name.toUtf8().size())));
    case CallKind::GetHostName:
        return QStringLiteral("char name[256];\ngethostname(name, sizeof name);") +
               returned(e, QStringLiteral("0, name = %1")
                               .arg(cString(r.text.toUtf8(), r.text.toUtf8().size())));
    }
    return {};
}

} // namespace sockbench::codegen::c
