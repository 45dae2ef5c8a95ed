// Lessons with built-in peers: "# peer: web = course-web" starts the peer before the first
// line runs, binds the name to its address in the program, and every reset starts it afresh.

#include "lesson/lessonpeers.h"
#include "program/lesson.h"
#include "program/runner.h"
#include "services/peer.h"
#include "testsupport.h"

#include <QSignalSpy>

using namespace sockbench;
using namespace sockbench::lesson;
using namespace sockbench::test;

namespace {

constexpr int kWaitMs = 20000;

const char* const kWebLesson = R"(# title: web
# peer: web = course-web
import socket

# --- client ---
print(web)
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(web)
s.sendall(b'GET /5062CEM.php?lecturer=Ian%20Cornelius \r\n')
data = s.recv(1024)
assert data == b'<html>\n<head>\n\t<title>5062CEM - Networking Demo</title>\n</head>\n<body>\nHello Ian Cornelius, and welcome to 5062CEM!</body>\n'
rest = s.recv(10)
assert rest == b''
s.close()
)";

// A workbench, a runner on it, and what the program printed.
struct Bench {
    Workbench workbench;
    program::Runner runner{workbench};
    QString printed;
    QSignalSpy finished{&runner, &program::Runner::finished};

    Bench()
    {
        QObject::connect(&runner, &program::Runner::programOutput, &runner,
                         [this](int, bool, const QString& text) { printed += text; });
    }
    void load(const char* source)
    {
        auto described = program::describe(QString::fromUtf8(source), QStringLiteral("lesson.py"));
        QVERIFY(std::holds_alternative<program::Lesson>(described));
        runner.load({std::get<program::Lesson>(described)});
    }
    bool playToEnd()
    {
        finished.clear();
        runner.play();
        return finished.wait(kWaitMs);
    }
};

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
    auto ok = peerDeclarations({{"web", "course-web"}, {"e", "echo"}});
    QVERIFY(std::holds_alternative<QList<PeerDeclaration>>(ok));
    const auto& peers = std::get<QList<PeerDeclaration>>(ok);
    QCOMPARE(peers.size(), 2);
    QCOMPARE(peers[0].name, QStringLiteral("web"));
    QCOMPARE(peers[0].kind, QStringLiteral("course-web"));
    QCOMPARE(peers[1].kind, QStringLiteral("echo"));
    const struct {
        QList<std::pair<QString, QString>> peers;
        const char* says;
    } refused[] = {
        {{{"1web", "echo"}}, "should read"},
        {{{"web", "gopher"}}, "no built-in peer"},
        {{{"a", "echo"}, {"a", "daytime"}}, "two peers a"},
    };
    for (const auto& r : refused) {
        const auto result = peerDeclarations(r.peers);
        QVERIFY(std::holds_alternative<QString>(result));
        QVERIFY2(std::get<QString>(result).contains(QLatin1String(r.says)),
                 qPrintable(std::get<QString>(result)));
    }
    // describe() reads the header lines the same way.
    auto described = program::describe(QStringLiteral("# peer: web = course-web\nimport socket\n"),
                                       QStringLiteral("lesson.py"));
    QVERIFY(std::holds_alternative<program::Lesson>(described));
    QCOMPARE(std::get<program::Lesson>(described).peers,
             (QList<std::pair<QString, QString>>{{"web", "course-web"}}));
}

void LessonPeersTest::peerListensBeforeTheFirstStatement()
{
    Bench bench;
    bench.load(kWebLesson);
    QVERIFY(bench.playToEnd());
    QCOMPARE(bench.finished.first().first().toBool(), true);
    QCOMPARE(bench.runner.failures(), 0);
    services::Peer* peer = bench.runner.peers().peer(QStringLiteral("web"));
    QVERIFY(peer);
    // The program saw the peer's address as its global `web`.
    QCOMPARE(bench.printed, QStringLiteral("('127.0.0.1', %1)\n").arg(peer->address().port()));
    QVERIFY(bench.runner.peers().startedAtSeq() > 0);
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
    bench.load(kWebLesson);
    QVERIFY(bench.playToEnd());
    const QList<SocketId> before = bench.runner.peers().peer(QStringLiteral("web"))->sockets();
    QVERIFY(!before.isEmpty());
    bench.printed.clear();
    bench.runner.reset();
    QVERIFY(bench.playToEnd());
    QCOMPARE(bench.runner.failures(), 0);
    // Every socket of the old peer is closed; a new one listens, and the program saw it.
    QVERIFY(waitUntil([&] {
        return std::none_of(before.begin(), before.end(), [&](SocketId id) {
            const auto info = bench.workbench.socket(id);
            return info && info->open;
        });
    }));
    services::Peer* again = bench.runner.peers().peer(QStringLiteral("web"));
    QVERIFY(again && !before.contains(again->sockets().first()));
    QCOMPARE(bench.printed, QStringLiteral("('127.0.0.1', %1)\n").arg(again->address().port()));
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
    QSignalSpy served(outside.get(), &services::Peer::connectionFinished);
    bench.load(kWebLesson);
    QVERIFY(bench.playToEnd());
    QVERIFY(bench.runner.peers().peers().isEmpty()); // nothing of its own was started
    QCOMPARE(bench.runner.failures(), 0);
    QVERIFY(served.count() || served.wait());
}

void LessonPeersTest::silentClientGetsTheEnd()
{
    // The course's example 1 never sends its request. course-web waits a bounded time
    // for it, then closes: recv() returns b''.
    Bench bench;
    bench.runner.peers().setRequestTimeout(std::chrono::milliseconds(200));
    bench.load(R"(# peer: web = course-web
import socket
s = socket.socket()
s.connect(web)
data = s.recv(1024)
assert data == b''
s.close()
)");
    QVERIFY(bench.playToEnd());
    QCOMPARE(bench.runner.failures(), 0);
}

void LessonPeersTest::lessonWithoutPeersIsUnchanged()
{
    Bench bench;
    bench.load("import socket\ns = socket.socket()\ns.close()\n");
    QCOMPARE(bench.runner.peers().startedAtSeq(), quint64(0));
    QVERIFY(bench.runner.peers().peers().isEmpty());
    QVERIFY(bench.playToEnd());
    QCOMPARE(bench.runner.failures(), 0);
}

QTEST_GUILESS_MAIN(LessonPeersTest)
#include "tst_lessonpeers.moc"
