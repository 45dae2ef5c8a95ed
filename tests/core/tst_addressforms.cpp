// The address inspector's table: every form the course shows for an address, checked
// against values worked out by hand (and by Python's inet_aton/inet_pton), and the reverse:
// text typed in any of those forms reads back to the same address, while anything else is
// refused with one sentence. Formatting only: no address here is ever contacted.

#include "endpointsupport.h"
#include "net/addressforms.h"

#include <QtTest>

#include <arpa/inet.h>
#include <cstring>
#include <net/if.h>

using namespace sockbench;
using namespace sockbench::addressforms;
using namespace sockbench::endpointtest;

using Expected = QList<std::pair<FormKind, QString>>;
using Kinds = QList<FormKind>;
Q_DECLARE_METATYPE(Expected)
Q_DECLARE_METATYPE(Kinds)
Q_DECLARE_METATYPE(sockbench::addressforms::FormKind)

namespace {

// QVERIFY2 builds its message even when the check passes: these never throw.
QString whyNot(const std::variant<Typed, QString>& parsed)
{
    const auto* why = std::get_if<QString>(&parsed);
    return why ? *why : QString();
}
QString readAs(const std::variant<Typed, QString>& parsed)
{
    const auto* typed = std::get_if<Typed>(&parsed);
    return typed ? typed->endpoint.toString() : QString();
}

constexpr bool kLittleEndian = QSysInfo::ByteOrder == QSysInfo::LittleEndian;

} // namespace

class TestAddressForms : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void forms_data();
    void forms();
    void everyShownFormReadsBack_data();
    void everyShownFormReadsBack();
    void typed_data();
    void typed();
    void refusedWithOneSentence_data();
    void refusedWithOneSentence();
};

void TestAddressForms::forms_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<bool>("withPort");
    QTest::addColumn<Expected>("expected");
    QTest::addColumn<Kinds>("absent");

    const Kinds noIpv4{FormKind::Dotted, FormKind::Decimal32, FormKind::Ipv4Mapped,
                       FormKind::Ipv4Inside, FormKind::UnixPath};
    const Kinds noPort{FormKind::Port, FormKind::PortClass, FormKind::PortNetworkOrder};

    Expected loop{
        {FormKind::Meaning, "loopback (127.0.0.0/8)"},
        {FormKind::Dotted, "127.0.0.1"},
        {FormKind::Decimal32, "2130706433"},
        {FormKind::Hex32, "0x7F000001"},
        {FormKind::PackedBytes, R"(b'\x7f\x00\x00\x01')"},
        {FormKind::Ipv4Mapped, "::ffff:127.0.0.1"},
        {FormKind::Ipv4MappedHex, "::ffff:7f00:1"},
        {FormKind::Ipv6Full, "0000:0000:0000:0000:0000:ffff:7f00:0001"},
        {FormKind::Port, "4000"},
        {FormKind::PortClass, portClassName(PortClass::Registered)},
        {FormKind::PortNetworkOrder, "0f a0"},
        {FormKind::PythonTuple, "('127.0.0.1', 4000)"},
    };
    if (kLittleEndian)
        loop.append({FormKind::HostOrderInteger, "0x0100007F = 16777343"});
    QTest::newRow("127.0.0.1") << v4("127.0.0.1", 4000) << true << loop
                               << Kinds{FormKind::Ipv6Compressed, FormKind::UnixPath,
                                        FormKind::ScopeId};

    QTest::newRow("127.0.0.1 without a port")
        << v4("127.0.0.1", 0) << false
        << Expected{{FormKind::Dotted, "127.0.0.1"}, {FormKind::Hex32, "0x7F000001"}}
        << (noPort + Kinds{FormKind::PythonTuple});

    // Byte order only teaches something when swapping the bytes changes the number.
    QTest::newRow("0.0.0.0") << v4("0.0.0.0", 0) << true
                             << Expected{{FormKind::Meaning, "the any address (INADDR_ANY)"},
                                         {FormKind::Dotted, "0.0.0.0"},
                                         {FormKind::Decimal32, "0"},
                                         {FormKind::Hex32, "0x00000000"},
                                         {FormKind::PackedBytes, R"(b'\x00\x00\x00\x00')"},
                                         {FormKind::Ipv4Mapped, "::ffff:0.0.0.0"},
                                         {FormKind::Port, "0"},
                                         {FormKind::PortClass, portClassName(PortClass::WellKnown)},
                                         {FormKind::PortNetworkOrder, "00 00"},
                                         {FormKind::PythonTuple, "('0.0.0.0', 0)"}}
                             << Kinds{FormKind::HostOrderInteger};

    QTest::newRow("255.255.255.255")
        << v4("255.255.255.255", 65535) << true
        << Expected{{FormKind::Meaning, "limited broadcast (INADDR_BROADCAST)"},
                    {FormKind::Decimal32, "4294967295"},
                    {FormKind::Hex32, "0xFFFFFFFF"},
                    {FormKind::PackedBytes, R"(b'\xff\xff\xff\xff')"},
                    {FormKind::Ipv4Mapped, "::ffff:255.255.255.255"},
                    {FormKind::PortClass, portClassName(PortClass::Dynamic)},
                    {FormKind::PortNetworkOrder, "ff ff"}}
        << Kinds{FormKind::HostOrderInteger};

    // Formatting only: nothing ever talks to 192.168.1.10.
    Expected lan{{FormKind::Meaning, "private (RFC 1918)"},
                 {FormKind::Decimal32, "3232235786"},
                 {FormKind::Hex32, "0xC0A8010A"},
                 // Python's repr: byte 0x0a is a newline, so inet_aton() shows it as \n.
                 {FormKind::PackedBytes, R"(b'\xc0\xa8\x01\n')"},
                 {FormKind::Ipv4MappedHex, "::ffff:c0a8:10a"},
                 {FormKind::Ipv6Full, "0000:0000:0000:0000:0000:ffff:c0a8:010a"},
                 {FormKind::PortClass, portClassName(PortClass::WellKnown)},
                 {FormKind::PortNetworkOrder, "00 50"},
                 {FormKind::PythonTuple, "('192.168.1.10', 80)"}};
    if (kLittleEndian)
        lan.append({FormKind::HostOrderInteger, "0x0A01A8C0 = 167880896"});
    QTest::newRow("192.168.1.10") << v4("192.168.1.10", 80) << true << lan << Kinds{};

    QTest::newRow("::1")
        << v6("::1", 8080) << true
        << Expected{{FormKind::Meaning, "loopback (::1)"},
                    {FormKind::Ipv6Compressed, "::1"},
                    {FormKind::Ipv6Full, "0000:0000:0000:0000:0000:0000:0000:0001"},
                    {FormKind::PackedBytes,
                     QStringLiteral("b'%1\\x01'").arg(QString("\\x00").repeated(15))},
                    {FormKind::PortClass, portClassName(PortClass::Registered)},
                    {FormKind::PythonTuple, "('::1', 8080, 0, 0)"}}
        << (noIpv4 + Kinds{FormKind::ScopeId, FormKind::HostOrderInteger});

    QTest::newRow("::") << v6("::", 0) << true
                        << Expected{{FormKind::Meaning, "the any address (in6addr_any)"},
                                    {FormKind::Ipv6Compressed, "::"},
                                    {FormKind::Ipv6Full, "0000:0000:0000:0000:0000:0000:0000:0000"},
                                    {FormKind::PythonTuple, "('::', 0, 0, 0)"}}
                        << noIpv4;

    QTest::newRow("2001:db8::1")
        << v6("2001:db8::1", 443) << true
        << Expected{{FormKind::Meaning, "documentation (2001:db8::/32)"},
                    {FormKind::Ipv6Compressed, "2001:db8::1"},
                    {FormKind::Ipv6Full, "2001:0db8:0000:0000:0000:0000:0000:0001"},
                    {FormKind::PortClass, portClassName(PortClass::WellKnown)}}
        << noIpv4;

    // RFC 5952: the longest run of zero groups becomes ::, the first one on a tie, and a
    // single zero group stays.
    QTest::newRow("RFC 5952 longest run")
        << v6("2001:db8:0:0:1:0:0:1", 0) << false
        << Expected{{FormKind::Ipv6Compressed, "2001:db8::1:0:0:1"}} << noPort;
    QTest::newRow("RFC 5952 one zero group")
        << v6("2001:DB8:0:1:1:1:1:1", 0) << false
        << Expected{{FormKind::Ipv6Compressed, "2001:db8:0:1:1:1:1:1"},
                    {FormKind::Ipv6Full, "2001:0db8:0000:0001:0001:0001:0001:0001"}}
        << noPort;

    QTest::newRow("::ffff:127.0.0.1")
        << v6("::ffff:127.0.0.1", 5000) << true
        << Expected{{FormKind::Meaning, "IPv4-mapped (::ffff:0:0/96)"},
                    {FormKind::Ipv6Compressed, "::ffff:127.0.0.1"},
                    {FormKind::Ipv6Full, "0000:0000:0000:0000:0000:ffff:7f00:0001"},
                    {FormKind::Ipv4Inside, "127.0.0.1"},
                    {FormKind::Ipv4MappedHex, "::ffff:7f00:1"},
                    {FormKind::Hex32, "0x7F000001"},
                    {FormKind::PythonTuple, "('::ffff:127.0.0.1', 5000, 0, 0)"}}
        << Kinds{FormKind::Dotted, FormKind::ScopeId};

    char lo[IF_NAMESIZE] = {};
    if (const unsigned index = ::if_nametoindex("lo"); index && ::if_indextoname(index, lo)) {
        const QString name = QString::fromLatin1(lo);
        QTest::newRow("fe80::1%lo")
            << v6("fe80::1", 9000, 0, index) << true
            << Expected{{FormKind::Meaning, "link-local (fe80::/10)"},
                        {FormKind::Ipv6Compressed, "fe80::1"},
                        {FormKind::ScopeId, QStringLiteral("%1 (%2)").arg(index).arg(name)},
                        {FormKind::PythonTuple,
                         QStringLiteral("('fe80::1%%1', 9000, 0, %2)").arg(name).arg(index)}}
            << noIpv4;
    }

    QTest::newRow("AF_UNIX path") << Endpoint::unixPath("/tmp/sockbench.sock") << true
                                  << Expected{{FormKind::UnixPath, "/tmp/sockbench.sock"},
                                              {FormKind::PythonTuple, "'/tmp/sockbench.sock'"},
                                              {FormKind::PathLength, "19 of 107 bytes"}}
                                  << (noPort + Kinds{FormKind::Dotted, FormKind::Ipv6Full,
                                                     FormKind::UnixAbstract});
    QTest::newRow("abstract name") << Endpoint::unixPath(QByteArray("\0sockbench", 10)) << true
                                   << Expected{{FormKind::UnixAbstract, "@sockbench"},
                                               {FormKind::PythonTuple, R"(b'\x00sockbench')"},
                                               {FormKind::PathLength, "10 of 108 bytes"}}
                                   << (noPort + Kinds{FormKind::UnixPath});
    QTest::newRow("unnamed AF_UNIX")
        << Endpoint::unixPath({}) << true << Expected{{FormKind::UnixUnnamed, "(unnamed)"}}
        << (noPort + Kinds{FormKind::UnixPath});
}

void TestAddressForms::forms()
{
    QFETCH(Endpoint, endpoint);
    QFETCH(bool, withPort);
    QFETCH(Expected, expected);
    QFETCH(Kinds, absent);

    const QList<Form> rows = formsOf(endpoint, withPort);
    for (const auto& [kind, text] : expected) {
        const auto row = find(rows, kind);
        QVERIFY2(row, qPrintable(QStringLiteral("no row of kind %1").arg(int(kind))));
        QCOMPARE(row->text, text);
        // A projected table needs a label and a line on what the form tells you.
        QVERIFY(!row->label.isEmpty());
        QVERIFY(!row->note.isEmpty());
    }
    for (FormKind kind : absent)
        QVERIFY2(!find(rows, kind),
                 qPrintable(QStringLiteral("unexpected row of kind %1").arg(int(kind))));
}

void TestAddressForms::everyShownFormReadsBack_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::newRow("127.0.0.1:4000") << v4("127.0.0.1", 4000);
    QTest::newRow("192.168.1.10:80") << v4("192.168.1.10", 80);
    QTest::newRow("[::1]:8080") << v6("::1", 8080);
    QTest::newRow("[2001:db8::1]:443") << v6("2001:db8::1", 443);
    QTest::newRow("[::ffff:127.0.0.1]:5000") << v6("::ffff:127.0.0.1", 5000);
}

// What the table prints, typed back into the field, gives the same address (IPv4 forms of
// a mapped address give the IPv4 address inside, and vice versa).
void TestAddressForms::everyShownFormReadsBack()
{
    QFETCH(Endpoint, endpoint);
    const QSet<FormKind> textual{FormKind::Dotted,         FormKind::Decimal32,
                                 FormKind::Hex32,          FormKind::PackedBytes,
                                 FormKind::Ipv6Compressed, FormKind::Ipv6Full,
                                 FormKind::Ipv4Mapped,     FormKind::Ipv4MappedHex,
                                 FormKind::Ipv4Inside,     FormKind::PythonTuple};
    int checked = 0;
    for (const Form& form : formsOf(endpoint)) {
        if (!textual.contains(form.kind))
            continue;
        const auto parsed = parseTyped(form.text);
        const auto* typed = std::get_if<Typed>(&parsed);
        QVERIFY2(typed, qPrintable(form.text + QStringLiteral(": ") + whyNot(parsed)));
        const Endpoint back = typed->endpoint;
        QVERIFY2(back.unmapped().host() == endpoint.unmapped().host(),
                 qPrintable(form.label + QStringLiteral(" ") + form.text + QStringLiteral(" -> ") +
                            back.toString()));
        if (form.kind == FormKind::PythonTuple) {
            QVERIFY(typed->hasPort);
            QCOMPARE(back, endpoint);
        }
        ++checked;
    }
    QVERIFY(checked >= 4);
}

void TestAddressForms::typed_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<bool>("hasPort");
    QTest::addColumn<FormKind>("form");

    const Endpoint loop = v4("127.0.0.1", 0);
    const Endpoint loop4000 = v4("127.0.0.1", 4000);
    QTest::newRow("dotted") << "127.0.0.1" << loop << false << FormKind::Dotted;
    QTest::newRow("dotted:port") << "127.0.0.1:4000" << loop4000 << true << FormKind::Dotted;
    QTest::newRow("dotted port") << "  127.0.0.1 4000 " << loop4000 << true << FormKind::Dotted;
    QTest::newRow("decimal") << "2130706433" << loop << false << FormKind::Decimal32;
    QTest::newRow("hex") << "0x7F000001" << loop << false << FormKind::Hex32;
    QTest::newRow("hex:port") << "0x7f000001:4000" << loop4000 << true << FormKind::Hex32;
    QTest::newRow("packed") << R"(b'\x7f\x00\x00\x01')" << loop << false << FormKind::PackedBytes;
    QTest::newRow("packed with \\n")
        << R"(b'\xc0\xa8\x01\n')" << v4("192.168.1.10", 0) << false << FormKind::PackedBytes;
    QTest::newRow("tuple") << "('127.0.0.1', 4000)" << loop4000 << true << FormKind::PythonTuple;
    QTest::newRow("tuple ''") << "('', 80)" << v4("0.0.0.0", 80) << true << FormKind::PythonTuple;
    QTest::newRow("::1") << "::1" << v6("::1", 0) << false << FormKind::Ipv6Compressed;
    QTest::newRow("[::1]:4000") << "[::1]:4000" << v6("::1", 4000) << true
                                << FormKind::Ipv6Compressed;
    QTest::newRow("IPv6 full") << "0000:0000:0000:0000:0000:0000:0000:0001" << v6("::1", 0) << false
                               << FormKind::Ipv6Full;
    QTest::newRow("IPv6 packed") << QStringLiteral("b'%1\\x01'").arg(QString("\\x00").repeated(15))
                                 << v6("::1", 0) << false << FormKind::PackedBytes;
    QTest::newRow("IPv6 tuple") << "('::1', 4000, 0, 0)" << v6("::1", 4000) << true
                                << FormKind::PythonTuple;
    QTest::newRow("mapped") << "::ffff:127.0.0.1" << v6("::ffff:127.0.0.1", 0) << false
                            << FormKind::Ipv4Mapped;
    QTest::newRow("mapped hex") << "::ffff:7f00:1" << v6("::ffff:127.0.0.1", 0) << false
                                << FormKind::Ipv4MappedHex;
    QTest::newRow("mapped full") << "0000:0000:0000:0000:0000:ffff:7f00:0001"
                                 << v6("::ffff:127.0.0.1", 0) << false << FormKind::Ipv6Full;
    QTest::newRow("documentation")
        << "[2001:db8::1]:443" << v6("2001:db8::1", 443) << true << FormKind::Ipv6Compressed;
    if (const unsigned lo = ::if_nametoindex("lo"))
        QTest::newRow("fe80::1%lo")
            << "fe80::1%lo" << v6("fe80::1", 0, 0, lo) << false << FormKind::Ipv6Compressed;
    QTest::newRow("path") << "/tmp/sockbench.sock" << Endpoint::unixPath("/tmp/sockbench.sock")
                          << false << FormKind::UnixPath;
    QTest::newRow("@abstract") << "@sockbench" << Endpoint::unixPath(QByteArray("\0sockbench", 10))
                               << false << FormKind::UnixAbstract;
    QTest::newRow("\\0abstract") << R"(\0sockbench)"
                                 << Endpoint::unixPath(QByteArray("\0sockbench", 10)) << false
                                 << FormKind::UnixAbstract;
}

void TestAddressForms::typed()
{
    QFETCH(QString, text);
    QFETCH(Endpoint, endpoint);
    QFETCH(bool, hasPort);
    QFETCH(FormKind, form);

    const auto parsed = parseTyped(text);
    const auto* typed = std::get_if<Typed>(&parsed);
    QVERIFY2(typed, qPrintable(whyNot(parsed)));
    QCOMPARE(typed->endpoint, endpoint);
    QCOMPARE(typed->hasPort, hasPort);
    QCOMPARE(int(typed->form), int(form));
}

void TestAddressForms::refusedWithOneSentence_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("says");

    QTest::newRow("empty") << "   "
                           << "Type an address";
    QTest::newRow("a word") << "hello"
                            << "host name";
    QTest::newRow("localhost") << "localhost:80"
                               << "only the resolver";
    QTest::newRow("octet > 255") << "256.1.1.1"
                                 << "not a valid IPv4 address";
    QTest::newRow("inet_aton shorthand") << "127.1"
                                         << "not a valid IPv4 address";
    QTest::newRow("leading zero") << "010.0.0.1"
                                  << "octal";
    QTest::newRow("hex too big") << "0x1FFFFFFFF"
                                 << "not a valid IPv4 address";
    QTest::newRow("port too big") << "127.0.0.1:99999"
                                  << "out of range";
    QTest::newRow("port a name") << "127.0.0.1:http"
                                 << "not a port number";
    QTest::newRow("colon, no port") << "127.0.0.1:"
                                    << "Nothing follows";
    QTest::newRow("port, no host") << ":4000"
                                   << "no address";
    QTest::newRow("open bracket") << "[::1"
                                  << "never closes";
    QTest::newRow("bad IPv6") << "::gg"
                              << "not a valid IPv6 address";
    QTest::newRow("IPv6 port without brackets") << "::1 port"
                                                << "not a port number";
    QTest::newRow("2 bytes") << R"(b'\x7f\x00')"
                             << "holds 2 bytes";
    QTest::newRow("bad escape") << R"(b'\x7g\x00\x00\x01')"
                                << "two hex digits";
    QTest::newRow("unclosed bytes") << R"(b'\x7f)"
                                    << "never closes";
    QTest::newRow("1-tuple") << "('127.0.0.1')"
                             << "not an address tuple";
    QTest::newRow("IPv4 4-tuple") << "('127.0.0.1', 4000, 0, 0)"
                                  << "is for IPv6";
    QTest::newRow("tuple port") << "('127.0.0.1', 70000)"
                                << "0-65535";
    QTest::newRow("long path") << QStringLiteral("/") + QString(120, QLatin1Char('a'))
                               << "at most 107";
    QTest::newRow("bare @") << "@"
                            << "needs a name";
    QTest::newRow("prefix length") << "127.0.0.1/24"
                                   << "not an address in any form";
    QTest::newRow("three parts") << "1 2 3"
                                 << "too many parts";
    QTest::newRow("unknown scope") << "fe80::1%nosuchif9"
                                   << "names no network interface";
}

void TestAddressForms::refusedWithOneSentence()
{
    QFETCH(QString, text);
    QFETCH(QString, says);

    const auto parsed = parseTyped(text);
    const auto* why = std::get_if<QString>(&parsed);
    QVERIFY2(why, qPrintable(text + QStringLiteral(" was read as ") + readAs(parsed)));
    QVERIFY2(why->contains(says), qPrintable(*why));
    QVERIFY2(why->endsWith(QLatin1Char('.')) && !why->contains(QLatin1Char('\n')),
             qPrintable(*why));
    QVERIFY(why->size() < 240); // a sentence fits next to a field
}

QTEST_GUILESS_MAIN(TestAddressForms)
#include "tst_addressforms.moc"
