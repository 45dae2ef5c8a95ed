#include "addressforms.h"

#include "codegen/pyrepr.h"

#include <QRegularExpression>
#include <QStringList>
#include <QSysInfo>

#include <net/if.h>

namespace sockbench::addressforms {

namespace {

constexpr bool kLittleEndian = QSysInfo::ByteOrder == QSysInfo::LittleEndian;

QString hex32(quint32 value)
{
    return QStringLiteral("0x") +
           QStringLiteral("%1").arg(value, 8, 16, QLatin1Char('0')).toUpper();
}

quint32 swapped32(quint32 v)
{
    return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
}

// "7f 00 00 01": the bytes one by one, the way a packet dump shows them.
QString spacedHex(const QByteArray& bytes)
{
    QStringList parts;
    for (const char b : bytes)
        parts << QStringLiteral("%1").arg(static_cast<unsigned char>(b), 2, 16, QLatin1Char('0'));
    return parts.join(QLatin1Char(' '));
}

QByteArray v4Bytes(quint32 hostOrder)
{
    QByteArray bytes(4, '\0');
    for (int i = 0; i < 4; ++i)
        bytes[i] = static_cast<char>((hostOrder >> (24 - 8 * i)) & 0xff);
    return bytes;
}

QByteArray v6Bytes(const Endpoint& endpoint)
{
    const auto& a = endpoint.ipv6();
    return QByteArray(reinterpret_cast<const char*>(a.data()), 16);
}

struct Meaning {
    QString name;
    QString note;
};

Meaning meaningOf4(quint32 a)
{
    if (a == 0)
        return {QStringLiteral("the any address (INADDR_ANY)"),
                QStringLiteral("bind() to it to accept on every interface; never a destination")};
    if (a == 0xffffffffu)
        return {QStringLiteral("limited broadcast (INADDR_BROADCAST)"),
                QStringLiteral("every host on this link; UDP needs SO_BROADCAST to send to it")};
    if ((a >> 24) == 127)
        return {QStringLiteral("loopback (127.0.0.0/8)"),
                QStringLiteral("traffic to it never leaves this machine")};
    if ((a >> 24) == 10 || (a >> 20) == 0xac1 || (a >> 16) == 0xc0a8)
        return {
            QStringLiteral("private (RFC 1918)"),
            QStringLiteral("used inside home and company networks; not routed on the internet")};
    if ((a >> 16) == 0xa9fe)
        return {QStringLiteral("link-local (169.254.0.0/16)"),
                QStringLiteral("picked by a host that found no DHCP server; one link only")};
    if ((a >> 28) == 0xe)
        return {QStringLiteral("multicast (224.0.0.0/4)"),
                QStringLiteral("one sender, a group of receivers (UDP)")};
    if ((a >> 24) == 0)
        return {QStringLiteral("\"this network\" (0.0.0.0/8)"),
                QStringLiteral("only valid as a source address")};
    return {QStringLiteral("public (global)"), QStringLiteral("routed on the internet")};
}

Meaning meaningOf6(const Endpoint& e)
{
    const auto& a = e.ipv6();
    if (e.isAny())
        return {QStringLiteral("the any address (in6addr_any)"),
                QStringLiteral("bind() to it to accept on every interface; never a destination")};
    if (e.isV4Mapped())
        return {QStringLiteral("IPv4-mapped (::ffff:0:0/96)"),
                QStringLiteral("the IPv4 address %1 as an AF_INET6 socket sees it")
                    .arg(e.unmapped().dotted())};
    if (e.isLoopback())
        return {QStringLiteral("loopback (::1)"),
                QStringLiteral("IPv6 has one loopback address; traffic never leaves this machine")};
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
        return {QStringLiteral("link-local (fe80::/10)"),
                QStringLiteral("valid on one link only: a scope (%lo, %eth0) says which")};
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8)
        return {QStringLiteral("documentation (2001:db8::/32)"),
                QStringLiteral("reserved for examples in books and courses; never routed")};
    if ((a[0] & 0xfe) == 0xfc)
        return {QStringLiteral("unique local (fc00::/7)"),
                QStringLiteral("IPv6's private addresses; not routed on the internet")};
    if (a[0] == 0xff)
        return {QStringLiteral("multicast (ff00::/8)"),
                QStringLiteral("one sender, a group of receivers (UDP)")};
    return {QStringLiteral("global unicast"), QStringLiteral("routed on the internet")};
}

void appendV4(QList<Form>& rows, quint32 v)
{
    rows << Form{FormKind::Dotted, QStringLiteral("IPv4 dotted quad"),
                 Endpoint::inet4(v, 0).dotted(), QStringLiteral("four bytes, each 0–255")};
    rows << Form{FormKind::Decimal32, QStringLiteral("32-bit decimal"), QString::number(v),
                 QStringLiteral("%1·16777216 + %2·65536 + %3·256 + %4: one unsigned number")
                     .arg(v >> 24)
                     .arg((v >> 16) & 0xff)
                     .arg((v >> 8) & 0xff)
                     .arg(v & 0xff)};
    rows << Form{
        FormKind::Hex32, QStringLiteral("32-bit hex"), hex32(v),
        QStringLiteral("two hex digits per byte; works as a host: bind(('%1', 0))").arg(hex32(v))};
    const QByteArray packed = v4Bytes(v);
    rows << Form{FormKind::PackedBytes, QStringLiteral("packed bytes"), codegen::bytesRepr(packed),
                 QStringLiteral("what inet_aton() and inet_pton() return: %1, network byte "
                                "order (most significant first)")
                     .arg(spacedHex(packed))};
    // Only where it teaches something: on a little-endian machine, and when the swap shows.
    if (kLittleEndian && swapped32(v) != v)
        rows << Form{FormKind::HostOrderInteger, QStringLiteral("read as a host-order int"),
                     QStringLiteral("%1 = %2").arg(hex32(swapped32(v))).arg(swapped32(v)),
                     QStringLiteral("the same 4 bytes read by this little-endian CPU; "
                                    "ntohl() turns it back into %1")
                         .arg(hex32(v))};
}

void appendPort(QList<Form>& rows, const Endpoint& e)
{
    const quint16 port = e.port();
    rows << Form{FormKind::Port, QStringLiteral("port"), QString::number(port),
                 port == 0 ? QStringLiteral("0 asks the kernel to pick a free port; "
                                            "getsockname() says which")
                           : QStringLiteral("a 16-bit number, 0–65535")};
    QString classNote;
    switch (e.portClass()) {
    case PortClass::WellKnown:
        classNote = QStringLiteral("0–1023: standard services (80 web, 25 e-mail); "
                                   "binding one needs root");
        break;
    case PortClass::Registered:
        classNote = QStringLiteral("1024–49151: registered for applications; where the "
                                   "course's servers listen");
        break;
    case PortClass::Dynamic:
        classNote = QStringLiteral("49152–65535: dynamic / private, free for anyone's use");
        break;
    }
    rows << Form{FormKind::PortClass, QStringLiteral("port class"), portClassName(e.portClass()),
                 classNote};
    QByteArray bytes;
    bytes.append(static_cast<char>(port >> 8));
    bytes.append(static_cast<char>(port & 0xff));
    const quint16 asHostInt = static_cast<quint16>((port >> 8) | (port << 8));
    rows << Form{
        FormKind::PortNetworkOrder, QStringLiteral("port in network byte order"), spacedHex(bytes),
        kLittleEndian ? QStringLiteral("the two bytes in sin_port (htons); read by this "
                                       "little-endian CPU they are %1")
                            .arg(asHostInt)
                      : QStringLiteral("the two bytes in sin_port; htons() changes nothing on "
                                       "this big-endian CPU")};
    rows << Form{FormKind::PythonTuple, QStringLiteral("as Python shows it"), e.toPythonTuple(),
                 QStringLiteral("the address tuple bind() and connect() take, accept() returns")};
}

void appendUnix(QList<Form>& rows, const Endpoint& e)
{
    const QByteArray& path = e.path();
    if (path.isEmpty()) {
        rows << Form{FormKind::UnixUnnamed, QStringLiteral("AF_UNIX name"),
                     QStringLiteral("(unnamed)"),
                     QStringLiteral("never bound: a client usually has no name; Python shows ''")};
        return;
    }
    if (e.isAbstract()) {
        rows << Form{FormKind::UnixAbstract, QStringLiteral("abstract name"), e.toString(),
                     QStringLiteral("Linux only, no file on disk: the name starts with a NUL "
                                    "byte, shown as @")};
        rows << Form{FormKind::PythonTuple, QStringLiteral("as Python shows it"),
                     codegen::bytesRepr(path),
                     QStringLiteral("bytes, with the leading NUL as \\x00")};
        rows << Form{FormKind::PathLength, QStringLiteral("length"),
                     QStringLiteral("%1 of 108 bytes").arg(path.size()),
                     QStringLiteral("every byte of sun_path counts, NULs included")};
        return;
    }
    rows << Form{FormKind::UnixPath, QStringLiteral("AF_UNIX path"), QString::fromUtf8(path),
                 QStringLiteral("a file in the filesystem: ls -l shows it with type s")};
    rows << Form{FormKind::PythonTuple, QStringLiteral("as Python shows it"),
                 codegen::strRepr(QString::fromUtf8(path)),
                 QStringLiteral("a plain string, not a tuple: AF_UNIX has no port")};
    rows << Form{FormKind::PathLength, QStringLiteral("length"),
                 QStringLiteral("%1 of 107 bytes").arg(path.size()),
                 QStringLiteral("sun_path holds 108 bytes, the final NUL included")};
}

} // namespace

QList<Form> formsOf(const Endpoint& e, bool withPort)
{
    QList<Form> rows;
    switch (e.family()) {
    case AddressFamily::Inet4: {
        const quint32 v = e.ipv4();
        const Meaning meaning = meaningOf4(v);
        rows << Form{FormKind::Meaning, QStringLiteral("what it is"), meaning.name, meaning.note};
        appendV4(rows, v);
        rows << Form{FormKind::Ipv4Mapped, QStringLiteral("IPv4-mapped IPv6"), e.ipv6Compressed(),
                     QStringLiteral("how an AF_INET6 socket writes this IPv4 address")};
        rows << Form{FormKind::Ipv4MappedHex, QStringLiteral("IPv4-mapped, in hex"),
                     e.ipv6CompressedHex(), QStringLiteral("the same 128 bits, last 32 in hex")};
        rows << Form{FormKind::Ipv6Full, QStringLiteral("IPv4-mapped, full"), e.ipv6Full(),
                     QStringLiteral("all 8 groups of 4 hex digits: 80 zero bits, ffff, the "
                                    "IPv4 address")};
        break;
    }
    case AddressFamily::Inet6: {
        const Meaning meaning = meaningOf6(e);
        rows << Form{FormKind::Meaning, QStringLiteral("what it is"), meaning.name, meaning.note};
        rows << Form{FormKind::Ipv6Compressed, QStringLiteral("IPv6 compressed"),
                     e.ipv6Compressed(),
                     QStringLiteral("RFC 5952: no leading zeros, the longest zero run as ::, "
                                    "lower case")};
        rows << Form{FormKind::Ipv6Full, QStringLiteral("IPv6 full"), e.ipv6Full(),
                     QStringLiteral("all 8 groups of 4 hex digits, 16 bits each")};
        const QByteArray packed = v6Bytes(e);
        rows << Form{FormKind::PackedBytes, QStringLiteral("packed bytes"),
                     codegen::bytesRepr(packed),
                     QStringLiteral("what inet_pton(AF_INET6, …) returns: 16 bytes, network "
                                    "byte order")};
        if (e.isV4Mapped()) {
            const quint32 v = e.ipv4();
            rows << Form{FormKind::Ipv4Inside, QStringLiteral("the IPv4 address inside"),
                         Endpoint::inet4(v, 0).dotted(),
                         QStringLiteral("the last 32 bits: what an AF_INET socket sees")};
            rows << Form{FormKind::Ipv4MappedHex, QStringLiteral("IPv4-mapped, in hex"),
                         e.ipv6CompressedHex(),
                         QStringLiteral("the same 128 bits, last 32 in hex")};
            rows << Form{FormKind::Hex32, QStringLiteral("inside, as 32-bit hex"), hex32(v),
                         QStringLiteral("= %1 in decimal").arg(v)};
        }
        if (e.scopeId() != 0) {
            char name[IF_NAMESIZE] = {};
            const QString interface =
                ::if_indextoname(e.scopeId(), name) ? QString::fromLatin1(name) : QString();
            rows << Form{FormKind::ScopeId, QStringLiteral("scope id"),
                         interface.isEmpty()
                             ? QString::number(e.scopeId())
                             : QStringLiteral("%1 (%2)").arg(e.scopeId()).arg(interface),
                         QStringLiteral("sin6_scope_id: which interface a link-local address "
                                        "is on")};
        }
        break;
    }
    case AddressFamily::Unix:
        appendUnix(rows, e);
        return rows;
    case AddressFamily::Unspecified:
        return rows;
    }
    if (withPort)
        appendPort(rows, e);
    return rows;
}

std::optional<Form> find(const QList<Form>& forms, FormKind kind)
{
    for (const Form& form : forms)
        if (form.kind == kind)
            return form;
    return std::nullopt;
}

namespace {

using Parsed = std::variant<Typed, QString>;

const QString kTryThese = QStringLiteral("try 127.0.0.1, 0x7F000001, ::1, [::1]:4000, "
                                         "/tmp/sock or @name");

// Every refusal is one sentence; parseLiteral()'s carry no full stop of their own.
QString sentence(QString text)
{
    if (!text.endsWith(QLatin1Char('.')))
        text += QLatin1Char('.');
    return text;
}

Parsed unixTyped(const QByteArray& path, FormKind form, const QString& typed)
{
    const bool abstract = form == FormKind::UnixAbstract;
    const qsizetype room = abstract ? 108 : 107;
    if (path.size() > room)
        return QStringLiteral("'%1' is %2 bytes long, but sun_path holds 108 bytes%3, so an "
                              "AF_UNIX %4 can be at most %5.")
            .arg(typed, QString::number(path.size()),
                 abstract ? QString() : QStringLiteral(" with the final NUL"),
                 abstract ? QStringLiteral("abstract name") : QStringLiteral("path"),
                 QString::number(room));
    return Typed{Endpoint::unixPath(path), false, form};
}

std::optional<quint16> parsePort(const QString& text, QString* error)
{
    if (text.isEmpty()) {
        *error = QStringLiteral("Nothing follows the ':': add a port number 0–65535, or leave "
                                "the ':' out.");
        return std::nullopt;
    }
    for (const QChar c : text) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9')) {
            *error = QStringLiteral("'%1' is not a port number: a port is a whole number from 0 "
                                    "to 65535.")
                         .arg(text);
            return std::nullopt;
        }
    }
    bool ok = false;
    const qulonglong port = text.toULongLong(&ok);
    if (!ok || port > 65535) {
        *error = QStringLiteral("Port %1 is out of range: a port is 16 bits, 0–65535.").arg(text);
        return std::nullopt;
    }
    return static_cast<quint16>(port);
}

// Which form a numeric host was written in (it has already parsed).
FormKind formOfHost(const QString& host, const Endpoint& e)
{
    if (e.family() == AddressFamily::Inet6) {
        static const QRegularExpression full(
            QStringLiteral("^[0-9a-fA-F]{4}(:[0-9a-fA-F]{4}){7}(%.*)?$"));
        if (full.match(host).hasMatch())
            return FormKind::Ipv6Full;
        if (e.isV4Mapped())
            return host.contains(QLatin1Char('.')) ? FormKind::Ipv4Mapped : FormKind::Ipv4MappedHex;
        return FormKind::Ipv6Compressed;
    }
    if (host.startsWith(QLatin1String("0x"), Qt::CaseInsensitive))
        return FormKind::Hex32;
    if (!host.contains(QLatin1Char('.')))
        return FormKind::Decimal32;
    return FormKind::Dotted;
}

Parsed hostTyped(const QString& rawHost, std::optional<quint16> port, const QString& typed)
{
    const QString host = rawHost.trimmed();
    if (host.isEmpty())
        return QStringLiteral("'%1' has a port but no address before it: type one, as in "
                              "127.0.0.1:4000.")
            .arg(typed);
    QString error;
    const auto literal =
        Endpoint::parseLiteral(host, port.value_or(0), AddressFamily::Unspecified, &error);
    if (literal) {
        QString bare = host;
        if (bare.startsWith(QLatin1Char('[')))
            bare = bare.mid(1, bare.size() - 2);
        return Typed{*literal, port.has_value(), formOfHost(bare, *literal)};
    }
    if (!error.isEmpty())
        return sentence(error);
    static const QRegularExpression name(QStringLiteral("^[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.?$"));
    if (name.match(host).hasMatch())
        return QStringLiteral("'%1' is a host name, not an address: only the resolver "
                              "(getaddrinfo(), gethostbyname()) turns names into addresses, "
                              "so type a number such as 127.0.0.1 or ::1.")
            .arg(host);
    return QStringLiteral("'%1' is not an address in any form the course shows: %2.")
        .arg(host, kTryThese);
}

// A Python bytes literal: b'\x7f\x00\x00\x01'. Returns the bytes and where the literal ends.
std::optional<QByteArray> decodeBytes(const QString& text, qsizetype* end, QString* error)
{
    const QChar quote = text[1];
    QByteArray out;
    for (qsizetype i = 2; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == quote) {
            *end = i + 1;
            return out;
        }
        if (c.unicode() > 0x7e || c.unicode() < 0x20) {
            *error = QStringLiteral("A bytes literal holds ASCII only: write other bytes as "
                                    "\\xhh.");
            return std::nullopt;
        }
        if (c != QLatin1Char('\\')) {
            out.append(static_cast<char>(c.unicode()));
            continue;
        }
        if (++i >= text.size())
            break;
        const char16_t e = text[i].unicode();
        switch (e) {
        case '\\':
        case '\'':
        case '"':
            out.append(static_cast<char>(e));
            break;
        case 'n':
            out.append('\n');
            break;
        case 'r':
            out.append('\r');
            break;
        case 't':
            out.append('\t');
            break;
        case 'x': {
            bool ok = false;
            const uint value = text.mid(i + 1, 2).toUInt(&ok, 16);
            if (!ok || text.mid(i + 1, 2).size() != 2) {
                *error = QStringLiteral("\\x needs exactly two hex digits, as in "
                                        "b'\\x7f\\x00\\x00\\x01'.");
                return std::nullopt;
            }
            out.append(static_cast<char>(value));
            i += 2;
            break;
        }
        default:
            if (e >= '0' && e <= '7') { // octal, up to three digits, as Python reads it
                uint value = 0;
                int digits = 0;
                while (digits < 3 && i < text.size() && text[i] >= QLatin1Char('0') &&
                       text[i] <= QLatin1Char('7')) {
                    value = value * 8 + (text[i].unicode() - '0');
                    ++i;
                    ++digits;
                }
                --i;
                out.append(static_cast<char>(value & 0xff));
                break;
            }
            *error = QStringLiteral("'\\%1' is not an escape a bytes literal knows: use \\xhh.")
                         .arg(text[i]);
            return std::nullopt;
        }
    }
    *error = QStringLiteral("The bytes literal never closes: end it with %1.").arg(quote);
    return std::nullopt;
}

Parsed bytesTyped(const QString& text)
{
    qsizetype end = 0;
    QString error;
    const auto bytes = decodeBytes(text, &end, &error);
    if (!bytes)
        return error;
    std::optional<quint16> port;
    const QString rest = text.mid(end).trimmed();
    if (!rest.isEmpty()) {
        const QString portText = rest.startsWith(QLatin1Char(':')) ? rest.mid(1).trimmed() : rest;
        port = parsePort(portText, &error);
        if (!port)
            return error;
    }
    if (bytes->size() == 4) {
        quint32 v = 0;
        for (const char b : *bytes)
            v = (v << 8) | static_cast<unsigned char>(b);
        return Typed{Endpoint::inet4(v, port.value_or(0)), port.has_value(), FormKind::PackedBytes};
    }
    if (bytes->size() == 16) {
        std::array<quint8, 16> a{};
        for (int i = 0; i < 16; ++i)
            a[static_cast<size_t>(i)] = static_cast<quint8>((*bytes)[i]);
        return Typed{Endpoint::inet6(a, port.value_or(0)), port.has_value(), FormKind::PackedBytes};
    }
    return QStringLiteral("%1 holds %2 bytes: a packed IPv4 address has 4 (inet_aton), an IPv6 "
                          "address 16 (inet_pton).")
        .arg(text.left(end), QString::number(bytes->size()));
}

Parsed tupleTyped(const QString& text)
{
    static const QRegularExpression tuple(QStringLiteral(
        R"(^\(\s*(['"])(.*?)\1\s*,\s*(-?\d+)\s*(?:,\s*(\d+)\s*,\s*(\d+)\s*)?,?\s*\)$)"));
    const auto match = tuple.match(text);
    if (!match.hasMatch())
        return QStringLiteral("'%1' is not an address tuple: Python writes one as "
                              "('127.0.0.1', 4000) or ('::1', 4000, 0, 0).")
            .arg(text);
    const QString host = match.captured(2);
    bool ok = false;
    const qlonglong port = match.captured(3).toLongLong(&ok);
    if (!ok || port < 0 || port > 65535)
        return QStringLiteral("Port %1 is out of range: Python says \"port must be 0-65535\".")
            .arg(match.captured(3));
    const bool fourTuple = match.hasCaptured(4);
    if (host.isEmpty()) // Python's '' is the any address
        return Typed{Endpoint::anyAddress(fourTuple ? AddressFamily::Inet6 : AddressFamily::Inet4,
                                          static_cast<quint16>(port)),
                     true, FormKind::PythonTuple};
    Parsed parsed = hostTyped(host, static_cast<quint16>(port), text);
    auto* typed = std::get_if<Typed>(&parsed);
    if (!typed)
        return parsed;
    typed->form = FormKind::PythonTuple;
    if (fourTuple) {
        if (typed->endpoint.family() != AddressFamily::Inet6)
            return QStringLiteral("A 4-tuple (host, port, flowinfo, scope_id) is for IPv6; an "
                                  "IPv4 address takes ('%1', %2).")
                .arg(host, QString::number(port));
        const Endpoint& e = typed->endpoint;
        const quint32 scope = e.scopeId() ? e.scopeId() : match.captured(5).toUInt();
        typed->endpoint = Endpoint::inet6(e.ipv6(), e.port(), match.captured(4).toUInt(), scope);
    }
    return parsed;
}

} // namespace

std::variant<Typed, QString> parseTyped(const QString& input)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return QStringLiteral("Type an address to see its forms: %1.").arg(kTryThese);
    if (text.startsWith(QLatin1Char('(')))
        return tupleTyped(text);
    if (text.size() > 1 && text.startsWith(QLatin1Char('b')) &&
        (text[1] == QLatin1Char('\'') || text[1] == QLatin1Char('"')))
        return bytesTyped(text);
    if (text.startsWith(QLatin1Char('/')) || text.startsWith(QLatin1String("./")) ||
        text.startsWith(QLatin1String("../")))
        return unixTyped(text.toUtf8(), FormKind::UnixPath, text);
    if (text.startsWith(QLatin1Char('@')) || text.startsWith(QLatin1String("\\0"))) {
        const QString name = text.mid(text.startsWith(QLatin1Char('@')) ? 1 : 2);
        if (name.isEmpty())
            return QStringLiteral("'%1' needs a name after it: @name is the abstract name "
                                  "\\0name.")
                .arg(text);
        return unixTyped(QByteArray(1, '\0') + name.toUtf8(), FormKind::UnixAbstract, text);
    }

    QString host = text;
    std::optional<quint16> port;
    QString error;
    auto takePort = [&](const QString& portText) {
        port = parsePort(portText.trimmed(), &error);
        return port.has_value();
    };
    static const QRegularExpression space(QStringLiteral("\\s+"));
    if (text.startsWith(QLatin1Char('['))) {
        const auto close = text.indexOf(QLatin1Char(']'));
        if (close < 0)
            return QStringLiteral("'%1' opens a '[' that never closes: write an IPv6 address "
                                  "with a port as [::1]:4000.")
                .arg(text);
        host = text.left(close + 1);
        const QString rest = text.mid(close + 1).trimmed();
        if (!rest.isEmpty()) {
            if (!rest.startsWith(QLatin1Char(':')))
                return QStringLiteral("After ']' only ':' and a port may follow, as in "
                                      "[::1]:4000.");
            if (!takePort(rest.mid(1)))
                return error;
        }
    } else if (text.contains(space)) {
        const QStringList parts = text.split(space);
        if (parts.size() != 2)
            return QStringLiteral("'%1' has too many parts: type an address, optionally "
                                  "followed by one port number (127.0.0.1 4000).")
                .arg(text);
        host = parts[0];
        if (!takePort(parts[1]))
            return error;
    } else if (text.count(QLatin1Char(':')) == 1) {
        // One colon is a port; IPv6 has at least two, and needs brackets to carry a port.
        const auto colon = text.indexOf(QLatin1Char(':'));
        host = text.left(colon);
        if (!takePort(text.mid(colon + 1)))
            return error;
    }
    return hostTyped(host, port, text);
}

} // namespace sockbench::addressforms
