#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

#include <array>
#include <optional>

#include <sys/socket.h>

namespace sockbench {

enum class AddressFamily : quint8 { Unspecified, Inet4, Inet6, Unix };

// The course's three port ranges (IANA): 0–1023, 1024–49151, 49152–65535.
enum class PortClass : quint8 { WellKnown, Registered, Dynamic };

PortClass portClassOf(quint16 port);
QString portClassName(PortClass portClass); // "well-known", "registered", "dynamic"
QString familyName(AddressFamily family);   // "AF_INET", "AF_INET6", "AF_UNIX"
int toNativeFamily(AddressFamily family);
std::optional<AddressFamily> fromNativeFamily(int family);

// One socket address in any family the workbench speaks: an IPv4 or IPv6 address with a
// port, or an AF_UNIX path (a leading NUL byte marks a Linux abstract name). It converts
// to and from sockaddr and formats itself in every form the course shows.
class Endpoint {
public:
    Endpoint() = default;

    static Endpoint inet4(quint32 hostOrderAddress, quint16 port);
    static Endpoint inet6(const std::array<quint8, 16>& address, quint16 port, quint32 flowInfo = 0,
                          quint32 scopeId = 0);
    static Endpoint unixPath(const QByteArray& path);
    static Endpoint anyAddress(AddressFamily family, quint16 port); // 0.0.0.0 or ::
    static std::optional<Endpoint> fromSockaddr(const sockaddr* address, socklen_t length);

    // Parses a numeric host in the family asked for (Unspecified: whichever fits):
    // IPv4 dotted ("127.0.0.1"), 32-bit hex ("0x7F000001") or decimal ("2130706433");
    // IPv6 full, compressed or IPv4-mapped, with or without brackets, with an optional
    // "%scope" (interface name or number). An IPv4 literal asked for as Inet6 comes back
    // IPv4-mapped. Names such as "localhost" are not literals: they return nullopt with
    // an empty error.
    //
    // Dotted quads are as strict as inet_pton(): exactly four parts, each 0-255, and no
    // leading zeros ("01.2.3.4", "010.0.0.1" and a decimal "0177" are refused with an
    // error, because inet_aton() - and so getaddrinfo() and Python - would read them as
    // octal). The inet_aton() shorthands "127.1" and "1.2.3" are refused too. Every other
    // number-shaped host that does not parse ("256.1.1.1", "0x1FFFFFFFF") is an error.
    static std::optional<Endpoint> parseLiteral(const QString& host, quint16 port,
                                                AddressFamily family, QString* error = nullptr);

    // Fills storage with the sockaddr for this endpoint and returns its length (0 when
    // the endpoint is unspecified or an AF_UNIX path is too long: 107 bytes for a pathname,
    // which needs its NUL, 108 for an abstract name). An empty AF_UNIX path gives the
    // family alone, as Python's bind('') does: Linux then autobinds an abstract name.
    socklen_t toSockaddr(sockaddr_storage& storage) const;

    AddressFamily family() const { return m_family; }
    bool isValid() const { return m_family != AddressFamily::Unspecified; }
    quint16 port() const { return m_port; }
    void setPort(quint16 port) { m_port = port; }
    PortClass portClass() const { return portClassOf(m_port); }
    quint32 ipv4() const; // host byte order; for a mapped IPv6 address, the IPv4 inside
    const std::array<quint8, 16>& ipv6() const { return m_address; }
    quint32 flowInfo() const { return m_flowInfo; }
    quint32 scopeId() const { return m_scopeId; }
    const QByteArray& path() const { return m_path; }
    bool isAbstract() const { return m_family == AddressFamily::Unix && m_path.startsWith('\0'); }

    bool isAny() const;
    bool isLoopback() const;
    bool isV4Mapped() const;
    Endpoint toV4Mapped() const; // IPv4 -> ::ffff:a.b.c.d; anything else unchanged
    Endpoint unmapped() const;   // ::ffff:a.b.c.d -> IPv4; anything else unchanged

    // The host part as Python shows it in an address tuple: "127.0.0.1", "::1",
    // "/tmp/sock" or "\0name" for an abstract AF_UNIX name.
    QString host() const;
    // Compact, human form: "127.0.0.1:4000", "[::1]:4000", "/tmp/sock", "@name".
    QString toString() const;
    // Python's repr of the address tuple: "('127.0.0.1', 4000)", "('::1', 4000, 0, 0)".
    QString toPythonTuple() const;

    QString dotted() const;            // "127.0.0.1"
    QString hex32() const;             // "0x7F000001"
    QString decimal32() const;         // "2130706433"
    QString ipv6Full() const;          // "0000:0000:0000:0000:0000:ffff:7f00:0001"
    QString ipv6Compressed() const;    // "::ffff:127.0.0.1"
    QString ipv6CompressedHex() const; // "::ffff:7f00:1"

    friend bool operator==(const Endpoint& a, const Endpoint& b);

private:
    AddressFamily m_family = AddressFamily::Unspecified;
    quint16 m_port = 0;
    std::array<quint8, 16> m_address{}; // IPv4 in the first four bytes, network order
    quint32 m_flowInfo = 0;
    quint32 m_scopeId = 0;
    QByteArray m_path;
};

} // namespace sockbench

Q_DECLARE_METATYPE(sockbench::Endpoint)
