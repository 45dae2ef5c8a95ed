// The core's name resolution on its resolver lane: getaddrinfo() with and without filters
// and its gaierror, gethostbyname(), gethostbyaddr() and gethostname(), answered by this
// machine's own resolver. Only loopback names and numeric addresses: a test never sends a
// DNS query off the machine.

#include "testsupport.h"

#include "net/errnocatalog.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace sockbench;
using namespace sockbench::test;

class TestWorkbenchNames : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void getaddrinfoLocalhost();
    void getaddrinfoUnknownHost();
    void gethostbynameAndByaddr();
    void gethostname();
};

void TestWorkbenchNames::getaddrinfoLocalhost()
{
    Workbench bench;
    const Event e = RUN(bench, SocketId{},
                        calls::getaddrinfo(QStringLiteral("localhost"), QStringLiteral("80"),
                                           AddressFamily::Inet4, SOCK_STREAM));
    EXPECT_OK(e);
    QVERIFY(!e.result.addrInfo.isEmpty());
    const AddrInfoEntry& first = e.result.addrInfo.first();
    QCOMPARE(first.family, AF_INET);
    QCOMPARE(first.socketType, SOCK_STREAM);
    QCOMPARE(first.protocol, IPPROTO_TCP);
    QCOMPARE(first.address.toPythonTuple(), QStringLiteral("('127.0.0.1', 80)"));
    // Without filters: every family and type the resolver knows for the name.
    const Event all = RUN(bench, SocketId{},
                          calls::getaddrinfo(QStringLiteral("127.0.0.1"), QStringLiteral("80")));
    EXPECT_OK(all);
    QVERIFY(all.result.addrInfo.size() >= 2); // at least stream and datagram
    const Event named = RUN(
        bench, SocketId{}, calls::getaddrinfo(QStringLiteral("127.0.0.1"), QStringLiteral("http")));
    EXPECT_OK(named); // a service name from /etc/services
    QCOMPARE(named.result.addrInfo.first().address.port(), 80);
    for (const auto& entry : all.result.addrInfo)
        QCOMPARE(entry.address.port(), 80);
    QVERIFY(!e.socket.isValid());
    QCOMPARE(e.lane, LaneKind::Resolver);
}

void TestWorkbenchNames::getaddrinfoUnknownHost()
{
    // A malformed numeric address: refused by the resolver itself. (Tests never ask for an
    // unknown name: that would send a DNS query off the machine.)
    Workbench bench;
    const Event e = RUN(bench, SocketId{},
                        calls::getaddrinfo(QStringLiteral("300.1.2.3"), QStringLiteral("80")));
    QCOMPARE(e.result.outcome, Outcome::Error);
    QCOMPARE(e.result.errorDomain, ErrorDomain::AddrInfo);
    QCOMPARE(e.result.errorName(), QStringLiteral("EAI_NONAME"));
    QCOMPARE(errnocatalog::pythonException(e.result.errorDomain, e.result.errorNumber),
             QStringLiteral("socket.gaierror"));
    // inet_aton's shorthand is a valid address, as in Python.
    const Event shorthand = RUN(bench, SocketId{},
                                calls::getaddrinfo(QStringLiteral("127.1"), QStringLiteral("80"),
                                                   AddressFamily::Inet4, SOCK_STREAM));
    EXPECT_OK(shorthand);
    QCOMPARE(shorthand.result.addrInfo.first().address.dotted(), QStringLiteral("127.0.0.1"));
}

void TestWorkbenchNames::gethostbynameAndByaddr()
{
    Workbench bench;
    const Event byName = RUN(bench, SocketId{}, calls::gethostbyname(QStringLiteral("localhost")));
    EXPECT_OK(byName);
    QCOMPARE(byName.result.text, QStringLiteral("127.0.0.1")); // one IPv4 string, not a triple
    const Event byAddr = RUN(bench, SocketId{}, calls::gethostbyaddr(QStringLiteral("127.0.0.1")));
    EXPECT_OK(byAddr);
    QVERIFY(!byAddr.result.hostEntry.name.isEmpty()); // the triple: name, aliases, addresses
    QVERIFY(byAddr.result.hostEntry.addresses.contains(QStringLiteral("127.0.0.1")));
}

void TestWorkbenchNames::gethostname()
{
    Workbench bench;
    const Event e = RUN(bench, SocketId{}, calls::gethostname());
    EXPECT_OK(e);
    char name[256] = {};
    ::gethostname(name, sizeof name - 1);
    QCOMPARE(e.result.text, QString::fromUtf8(name));
}

QTEST_GUILESS_MAIN(TestWorkbenchNames)
#include "tst_workbench_names.moc"
