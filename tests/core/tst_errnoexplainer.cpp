// The errno explainer: every error a workbench call can end with has teaching text (what it
// means, what usually causes it, what to try), and the errors real calls provoke on
// loopback get theirs through explain(CallResult).

#include "testsupport.h"

#include "net/errnoexplainer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cerrno>

using namespace sockbench;
using namespace sockbench::test;

namespace {

// What each call can return on Linux, from the ERRORS sections of the man pages
// (man-pages 6.x: socket(2), bind(2), listen(2), accept(2), connect(2), send(2), recv(2),
// shutdown(2), close(2), getsockopt(2), getsockname(2), getpeername(2)), with what ip(7),
// tcp(7), udp(7) and unix(7) add for these calls, and the network errors accept(2) says
// Linux passes on from the new connection.
struct CallErrors {
    const char* call;
    QStringList names;
};

const QList<CallErrors>& manPageErrors()
{
    static const QList<CallErrors> table = {
        {"socket(2)",
         {"EACCES", "EAFNOSUPPORT", "EINVAL", "EMFILE", "ENFILE", "ENOBUFS", "ENOMEM",
          "EPROTONOSUPPORT"}},
        {"bind(2)",
         {"EACCES", "EADDRINUSE", "EBADF", "EINVAL", "ENOTSOCK", "EADDRNOTAVAIL", "EFAULT", "ELOOP",
          "ENAMETOOLONG", "ENOENT", "ENOMEM", "ENOTDIR", "EROFS"}},
        {"listen(2)", {"EADDRINUSE", "EBADF", "ENOTSOCK", "EOPNOTSUPP"}},
        {"accept(2)",
         {"EAGAIN", "EWOULDBLOCK", "EBADF", "ECONNABORTED", "EFAULT", "EINTR", "EINVAL", "EMFILE",
          "ENFILE", "ENOBUFS", "ENOMEM", "ENOTSOCK", "EOPNOTSUPP", "EPERM", "EPROTO",
          // "Linux accept() passes already-pending network errors on the new socket":
          "ENETDOWN", "ENOPROTOOPT", "EHOSTDOWN", "ENONET", "EHOSTUNREACH", "ENETUNREACH",
          "ESOCKTNOSUPPORT", "EPROTONOSUPPORT", "ETIMEDOUT"}},
        {"connect(2)",
         {"EACCES", "EPERM", "EADDRINUSE", "EADDRNOTAVAIL", "EAFNOSUPPORT", "EAGAIN", "EALREADY",
          "EBADF", "ECONNREFUSED", "EFAULT", "EINPROGRESS", "EINTR", "EISCONN", "ENETUNREACH",
          "ENOTSOCK", "EPROTOTYPE", "ETIMEDOUT"}},
        {"send(2)",
         {"EACCES", "EAGAIN", "EWOULDBLOCK", "EALREADY", "EBADF", "ECONNRESET", "EDESTADDRREQ",
          "EFAULT", "EINTR", "EINVAL", "EISCONN", "EMSGSIZE", "ENOBUFS", "ENOMEM", "ENOTCONN",
          "ENOTSOCK", "EOPNOTSUPP", "EPIPE"}},
        {"recv(2)",
         {"EAGAIN", "EWOULDBLOCK", "EBADF", "ECONNREFUSED", "EFAULT", "EINTR", "EINVAL", "ENOMEM",
          "ENOTCONN", "ENOTSOCK"}},
        {"shutdown(2)", {"EBADF", "EINVAL", "ENOTCONN", "ENOTSOCK"}},
        {"close(2)", {"EBADF", "EINTR", "EIO", "ENOSPC", "EDQUOT"}},
        {"getsockopt(2)/setsockopt(2)", {"EBADF", "EFAULT", "EINVAL", "ENOPROTOOPT", "ENOTSOCK"}},
        {"getsockname(2)", {"EBADF", "EFAULT", "EINVAL", "ENOBUFS", "ENOTSOCK"}},
        {"getpeername(2)", {"EBADF", "EFAULT", "EINVAL", "ENOBUFS", "ENOTCONN", "ENOTSOCK"}},
        {"ip(7)",
         {"EACCES", "EADDRINUSE", "EADDRNOTAVAIL", "EAGAIN", "EALREADY", "ECONNABORTED",
          "EHOSTUNREACH", "EINVAL", "EISCONN", "EMSGSIZE", "ENOBUFS", "ENOMEM", "ENOENT", "ENOPKG",
          "ENOPROTOOPT", "ENOTCONN", "EPERM", "EPIPE", "ESOCKTNOSUPPORT", "ETIMEDOUT",
          // ICMP errors a socket reports (IP_RECVERR off: the common ones):
          "ENETUNREACH", "ECONNREFUSED"}},
        {"tcp(7)",
         {"EAFNOSUPPORT", "EPIPE", "ETIMEDOUT", "ECONNRESET", "EINVAL", "EISCONN", "ENOPROTOOPT",
          "EOPNOTSUPP"}},
        {"udp(7)", {"ECONNREFUSED", "EMSGSIZE", "EAGAIN", "EDESTADDRREQ"}},
        {"unix(7)",
         {"EADDRINUSE",      "EBADF",        "ECONNREFUSED", "ECONNRESET",      "EFAULT",
          "EINVAL",          "EISCONN",      "ENOENT",       "ENOMEM",          "ENOTCONN",
          "EOPNOTSUPP",      "EPERM",        "EPIPE",        "EPROTONOSUPPORT", "EPROTOTYPE",
          "ESOCKTNOSUPPORT", "ETOOMANYREFS", "ELOOP",        "ENAMETOOLONG",    "ENOTDIR",
          "EACCES",          "EROFS"}},
    };
    return table;
}

// Every getaddrinfo() code (Python's socket.gaierror) and gethostbyaddr() h_errno code
// (socket.herror) that errnocatalog names.
const QStringList kResolverNames = {
    "EAI_AGAIN",      "EAI_BADFLAGS", "EAI_FAIL",    "EAI_FAMILY",   "EAI_MEMORY", "EAI_NONAME",
    "EAI_SERVICE",    "EAI_SOCKTYPE", "EAI_SYSTEM",  "EAI_OVERFLOW", "EAI_NODATA", "EAI_ADDRFAMILY",
    "HOST_NOT_FOUND", "TRY_AGAIN",    "NO_RECOVERY", "NO_DATA",
};

// The outcomes that are not error numbers: CallResult::errorName() for each.
const QStringList kOutcomeNames = {"timeout", "interrupted", "invalid"};

void checkComplete(const std::optional<errnoexplainer::Explanation>& e, const QString& name)
{
    QVERIFY2(e, qPrintable(QStringLiteral("no explanation for %1").arg(name)));
    QVERIFY2(!e->name.isEmpty() && !e->meaning.isEmpty() && !e->causes.isEmpty() &&
                 !e->tryThis.isEmpty(),
             qPrintable(QStringLiteral("explanation of %1 has an empty field").arg(name)));
}

// The explanation a result gets, checked complete and named as the result names itself.
#define EXPECT_EXPLAINED(event)                                                                    \
    do {                                                                                           \
        const auto& r_ = (event).result;                                                           \
        QVERIFY2(!r_.ok(),                                                                         \
                 qPrintable(callName((event).request.kind) + QStringLiteral(" succeeded")));       \
        const auto e_ = errnoexplainer::explain(r_);                                               \
        checkComplete(e_, r_.errorName());                                                         \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
        QCOMPARE(e_->name, r_.errorName());                                                        \
    } while (false)

// Everything wrong with the entries of an explanations file, one line each: a name that is
// no error (or an alias of one: entries are keyed by the name the catalogue reports, so an
// alias can never hide an entry), and a field that is missing or blank.
QStringList resourceProblems(const QJsonObject& root)
{
    QStringList problems;
    for (auto it = root.begin(); it != root.end(); ++it) {
        const QString name = it.key();
        if (!kOutcomeNames.contains(name)) {
            const auto known = errnocatalog::lookup(name);
            if (!known) {
                problems << QStringLiteral("%1 is not an error name").arg(name);
            } else if (const QString canonical = errnocatalog::name(known->domain, known->number);
                       canonical != name) {
                problems << QStringLiteral("%1 is an alias: use %2").arg(name, canonical);
            }
        }
        if (!it.value().isObject()) {
            problems << QStringLiteral("%1 is not an object").arg(name);
            continue;
        }
        const QJsonObject entry = it.value().toObject();
        for (const char* field : {"meaning", "causes", "try"}) {
            const QJsonValue value = entry.value(QLatin1String(field));
            if (!value.isString() || value.toString().trimmed().isEmpty())
                problems << QStringLiteral("%1 has no \"%2\"").arg(name, QLatin1String(field));
        }
        if (entry.size() != 3)
            problems << QStringLiteral("%1 has fields besides meaning, causes and try").arg(name);
    }
    return problems;
}

quint16 unusedPort(Workbench& bench)
{
    // A port that was just free: bind to 0, read it, close. Nothing listens there.
    const SocketId s = makeSocket(bench);
    RUN(bench, s, calls::bind(QStringLiteral("127.0.0.1"), 0));
    const quint16 port = RUN(bench, s, calls::getsockname()).result.address.port();
    RUN(bench, s, calls::close());
    return port;
}

} // namespace

class TestErrnoExplainer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyManPageErrnoIsExplained_data();
    void everyManPageErrnoIsExplained();
    void everyResolverCodeIsExplained();
    void outcomesAreExplained();
    void aliasesShareTheirNumbersExplanation();
    void resourceEntriesAreCompleteAndKnown();
    void malformedEntriesAreCaught();
    void successIsNotExplained();
    void provokedErrorsAreExplained();
    void theExplanationFitsTheCallThatFailed();
    void aTakenUnixPathIsAFileNotAPort();
    void aSecondListenerIsRefusedInWordsOfListen();
    void timeoutAndInterruptAreExplained();
};

void TestErrnoExplainer::everyManPageErrnoIsExplained_data()
{
    QTest::addColumn<QString>("name");
    for (const CallErrors& call : manPageErrors())
        for (const QString& name : call.names)
            QTest::addRow("%s %s", call.call, qPrintable(name)) << name;
}

void TestErrnoExplainer::everyManPageErrnoIsExplained()
{
    QFETCH(QString, name);
    const auto number = errnocatalog::lookup(name);
    QVERIFY2(number, qPrintable(name));
    QCOMPARE(number->domain, ErrorDomain::Errno);
    checkComplete(errnoexplainer::explain(number->domain, number->number), name);
    // What a failed call carries gets the same text.
    checkComplete(errnoexplainer::explain(CallResult::fromErrno(number->number)), name);
}

void TestErrnoExplainer::everyResolverCodeIsExplained()
{
    for (const QString& name : kResolverNames) {
        const auto number = errnocatalog::lookup(name);
        if (!number && name == QLatin1String("EAI_NODATA"))
            continue; // a glibc extension; a C library without it never reports it
        if (!number && name == QLatin1String("EAI_ADDRFAMILY"))
            continue;
        QVERIFY2(number, qPrintable(name));
        QVERIFY(number->domain != ErrorDomain::Errno);
        const auto e = errnoexplainer::explain(number->domain, number->number);
        checkComplete(e, name);
        QCOMPARE(e->name, name);
        QCOMPARE(
            errnoexplainer::explain(CallResult::fromError(number->domain, number->number))->meaning,
            e->meaning);
    }
}

void TestErrnoExplainer::outcomesAreExplained()
{
    const auto timeout = errnoexplainer::explain(CallResult::timedOut());
    checkComplete(timeout, QStringLiteral("timeout"));
    QCOMPARE(timeout->name, QStringLiteral("timeout"));
    const auto interrupted = errnoexplainer::explain(CallResult::interrupted(QStringLiteral("x")));
    checkComplete(interrupted, QStringLiteral("interrupted"));
    QCOMPARE(interrupted->name, QStringLiteral("interrupted"));
    const auto invalid = errnoexplainer::explain(CallResult::invalid(QStringLiteral("port")));
    checkComplete(invalid, QStringLiteral("invalid"));
    QCOMPARE(invalid->name, QStringLiteral("invalid"));
    // Three different texts, not one generic sentence.
    QVERIFY(timeout->meaning != interrupted->meaning && interrupted->meaning != invalid->meaning);
}

void TestErrnoExplainer::aliasesShareTheirNumbersExplanation()
{
    // EWOULDBLOCK is EAGAIN and ENOTSUP is EOPNOTSUPP on Linux: one number, one text.
    QCOMPARE(errnoexplainer::explain(ErrorDomain::Errno, EWOULDBLOCK)->name,
             QStringLiteral("EAGAIN"));
    QCOMPARE(errnoexplainer::explain(ErrorDomain::Errno, ENOTSUP)->name,
             QStringLiteral("EOPNOTSUPP"));
}

void TestErrnoExplainer::resourceEntriesAreCompleteAndKnown()
{
    // The file as shipped, read directly: the explainer leaves a broken entry out, so only
    // this check would notice a missing field or a misspelt name.
    QFile file(QStringLiteral(":/errno/explanations.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QVERIFY(doc.isObject());
    const QJsonObject root = doc.object();
    QVERIFY(root.size() > 50);
    const QStringList problems = resourceProblems(root);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    // And the explainer serves every entry of the file, as written.
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (kOutcomeNames.contains(it.key()))
            continue;
        const auto known = errnocatalog::lookup(it.key());
        const auto served = errnoexplainer::explain(known->domain, known->number);
        QVERIFY2(served, qPrintable(it.key()));
        QCOMPARE(served->tryThis, it.value().toObject().value(QLatin1String("try")).toString());
    }
}

void TestErrnoExplainer::malformedEntriesAreCaught()
{
    // The check above on a file with the mistakes an editor makes.
    const QJsonObject good{{"meaning", "m"}, {"causes", "c"}, {"try", "t"}};
    QJsonObject noTry = good;
    noTry.remove(QStringLiteral("try"));
    QJsonObject blankCauses = good;
    blankCauses.insert(QStringLiteral("causes"), QStringLiteral("  "));
    const QJsonObject root{{"EADDRINUSE", good},   {"ECONNREFUSED", noTry},
                           {"EPIPE", blankCauses}, {"EADDRINUSED", good},
                           {"EWOULDBLOCK", good},  {"timeout", QStringLiteral("text")}};
    const QString problems = resourceProblems(root).join(QLatin1Char('\n'));
    QVERIFY2(problems.contains(QStringLiteral("ECONNREFUSED has no \"try\"")),
             qPrintable(problems));
    QVERIFY2(problems.contains(QStringLiteral("EPIPE has no \"causes\"")), qPrintable(problems));
    QVERIFY2(problems.contains(QStringLiteral("EADDRINUSED is not an error name")),
             qPrintable(problems));
    QVERIFY2(problems.contains(QStringLiteral("EWOULDBLOCK is an alias")), qPrintable(problems));
    QVERIFY2(problems.contains(QStringLiteral("timeout is not an object")), qPrintable(problems));
    QVERIFY2(!problems.contains(QStringLiteral("EADDRINUSE ")), qPrintable(problems));
}

void TestErrnoExplainer::successIsNotExplained()
{
    QVERIFY(!errnoexplainer::explain(CallResult{}));
    // connect_ex() does not fail: its errno is a value, and the value is not an error.
    CallResult connectEx;
    connectEx.count = ECONNREFUSED;
    QVERIFY(!errnoexplainer::explain(connectEx));
}

void TestErrnoExplainer::provokedErrorsAreExplained()
{
    Workbench bench;

    // EADDRINUSE: a second socket binds the port a listener holds.
    const SocketId first = makeSocket(bench);
    EXPECT_OK(RUN(bench, first, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    EXPECT_OK(RUN(bench, first, calls::listen(1)));
    const quint16 port = RUN(bench, first, calls::getsockname()).result.address.port();
    const SocketId second = makeSocket(bench);
    const Event inUse = RUN(bench, second, calls::bind(QStringLiteral("127.0.0.1"), port));
    EXPECT_ERRNO(inUse, "EADDRINUSE");
    EXPECT_EXPLAINED(inUse);
    QVERIFY(
        errnoexplainer::explain(inUse.result)->tryThis.contains(QStringLiteral("SO_REUSEADDR")));

    // ECONNREFUSED: nothing listens on the port.
    const SocketId client = makeSocket(bench);
    const Event refused =
        RUN(bench, client, calls::connect(QStringLiteral("127.0.0.1"), unusedPort(bench)));
    EXPECT_ERRNO(refused, "ECONNREFUSED");
    EXPECT_EXPLAINED(refused);

    // EINVAL: accept() on a socket that never listened.
    const SocketId fresh = makeSocket(bench);
    const Event notListening = RUN(bench, fresh, calls::accept());
    EXPECT_ERRNO(notListening, "EINVAL");
    EXPECT_EXPLAINED(notListening);

    // ENOTCONN: recv() and getpeername() on a TCP socket that never connected.
    const Event noPeer = RUN(bench, fresh, calls::recv(10));
    EXPECT_ERRNO(noPeer, "ENOTCONN");
    EXPECT_EXPLAINED(noPeer);
    const Event noPeerName = RUN(bench, fresh, calls::getpeername());
    EXPECT_ERRNO(noPeerName, "ENOTCONN");
    EXPECT_EXPLAINED(noPeerName);

    // EPIPE: send() on a TCP socket that never connected (Linux says broken pipe).
    const Event unconnectedSend = RUN(bench, fresh, calls::send("x"));
    EXPECT_ERRNO(unconnectedSend, "EPIPE");
    EXPECT_EXPLAINED(unconnectedSend);

    // EOPNOTSUPP: listen() on UDP.
    const SocketId udp = makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
    const Event udpListen = RUN(bench, udp, calls::listen(1));
    EXPECT_ERRNO(udpListen, "EOPNOTSUPP");
    EXPECT_EXPLAINED(udpListen);

    // EDESTADDRREQ: send() on UDP without a destination.
    const Event noDestination = RUN(bench, udp, calls::send("x"));
    EXPECT_ERRNO(noDestination, "EDESTADDRREQ");
    EXPECT_EXPLAINED(noDestination);

    // EISCONN: connect() twice. (An AF_UNIX stream connects at once; TCP goes through the
    // same check.)
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("s"));
    const Connected local = connectedPair(bench, AddressFamily::Unix, path);
    QVERIFY(local.server.isValid());
    const Event twice = RUN(bench, local.client, calls::connect(path, 0));
    EXPECT_ERRNO(twice, "EISCONN");
    EXPECT_EXPLAINED(twice);

    // EAGAIN and ECONNRESET on a TCP connection.
    const Connected c = connectedPair(bench);
    QVERIFY(c.server.isValid());
    EXPECT_OK(RUN(bench, c.server, calls::setblocking(false)));
    const Event wouldBlock = RUN(bench, c.server, calls::recv(10));
    EXPECT_ERRNO(wouldBlock, "EAGAIN");
    EXPECT_EXPLAINED(wouldBlock);
    EXPECT_OK(RUN(bench, c.client, calls::setsockopt(SocketOption::Linger, 1, 0)));
    EXPECT_OK(RUN(bench, c.client, calls::close()));
    EXPECT_OK(RUN(bench, c.server, calls::setblocking(true)));
    const Event reset = RUN(bench, c.server, calls::recv(10));
    EXPECT_ERRNO(reset, "ECONNRESET");
    EXPECT_EXPLAINED(reset);

    // EBADF: a call on a closed socket.
    const Event closed = RUN(bench, c.client, calls::send("x"));
    EXPECT_ERRNO(closed, "EBADF");
    EXPECT_EXPLAINED(closed);

    // EAI_NONAME: a malformed numeric address, refused by the resolver on this machine.
    const Event unknown = RUN(
        bench, SocketId{}, calls::getaddrinfo(QStringLiteral("300.1.2.3"), QStringLiteral("80")));
    QCOMPARE(unknown.result.errorName(), QStringLiteral("EAI_NONAME"));
    EXPECT_EXPLAINED(unknown);

    // invalid: Python would refuse the port before any syscall.
    const Event badPort = RUN(bench, fresh, calls::bind(QStringLiteral("127.0.0.1"), 70000));
    QCOMPARE(badPort.result.outcome, Outcome::Invalid);
    EXPECT_EXPLAINED(badPort);
}

void TestErrnoExplainer::timeoutAndInterruptAreExplained()
{
    Workbench bench;
    const Connected c = connectedPair(bench);
    QVERIFY(c.server.isValid());
    EXPECT_OK(RUN(bench, c.server, calls::settimeout(0.05)));
    const Event timedOut = RUN(bench, c.server, calls::recv(10));
    QCOMPARE(timedOut.result.outcome, Outcome::Timeout);
    EXPECT_EXPLAINED(timedOut);

    // A blocked accept() stopped from outside, as the card's Interrupt button does.
    QSignalSpy blocked(&bench, &Workbench::callBlocked);
    std::optional<Event> finished;
    QMutex mutex;
    const auto ticket =
        bench.submit(c.listener, calls::accept(), QStringLiteral("test"), [&](const Event& e) {
            QMutexLocker lock(&mutex);
            finished = e;
        });
    QVERIFY(blocked.count() || blocked.wait());
    QVERIFY(bench.interrupt(ticket.call));
    QVERIFY(waitUntil([&] {
        QMutexLocker lock(&mutex);
        return finished.has_value();
    }));
    QMutexLocker lock(&mutex);
    QCOMPARE(finished->result.outcome, Outcome::Interrupted);
    EXPECT_EXPLAINED(*finished);
}

void TestErrnoExplainer::theExplanationFitsTheCallThatFailed()
{
    // The errors are the kernel's, provoked here: the words must fit the call whatever
    // number this kernel gives.
    Workbench bench;
    const SocketId listener = makeSocket(bench);
    EXPECT_OK(RUN(bench, listener, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    EXPECT_OK(RUN(bench, listener, calls::listen(1)));
    const Event sent = RUN(bench, listener, calls::send("x"));
    QCOMPARE(sent.result.outcome, Outcome::Error);
    const auto onListener = errnoexplainer::explain(
        sent.result.errorDomain, sent.result.errorNumber, {CallKind::Send, /*listening=*/true});
    QVERIFY(onListener);
    QVERIFY2(onListener->meaning.contains(QStringLiteral("sent on the listening socket")),
             qPrintable(onListener->meaning));
    QVERIFY(onListener->tryThis.contains(QStringLiteral("accept()")));
    // The same error on a socket that is no listener keeps the error's own words.
    const auto elsewhere =
        errnoexplainer::explain(sent.result.errorDomain, sent.result.errorNumber, {CallKind::Send});
    QCOMPARE(elsewhere->meaning, errnoexplainer::explain(sent.result)->meaning);
    const Event received = RUN(bench, listener, calls::recv(10));
    QCOMPARE(received.result.outcome, Outcome::Error);
    QVERIFY(errnoexplainer::explain(received.result.errorDomain, received.result.errorNumber,
                                    {CallKind::Recv, true})
                ->meaning.contains(QStringLiteral("received on the listening socket")));

    // accept() on a socket that never listened, bind() on one already bound: each EINVAL
    // in words about that call, not a list of every call's causes.
    const SocketId idle = makeSocket(bench);
    const Event notListening = RUN(bench, idle, calls::accept());
    QCOMPARE(notListening.result.outcome, Outcome::Error);
    const auto accepted = errnoexplainer::explain(
        notListening.result.errorDomain, notListening.result.errorNumber, {CallKind::Accept});
    QVERIFY(accepted);
    if (notListening.result.errorNumber == EINVAL) {
        QVERIFY2(accepted->meaning.contains(QStringLiteral("not listening")),
                 qPrintable(accepted->meaning));
        QVERIFY2(!accepted->tryThis.contains(QStringLiteral("SHUT_")),
                 qPrintable(accepted->tryThis));
    }
    const Event twice = RUN(bench, listener, calls::bind(QStringLiteral("127.0.0.1"), 0));
    QCOMPARE(twice.result.outcome, Outcome::Error);
    const auto rebound = errnoexplainer::explain(twice.result.errorDomain, twice.result.errorNumber,
                                                 {CallKind::Bind});
    QVERIFY(rebound);
    if (twice.result.errorNumber == EINVAL)
        QVERIFY2(rebound->meaning.contains(QStringLiteral("already has an address")),
                 qPrintable(rebound->meaning));

    // sendto() port 0: the kernel's EINVAL is about the address, not listen() or accept().
    const SocketId udp = makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
    const Event toZero = RUN(bench, udp, calls::sendTo("x", QStringLiteral("127.0.0.1"), 0));
    QCOMPARE(toZero.result.outcome, Outcome::Error);
    const auto zero = errnoexplainer::explain(toZero.result.errorDomain, toZero.result.errorNumber,
                                              {CallKind::SendTo});
    QVERIFY(zero);
    if (toZero.result.errorNumber == EINVAL)
        QVERIFY2(zero->meaning.contains(QStringLiteral("port 0")), qPrintable(zero->meaning));
    else // another kernel's answer: its own words
        QCOMPARE(zero->meaning, errnoexplainer::explain(toZero.result)->meaning);

    // A UDP datagram to a port nobody has bound: the next call on the connected socket
    // reports the ICMP "port unreachable" as ECONNREFUSED. No TCP reset was involved.
    const SocketId gone = makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
    EXPECT_OK(RUN(bench, gone, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    const quint16 freed = RUN(bench, gone, calls::getsockname()).result.address.port();
    EXPECT_OK(RUN(bench, gone, calls::close()));
    EXPECT_OK(RUN(bench, udp, calls::connect(QStringLiteral("127.0.0.1"), freed)));
    EXPECT_OK(RUN(bench, udp, calls::settimeout(2.0)));
    EXPECT_OK(RUN(bench, udp, calls::send("x")));
    const Event heard = RUN(bench, udp, calls::recv(10));
    if (heard.result.outcome != Outcome::Error || heard.result.errorNumber != ECONNREFUSED)
        QSKIP("this kernel does not report the ICMP answer on the next recv()");
    const auto udpRefused = errnoexplainer::explain(
        heard.result.errorDomain, heard.result.errorNumber, {CallKind::Recv, false, true});
    QVERIFY2(udpRefused->meaning.contains(QStringLiteral("ICMP")), qPrintable(udpRefused->meaning));
    QVERIFY2(!udpRefused->meaning.contains(QStringLiteral("reset")),
             qPrintable(udpRefused->meaning));
    // On TCP the refusal is the reset the kernel's words speak of.
    QCOMPARE(errnoexplainer::explain(heard.result.errorDomain, heard.result.errorNumber,
                                     {CallKind::Connect})
                 ->meaning,
             errnoexplainer::explain(heard.result)->meaning);
}

void TestErrnoExplainer::aTakenUnixPathIsAFileNotAPort()
{
    // Lesson 18 binds a path that an earlier socket left behind: the card said "another
    // socket already holds this address and port", where the lesson's point is that no
    // socket does and there is no port - the file is in the way.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("left-behind.sock"));
    Workbench bench;
    const SocketId first = makeSocket(bench, AddressFamily::Unix);
    EXPECT_OK(RUN(bench, first, calls::bind(path, 0)));
    EXPECT_OK(RUN(bench, first, calls::close()));
    const SocketId second = makeSocket(bench, AddressFamily::Unix);
    const Event taken = RUN(bench, second, calls::bind(path, 0));
    QCOMPARE(taken.result.outcome, Outcome::Error);
    if (taken.result.errorNumber != EADDRINUSE)
        QSKIP("this kernel answers another errno for a path left behind");
    const auto onPath = errnoexplainer::explain(taken.result.errorDomain, taken.result.errorNumber,
                                                {CallKind::Bind, false, false, true});
    QVERIFY2(onPath->meaning.contains(QStringLiteral("file")) &&
                 !onPath->meaning.contains(QStringLiteral("port")),
             qPrintable(onPath->meaning));
    QVERIFY(onPath->tryThis.contains(QStringLiteral("os.unlink")));
    // Over IP, the same errno keeps its own words: an address and a port.
    QVERIFY(errnoexplainer::explain(taken.result.errorDomain, taken.result.errorNumber,
                                    {CallKind::Bind})
                ->meaning.contains(QStringLiteral("port")));
}

void TestErrnoExplainer::aSecondListenerIsRefusedInWordsOfListen()
{
    // Lesson 07: two sockets share a port with SO_REUSEADDR, and the second listen() is
    // refused. The card explained it as bind()'s refusal ("the kernel will not give them to
    // a second socket"), beside a card that had just been given them.
    Workbench bench;
    const SocketId a = makeSocket(bench, AddressFamily::Inet4);
    const SocketId b = makeSocket(bench, AddressFamily::Inet4);
    for (const SocketId s : {a, b})
        EXPECT_OK(RUN(bench, s, calls::setsockopt(SocketOption::ReuseAddr, 1)));
    const Event bound = RUN(bench, a, calls::bind(QStringLiteral("127.0.0.1"), 0));
    EXPECT_OK(bound);
    EXPECT_OK(RUN(bench, b, calls::bind(QStringLiteral("127.0.0.1"), bound.localAddress.port())));
    EXPECT_OK(RUN(bench, a, calls::listen(1)));
    const Event refused = RUN(bench, b, calls::listen(1));
    if (refused.result.outcome != Outcome::Error || refused.result.errorNumber != EADDRINUSE)
        QSKIP("this kernel lets a second socket listen on a shared port");
    const auto words = errnoexplainer::explain(refused.result.errorDomain,
                                               refused.result.errorNumber, {CallKind::Listen});
    QVERIFY2(words->meaning.contains(QStringLiteral("listen")), qPrintable(words->meaning));
    QVERIFY2(!words->meaning.contains(QStringLiteral("will not give")), qPrintable(words->meaning));
}

QTEST_GUILESS_MAIN(TestErrnoExplainer)
#include "tst_errnoexplainer.moc"
