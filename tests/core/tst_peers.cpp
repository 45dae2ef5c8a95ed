// The built-in peers, driven through the workbench and talked to by real clients outside
// it (plain POSIX sockets in this process, each in a thread of its own where it matters).

#include "lesson/catalogue.h"
#include "outsideclient.h"
#include "pythonoracle.h"
#include "services/peer.h"
#include "services/webpage.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QSignalSpy>

#include <thread>
#include <vector>

using namespace sockbench;
using namespace sockbench::services;
using namespace sockbench::test;

namespace {

const QByteArray kPage = QByteArrayLiteral(
    "<html>\n<head>\n\t<title>5062CEM - Networking Demo</title>\n</head>\n<body>\n"
    "Hello, welcome to 5062CEM!</body>\n");
const QByteArray kGreeting = QByteArrayLiteral(
    "<html>\n<head>\n\t<title>5062CEM - Networking Demo</title>\n</head>\n<body>\n"
    "Hello Ian Cornelius, and welcome to 5062CEM!</body>\n");

// A peer on the workbench, listening on loopback port 0.
struct Running {
    std::unique_ptr<Peer> peer;
    Endpoint address;
};

Running startPeer(Workbench& bench, const QString& kind, PeerOptions options = {})
{
    Running running;
    running.peer = Peer::create(kind, bench, QStringLiteral("peer"));
    if (!running.peer)
        return running;
    QSignalSpy listening(running.peer.get(), &Peer::listening);
    running.peer->start(options);
    if (listening.count() || listening.wait(int(kFinishWithin.count())))
        running.address = running.peer->address();
    return running;
}

QByteArray fetch(const Endpoint& at, const QByteArray& request, bool* closed = nullptr)
{
    OutsideClient client;
    if (!client.connectTo(at) || !client.sendAll(request))
        return QByteArrayLiteral("(could not connect and send)");
    return client.readToEnd(closed);
}

QByteArray headerValue(const QByteArray& response, const QByteArray& name)
{
    for (const QByteArray& line : response.left(response.indexOf("\r\n\r\n")).split('\n'))
        if (line.toLower().startsWith(name.toLower() + ':'))
            return line.mid(name.size() + 1).trimmed();
    return {};
}

QByteArray bodyOf(const QByteArray& response)
{
    const qsizetype end = response.indexOf("\r\n\r\n");
    return end < 0 ? QByteArray() : response.mid(end + 4);
}

} // namespace

class PeersTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void coursePageBytes();
    void parsesRequestForms_data();
    void parsesRequestForms();
    void answers_data();
    void answers();
    void percentDecoding();

    void courseExamplesExactBytes();
    void browserRequest();
    void notFoundAndBadRequest();
    void silentClientClosedAfterTheWait();
    void lesson25SaysHowLongTheWebPeerWaits();
    void manyClientsAtOnce();
    void callsAreTheActorsInTheTrace();
    void echo();
    void udpEcho();
    void patientReceiver();
    void daytime();
    void stopClosesEverySocket();
    void portInUse();
    void addressNotOfThisMachine();
    void kinds();
};

void PeersTest::coursePageBytes()
{
    QCOMPARE(web::coursePage(), kPage);
    QCOMPARE(web::coursePage().size(), 105);
    QCOMPARE(web::coursePage(QStringLiteral("Ian Cornelius")), kGreeting);
    QCOMPARE(web::coursePage(QStringLiteral("Ian Cornelius")).size(), 123);
    // A name is text, not markup.
    QVERIFY(
        web::coursePage(QStringLiteral("<b>x</b>")).contains("Hello &lt;b&gt;x&lt;/b&gt;, and"));
}

void PeersTest::parsesRequestForms_data()
{
    QTest::addColumn<QByteArray>("received");
    QTest::addColumn<int>("status"); // 0 incomplete, 1 complete, 2 malformed
    QTest::addColumn<bool>("simple");
    QTest::addColumn<int>("errorStatus");
    using P = web::Parsed::Status;
    auto row = [](const char* name, const QByteArray& received, P status, bool simple = false,
                  int errorStatus = 400) {
        QTest::newRow(name) << received << int(status) << simple << errorStatus;
    };
    row("course example 1", "GET /5062CEM.php\r\n", P::Complete, true);
    row("course example 2", "GET /5062CEM.php?lecturer=Ian%20Cornelius \r\n", P::Complete, true);
    row("bare LF", "GET /5062CEM.php\n", P::Complete, true);
    row("empty lines first", "\r\n\r\nGET /5062CEM.php\r\n", P::Complete, true);
    row("no line end yet", "GET /5062CEM.php", P::Incomplete);
    row("nothing", "", P::Incomplete);
    row("HTTP/1.1", "GET /5062CEM.php HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n", P::Complete);
    row("HTTP/1.0 without Host", "GET /5062CEM.php HTTP/1.0\r\n\r\n", P::Complete);
    row("headers not finished", "GET / HTTP/1.1\r\nHost: x\r\n", P::Incomplete);
    row("HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", P::Malformed);
    row("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", P::Malformed);
    row("garbage", "hello there, server\r\n", P::Malformed);
    row("one word", "GET\r\n", P::Malformed);
    row("simple POST", "POST /5062CEM.php\r\n", P::Malformed);
    row("bad version", "GET / HTTX/1.1\r\nHost: x\r\n\r\n", P::Malformed);
    row("HTTP/2", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", P::Malformed, false, 505);
    row("bad header", "GET / HTTP/1.1\r\nHost x\r\n\r\n", P::Malformed);
    row("folded header", "GET / HTTP/1.1\r\nHost: x\r\n  more\r\n\r\n", P::Malformed);
    row("control byte", QByteArray("GET /\x01 HTTP/1.1\r\n\r\n", 19), P::Malformed);
    row("binary", QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n", 12), P::Malformed);
    row("endless line", QByteArray(web::kMaxHead + 1, 'a'), P::Malformed);
    row("endless headers",
        "GET / HTTP/1.1\r\nHost: x\r\n" + QByteArray(web::kMaxHead, 'h') + ": y\r\n", P::Malformed);
}

void PeersTest::parsesRequestForms()
{
    QFETCH(QByteArray, received);
    QFETCH(int, status);
    QFETCH(bool, simple);
    QFETCH(int, errorStatus);
    const web::Parsed parsed = web::parse(received);
    QCOMPARE(int(parsed.status), status);
    if (parsed.status == web::Parsed::Status::Complete)
        QCOMPARE(parsed.request.form == web::Request::Form::Simple, simple);
    if (parsed.status == web::Parsed::Status::Malformed) {
        QCOMPARE(parsed.errorStatus, errorStatus);
        QVERIFY(!parsed.problem.isEmpty());
    }
}

void PeersTest::answers_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("expected"); // the whole answer, or its status line
    QTest::newRow("example 1") << QByteArray("GET /5062CEM.php\r\n") << kPage;
    QTest::newRow("example 2") << QByteArray("GET /5062CEM.php?lecturer=Ian%20Cornelius \r\n")
                               << kGreeting;
    QTest::newRow("another lecturer") << QByteArray("GET /5062CEM.php?lecturer=Terry+Richards\r\n")
                                      << web::coursePage(QStringLiteral("Terry Richards"));
    QTest::newRow("empty lecturer") << QByteArray("GET /5062CEM.php?lecturer=\r\n") << kPage;
    QTest::newRow("absolute form")
        << QByteArray("GET http://localhost/5062CEM.php HTTP/1.0\r\n\r\n")
        << QByteArray("HTTP/1.1 200 OK\r\n");
    QTest::newRow("simple 404") << QByteArray("GET /index.html\r\n")
                                << QByteArray("<html>\n<head>\n\t<title>404 Not Found");
    QTest::newRow("full 404") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                              << QByteArray("HTTP/1.1 404 Not Found\r\n");
    QTest::newRow("405") << QByteArray("POST /5062CEM.php HTTP/1.1\r\nHost: x\r\n\r\n")
                         << QByteArray("HTTP/1.1 405 Method Not Allowed\r\n");
    QTest::newRow("400") << QByteArray("nonsense\r\n")
                         << QByteArray("HTTP/1.1 400 Bad Request\r\n");
    QTest::newRow("bad escape") << QByteArray("GET /5062CEM.php?lecturer=%zz HTTP/1.0\r\n\r\n")
                                << QByteArray("HTTP/1.1 400 Bad Request\r\n");
    QTest::newRow("505") << QByteArray("GET / HTTP/3.0\r\n\r\n")
                         << QByteArray("HTTP/1.1 505 HTTP Version Not Supported\r\n");
}

void PeersTest::answers()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, expected);
    const web::Response response = web::respond(web::parse(request));
    if (expected.startsWith("HTTP/") || expected.size() < 60)
        QVERIFY2(response.bytes.startsWith(expected), response.bytes.constData());
    else
        QCOMPARE(response.bytes, expected);
    QVERIFY(!response.summary.isEmpty());
}

void PeersTest::percentDecoding()
{
    QByteArray out;
    QVERIFY(web::percentDecode("Ian%20Cornelius", &out));
    QCOMPARE(out, QByteArray("Ian Cornelius"));
    QVERIFY(web::percentDecode("a+b%2B", &out, true));
    QCOMPARE(out, QByteArray("a b+"));
    QVERIFY(web::percentDecode("a+b", &out));
    QCOMPARE(out, QByteArray("a+b"));
    QVERIFY(!web::percentDecode("%2", &out));
    QVERIFY(!web::percentDecode("%g0", &out));
    // Full HTTP answers: status line, length, and the same body.
    const web::Response full =
        web::respond(web::parse("GET /5062CEM.php HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                     QDateTime(QDate(2024, 1, 8), QTime(9, 3, 27), Qt::UTC));
    QVERIFY(full.bytes.startsWith("HTTP/1.1 200 OK\r\n"));
    QCOMPARE(headerValue(full.bytes, "Content-Length"), QByteArray("105"));
    QCOMPARE(headerValue(full.bytes, "Connection"), QByteArray("close"));
    QCOMPARE(headerValue(full.bytes, "Date"), QByteArray("Mon, 08 Jan 2024 09:03:27 GMT"));
    QCOMPARE(bodyOf(full.bytes), kPage);
    const web::Response head = web::respond(web::parse("HEAD /5062CEM.php HTTP/1.0\r\n\r\n"));
    QCOMPARE(headerValue(head.bytes, "Content-Length"), QByteArray("105"));
    QCOMPARE(bodyOf(head.bytes), QByteArray());
}

void PeersTest::courseExamplesExactBytes()
{
    Workbench bench;
    const Running web = startPeer(bench, QStringLiteral("course-web"));
    QVERIFY(web.address.isValid());
    QVERIFY(web.address.isLoopback());
    QVERIFY(web.address.port() != 0);
    bool closed = false;
    QCOMPARE(fetch(web.address, "GET /5062CEM.php\r\n", &closed), kPage);
    QVERIFY2(closed, "the peer closes after an HTTP/0.9 answer");
    QCOMPARE(fetch(web.address, "GET /5062CEM.php?lecturer=Ian%20Cornelius \r\n", &closed),
             kGreeting);
    QVERIFY(closed);
    // The course's example 1 reads with recv(1024) and then recv(10): the first takes it
    // all, the second finds the end of the stream.
    OutsideClient client;
    QVERIFY(client.connectTo(web.address));
    QVERIFY(client.sendAll("GET /5062CEM.php\r\n"));
    QByteArray first;
    while (first.size() < kPage.size()) {
        const QByteArray chunk = client.receive(1024);
        QVERIFY(!chunk.isEmpty());
        first += chunk;
    }
    QCOMPARE(first, kPage);
    bool failed = true;
    QCOMPARE(client.receive(10, &failed), QByteArray());
    QVERIFY(!failed);
}

void PeersTest::browserRequest()
{
    Workbench bench;
    const Running web = startPeer(bench, QStringLiteral("course-web"));
    QVERIFY(web.address.isValid());
    const QByteArray response =
        fetch(web.address, "GET /5062CEM.php HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: test\r\n"
                           "Accept: text/html\r\nConnection: keep-alive\r\n\r\n");
    QVERIFY2(response.startsWith("HTTP/1.1 200 OK\r\n"), response.constData());
    QCOMPARE(headerValue(response, "Content-Length"), QByteArray("105"));
    QCOMPARE(headerValue(response, "Content-Type"), QByteArray("text/html; charset=utf-8"));
    QCOMPARE(bodyOf(response), kPage);
    // The request may arrive in pieces.
    OutsideClient slow;
    QVERIFY(slow.connectTo(web.address));
    QVERIFY(slow.sendAll("GET /5062CEM.php?lecturer=Ian%20"));
    QVERIFY(slow.sendAll("Cornelius HTTP/1.0\r\n"));
    QVERIFY(slow.sendAll("\r\n"));
    QCOMPARE(bodyOf(slow.readToEnd()), kGreeting);
}

void PeersTest::notFoundAndBadRequest()
{
    Workbench bench;
    const Running web = startPeer(bench, QStringLiteral("course-web"));
    QVERIFY(web.address.isValid());
    bool closed = false;
    QVERIFY(fetch(web.address, "GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n", &closed)
                .startsWith("HTTP/1.1 404 Not Found\r\n"));
    QVERIFY(closed);
    const QByteArray garbage = fetch(web.address, "what is this?\r\n", &closed);
    QVERIFY2(garbage.startsWith("HTTP/1.1 400 Bad Request\r\n"), garbage.constData());
    QVERIFY2(closed, "the connection closes after a 400");
    // A head too long for any request: refused without waiting for its end.
    OutsideClient flood;
    QVERIFY(flood.connectTo(web.address));
    QVERIFY(flood.sendAll(QByteArray(web::kMaxHead + 100, 'x')));
    QVERIFY(flood.readToEnd(&closed).startsWith("HTTP/1.1 400 Bad Request\r\n"));
    QVERIFY(closed);
}

void PeersTest::lesson25SaysHowLongTheWebPeerWaits()
{
    // Lesson 25 tells what a plain recv() before the request does against course-web: it
    // returns b'' once the peer gives up. The number it gives is the peer's own.
    const auto lesson = lesson::catalogue::find(QStringLiteral("25"));
    QVERIFY(lesson);
    const qint64 seconds = PeerOptions().requestTimeout.count() / 1000;
    QVERIFY(lesson->source.contains(QStringLiteral("within %1 seconds").arg(seconds)));
    QVERIFY(lesson->source.contains(QStringLiteral("(%1 seconds here)").arg(seconds)));
}

void PeersTest::silentClientClosedAfterTheWait()
{
    Workbench bench;
    PeerOptions options;
    options.requestTimeout = std::chrono::milliseconds(300);
    const Running web = startPeer(bench, QStringLiteral("course-web"), options);
    QVERIFY(web.address.isValid());
    QSignalSpy lines(web.peer.get(), &Peer::connectionFinished);
    QElapsedTimer timer;
    timer.start();
    OutsideClient silent;
    QVERIFY(silent.connectTo(web.address));
    bool closed = false;
    // Waits on the close itself (the client's recv() returns 0 when the peer closes).
    QCOMPARE(silent.readToEnd(&closed), QByteArray());
    QVERIFY2(closed, "the peer closed the connection of a client that sent nothing");
    QVERIFY2(timer.elapsed() >= 290, "closed before the stated wait was over");
    QVERIFY(lines.count() || lines.wait());
    QVERIFY2(lines.first().first().toString().contains(QLatin1String("within 0.3 s")),
             qPrintable(lines.first().first().toString()));
    // A half-sent request gets the same bounded wait.
    OutsideClient partial;
    QVERIFY(partial.connectTo(web.address));
    QVERIFY(partial.sendAll("GET /5062CEM.php HTTP/1.1\r\nHost: x\r\n"));
    QCOMPARE(partial.readToEnd(&closed), QByteArray());
    QVERIFY(closed);
}

void PeersTest::manyClientsAtOnce()
{
    constexpr int kClients = 32;
    // They arrive faster than anyone accepts: the accept queue must hold them all at once.
    if (const int backlog = oracle::reportedBacklog(PeerOptions().backlog); backlog <= kClients)
        QSKIP(qPrintable(QStringLiteral("net.core.somaxconn caps an accept queue at %1 here, "
                                        "below the burst of clients this test sends")
                             .arg(backlog)));
    Workbench bench;
    PeerOptions options;
    options.requestTimeout = std::chrono::milliseconds(30000);
    const Running web = startPeer(bench, QStringLiteral("course-web"), options);
    QVERIFY(web.address.isValid());
    // Clients that connect and say nothing hold their connections open; a peer serving
    // one connection at a time would leave everyone behind them waiting.
    std::vector<std::unique_ptr<OutsideClient>> idle;
    for (int i = 0; i < 8; ++i) {
        idle.push_back(std::make_unique<OutsideClient>());
        QVERIFY(idle.back()->connectTo(web.address));
    }
    std::vector<QByteArray> pages(kClients);
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i)
        threads.emplace_back([&, i] {
            pages[size_t(i)] =
                fetch(web.address, i % 2 ? QByteArray("GET /5062CEM.php\r\n")
                                         : QByteArray("GET /5062CEM.php?lecturer=Ian%20Cornelius "
                                                      "\r\n"));
        });
    for (std::thread& thread : threads)
        thread.join();
    for (int i = 0; i < kClients; ++i)
        QCOMPARE(pages[size_t(i)], i % 2 ? kPage : kGreeting);
    // Many echo clients at once, each with its own stream.
    const Running echo = startPeer(bench, QStringLiteral("echo"));
    QVERIFY(echo.address.isValid());
    std::vector<QByteArray> echoed(16);
    threads.clear();
    for (int i = 0; i < 16; ++i)
        threads.emplace_back([&, i] {
            OutsideClient client;
            const QByteArray data = QByteArray(20000, char('a' + i));
            if (client.connectTo(echo.address) && client.sendAll(data) && client.shutdownWrite())
                echoed[size_t(i)] = client.readToEnd();
        });
    for (std::thread& thread : threads)
        thread.join();
    for (int i = 0; i < 16; ++i)
        QCOMPARE(echoed[size_t(i)], QByteArray(20000, char('a' + i)));
}

void PeersTest::callsAreTheActorsInTheTrace()
{
    Workbench bench;
    auto peer = Peer::create(QStringLiteral("course-web"), bench, QStringLiteral("web"));
    QVERIFY(peer);
    QCOMPARE(peer->actor(), QStringLiteral("web"));
    QSignalSpy listening(peer.get(), &Peer::listening);
    const CallId ready = peer->start();
    QVERIFY(ready.isValid());
    QVERIFY(listening.count() || listening.wait());
    QCOMPARE(fetch(peer->address(), "GET /5062CEM.php\r\n"), kPage);
    QSignalSpy lines(peer.get(), &Peer::connectionFinished);
    QVERIFY(lines.count() || lines.wait());
    QSet<CallKind> kinds;
    // The line is reported as the close() goes out; wait for that to finish too.
    QVERIFY(waitUntil([&] {
        for (const Event& e : bench.trace().events())
            if (e.kind == EventKind::CallFinished && e.actor == QLatin1String("web"))
                kinds.insert(e.request.kind);
        return kinds.contains(CallKind::Close);
    }));
    for (const CallKind kind :
         {CallKind::Socket, CallKind::Bind, CallKind::Listen, CallKind::Accept, CallKind::Recv,
          CallKind::SendAll, CallKind::Shutdown, CallKind::Close})
        QVERIFY2(kinds.contains(kind), qPrintable(callName(kind)));
    QVERIFY(!peer->start().isValid()); // once only
}

void PeersTest::echo()
{
    Workbench bench;
    const Running echo = startPeer(bench, QStringLiteral("echo"));
    QVERIFY(echo.address.isValid());
    OutsideClient client;
    QVERIFY(client.connectTo(echo.address));
    QVERIFY(client.sendAll("hello"));
    QByteArray back;
    while (back.size() < 5) {
        const QByteArray chunk = client.receive();
        QVERIFY(!chunk.isEmpty());
        back += chunk;
    }
    QCOMPARE(back, QByteArray("hello"));
    const QByteArray big(300000, 'z'); // more than the kernel's buffers hold at once
    std::thread writer([&] {
        client.sendAll(big);
        client.shutdownWrite();
    });
    bool closed = false;
    const QByteArray all = client.readToEnd(&closed);
    writer.join();
    QCOMPARE(all.size(), big.size());
    QCOMPARE(all, big);
    QVERIFY(closed);
}

void PeersTest::udpEcho()
{
    Workbench bench;
    const Running echo = startPeer(bench, QStringLiteral("udp-echo"));
    QVERIFY(echo.address.isValid());
    for (int i = 0; i < 3; ++i) {
        OutsideClient client(AddressFamily::Inet4, SOCK_DGRAM);
        const QByteArray datagram = QByteArray("datagram ") + QByteArray::number(i);
        QVERIFY(client.sendTo(datagram, echo.address));
        QCOMPARE(client.receive(), datagram);
    }
    OutsideClient empty(AddressFamily::Inet4, SOCK_DGRAM);
    QVERIFY(empty.sendTo(QByteArray(), echo.address));
    bool failed = true;
    QCOMPARE(empty.receive(100, &failed), QByteArray()); // an empty datagram comes back empty
    QVERIFY(!failed);
}

void PeersTest::patientReceiver()
{
    Workbench bench;
    const Running receiver = startPeer(bench, QStringLiteral("patient-receiver"));
    QVERIFY(receiver.address.isValid());
    OutsideClient sender;
    QVERIFY(sender.connectTo(receiver.address));
    const QByteArray data = QByteArray("determined!").repeated(250);
    for (qsizetype at = 0; at < data.size(); at += 1024)
        QVERIFY(sender.sendAll(data.mid(at, 1024)));
    QVERIFY(sender.shutdownWrite());
    bool closed = false;
    QCOMPARE(sender.readToEnd(&closed), QByteArray("2750"));
    QVERIFY(closed);
    OutsideClient nothing;
    QVERIFY(nothing.connectTo(receiver.address));
    QVERIFY(nothing.shutdownWrite());
    QCOMPARE(nothing.readToEnd(), QByteArray("0"));
}

void PeersTest::daytime()
{
    Workbench bench;
    const Running daytime = startPeer(bench, QStringLiteral("daytime"));
    QVERIFY(daytime.address.isValid());
    OutsideClient client;
    QVERIFY(client.connectTo(daytime.address));
    bool closed = false;
    const QByteArray line = client.readToEnd(&closed);
    QVERIFY(closed);
    QVERIFY2(QRegularExpression(QStringLiteral("^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 1-3][0-9] "
                                               "[0-2][0-9]:[0-5][0-9]:[0-6][0-9] [0-9]{4}\r\n$"))
                 .match(QString::fromLatin1(line))
                 .hasMatch(),
             line.constData());
}

void PeersTest::stopClosesEverySocket()
{
    Workbench bench;
    const Running echo = startPeer(bench, QStringLiteral("echo"));
    QVERIFY(echo.address.isValid());
    OutsideClient a;
    OutsideClient b;
    QVERIFY(a.connectTo(echo.address));
    QVERIFY(b.connectTo(echo.address));
    QVERIFY(waitUntil([&] { return echo.peer->openSockets() == 3; }));
    QSignalSpy stopped(echo.peer.get(), &Peer::stopped);
    echo.peer->stop();
    QVERIFY(stopped.count() || stopped.wait());
    QCOMPARE(echo.peer->openSockets(), 0);
    for (const SocketId socket : echo.peer->sockets())
        QVERIFY(!bench.socket(socket)->open);
    bool closed = false;
    a.readToEnd(&closed);
    QVERIFY2(closed, "a blocked recv() of the peer ended and its socket closed");
    OutsideClient late;
    QVERIFY2(!late.connectTo(echo.address), "the port no longer listens");
    QCOMPARE(errno, ECONNREFUSED);
    // Stopping a peer that never started says so at once.
    auto idle = Peer::create(QStringLiteral("echo"), bench);
    QSignalSpy idleStopped(idle.get(), &Peer::stopped);
    idle->stop();
    QVERIFY(idleStopped.count() || idleStopped.wait());
}

void PeersTest::portInUse()
{
    Workbench bench;
    const Running first = startPeer(bench, QStringLiteral("echo"));
    QVERIFY(first.address.isValid());
    auto second = Peer::create(QStringLiteral("echo"), bench);
    QSignalSpy failed(second.get(), &Peer::startFailed);
    QSignalSpy listening(second.get(), &Peer::listening);
    PeerOptions options;
    options.port = first.address.port();
    second->start(options);
    QVERIFY(failed.count() || failed.wait());
    QVERIFY2(failed.first().first().toString().contains(QLatin1String("in use")),
             qPrintable(failed.first().first().toString()));
    QVERIFY(!second->isListening());
    QCOMPARE(listening.count(), 0);
    // Linux would listen() on a fresh port after the failed bind(): the peer must not.
    QVERIFY(waitUntil([&] { return second->openSockets() == 0; }));
    int listens = 0;
    for (const Event& e : bench.trace().events())
        if (e.kind == EventKind::CallFinished && e.request.kind == CallKind::Listen &&
            e.socket == second->sockets().value(0) && e.result.ok())
            ++listens;
    QCOMPARE(listens, 0);
}

void PeersTest::addressNotOfThisMachine()
{
    // TEST-NET-3 is never ours, and bind() sends nothing. Whether the kernel lets a program
    // bind it anyway (net.ipv4.ip_nonlocal_bind) is the machine's setting: a raw bind()
    // in this run says what the peer must meet.
    const char* const foreign = "203.0.113.7";
    oracle::PythonSocket probe;
    const QString kernel = probe.bind(foreign, 0);
    Workbench bench;
    auto peer = Peer::create(QStringLiteral("course-web"), bench);
    QSignalSpy failed(peer.get(), &Peer::startFailed);
    QSignalSpy listening(peer.get(), &Peer::listening);
    PeerOptions options;
    options.host = QString::fromLatin1(foreign);
    peer->start(options);
    if (kernel == QLatin1String("ok")) { // any address may be bound here: the peer listens
        QVERIFY(listening.count() || listening.wait());
        return;
    }
    QVERIFY(failed.count() || failed.wait());
    const QString says = kernel == QLatin1String("EADDRNOTAVAIL")
                             ? QStringLiteral("not an address of this machine")
                             : kernel;
    QVERIFY2(failed.first().first().toString().contains(says),
             qPrintable(failed.first().first().toString()));
}

void PeersTest::kinds()
{
    QStringList names;
    for (const PeerKind& kind : peerKinds())
        names << kind.name;
    QCOMPARE(names, QStringList({QStringLiteral("course-web"), QStringLiteral("echo"),
                                 QStringLiteral("udp-echo"), QStringLiteral("patient-receiver"),
                                 QStringLiteral("daytime")}));
    Workbench bench;
    QVERIFY(!Peer::create(QStringLiteral("gopher"), bench));
    QCOMPARE(findPeerKind(QStringLiteral("udp-echo"))->type, SocketType::Datagram);
}

QTEST_GUILESS_MAIN(PeersTest)
#include "tst_peers.moc"
