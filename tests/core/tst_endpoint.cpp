// Endpoint: the literal forms the course teaches, every way an address is shown, and the
// port ranges. (tst_sockaddr takes it to and from sockaddr.)

#include "endpointsupport.h"

#include <QtTest>

#include <arpa/inet.h>
#include <cstring>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace sockbench;
using namespace sockbench::endpointtest;

namespace {

QString loName()
{
    char name[IF_NAMESIZE] = {};
    return ::if_indextoname(1, name) ? QString::fromLatin1(name) : QString();
}

// An interface index with no interface behind it, as small as possible (a one-digit one
// looks like a QString::arg() placeholder when it ends up in text).
quint32 missingInterfaceIndex()
{
    for (quint32 index = 2; index < 100; ++index) {
        char name[IF_NAMESIZE] = {};
        if (!::if_indextoname(index, name))
            return index;
    }
    return 0;
}

QString badV4(const QString& host)
{
    return QStringLiteral("'%1' is not a valid IPv4 address (four numbers 0–255 separated by "
                          "dots, or one 32-bit number)")
        .arg(host);
}
QString leadingZero(const QString& host)
{
    return QStringLiteral("'%1' has a number with a leading zero, which inet_pton() refuses and "
                          "inet_aton() reads as octal (010 is 8): write it without the zero")
        .arg(host);
}
QString badV6(const QString& host)
{
    return QStringLiteral("'%1' is not a valid IPv6 address").arg(host);
}

} // namespace

class TestEndpoint : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parseLiteral_data();
    void parseLiteral();
    void mappedFormsAreOneAddress();
    void scopeByInterfaceName();
    void scopeByNumber();
    void ipv4Forms_data();
    void ipv4Forms();
    void ipv6Forms_data();
    void ipv6Forms();
    void displayForms_data();
    void displayForms();
    void scopeNumberWithoutInterfaceIsShownAsNumber();
    void predicates_data();
    void predicates();
    void mappingBothWays();
    void anyAddress();
    void equality();
    void portClasses_data();
    void portClasses();
    void families();
};

void TestEndpoint::parseLiteral_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<AddressFamily>("family");
    QTest::addColumn<Endpoint>("expected"); // invalid Endpoint: nullopt expected
    QTest::addColumn<QString>("error");     // exact; empty for a success or a name

    constexpr quint16 p = 4000;
    const auto any = AddressFamily::Unspecified;
    const auto in4 = AddressFamily::Inet4;
    const auto in6 = AddressFamily::Inet6;
    const auto unx = AddressFamily::Unix;
    const QString none;

    // IPv4: the three forms the course shows.
    QTest::newRow("dotted") << "127.0.0.1" << any << v4("127.0.0.1", p) << none;
    QTest::newRow("dotted zeros") << "0.0.0.0" << any << v4("0.0.0.0", p) << none;
    QTest::newRow("dotted max") << "255.255.255.255" << any << v4("255.255.255.255", p) << none;
    QTest::newRow("dotted trimmed") << " 10.0.0.1 " << any << v4("10.0.0.1", p) << none;
    QTest::newRow("hex upper") << "0x7F000001" << any << v4("127.0.0.1", p) << none;
    QTest::newRow("hex lower") << "0x7f000001" << any << v4("127.0.0.1", p) << none;
    QTest::newRow("hex 0X") << "0X7F000001" << any << v4("127.0.0.1", p) << none;
    QTest::newRow("hex short") << "0x1" << any << v4("0.0.0.1", p) << none;
    QTest::newRow("hex max") << "0xFFFFFFFF" << any << v4("255.255.255.255", p) << none;
    QTest::newRow("decimal") << "2130706433" << any << v4("127.0.0.1", p) << none;
    QTest::newRow("decimal zero") << "0" << any << v4("0.0.0.0", p) << none;
    QTest::newRow("decimal max") << "4294967295" << any << v4("255.255.255.255", p) << none;
    QTest::newRow("dotted as Inet4") << "127.0.0.1" << in4 << v4("127.0.0.1", p) << none;

    // IPv4 that is not.
    for (const char* bad :
         {"256.1.1.1", "1.2.3", "127.1", "1.2.3.4.5", "1..2.3", "1.2.3.", "0x1FFFFFFFF",
          "4294967296", "0x", "0x0x7F000001", "0xG", "0x7F.0.0.1", "1.2.3.1000"})
        QTest::addRow("bad v4 %s", bad) << bad << any << Endpoint() << badV4(QLatin1String(bad));
    // inet_pton() strictness: a leading zero would be octal to inet_aton(), so it is refused.
    for (const char* zero : {"01.2.3.4", "010.0.0.1", "1.2.3.00", "02130706433", "00"})
        QTest::addRow("leading zero %s", zero)
            << zero << any << Endpoint() << leadingZero(QLatin1String(zero));

    // IPv6.
    QTest::newRow("v6 full") << "0000:0000:0000:0000:0000:ffff:7f00:0001" << any
                             << v6("::ffff:127.0.0.1", p) << none;
    QTest::newRow("v6 loopback") << "::1" << any << v6("::1", p) << none;
    QTest::newRow("v6 any") << "::" << any << v6("::", p) << none;
    QTest::newRow("v6 link-local") << "fe80::1" << any << v6("fe80::1", p) << none;
    QTest::newRow("v6 upper case") << "FE80::1" << any << v6("fe80::1", p) << none;
    QTest::newRow("v6 documentation")
        << "2001:db8::ff00:42:8329" << in6 << v6("2001:db8::ff00:42:8329", p) << none;
    QTest::newRow("v6 mapped dotted")
        << "::ffff:127.0.0.1" << any << v6("::ffff:127.0.0.1", p) << none;
    QTest::newRow("v6 mapped hex") << "::ffff:7f00:1" << any << v6("::ffff:127.0.0.1", p) << none;
    QTest::newRow("v6 brackets") << "[::1]" << any << v6("::1", p) << none;
    QTest::newRow("v6 brackets as Inet6") << "[fe80::1]" << in6 << v6("fe80::1", p) << none;
    QTest::newRow("v6 numeric scope") << "fe80::1%1" << any << v6("fe80::1", p, 0, 1) << none;

    // IPv6 that is not.
    for (const char* bad : {":::1", "1::2::3", "fe80::g", "[::1", "::1]", "1:2:3:4:5:6:7:8:9",
                            "::ffff:1.2.3.04", "::ffff:256.0.0.1"})
        QTest::addRow("bad v6 %s", bad) << bad << any << Endpoint() << badV6(QLatin1String(bad));
    QTest::newRow("empty scope") << "fe80::1%" << any << Endpoint()
                                 << QStringLiteral("'fe80::1%': a scope (an interface name or "
                                                   "number) must follow the '%'");
    QTest::newRow("unknown interface") << "fe80::1%nosuchif0" << any << Endpoint()
                                       << QStringLiteral("'nosuchif0' names no network interface");
    QTest::newRow("scope zero") << "fe80::1%0" << any << Endpoint()
                                << QStringLiteral("'0' names no network interface");
    QTest::newRow("brackets around v4")
        << "[127.0.0.1]" << any << Endpoint()
        << QStringLiteral("'[127.0.0.1]': brackets belong around IPv6 addresses only");

    // The family asked for.
    QTest::newRow("v6 on Inet4")
        << "::1" << in4 << Endpoint()
        << QStringLiteral("'::1' is an IPv6 address, but this is an AF_INET (IPv4) socket");
    QTest::newRow("bracketed v6 on Inet4")
        << "[fe80::1]" << in4 << Endpoint()
        << QStringLiteral("'[fe80::1]' is an IPv6 address, but this is an AF_INET (IPv4) socket");
    QTest::newRow("v4 on Inet6 is mapped")
        << "127.0.0.1" << in6 << v6("::ffff:127.0.0.1", p) << none;
    QTest::newRow("hex v4 on Inet6 is mapped")
        << "0x7F000001" << in6 << v6("::ffff:127.0.0.1", p) << none;
    QTest::newRow("unix path") << "/tmp/x" << unx << Endpoint::unixPath("/tmp/x") << none;
    QTest::newRow("unix keeps spaces")
        << " /tmp/x " << unx << Endpoint::unixPath(" /tmp/x ") << none;
    QTest::newRow("unix takes numbers as a path")
        << "127.0.0.1" << unx << Endpoint::unixPath("127.0.0.1") << none;
    QTest::newRow("unix abstract") << QString::fromLatin1("\0name", 5) << unx
                                   << Endpoint::unixPath(QByteArray("\0name", 5)) << none;

    // Names are the resolver's: nullopt and no error.
    for (const char* name :
         {"localhost", "example.com", "cafe", "deadbeef", "my-host", "1e5", "1.2.3.a", ""})
        QTest::addRow("name '%s'", name) << name << any << Endpoint() << none;
    QTest::newRow("name on Inet6") << "localhost" << in6 << Endpoint() << none;
}

void TestEndpoint::parseLiteral()
{
    QFETCH(QString, host);
    QFETCH(AddressFamily, family);
    QFETCH(Endpoint, expected);
    QFETCH(QString, error);

    QString why = QStringLiteral("stale text the parser must clear");
    const auto parsed = Endpoint::parseLiteral(host, 4000, family, &why);
    QCOMPARE(parsed.has_value(), expected.isValid());
    if (parsed) {
        QCOMPARE(parsed->toString(), expected.toString());
        QCOMPARE(*parsed, expected);
        QCOMPARE(parsed->port(), quint16(parsed->family() == AddressFamily::Unix ? 0 : 4000));
    }
    QCOMPARE(why, error);
    // Without an error string the answer is the same.
    QCOMPARE(Endpoint::parseLiteral(host, 4000, family).has_value(), expected.isValid());
}

void TestEndpoint::mappedFormsAreOneAddress()
{
    const auto dotted =
        Endpoint::parseLiteral(QStringLiteral("::ffff:127.0.0.1"), 80, AddressFamily::Unspecified);
    const auto hex =
        Endpoint::parseLiteral(QStringLiteral("::ffff:7f00:1"), 80, AddressFamily::Unspecified);
    const auto full = Endpoint::parseLiteral(
        QStringLiteral("0000:0000:0000:0000:0000:ffff:7f00:0001"), 80, AddressFamily::Inet6);
    const auto fromV4 =
        Endpoint::parseLiteral(QStringLiteral("127.0.0.1"), 80, AddressFamily::Inet6);
    QVERIFY(dotted && hex && full && fromV4);
    QCOMPARE(*dotted, *hex);
    QCOMPARE(*dotted, *full);
    QCOMPARE(*dotted, *fromV4);
    QVERIFY(dotted->isV4Mapped());
    QCOMPARE(dotted->ipv4(), 0x7F000001u);
    QCOMPARE(dotted->unmapped(), v4("127.0.0.1", 80));
    // The plain IPv4 address is a different endpoint (another family).
    QVERIFY(!(*dotted == v4("127.0.0.1", 80)));
}

void TestEndpoint::scopeByInterfaceName()
{
    const QString lo = loName();
    QVERIFY2(!lo.isEmpty(), "no interface with index 1");
    const quint32 index = ::if_nametoindex(lo.toLatin1().constData());
    QCOMPARE(index, 1u);
    QString why;
    const auto parsed = Endpoint::parseLiteral(QStringLiteral("fe80::1%") + lo, 4000,
                                               AddressFamily::Unspecified, &why);
    QVERIFY2(parsed, qPrintable(why));
    QCOMPARE(why, QString());
    QCOMPARE(parsed->scopeId(), index);
    QCOMPARE(parsed->ipv6(), v6Bytes("fe80::1"));
    QCOMPARE(parsed->host(), QStringLiteral("fe80::1%") + lo);
    QCOMPARE(parsed->toString(), QStringLiteral("[fe80::1%") + lo + QStringLiteral("]:4000"));
    QCOMPARE(parsed->toPythonTuple(),
             QStringLiteral("('fe80::1%") + lo + QStringLiteral("', 4000, 0, 1)"));
    // Brackets and scope together.
    const auto bracketed =
        Endpoint::parseLiteral(QStringLiteral("[fe80::1%") + lo + u']', 4000, AddressFamily::Inet6);
    QVERIFY(bracketed);
    QCOMPARE(*bracketed, *parsed);
}

void TestEndpoint::scopeByNumber()
{
    const auto parsed =
        Endpoint::parseLiteral(QStringLiteral("fe80::1%1"), 4000, AddressFamily::Unspecified);
    QVERIFY(parsed);
    QCOMPARE(parsed->scopeId(), 1u);
    // Shown by name when the index names an interface, as getnameinfo() does.
    QCOMPARE(parsed->host(), QStringLiteral("fe80::1%") + loName());
}

void TestEndpoint::ipv4Forms_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<quint32>("ipv4");
    QTest::addColumn<QString>("dotted");
    QTest::addColumn<QString>("hex32");
    QTest::addColumn<QString>("decimal32");

    QTest::newRow("loopback") << v4("127.0.0.1", 4000) << 0x7F000001u << "127.0.0.1"
                              << "0x7F000001"
                              << "2130706433";
    QTest::newRow("any") << v4("0.0.0.0", 0) << 0u << "0.0.0.0"
                         << "0x00000000"
                         << "0";
    QTest::newRow("broadcast") << v4("255.255.255.255", 65535) << 0xFFFFFFFFu << "255.255.255.255"
                               << "0xFFFFFFFF"
                               << "4294967295";
    QTest::newRow("leading zero nibble") << v4("10.1.2.3", 80) << 0x0A010203u << "10.1.2.3"
                                         << "0x0A010203"
                                         << "167838211";
    QTest::newRow("hex letters") << v4("192.168.171.205", 80) << 0xC0A8ABCDu << "192.168.171.205"
                                 << "0xC0A8ABCD"
                                 << "3232279501";
    QTest::newRow("mapped v6") << v6("::ffff:127.0.0.1", 4000) << 0x7F000001u << "127.0.0.1"
                               << "0x7F000001"
                               << "2130706433";
}

void TestEndpoint::ipv4Forms()
{
    QFETCH(Endpoint, endpoint);
    QFETCH(quint32, ipv4);
    QFETCH(QString, dotted);
    QFETCH(QString, hex32);
    QFETCH(QString, decimal32);
    QCOMPARE(endpoint.ipv4(), ipv4);
    QCOMPARE(endpoint.dotted(), dotted);
    QCOMPARE(endpoint.hex32(), hex32);
    QCOMPARE(endpoint.decimal32(), decimal32);
    // Each form parses back to the same IPv4 address.
    for (const QString& form : {dotted, hex32, decimal32}) {
        const auto back = Endpoint::parseLiteral(form, 1, AddressFamily::Inet4);
        QVERIFY2(back, qPrintable(form));
        QCOMPARE(back->ipv4(), ipv4);
    }
}

void TestEndpoint::ipv6Forms_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<QString>("full");
    QTest::addColumn<QString>("compressed");
    QTest::addColumn<QString>("compressedHex");

    QTest::newRow("v4 loopback, mapped")
        << v4("127.0.0.1", 4000) << "0000:0000:0000:0000:0000:ffff:7f00:0001"
        << "::ffff:127.0.0.1"
        << "::ffff:7f00:1";
    QTest::newRow("mapped loopback")
        << v6("::ffff:127.0.0.1", 4000) << "0000:0000:0000:0000:0000:ffff:7f00:0001"
        << "::ffff:127.0.0.1"
        << "::ffff:7f00:1";
    QTest::newRow("v4 any, mapped") << v4("0.0.0.0", 0) << "0000:0000:0000:0000:0000:ffff:0000:0000"
                                    << "::ffff:0.0.0.0"
                                    << "::ffff:0:0";
    QTest::newRow("v4 broadcast, mapped")
        << v4("255.255.255.255", 0) << "0000:0000:0000:0000:0000:ffff:ffff:ffff"
        << "::ffff:255.255.255.255"
        << "::ffff:ffff:ffff";
    QTest::newRow("v4 with small groups")
        << v4("10.1.0.3", 0) << "0000:0000:0000:0000:0000:ffff:0a01:0003"
        << "::ffff:10.1.0.3"
        << "::ffff:a01:3";
    QTest::newRow("loopback") << v6("::1", 4000) << "0000:0000:0000:0000:0000:0000:0000:0001"
                              << "::1"
                              << "::1";
    QTest::newRow("any") << v6("::", 0) << "0000:0000:0000:0000:0000:0000:0000:0000"
                         << "::"
                         << "::";
    QTest::newRow("documentation")
        << v6("2001:db8::ff00:42:8329", 0) << "2001:0db8:0000:0000:0000:ff00:0042:8329"
        << "2001:db8::ff00:42:8329"
        << "2001:db8::ff00:42:8329";
    QTest::newRow("link-local") << v6("fe80::1", 0) << "fe80:0000:0000:0000:0000:0000:0000:0001"
                                << "fe80::1"
                                << "fe80::1";
}

void TestEndpoint::ipv6Forms()
{
    QFETCH(Endpoint, endpoint);
    QFETCH(QString, full);
    QFETCH(QString, compressed);
    QFETCH(QString, compressedHex);
    QCOMPARE(endpoint.ipv6Full(), full);
    QCOMPARE(endpoint.ipv6Compressed(), compressed);
    QCOMPARE(endpoint.ipv6CompressedHex(), compressedHex);
    // Every form names the same IPv6 address.
    const Endpoint asV6 = endpoint.toV4Mapped();
    for (const QString& form : {full, compressed, compressedHex}) {
        const auto back = Endpoint::parseLiteral(form, 0, AddressFamily::Inet6);
        QVERIFY2(back, qPrintable(form));
        QCOMPARE(back->ipv6(), asV6.ipv6());
    }
}

void TestEndpoint::displayForms_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("string");
    QTest::addColumn<QString>("tuple");

    QTest::newRow("v4") << v4("127.0.0.1", 4000) << "127.0.0.1"
                        << "127.0.0.1:4000"
                        << "('127.0.0.1', 4000)";
    QTest::newRow("v4 any port 0") << v4("0.0.0.0", 0) << "0.0.0.0"
                                   << "0.0.0.0:0"
                                   << "('0.0.0.0', 0)";
    QTest::newRow("v4 top port") << v4("10.0.0.2", 65535) << "10.0.0.2"
                                 << "10.0.0.2:65535"
                                 << "('10.0.0.2', 65535)";
    QTest::newRow("v6 loopback") << v6("::1", 4000) << "::1"
                                 << "[::1]:4000"
                                 << "('::1', 4000, 0, 0)";
    QTest::newRow("v6 mapped") << v6("::ffff:127.0.0.1", 4000) << "::ffff:127.0.0.1"
                               << "[::ffff:127.0.0.1]:4000"
                               << "('::ffff:127.0.0.1', 4000, 0, 0)";
    QTest::newRow("v6 flow info") << v6("2001:db8::1", 80, 0x12345) << "2001:db8::1"
                                  << "[2001:db8::1]:80"
                                  << "('2001:db8::1', 80, 74565, 0)";
    const QString lo = loName();
    QTest::newRow("v6 scope") << v6("fe80::1", 4000, 0, 1) << QStringLiteral("fe80::1%") + lo
                              << QStringLiteral("[fe80::1%") + lo + QStringLiteral("]:4000")
                              << QStringLiteral("('fe80::1%") + lo +
                                     QStringLiteral("', 4000, 0, 1)");
    QTest::newRow("unix path") << Endpoint::unixPath("/tmp/x") << "/tmp/x"
                               << "/tmp/x"
                               << "'/tmp/x'";
    QTest::newRow("unix abstract") << Endpoint::unixPath(QByteArray("\0name", 5))
                                   << QString::fromLatin1("\0name", 5) << "@name"
                                   << "b'\\x00name'";
    QTest::newRow("unix unnamed") << Endpoint::unixPath({}) << ""
                                  << "(unnamed)"
                                  << "''";
    QTest::newRow("unspecified") << Endpoint() << ""
                                 << "(none)"
                                 << "None";
}

void TestEndpoint::displayForms()
{
    QFETCH(Endpoint, endpoint);
    QFETCH(QString, host);
    QFETCH(QString, string);
    QFETCH(QString, tuple);
    QCOMPARE(endpoint.host(), host);
    QCOMPARE(endpoint.toString(), string);
    QCOMPARE(endpoint.toPythonTuple(), tuple);
}

void TestEndpoint::scopeNumberWithoutInterfaceIsShownAsNumber()
{
    const quint32 index = missingInterfaceIndex();
    QVERIFY2(index != 0, "every interface index up to 99 is taken");
    const Endpoint e = v6("fe80::1", 4000, 7, index);
    const QString host = QStringLiteral("fe80::1%") + QString::number(index);
    QCOMPARE(e.host(), host);
    QCOMPARE(e.toString(), QLatin1Char('[') + host + QStringLiteral("]:4000"));
    // "%2" in the host must stay text, not become a placeholder for the port.
    QCOMPARE(e.toPythonTuple(), QStringLiteral("('") + host + QStringLiteral("', 4000, 7, ") +
                                    QString::number(index) + QLatin1Char(')'));
}

void TestEndpoint::predicates_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<bool>("loopback");
    QTest::addColumn<bool>("any");
    QTest::addColumn<bool>("mapped");

    QTest::newRow("127.0.0.1") << v4("127.0.0.1", 1) << true << false << false;
    QTest::newRow("127.255.255.254") << v4("127.255.255.254", 1) << true << false << false;
    QTest::newRow("126.255.255.255") << v4("126.255.255.255", 1) << false << false << false;
    QTest::newRow("128.0.0.1") << v4("128.0.0.1", 1) << false << false << false;
    QTest::newRow("0.0.0.0") << v4("0.0.0.0", 1) << false << true << false;
    QTest::newRow("::1") << v6("::1", 1) << true << false << false;
    QTest::newRow("::") << v6("::", 1) << false << true << false;
    QTest::newRow("::2") << v6("::2", 1) << false << false << false;
    QTest::newRow("fe80::1") << v6("fe80::1", 1) << false << false << false;
    QTest::newRow("::ffff:127.0.0.1") << v6("::ffff:127.0.0.1", 1) << true << false << true;
    QTest::newRow("::ffff:10.0.0.1") << v6("::ffff:10.0.0.1", 1) << false << false << true;
    QTest::newRow("::ffff:0.0.0.0") << v6("::ffff:0.0.0.0", 1) << false << false << true;
    QTest::newRow("::127.0.0.1 (compatible)") << v6("::127.0.0.1", 1) << false << false << false;
    QTest::newRow("::fffe:127.0.0.1") << v6("::fffe:7f00:1", 1) << false << false << false;
    QTest::newRow("1::ffff:127.0.0.1") << v6("1::ffff:7f00:1", 1) << false << false << false;
    // A local socket never leaves the machine.
    QTest::newRow("unix") << Endpoint::unixPath("/tmp/x") << true << false << false;
    QTest::newRow("unspecified") << Endpoint() << false << false << false;
}

void TestEndpoint::predicates()
{
    QFETCH(Endpoint, endpoint);
    QFETCH(bool, loopback);
    QFETCH(bool, any);
    QFETCH(bool, mapped);
    QCOMPARE(endpoint.isLoopback(), loopback);
    QCOMPARE(endpoint.isAny(), any);
    QCOMPARE(endpoint.isV4Mapped(), mapped);
}

void TestEndpoint::mappingBothWays()
{
    const Endpoint plain = v4("192.0.2.7", 4000);
    const Endpoint mapped = plain.toV4Mapped();
    QCOMPARE(mapped.family(), AddressFamily::Inet6);
    QCOMPARE(mapped, v6("::ffff:192.0.2.7", 4000));
    QVERIFY(mapped.isV4Mapped());
    QCOMPARE(mapped.ipv4(), 0xC0000207u);
    QCOMPARE(mapped.port(), quint16(4000));
    QCOMPARE(mapped.unmapped(), plain);
    QCOMPARE(plain.unmapped(), plain);
    QCOMPARE(mapped.toV4Mapped(), mapped);
    // Anything that is not a mapped address is left alone.
    const Endpoint loop6 = v6("::1", 4000, 3, 1);
    QCOMPARE(loop6.toV4Mapped(), loop6);
    QCOMPARE(loop6.unmapped(), loop6);
    QCOMPARE(loop6.ipv4(), 0u);
    const Endpoint path = Endpoint::unixPath("/tmp/x");
    QCOMPARE(path.toV4Mapped(), path);
    QCOMPARE(path.unmapped(), path);
}

void TestEndpoint::anyAddress()
{
    const Endpoint any4 = Endpoint::anyAddress(AddressFamily::Inet4, 8080);
    QCOMPARE(any4, v4("0.0.0.0", 8080));
    QVERIFY(any4.isAny());
    const Endpoint any6 = Endpoint::anyAddress(AddressFamily::Inet6, 8080);
    QCOMPARE(any6, v6("::", 8080));
    QCOMPARE(any6.toString(), QStringLiteral("[::]:8080"));
    QVERIFY(any6.isAny());
    QVERIFY(!Endpoint().isValid());
    QVERIFY(any4.isValid() && any6.isValid());
}

void TestEndpoint::equality()
{
    const Endpoint base = v6("fe80::1", 4000, 5, 1);
    QCOMPARE(base, v6("fe80::1", 4000, 5, 1));
    QVERIFY(!(base == v6("fe80::1", 4001, 5, 1)));
    QVERIFY(!(base == v6("fe80::1", 4000, 6, 1)));
    QVERIFY(!(base == v6("fe80::1", 4000, 5, 2)));
    QVERIFY(!(base == v6("fe80::2", 4000, 5, 1)));
    QVERIFY(!(Endpoint::unixPath("/a") == Endpoint::unixPath("/b")));
    QVERIFY(!(Endpoint::unixPath("/a") == Endpoint::unixPath(QByteArray("\0a", 2))));
    Endpoint moved = v4("1.2.3.4", 1);
    moved.setPort(2);
    QCOMPARE(moved, v4("1.2.3.4", 2));
    QVERIFY(Endpoint() == Endpoint());
}

void TestEndpoint::portClasses_data()
{
    QTest::addColumn<int>("port");
    QTest::addColumn<PortClass>("portClass");
    QTest::addColumn<QString>("name");
    QTest::newRow("0") << 0 << PortClass::WellKnown << "well-known";
    QTest::newRow("80") << 80 << PortClass::WellKnown << "well-known";
    QTest::newRow("1023") << 1023 << PortClass::WellKnown << "well-known";
    QTest::newRow("1024") << 1024 << PortClass::Registered << "registered";
    QTest::newRow("8080") << 8080 << PortClass::Registered << "registered";
    QTest::newRow("49151") << 49151 << PortClass::Registered << "registered";
    QTest::newRow("49152") << 49152 << PortClass::Dynamic << "dynamic";
    QTest::newRow("65535") << 65535 << PortClass::Dynamic << "dynamic";
}

void TestEndpoint::portClasses()
{
    QFETCH(int, port);
    QFETCH(PortClass, portClass);
    QFETCH(QString, name);
    const auto p = static_cast<quint16>(port);
    QCOMPARE(portClassOf(p), portClass);
    QCOMPARE(portClassName(portClass), name);
    QCOMPARE(v4("127.0.0.1", p).portClass(), portClass);
    QCOMPARE(v6("::1", p).portClass(), portClass);
}

void TestEndpoint::families()
{
    QCOMPARE(familyName(AddressFamily::Inet4), QStringLiteral("AF_INET"));
    QCOMPARE(familyName(AddressFamily::Inet6), QStringLiteral("AF_INET6"));
    QCOMPARE(familyName(AddressFamily::Unix), QStringLiteral("AF_UNIX"));
    QCOMPARE(familyName(AddressFamily::Unspecified), QStringLiteral("AF_UNSPEC"));
    QCOMPARE(toNativeFamily(AddressFamily::Inet4), AF_INET);
    QCOMPARE(toNativeFamily(AddressFamily::Inet6), AF_INET6);
    QCOMPARE(toNativeFamily(AddressFamily::Unix), AF_UNIX);
    QCOMPARE(toNativeFamily(AddressFamily::Unspecified), AF_UNSPEC);
    // Python shows the numbers too: AF_INET is 2, AF_INET6 10, AF_UNIX 1 on Linux.
    QCOMPARE(AF_INET, 2);
    QCOMPARE(AF_INET6, 10);
    QCOMPARE(AF_UNIX, 1);
    for (auto family : {AddressFamily::Unspecified, AddressFamily::Inet4, AddressFamily::Inet6,
                        AddressFamily::Unix})
        QCOMPARE(fromNativeFamily(toNativeFamily(family)).value_or(AddressFamily(99)), family);
    QVERIFY(!fromNativeFamily(AF_PACKET));
    QVERIFY(!fromNativeFamily(-1));
    QCOMPARE(v4("1.2.3.4", 1).family(), AddressFamily::Inet4);
    QCOMPARE(v6("::1", 1).family(), AddressFamily::Inet6);
    QCOMPARE(Endpoint::unixPath("/x").family(), AddressFamily::Unix);
    QCOMPARE(Endpoint().family(), AddressFamily::Unspecified);
}

QTEST_GUILESS_MAIN(TestEndpoint)
#include "tst_endpoint.moc"
