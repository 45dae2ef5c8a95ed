#include "endpoint.h"

#include <QStringList>

#include <arpa/inet.h>
#include <cctype>
#include <cstring>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/un.h>

namespace sockbench {

PortClass portClassOf(quint16 port)
{
    if (port <= 1023)
        return PortClass::WellKnown;
    if (port <= 49151)
        return PortClass::Registered;
    return PortClass::Dynamic;
}

QString portClassName(PortClass portClass)
{
    switch (portClass) {
    case PortClass::WellKnown:
        return QStringLiteral("well-known");
    case PortClass::Registered:
        return QStringLiteral("registered");
    case PortClass::Dynamic:
        return QStringLiteral("dynamic");
    }
    return {};
}

QString familyName(AddressFamily family)
{
    switch (family) {
    case AddressFamily::Inet4:
        return QStringLiteral("AF_INET");
    case AddressFamily::Inet6:
        return QStringLiteral("AF_INET6");
    case AddressFamily::Unix:
        return QStringLiteral("AF_UNIX");
    case AddressFamily::Unspecified:
        break;
    }
    return QStringLiteral("AF_UNSPEC");
}

int toNativeFamily(AddressFamily family)
{
    switch (family) {
    case AddressFamily::Inet4:
        return AF_INET;
    case AddressFamily::Inet6:
        return AF_INET6;
    case AddressFamily::Unix:
        return AF_UNIX;
    case AddressFamily::Unspecified:
        break;
    }
    return AF_UNSPEC;
}

std::optional<AddressFamily> fromNativeFamily(int family)
{
    switch (family) {
    case AF_INET:
        return AddressFamily::Inet4;
    case AF_INET6:
        return AddressFamily::Inet6;
    case AF_UNIX:
        return AddressFamily::Unix;
    case AF_UNSPEC:
        return AddressFamily::Unspecified;
    default:
        return std::nullopt;
    }
}

Endpoint Endpoint::inet4(quint32 hostOrderAddress, quint16 port)
{
    Endpoint e;
    e.m_family = AddressFamily::Inet4;
    e.m_port = port;
    const quint32 net = htonl(hostOrderAddress);
    std::memcpy(e.m_address.data(), &net, 4);
    return e;
}

Endpoint Endpoint::inet6(const std::array<quint8, 16>& address, quint16 port, quint32 flowInfo,
                         quint32 scopeId)
{
    Endpoint e;
    e.m_family = AddressFamily::Inet6;
    e.m_port = port;
    e.m_address = address;
    e.m_flowInfo = flowInfo;
    e.m_scopeId = scopeId;
    return e;
}

Endpoint Endpoint::unixPath(const QByteArray& path)
{
    Endpoint e;
    e.m_family = AddressFamily::Unix;
    e.m_path = path;
    return e;
}

Endpoint Endpoint::anyAddress(AddressFamily family, quint16 port)
{
    if (family == AddressFamily::Inet6)
        return inet6({}, port);
    return inet4(INADDR_ANY, port);
}

std::optional<Endpoint> Endpoint::fromSockaddr(const sockaddr* address, socklen_t length)
{
    if (!address || length < static_cast<socklen_t>(sizeof(sa_family_t)))
        return std::nullopt;
    switch (address->sa_family) {
    case AF_INET: {
        if (length < static_cast<socklen_t>(sizeof(sockaddr_in)))
            return std::nullopt;
        sockaddr_in in{};
        std::memcpy(&in, address, sizeof in);
        return inet4(ntohl(in.sin_addr.s_addr), ntohs(in.sin_port));
    }
    case AF_INET6: {
        if (length < static_cast<socklen_t>(sizeof(sockaddr_in6)))
            return std::nullopt;
        sockaddr_in6 in6{};
        std::memcpy(&in6, address, sizeof in6);
        std::array<quint8, 16> bytes{};
        std::memcpy(bytes.data(), &in6.sin6_addr, 16);
        return inet6(bytes, ntohs(in6.sin6_port), ntohl(in6.sin6_flowinfo), in6.sin6_scope_id);
    }
    case AF_UNIX: {
        sockaddr_un un{};
        const auto copy = std::min<size_t>(static_cast<size_t>(length), sizeof un);
        std::memcpy(&un, address, copy);
        const auto offset = offsetof(sockaddr_un, sun_path);
        if (copy <= offset)
            return unixPath({}); // unnamed socket
        const auto pathLength = copy - offset;
        if (un.sun_path[0] == '\0') // abstract: every byte counts, NULs included
            return unixPath(QByteArray(un.sun_path, static_cast<qsizetype>(pathLength)));
        return unixPath(
            QByteArray(un.sun_path, static_cast<qsizetype>(::strnlen(un.sun_path, pathLength))));
    }
    default:
        return std::nullopt;
    }
}

socklen_t Endpoint::toSockaddr(sockaddr_storage& storage) const
{
    std::memset(&storage, 0, sizeof storage);
    switch (m_family) {
    case AddressFamily::Inet4: {
        sockaddr_in in{};
        in.sin_family = AF_INET;
        in.sin_port = htons(m_port);
        std::memcpy(&in.sin_addr, m_address.data(), 4);
        std::memcpy(&storage, &in, sizeof in);
        return sizeof in;
    }
    case AddressFamily::Inet6: {
        sockaddr_in6 in6{};
        in6.sin6_family = AF_INET6;
        in6.sin6_port = htons(m_port);
        in6.sin6_flowinfo = htonl(m_flowInfo);
        in6.sin6_scope_id = m_scopeId;
        std::memcpy(&in6.sin6_addr, m_address.data(), 16);
        std::memcpy(&storage, &in6, sizeof in6);
        return sizeof in6;
    }
    case AddressFamily::Unix: {
        sockaddr_un un{};
        un.sun_family = AF_UNIX;
        if (m_path.isEmpty()) {
            // No name at all: the length covers the family only, which is what Python passes
            // for bind('') and what makes Linux autobind a fresh abstract name. One byte more
            // would name the abstract socket "\0", the same one for everybody.
            std::memcpy(&storage, &un, sizeof un);
            return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path));
        }
        // A pathname keeps a terminating NUL; an abstract name is exactly its bytes.
        const auto room = sizeof un.sun_path - (isAbstract() ? 0 : 1);
        if (static_cast<size_t>(m_path.size()) > room)
            return 0;
        std::memcpy(un.sun_path, m_path.constData(), static_cast<size_t>(m_path.size()));
        std::memcpy(&storage, &un, sizeof un);
        return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) +
                                      static_cast<size_t>(m_path.size()) + (isAbstract() ? 0 : 1));
    }
    case AddressFamily::Unspecified:
        break;
    }
    return 0;
}

quint32 Endpoint::ipv4() const
{
    quint32 net = 0;
    if (m_family == AddressFamily::Inet4)
        std::memcpy(&net, m_address.data(), 4);
    else if (isV4Mapped())
        std::memcpy(&net, m_address.data() + 12, 4);
    return ntohl(net);
}

bool Endpoint::isAny() const
{
    if (m_family == AddressFamily::Inet4)
        return ipv4() == INADDR_ANY;
    if (m_family == AddressFamily::Inet6)
        return m_address == std::array<quint8, 16>{};
    return false;
}

bool Endpoint::isLoopback() const
{
    if (m_family == AddressFamily::Inet4 || isV4Mapped())
        return (ipv4() >> 24) == 127;
    if (m_family == AddressFamily::Inet6) {
        std::array<quint8, 16> loop{};
        loop[15] = 1;
        return m_address == loop;
    }
    return m_family == AddressFamily::Unix;
}

bool Endpoint::isV4Mapped() const
{
    if (m_family != AddressFamily::Inet6)
        return false;
    for (int i = 0; i < 10; ++i)
        if (m_address[static_cast<size_t>(i)] != 0)
            return false;
    return m_address[10] == 0xff && m_address[11] == 0xff;
}

Endpoint Endpoint::toV4Mapped() const
{
    if (m_family != AddressFamily::Inet4)
        return *this;
    std::array<quint8, 16> bytes{};
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    std::memcpy(bytes.data() + 12, m_address.data(), 4);
    return inet6(bytes, m_port);
}

Endpoint Endpoint::unmapped() const
{
    if (!isV4Mapped())
        return *this;
    return inet4(ipv4(), m_port);
}

namespace {

bool isAsciiDigit(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

bool isAsciiHexDigit(QChar c)
{
    return c.unicode() < 128 && std::isxdigit(c.unicode());
}

// inet_pton() refuses "010"; inet_aton(), and so getaddrinfo() and Python, read it as octal.
bool hasLeadingZero(QStringView number)
{
    return number.size() > 1 && number.front() == QLatin1Char('0') && isAsciiDigit(number[1]);
}

// One 32-bit number: "0x" and 1+ hex digits, or plain decimal digits without a leading zero.
// Every character is checked here: QString::toULongLong() would also take a second "0x".
std::optional<quint32> parseUnsigned32(const QString& text)
{
    const bool hex = text.startsWith(QLatin1String("0x"), Qt::CaseInsensitive);
    const QStringView digits = QStringView(text).mid(hex ? 2 : 0);
    if (digits.isEmpty() || (!hex && hasLeadingZero(digits)))
        return std::nullopt;
    for (const QChar c : digits)
        if (!(hex ? isAsciiHexDigit(c) : isAsciiDigit(c)))
            return std::nullopt;
    bool ok = false;
    const qulonglong value = digits.toULongLong(&ok, hex ? 16 : 10);
    if (!ok || value > 0xffffffffULL)
        return std::nullopt;
    return static_cast<quint32>(value);
}

std::optional<quint32> parseDottedQuad(const QString& text)
{
    const auto parts = text.split(QLatin1Char('.'));
    if (parts.size() != 4)
        return std::nullopt;
    quint32 value = 0;
    for (const auto& part : parts) {
        if (part.isEmpty() || part.size() > 3 || hasLeadingZero(part))
            return std::nullopt;
        for (const QChar c : part)
            if (!isAsciiDigit(c))
                return std::nullopt;
        const int octet = part.toInt();
        if (octet > 255)
            return std::nullopt;
        value = (value << 8) | static_cast<quint32>(octet);
    }
    return value;
}

bool looksNumeric(const QString& text)
{
    if (text.isEmpty())
        return false;
    for (const QChar c : text)
        if (!(c.isDigit() || c == QLatin1Char('.') || c == QLatin1Char(':') ||
              c == QLatin1Char('x') || c == QLatin1Char('X') ||
              (c.unicode() < 128 && std::isxdigit(c.unicode())) || c == QLatin1Char('[') ||
              c == QLatin1Char(']') || c == QLatin1Char('%')))
            return false;
    // A name made only of hex letters ("cafe", "add") is still a name unless it has a
    // digit, a dot or a colon in it.
    for (const QChar c : text)
        if (c.isDigit() || c == QLatin1Char(':'))
            return true;
    return false;
}

} // namespace

std::optional<Endpoint> Endpoint::parseLiteral(const QString& hostText, quint16 port,
                                               AddressFamily family, QString* error)
{
    auto fail = [error](const QString& why) -> std::optional<Endpoint> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (error)
        error->clear();
    if (family == AddressFamily::Unix)
        return unixPath(hostText.toUtf8());

    QString host = hostText.trimmed();
    const bool bracketed = host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']'));
    if (bracketed)
        host = host.mid(1, host.size() - 2);

    if (host.contains(QLatin1Char(':'))) {
        if (family == AddressFamily::Inet4)
            return fail(QStringLiteral("'%1' is an IPv6 address, but this is an AF_INET (IPv4) "
                                       "socket")
                            .arg(hostText));
        QString scope;
        const auto percent = host.indexOf(QLatin1Char('%'));
        if (percent >= 0) {
            scope = host.mid(percent + 1);
            host = host.left(percent);
            if (scope.isEmpty())
                return fail(QStringLiteral("'%1': a scope (an interface name or number) must "
                                           "follow the '%'")
                                .arg(hostText));
        }
        in6_addr address{};
        const QByteArray latin = host.toLatin1();
        if (::inet_pton(AF_INET6, latin.constData(), &address) != 1)
            return fail(QStringLiteral("'%1' is not a valid IPv6 address").arg(hostText));
        quint32 scopeId = 0;
        if (!scope.isEmpty()) {
            bool ok = false;
            scopeId = scope.toUInt(&ok);
            if (!ok)
                scopeId = ::if_nametoindex(scope.toLatin1().constData());
            if (scopeId == 0)
                return fail(QStringLiteral("'%1' names no network interface").arg(scope));
        }
        std::array<quint8, 16> bytes{};
        std::memcpy(bytes.data(), &address, 16);
        return inet6(bytes, port, 0, scopeId);
    }
    if (bracketed)
        return fail(
            QStringLiteral("'%1': brackets belong around IPv6 addresses only").arg(hostText));

    std::optional<quint32> v4;
    if (host.count(QLatin1Char('.')) == 3)
        v4 = parseDottedQuad(host);
    else if (!host.contains(QLatin1Char('.')) && looksNumeric(host))
        v4 = parseUnsigned32(host);
    if (!v4) {
        bool allDigitsAndDots = !host.isEmpty();
        for (const QChar c : host)
            if (!(isAsciiDigit(c) || c == QLatin1Char('.')))
                allDigitsAndDots = false;
        if (allDigitsAndDots) {
            const auto parts = host.split(QLatin1Char('.'));
            for (const auto& part : parts)
                if (hasLeadingZero(part))
                    return fail(QStringLiteral("'%1' has a number with a leading zero, which "
                                               "inet_pton() refuses and inet_aton() reads as "
                                               "octal (010 is 8): write it without the zero")
                                    .arg(hostText));
        }
        if (allDigitsAndDots || host.startsWith(QLatin1String("0x"), Qt::CaseInsensitive))
            return fail(QStringLiteral("'%1' is not a valid IPv4 address (four numbers 0–255 "
                                       "separated by dots, or one 32-bit number)")
                            .arg(hostText));
        return std::nullopt; // a name: the resolver's job
    }
    if (family == AddressFamily::Inet6)
        return inet4(*v4, port).toV4Mapped();
    return inet4(*v4, port);
}

QString Endpoint::host() const
{
    switch (m_family) {
    case AddressFamily::Inet4:
        return dotted();
    case AddressFamily::Inet6: {
        QString text = ipv6Compressed();
        if (m_scopeId != 0) {
            char name[IF_NAMESIZE] = {};
            if (::if_indextoname(m_scopeId, name))
                text += QLatin1Char('%') + QString::fromLatin1(name);
            else
                text += QLatin1Char('%') + QString::number(m_scopeId);
        }
        return text;
    }
    case AddressFamily::Unix:
        return QString::fromUtf8(m_path);
    case AddressFamily::Unspecified:
        break;
    }
    return {};
}

QString Endpoint::toString() const
{
    switch (m_family) {
    case AddressFamily::Inet4:
        return dotted() + QLatin1Char(':') + QString::number(m_port);
    case AddressFamily::Inet6:
        return QLatin1Char('[') + host() + QLatin1String("]:") + QString::number(m_port);
    case AddressFamily::Unix:
        if (m_path.isEmpty())
            return QStringLiteral("(unnamed)");
        if (isAbstract())
            return QLatin1Char('@') + QString::fromUtf8(m_path.mid(1));
        return QString::fromUtf8(m_path);
    case AddressFamily::Unspecified:
        break;
    }
    return QStringLiteral("(none)");
}

QString Endpoint::toPythonTuple() const
{
    switch (m_family) {
    case AddressFamily::Inet4:
        return QStringLiteral("('%1', %2)").arg(dotted()).arg(m_port);
    case AddressFamily::Inet6:
        // One multi-argument arg(): chained calls would take a numeric scope in the host
        // ("fe80::1%2") for a placeholder and put the port there.
        return QStringLiteral("('%1', %2, %3, %4)")
            .arg(host(), QString::number(m_port), QString::number(m_flowInfo),
                 QString::number(m_scopeId));
    case AddressFamily::Unix: {
        if (isAbstract()) {
            QString escaped = QStringLiteral("b'\\x00");
            escaped += QString::fromUtf8(m_path.mid(1));
            return escaped + QLatin1Char('\'');
        }
        return QLatin1Char('\'') + QString::fromUtf8(m_path) + QLatin1Char('\'');
    }
    case AddressFamily::Unspecified:
        break;
    }
    return QStringLiteral("None");
}

QString Endpoint::dotted() const
{
    const quint32 v = ipv4();
    return QStringLiteral("%1.%2.%3.%4")
        .arg(v >> 24)
        .arg((v >> 16) & 0xff)
        .arg((v >> 8) & 0xff)
        .arg(v & 0xff);
}

QString Endpoint::hex32() const
{
    return QStringLiteral("0x%1")
        .arg(ipv4(), 8, 16, QLatin1Char('0'))
        .toUpper()
        .replace(QLatin1String("0X"), QLatin1String("0x"));
}

QString Endpoint::decimal32() const
{
    return QString::number(ipv4());
}

QString Endpoint::ipv6Full() const
{
    const Endpoint six = m_family == AddressFamily::Inet4 ? toV4Mapped() : *this;
    QStringList groups;
    for (size_t i = 0; i < 16; i += 2)
        groups << QStringLiteral("%1").arg((six.m_address[i] << 8) | six.m_address[i + 1], 4, 16,
                                           QLatin1Char('0'));
    return groups.join(QLatin1Char(':'));
}

QString Endpoint::ipv6Compressed() const
{
    const Endpoint six = m_family == AddressFamily::Inet4 ? toV4Mapped() : *this;
    char text[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET6, six.m_address.data(), text, sizeof text);
    return QString::fromLatin1(text);
}

QString Endpoint::ipv6CompressedHex() const
{
    const Endpoint six = m_family == AddressFamily::Inet4 ? toV4Mapped() : *this;
    if (!six.isV4Mapped())
        return six.ipv6Compressed();
    const quint32 v = six.ipv4();
    return QStringLiteral("::ffff:%1:%2").arg(v >> 16, 0, 16).arg(v & 0xffff, 0, 16);
}

bool operator==(const Endpoint& a, const Endpoint& b)
{
    return a.m_family == b.m_family && a.m_port == b.m_port && a.m_address == b.m_address &&
           a.m_flowInfo == b.m_flowInfo && a.m_scopeId == b.m_scopeId && a.m_path == b.m_path;
}

} // namespace sockbench
