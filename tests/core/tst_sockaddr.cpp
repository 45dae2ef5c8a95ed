// Endpoint to and from sockaddr: every family's round trip, the native layout, what cannot
// be used, and the kernel's own answers where it has a say (an empty Unix path autobinds).

#include "endpointsupport.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <optional>

using namespace sockbench;
using namespace sockbench::endpointtest;

namespace {

constexpr socklen_t kUnixPathOffset = offsetof(sockaddr_un, sun_path);

// Closes a descriptor the test opened, whatever way the test function leaves.
struct Fd {
    int fd;
    explicit Fd(int value)
        : fd(value)
    {
    }
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
};

std::optional<Endpoint> localAddress(int fd)
{
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0)
        return std::nullopt;
    return Endpoint::fromSockaddr(reinterpret_cast<const sockaddr*>(&storage), length);
}

} // namespace

class TestSockaddr : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sockaddrRoundTrip_data();
    void sockaddrRoundTrip();
    void sockaddrNativeLayout();
    void sockaddrUnusable_data();
    void sockaddrUnusable();
    void fromSockaddrRejects();
    void kernelAgreesInet();
    void emptyUnixPathAutobinds();
};

void TestSockaddr::sockaddrRoundTrip_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<int>("length");
    const int in4 = sizeof(sockaddr_in);
    const int in6 = sizeof(sockaddr_in6);
    const int un = kUnixPathOffset;

    QTest::newRow("v4") << v4("127.0.0.1", 4000) << in4;
    QTest::newRow("v4 any port 0") << v4("0.0.0.0", 0) << in4;
    QTest::newRow("v4 top") << v4("255.255.255.255", 65535) << in4;
    QTest::newRow("v6 loopback") << v6("::1", 4000) << in6;
    QTest::newRow("v6 mapped") << v6("::ffff:127.0.0.1", 80) << in6;
    QTest::newRow("v6 flow and scope") << v6("fe80::1", 4000, 0x12345, 1) << in6;
    QTest::newRow("v6 widest flow, any scope") << v6("2001:db8::1", 65535, 0xFFFFF, 7) << in6;
    QTest::newRow("unix path") << Endpoint::unixPath("/tmp/x") << un + 6 + 1;
    QTest::newRow("unix path 107 bytes")
        << Endpoint::unixPath('/' + QByteArray(106, 'p')) << un + 107 + 1;
    QTest::newRow("unix abstract") << Endpoint::unixPath(QByteArray("\0name", 5)) << un + 5;
    QTest::newRow("unix abstract, NULs inside")
        << Endpoint::unixPath(QByteArray("\0a\0b\0", 5)) << un + 5;
    QTest::newRow("unix abstract 108 bytes")
        << Endpoint::unixPath(QByteArray(1, '\0') + QByteArray(107, 'a')) << un + 108;
    QTest::newRow("unix unnamed") << Endpoint::unixPath({}) << un;
}

void TestSockaddr::sockaddrRoundTrip()
{
    QFETCH(Endpoint, endpoint);
    QFETCH(int, length);
    sockaddr_storage storage{};
    const socklen_t got = endpoint.toSockaddr(storage);
    QCOMPARE(int(got), length);
    QCOMPARE(int(storage.ss_family), toNativeFamily(endpoint.family()));
    const auto back = Endpoint::fromSockaddr(reinterpret_cast<const sockaddr*>(&storage), got);
    QVERIFY(back);
    QCOMPARE(back->toString(), endpoint.toString());
    QCOMPARE(*back, endpoint);
}

void TestSockaddr::sockaddrNativeLayout()
{
    sockaddr_storage storage{};
    QCOMPARE(int(v4("127.0.0.1", 4000).toSockaddr(storage)), int(sizeof(sockaddr_in)));
    sockaddr_in in{};
    std::memcpy(&in, &storage, sizeof in);
    QCOMPARE(in.sin_family, sa_family_t(AF_INET));
    QCOMPARE(in.sin_port, htons(4000));
    QCOMPARE(in.sin_addr.s_addr, htonl(0x7F000001));

    QCOMPARE(int(v6("fe80::1", 4000, 0x12345, 7).toSockaddr(storage)), int(sizeof(sockaddr_in6)));
    sockaddr_in6 in6{};
    std::memcpy(&in6, &storage, sizeof in6);
    QCOMPARE(in6.sin6_family, sa_family_t(AF_INET6));
    QCOMPARE(in6.sin6_port, htons(4000));
    QCOMPARE(in6.sin6_flowinfo, htonl(0x12345));
    QCOMPARE(in6.sin6_scope_id, 7u);
    QCOMPARE(std::memcmp(&in6.sin6_addr, v6Bytes("fe80::1").data(), 16), 0);

    QCOMPARE(int(Endpoint::unixPath("/tmp/x").toSockaddr(storage)), int(kUnixPathOffset) + 7);
    sockaddr_un un{};
    std::memcpy(&un, &storage, sizeof un);
    QCOMPARE(un.sun_family, sa_family_t(AF_UNIX));
    QCOMPARE(QByteArray(un.sun_path), QByteArray("/tmp/x"));
}

void TestSockaddr::sockaddrUnusable_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::newRow("unix path 108 bytes") << Endpoint::unixPath('/' + QByteArray(107, 'p'));
    QTest::newRow("unix path 200 bytes") << Endpoint::unixPath('/' + QByteArray(199, 'p'));
    QTest::newRow("unix abstract 109 bytes")
        << Endpoint::unixPath(QByteArray(1, '\0') + QByteArray(108, 'a'));
    QTest::newRow("unspecified") << Endpoint();
}

void TestSockaddr::sockaddrUnusable()
{
    QFETCH(Endpoint, endpoint);
    sockaddr_storage storage{};
    QCOMPARE(int(endpoint.toSockaddr(storage)), 0);
}

void TestSockaddr::fromSockaddrRejects()
{
    QVERIFY(!Endpoint::fromSockaddr(nullptr, sizeof(sockaddr_in)));

    sockaddr_storage storage{};
    v4("127.0.0.1", 80).toSockaddr(storage);
    const auto* raw = reinterpret_cast<const sockaddr*>(&storage);
    QVERIFY(!Endpoint::fromSockaddr(raw, sizeof(sockaddr_in) - 1));
    QVERIFY(!Endpoint::fromSockaddr(raw, 1));
    QVERIFY(Endpoint::fromSockaddr(raw, sizeof(sockaddr_in)));

    v6("::1", 80).toSockaddr(storage);
    QVERIFY(!Endpoint::fromSockaddr(raw, sizeof(sockaddr_in6) - 1));
    QVERIFY(Endpoint::fromSockaddr(raw, sizeof(sockaddr_in6)));

    storage.ss_family = AF_APPLETALK; // a family the workbench does not speak
    QVERIFY(!Endpoint::fromSockaddr(raw, sizeof storage));
}

void TestSockaddr::kernelAgreesInet()
{
    // Bind port 0 through toSockaddr(), read the kernel's answer back through fromSockaddr().
    for (const Endpoint& wanted : {v4("127.0.0.1", 0), v6("::1", 0)}) {
        Fd s(::socket(toNativeFamily(wanted.family()), SOCK_DGRAM | SOCK_CLOEXEC, 0));
        QVERIFY2(s.fd >= 0, std::strerror(errno));
        sockaddr_storage storage{};
        const socklen_t length = wanted.toSockaddr(storage);
        const int rc = ::bind(s.fd, reinterpret_cast<const sockaddr*>(&storage), length);
        const int error = errno;
        QVERIFY2(rc == 0, std::strerror(error));
        const auto bound = localAddress(s.fd);
        QVERIFY(bound);
        QCOMPARE(bound->family(), wanted.family());
        QCOMPARE(bound->host(), wanted.host());
        QVERIFY(bound->port() != 0);
        Endpoint expected = wanted;
        expected.setPort(bound->port());
        QCOMPARE(*bound, expected);
    }
}

void TestSockaddr::emptyUnixPathAutobinds()
{
    // Python's bind('') on AF_UNIX: the kernel picks a fresh abstract name for each socket
    // (Linux 6: "\0" and five hex digits), so two sockets alive together never collide.
    Fd first(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    Fd second(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    QVERIFY2(first.fd >= 0 && second.fd >= 0, std::strerror(errno));
    QList<Endpoint> names;
    for (const Fd* s : {&first, &second}) {
        // Before bind: the unnamed address, which fromSockaddr() reads back as such.
        const auto unnamed = localAddress(s->fd);
        QVERIFY(unnamed);
        QCOMPARE(*unnamed, Endpoint::unixPath({}));
        sockaddr_storage storage{};
        const socklen_t length = Endpoint::unixPath({}).toSockaddr(storage);
        QCOMPARE(length, kUnixPathOffset);
        const int rc = ::bind(s->fd, reinterpret_cast<const sockaddr*>(&storage), length);
        const int error = errno;
        QVERIFY2(rc == 0, std::strerror(error));
        socklen_t named = sizeof storage; // its length too is the kernel's to choose
        QCOMPARE(::getsockname(s->fd, reinterpret_cast<sockaddr*>(&storage), &named), 0);
        const auto bound = Endpoint::fromSockaddr(reinterpret_cast<sockaddr*>(&storage), named);
        QVERIFY(bound && bound->isAbstract());
        QCOMPARE(bound->path().size(), qsizetype(named - kUnixPathOffset));
        QVERIFY(bound->toString().startsWith(u'@'));
        names << *bound;
    }
    QVERIFY(!(names[0] == names[1]));
}

QTEST_GUILESS_MAIN(TestSockaddr)
#include "tst_sockaddr.moc"
