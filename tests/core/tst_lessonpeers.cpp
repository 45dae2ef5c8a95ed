// Lessons with built-in peers: "# peer: web = course-web" starts the peer before the first
// statement, binds the name to its address, and every reset starts it afresh.

#include "lesson/lessonpeers.h"
#include "runnersupport.h"
#include "services/peer.h"

using namespace sockbench;
using namespace sockbench::lesson;
using namespace sockbench::lesson::test;

namespace {

const char* const kWebLesson = R"(# title: web
# peer: web = course-web
import socket

# --- client ---
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(web)
s.sendall(b'GET /5062CEM.php?lecturer=Ian%20Cornelius \r\n')
data = s.recv(1024)
assert data == b'<html>\n<head>\n\t<title>5062CEM - Networking Demo</title>\n</head>\n<body>\nHello Ian Cornelius, and welcome to 5062CEM!</body>\n'
rest = s.recv(10)
assert rest == b''
s.close()
)";

Script parsed(const char* source)
{
    auto result = parse(QString::fromUtf8(source), QStringLiteral("lesson.py"));
    return std::get<Script>(result);
}

bool readyAfterLoad(Bench& bench)
{
    // Without a peer to start the reset is over before load() returns.
    return bench.runner.mode() != Runner::Mode::Resetting || bench.resetDone.count() ||
           bench.resetDone.wait(kWaitMs);
}

} // namespace

class LessonPeersTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void declarations();
    void peerListensBeforeTheFirstStatement();
    void resetStartsThePeerAfresh();
    void outsidePeerInsteadOfBuiltIn();
    void silentClientGetsTheEnd();
    void lessonWithoutPeersIsUnchanged();
};

void LessonPeersTest::declarations()
{
    auto ok = peerDeclarations(parsed("# title: t\n# peer: web = course-web\n# peer: e=echo\n"
                                      "import socket\n"));
    QVERIFY(std::holds_alternative<QList<PeerDeclaration>>(ok));
    const auto& peers = std::get<QList<PeerDeclaration>>(ok);
    QCOMPARE(peers.size(), 2);
    QCOMPARE(peers[0].name, QStringLiteral("web"));
    QCOMPARE(peers[0].kind, QStringLiteral("course-web"));
    QCOMPARE(peers[1].name, QStringLiteral("e"));
    QCOMPARE(peers[1].kind, QStringLiteral("echo"));
    const struct {
        const char* source;
        const char* says;
    } refused[] = {
        {"# peer: web\nimport socket\n", "should read"},
        {"# peer: 1web = echo\nimport socket\n", "should read"},
        {"# peer: web = gopher\nimport socket\n", "no built-in peer"},
        {"# peer: a = echo\n# peer: a = daytime\nimport socket\n", "two peers a"},
    };
    // Refused by the parser, at the line that is wrong.
    for (const auto& r : refused) {
        const auto result = parse(QString::fromUtf8(r.source), QStringLiteral("lesson.py"));
        QVERIFY2(std::holds_alternative<ParseError>(result), r.source);
        const QString message = std::get<ParseError>(result).format(QStringLiteral("lesson.py"));
        const int line = int(QByteArray(r.source).count('\n')) - 1; // the last peer line
        QVERIFY2(message.startsWith(QStringLiteral("lesson.py:%1:1: ").arg(line)),
                 qPrintable(message));
        QVERIFY2(message.contains(QLatin1String(r.says)), qPrintable(message));
    }
}

void LessonPeersTest::peerListensBeforeTheFirstStatement()
{
    Bench bench;
    LOAD(bench, kWebLesson);
    QVERIFY(readyAfterLoad(bench));
    const Value web = bench.runner.names().value(QStringLiteral("web"));
    QCOMPARE(web.kind, Value::Kind::Tuple);
    QCOMPARE(web.elements().size(), 2);
    QCOMPARE(web.elements()[0].text, QStringLiteral("127.0.0.1"));
    services::Peer* peer = bench.runner.peers().peer(QStringLiteral("web"));
    QVERIFY(peer && peer->isListening());
    QCOMPARE(web.elements()[1].integer, qint64(peer->address().port()));
    QVERIFY(bench.runner.peers().startedAtSeq() > 0);
    QVERIFY(bench.playToEnd());
    QCOMPARE(bench.finished.first().first().toBool(), true);
    QCOMPARE(bench.runner.failures(), 0);
    // The peer's calls are in the trace under its name, from the start the stage replays.
    bool accepted = false;
    bool firstSeen = false;
    for (const Event& e : bench.workbench.trace().events(bench.runner.peers().startedAtSeq())) {
        if (e.actor == QLatin1String("web") && e.request.kind == CallKind::Socket)
            firstSeen = true;
        if (e.actor == QLatin1String("web") && e.kind == EventKind::CallFinished &&
            e.request.kind == CallKind::Accept && e.result.ok())
            accepted = true;
    }
    QVERIFY(firstSeen);
    QVERIFY(accepted);
}

void LessonPeersTest::resetStartsThePeerAfresh()
{
    Bench bench;
    LOAD(bench, kWebLesson);
    QVERIFY(readyAfterLoad(bench));
    QVERIFY(bench.playToEnd());
    const QList<SocketId> before = bench.runner.peers().peer(QStringLiteral("web"))->sockets();
    QVERIFY(!before.isEmpty());
    bench.resetDone.clear();
    bench.finished.clear();
    bench.runner.reset();
    QVERIFY(readyAfterLoad(bench));
    // Every socket of the old peer is closed; a new one listens.
    QVERIFY(waitUntil([&] {
        return std::none_of(before.begin(), before.end(),
                            [&](SocketId id) { return bench.workbench.socket(id)->open; });
    }));
    services::Peer* again = bench.runner.peers().peer(QStringLiteral("web"));
    QVERIFY(again && again->isListening());
    QVERIFY(!before.contains(again->sockets().first()));
    QCOMPARE(bench.runner.names().value(QStringLiteral("web")).elements()[1].integer,
             qint64(again->address().port()));
    QVERIFY(bench.playToEnd());
    QCOMPARE(bench.runner.failures(), 0);
}

void LessonPeersTest::outsidePeerInsteadOfBuiltIn()
{
    Bench bench;
    // A server that is not the lesson's: as if it ran in another program or on another host.
    auto outside = services::Peer::create(QStringLiteral("course-web"), bench.workbench,
                                          QStringLiteral("elsewhere"));
    QSignalSpy listening(outside.get(), &services::Peer::listening);
    outside->start();
    QVERIFY(listening.count() || listening.wait());
    bench.runner.peers().setOutside(QStringLiteral("web"), outside->address());
    LOAD(bench, kWebLesson);
    QVERIFY(readyAfterLoad(bench));
    QVERIFY(bench.runner.peers().peers().isEmpty()); // nothing of its own was started
    QSignalSpy served(outside.get(), &services::Peer::connectionFinished);
    QVERIFY(bench.playToEnd());
    QCOMPARE(bench.runner.failures(), 0);
    QVERIFY(served.count() || served.wait());
}

void LessonPeersTest::silentClientGetsTheEnd()
{
    // The course's example 1 never sends its request. course-web waits a bounded time
    // for it, then closes: recv() returns b''.
    Bench bench;
    bench.runner.peers().setRequestTimeout(std::chrono::milliseconds(200));
    LOAD(bench, R"(# peer: web = course-web
import socket
s = socket.socket()
s.connect(web)
data = s.recv(1024)
assert data == b''
s.close()
)");
    QVERIFY(readyAfterLoad(bench));
    QVERIFY(bench.playToEnd());
    QCOMPARE(bench.runner.failures(), 0);
}

void LessonPeersTest::lessonWithoutPeersIsUnchanged()
{
    Bench bench;
    LOAD(bench, kExchange);
    // No peer: the reset was done at once, as before.
    QCOMPARE(bench.runner.mode(), Runner::Mode::Idle);
    QCOMPARE(bench.runner.peers().startedAtSeq(), quint64(0));
    QVERIFY(bench.runner.peers().peers().isEmpty());
    QVERIFY(bench.playToEnd());
    QCOMPARE(bench.runner.failures(), 0);
}

QTEST_GUILESS_MAIN(LessonPeersTest)
#include "tst_lessonpeers.moc"
