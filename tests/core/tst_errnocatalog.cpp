// The errno catalogue: names, the C library's texts and the exception Python raises, for the
// three kinds of error number a socket program meets (errno, EAI_*, h_errno).

#include "net/errnocatalog.h"

#include <QtTest>

#include <cerrno>
#include <clocale>
#include <cstring>
#include <netdb.h>

using namespace sockbench;
using namespace sockbench::errnocatalog;

class TestErrnoCatalog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void errnos_data();
    void errnos();
    void addrInfoCodes_data();
    void addrInfoCodes();
    void hostLookupCodes_data();
    void hostLookupCodes();
    void unknownNumbers();
    void everyErrnoNameRoundTrips();
    void resolverNamesRoundTrip();
    void aliases_data();
    void aliases();
    void lookupIgnoresCase_data();
    void lookupIgnoresCase();
    void unknownNames_data();
    void unknownNames();
};

void TestErrnoCatalog::initTestCase()
{
    // The texts below are the C locale's; QCoreApplication adopted the environment's.
    QVERIFY(std::setlocale(LC_ALL, "C"));
}

void TestErrnoCatalog::errnos_data()
{
    QTest::addColumn<int>("number");
    QTest::addColumn<int>("linuxNumber"); // what Python's errno module shows on Linux
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("exception");

    // The ones the course meets.
    QTest::newRow("EADDRINUSE") << EADDRINUSE << 98 << "EADDRINUSE"
                                << "Address already in use"
                                << "OSError";
    QTest::newRow("ECONNREFUSED") << ECONNREFUSED << 111 << "ECONNREFUSED"
                                  << "Connection refused"
                                  << "ConnectionRefusedError";
    QTest::newRow("ECONNRESET") << ECONNRESET << 104 << "ECONNRESET"
                                << "Connection reset by peer"
                                << "ConnectionResetError";
    QTest::newRow("EPIPE") << EPIPE << 32 << "EPIPE"
                           << "Broken pipe"
                           << "BrokenPipeError";
    QTest::newRow("EAGAIN") << EAGAIN << 11 << "EAGAIN"
                            << "Resource temporarily unavailable"
                            << "BlockingIOError";
    QTest::newRow("EINPROGRESS") << EINPROGRESS << 115 << "EINPROGRESS"
                                 << "Operation now in progress"
                                 << "BlockingIOError";
    QTest::newRow("EACCES") << EACCES << 13 << "EACCES"
                            << "Permission denied"
                            << "PermissionError";
    QTest::newRow("ETIMEDOUT") << ETIMEDOUT << 110 << "ETIMEDOUT"
                               << "Connection timed out"
                               << "TimeoutError";
    QTest::newRow("EINVAL") << EINVAL << 22 << "EINVAL"
                            << "Invalid argument"
                            << "OSError";
    QTest::newRow("EBADF") << EBADF << 9 << "EBADF"
                           << "Bad file descriptor"
                           << "OSError";
    QTest::newRow("EADDRNOTAVAIL") << EADDRNOTAVAIL << 99 << "EADDRNOTAVAIL"
                                   << "Cannot assign requested address"
                                   << "OSError";
    QTest::newRow("ENOTCONN") << ENOTCONN << 107 << "ENOTCONN"
                              << "Transport endpoint is not connected"
                              << "OSError";
    QTest::newRow("EISCONN") << EISCONN << 106 << "EISCONN"
                             << "Transport endpoint is already connected"
                             << "OSError";
    QTest::newRow("EMSGSIZE") << EMSGSIZE << 90 << "EMSGSIZE"
                              << "Message too long"
                              << "OSError";
    QTest::newRow("ENOTSOCK") << ENOTSOCK << 88 << "ENOTSOCK"
                              << "Socket operation on non-socket"
                              << "OSError";
    QTest::newRow("EHOSTUNREACH") << EHOSTUNREACH << 113 << "EHOSTUNREACH"
                                  << "No route to host"
                                  << "OSError";
    QTest::newRow("ENETUNREACH") << ENETUNREACH << 101 << "ENETUNREACH"
                                 << "Network is unreachable"
                                 << "OSError";
    QTest::newRow("EAFNOSUPPORT") << EAFNOSUPPORT << 97 << "EAFNOSUPPORT"
                                  << "Address family not supported by protocol"
                                  << "OSError";
    QTest::newRow("EOPNOTSUPP") << EOPNOTSUPP << 95 << "EOPNOTSUPP"
                                << "Operation not supported"
                                << "OSError";
    QTest::newRow("EMFILE") << EMFILE << 24 << "EMFILE"
                            << "Too many open files"
                            << "OSError";
    // Every other errno with its own OSError subclass (PEP 3151, as CPython maps them).
    QTest::newRow("EALREADY") << EALREADY << 114 << "EALREADY"
                              << "Operation already in progress"
                              << "BlockingIOError";
    QTest::newRow("ESHUTDOWN") << ESHUTDOWN << 108 << "ESHUTDOWN"
                               << "Cannot send after transport endpoint shutdown"
                               << "BrokenPipeError";
    QTest::newRow("ECONNABORTED") << ECONNABORTED << 103 << "ECONNABORTED"
                                  << "Software caused connection abort"
                                  << "ConnectionAbortedError";
    QTest::newRow("EEXIST") << EEXIST << 17 << "EEXIST"
                            << "File exists"
                            << "FileExistsError";
    QTest::newRow("ENOENT") << ENOENT << 2 << "ENOENT"
                            << "No such file or directory"
                            << "FileNotFoundError";
    QTest::newRow("EISDIR") << EISDIR << 21 << "EISDIR"
                            << "Is a directory"
                            << "IsADirectoryError";
    QTest::newRow("ENOTDIR") << ENOTDIR << 20 << "ENOTDIR"
                             << "Not a directory"
                             << "NotADirectoryError";
    QTest::newRow("EINTR") << EINTR << 4 << "EINTR"
                           << "Interrupted system call"
                           << "InterruptedError";
    QTest::newRow("EPERM") << EPERM << 1 << "EPERM"
                           << "Operation not permitted"
                           << "PermissionError";
    QTest::newRow("ECHILD") << ECHILD << 10 << "ECHILD"
                            << "No child processes"
                            << "ChildProcessError";
    QTest::newRow("ESRCH") << ESRCH << 3 << "ESRCH"
                           << "No such process"
                           << "ProcessLookupError";
}

void TestErrnoCatalog::errnos()
{
    QFETCH(int, number);
    QFETCH(int, linuxNumber);
    QFETCH(QString, name);
    QFETCH(QString, text);
    QFETCH(QString, exception);
    QCOMPARE(number, linuxNumber);
    QCOMPARE(errnocatalog::name(ErrorDomain::Errno, number), name);
    QCOMPARE(description(ErrorDomain::Errno, number), text);
    QCOMPARE(description(ErrorDomain::Errno, number),
             QString::fromLocal8Bit(std::strerror(number)));
    QCOMPARE(pythonException(ErrorDomain::Errno, number), exception);
    const auto found = lookup(name);
    QVERIFY(found);
    QCOMPARE(found->domain, ErrorDomain::Errno);
    QCOMPARE(found->number, number);
}

void TestErrnoCatalog::addrInfoCodes_data()
{
    QTest::addColumn<int>("number");
    QTest::addColumn<int>("glibcNumber"); // negative, as Python's socket.gaierror shows it
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("text");

    QTest::newRow("EAI_BADFLAGS") << EAI_BADFLAGS << -1 << "EAI_BADFLAGS"
                                  << "Bad value for ai_flags";
    QTest::newRow("EAI_NONAME") << EAI_NONAME << -2 << "EAI_NONAME"
                                << "Name or service not known";
    QTest::newRow("EAI_AGAIN") << EAI_AGAIN << -3 << "EAI_AGAIN"
                               << "Temporary failure in name resolution";
    QTest::newRow("EAI_FAIL") << EAI_FAIL << -4 << "EAI_FAIL"
                              << "Non-recoverable failure in name resolution";
    QTest::newRow("EAI_NODATA") << EAI_NODATA << -5 << "EAI_NODATA"
                                << "No address associated with hostname";
    QTest::newRow("EAI_FAMILY") << EAI_FAMILY << -6 << "EAI_FAMILY"
                                << "ai_family not supported";
    QTest::newRow("EAI_SOCKTYPE") << EAI_SOCKTYPE << -7 << "EAI_SOCKTYPE"
                                  << "ai_socktype not supported";
    QTest::newRow("EAI_SERVICE") << EAI_SERVICE << -8 << "EAI_SERVICE"
                                 << "Servname not supported for ai_socktype";
    QTest::newRow("EAI_ADDRFAMILY") << EAI_ADDRFAMILY << -9 << "EAI_ADDRFAMILY"
                                    << "Address family for hostname not supported";
    QTest::newRow("EAI_MEMORY") << EAI_MEMORY << -10 << "EAI_MEMORY"
                                << "Memory allocation failure";
    QTest::newRow("EAI_SYSTEM") << EAI_SYSTEM << -11 << "EAI_SYSTEM"
                                << "System error";
    // glibc's gai_strerror() has no text of its own for this one.
    QTest::newRow("EAI_OVERFLOW") << EAI_OVERFLOW << -12 << "EAI_OVERFLOW"
                                  << "Unknown error";
}

void TestErrnoCatalog::addrInfoCodes()
{
    QFETCH(int, number);
    QFETCH(int, glibcNumber);
    QFETCH(QString, name);
    QFETCH(QString, text);
    QCOMPARE(number, glibcNumber);
    QCOMPARE(errnocatalog::name(ErrorDomain::AddrInfo, number), name);
    QCOMPARE(description(ErrorDomain::AddrInfo, number), text);
    QCOMPARE(description(ErrorDomain::AddrInfo, number),
             QString::fromLocal8Bit(::gai_strerror(number)));
    QCOMPARE(pythonException(ErrorDomain::AddrInfo, number), QStringLiteral("socket.gaierror"));
    const auto found = lookup(name);
    QVERIFY(found);
    QCOMPARE(found->domain, ErrorDomain::AddrInfo);
    QCOMPARE(found->number, number);
}

void TestErrnoCatalog::hostLookupCodes_data()
{
    QTest::addColumn<int>("number");
    QTest::addColumn<int>("glibcNumber");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("text");
    QTest::newRow("HOST_NOT_FOUND") << HOST_NOT_FOUND << 1 << "HOST_NOT_FOUND"
                                    << "Unknown host";
    QTest::newRow("TRY_AGAIN") << TRY_AGAIN << 2 << "TRY_AGAIN"
                               << "Host name lookup failure";
    QTest::newRow("NO_RECOVERY") << NO_RECOVERY << 3 << "NO_RECOVERY"
                                 << "Unknown server error";
    QTest::newRow("NO_DATA") << NO_DATA << 4 << "NO_DATA"
                             << "No address associated with name";
}

void TestErrnoCatalog::hostLookupCodes()
{
    QFETCH(int, number);
    QFETCH(int, glibcNumber);
    QFETCH(QString, name);
    QFETCH(QString, text);
    QCOMPARE(number, glibcNumber);
    QCOMPARE(errnocatalog::name(ErrorDomain::HostLookup, number), name);
    QCOMPARE(description(ErrorDomain::HostLookup, number), text);
    QCOMPARE(description(ErrorDomain::HostLookup, number),
             QString::fromLocal8Bit(::hstrerror(number)));
    QCOMPARE(pythonException(ErrorDomain::HostLookup, number), QStringLiteral("socket.herror"));
    const auto found = lookup(name);
    QVERIFY(found);
    QCOMPARE(found->domain, ErrorDomain::HostLookup);
    QCOMPARE(found->number, number);
}

void TestErrnoCatalog::unknownNumbers()
{
    // A number no table knows still gets a name, the C library's text and a plain OSError.
    QCOMPARE(name(ErrorDomain::Errno, 9999), QStringLiteral("E9999"));
    QCOMPARE(description(ErrorDomain::Errno, 9999), QStringLiteral("Unknown error 9999"));
    QCOMPARE(pythonException(ErrorDomain::Errno, 9999), QStringLiteral("OSError"));
    QCOMPARE(description(ErrorDomain::AddrInfo, -99), QString::fromLocal8Bit(::gai_strerror(-99)));
    QCOMPARE(pythonException(ErrorDomain::AddrInfo, -99), QStringLiteral("socket.gaierror"));
    // h_errno's NETDB_INTERNAL: hstrerror()'s text, as socket.herror carries it.
    QCOMPARE(description(ErrorDomain::HostLookup, NETDB_INTERNAL),
             QStringLiteral("Resolver internal error"));
    QCOMPARE(description(ErrorDomain::HostLookup, 99), QStringLiteral("Unknown resolver error"));
    QCOMPARE(pythonException(ErrorDomain::HostLookup, 99), QStringLiteral("socket.herror"));
}

void TestErrnoCatalog::everyErrnoNameRoundTrips()
{
    const QStringList names = allErrnoNames();
    // Linux numbers its errnos 1-133 with two gaps (41 and 58).
    QVERIFY2(names.size() >= 131, qPrintable(QString::number(names.size())));
    QCOMPARE(QSet<QString>(names.begin(), names.end()).size(), names.size());
    QVERIFY(names.contains(QStringLiteral("EPERM")));
    QVERIFY(names.contains(QStringLiteral("EADDRINUSE")));
    QVERIFY(names.contains(QStringLiteral("EHWPOISON")));
    // Aliases are not separate errnos.
    QVERIFY(!names.contains(QStringLiteral("EWOULDBLOCK")));
    QVERIFY(!names.contains(QStringLiteral("EDEADLOCK")));
    QVERIFY(!names.contains(QStringLiteral("ENOTSUP")));

    int previous = 0;
    for (const QString& name : names) {
        const auto found = lookup(name);
        QVERIFY2(found, qPrintable(name));
        QCOMPARE(found->domain, ErrorDomain::Errno);
        QVERIFY2(found->number > previous, qPrintable(name)); // listed in number order
        previous = found->number;
        QCOMPARE(errnocatalog::name(ErrorDomain::Errno, found->number), name);
        QCOMPARE(QString::fromLatin1(::strerrorname_np(found->number)), name);
        QCOMPARE(description(ErrorDomain::Errno, found->number),
                 QString::fromLocal8Bit(std::strerror(found->number)));
    }
    QCOMPARE(lookup(QStringLiteral("EHWPOISON"))->number, EHWPOISON);
}

void TestErrnoCatalog::resolverNamesRoundTrip()
{
    for (int number = -12; number <= -1; ++number) {
        const QString n = name(ErrorDomain::AddrInfo, number);
        QVERIFY2(n.startsWith(QStringLiteral("EAI_")), qPrintable(n));
        const auto found = lookup(n);
        QVERIFY2(found, qPrintable(n));
        QCOMPARE(found->domain, ErrorDomain::AddrInfo);
        QCOMPARE(found->number, number);
    }
    for (int number = 1; number <= 4; ++number) {
        const QString n = name(ErrorDomain::HostLookup, number);
        const auto found = lookup(n);
        QVERIFY2(found, qPrintable(n));
        QCOMPARE(found->domain, ErrorDomain::HostLookup);
        QCOMPARE(found->number, number);
    }
}

void TestErrnoCatalog::aliases_data()
{
    QTest::addColumn<QString>("alias");
    QTest::addColumn<int>("number");
    QTest::addColumn<QString>("name"); // the name the number is shown with
    QTest::newRow("EWOULDBLOCK") << "EWOULDBLOCK" << 11 << "EAGAIN";
    QTest::newRow("EDEADLOCK") << "EDEADLOCK" << 35 << "EDEADLK";
    QTest::newRow("ENOTSUP") << "ENOTSUP" << 95 << "EOPNOTSUPP";
}

void TestErrnoCatalog::aliases()
{
    QFETCH(QString, alias);
    QFETCH(int, number);
    QFETCH(QString, name);
    const auto found = lookup(alias);
    QVERIFY(found);
    QCOMPARE(found->domain, ErrorDomain::Errno);
    QCOMPARE(found->number, number);
    QCOMPARE(errnocatalog::name(ErrorDomain::Errno, number), name);
    QCOMPARE(lookup(name)->number, number);
    QCOMPARE(lookup(alias.toLower())->number, number);
}

void TestErrnoCatalog::lookupIgnoresCase_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<ErrorDomain>("domain");
    QTest::addColumn<int>("number");
    QTest::newRow("lower") << "eaddrinuse" << ErrorDomain::Errno << 98;
    QTest::newRow("mixed") << "EconnRefused" << ErrorDomain::Errno << 111;
    QTest::newRow("spaces") << "  EPIPE\t" << ErrorDomain::Errno << 32;
    QTest::newRow("alias lower") << "ewouldblock" << ErrorDomain::Errno << 11;
    QTest::newRow("gai lower") << "eai_noname" << ErrorDomain::AddrInfo << -2;
    QTest::newRow("gai mixed") << "Eai_Again" << ErrorDomain::AddrInfo << -3;
    QTest::newRow("h_errno lower") << "host_not_found" << ErrorDomain::HostLookup << 1;
}

void TestErrnoCatalog::lookupIgnoresCase()
{
    QFETCH(QString, text);
    QFETCH(ErrorDomain, domain);
    QFETCH(int, number);
    const auto found = lookup(text);
    QVERIFY(found);
    QCOMPARE(found->domain, domain);
    QCOMPARE(found->number, number);
}

void TestErrnoCatalog::unknownNames_data()
{
    QTest::addColumn<QString>("text");
    for (const char* text : {"", " ", "EFOO", "EADDRINUSEX", "ADDRINUSE", "E98", "98", "EAI_FOO",
                             "EAI_", "HOST", "NO_ADDRESS_AT_ALL", "E", "EAI_-2", "ÉPERM"})
        QTest::addRow("'%s'", text) << QString::fromUtf8(text);
}

void TestErrnoCatalog::unknownNames()
{
    QFETCH(QString, text);
    QVERIFY(!lookup(text));
}

QTEST_GUILESS_MAIN(TestErrnoCatalog)
#include "tst_errnocatalog.moc"
