// Session files: what a real exchange recorded comes back field for field, and a file that
// is broken, cut short or from a newer version gets one clear sentence, never a crash.

#include "engine/trace.h"
#include "program/runner.h"
#include "session/eventjson.h"
#include "session/recording.h"
#include "session/sessionfile.h"
#include "testsupport.h"

#include <QJsonDocument>

#include <netinet/in.h>

using namespace sockbench;
using namespace sockbench::test;

class SessionFileTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void realExchangeRoundTrips();
    void everyAddressFamilyRoundTrips();
    void everySocketTypeAndAStructOptionRoundTrip();
    void brokenFilesAreRefused_data();
    void brokenFilesAreRefused();
    void truncatedFileSaysWhere();
    void aRunIsRecordedWithTheProgramAsItStands();
    void aVersion1FileStillOpens();
    void severalProgramsAreAllRecorded();

private:
    sessionfile::RecordedSession recorded();
    QList<Event> m_events;
};

void SessionFileTest::initTestCase()
{
    // A real exchange on loopback: connect, accept, send, recv, an error, resolver calls.
    Workbench bench;
    const Connected c = connectedPair(bench);
    QVERIFY(c.client.isValid());
    EXPECT_OK(RUN(bench, c.client, calls::sendAll(QByteArray("GET /\r\n\0\xff", 9))));
    EXPECT_OK(RUN(bench, c.server, calls::recv(1024)));
    EXPECT_OK(RUN(bench, c.server, calls::settimeout(0.5)));
    const SocketId other = makeSocket(bench);
    EXPECT_ERRNO(
        RUN(bench, other, calls::bind(QStringLiteral("127.0.0.1"), c.listenAddress.port())),
        "EADDRINUSE");
    EXPECT_OK(RUN(bench, SocketId{},
                  calls::getaddrinfo(QStringLiteral("localhost"), QStringLiteral("80"))));
    EXPECT_OK(RUN(bench, c.client, calls::shutdown(SHUT_WR)));
    EXPECT_OK(RUN(bench, c.client, calls::close()));
    m_events = bench.trace().events();
    QVERIFY(m_events.size() > 10);
}

sessionfile::RecordedSession SessionFileTest::recorded()
{
    sessionfile::RecordedSession s;
    s.lessonName = QStringLiteral("experiment");
    s.title = QStringLiteral("My experiment");
    s.script = QStringLiteral("import socket\ns = socket.socket()\n");
    s.savedBy = QStringLiteral("Socket Workbench test");
    s.savedAt = QStringLiteral("2026-11-23T14:00:00Z");
    s.socketNames.insert(SocketId{1}, QStringLiteral("server"));
    s.statements << sessionfile::RecordedStatement{1,
                                                   2,
                                                   QStringLiteral("you"),
                                                   QStringLiteral("s = socket.socket()"),
                                                   QStringLiteral("ok"),
                                                   QStringLiteral("<socket>"),
                                                   {CallId{1}},
                                                   0,
                                                   QStringLiteral("you"),
                                                   3};
    s.events = m_events;
    return s;
}

void SessionFileTest::realExchangeRoundTrips()
{
    const auto original = recorded();
    const QByteArray bytes = sessionfile::write(original);
    auto read = sessionfile::read(bytes, QStringLiteral("s.sockbench"));
    if (const auto* why = std::get_if<QString>(&read))
        QFAIL(qPrintable(*why));
    const auto& back = std::get<sessionfile::RecordedSession>(read);
    QCOMPARE(back.script, original.script);
    QCOMPARE(back.title, original.title);
    QCOMPARE(back.socketNames, original.socketNames);
    QCOMPARE(back.statements.size(), 1);
    QCOMPARE(back.statements[0].line, 2);
    QCOMPARE(back.statements[0].calls, QList<CallId>{CallId{1}});
    QCOMPARE(back.statements[0].thread, QStringLiteral("you"));
    QCOMPARE(back.statements[0].beforeSeq, quint64(3));
    QCOMPARE(back.events.size(), original.events.size());
    for (qsizetype i = 0; i < back.events.size(); ++i) {
        const QJsonObject a = eventjson::toJson(original.events[i]);
        const QJsonObject b = eventjson::toJson(back.events[i]);
        QVERIFY2(a == b, qPrintable(QString::fromUtf8(QJsonDocument(a).toJson()) +
                                    QString::fromUtf8(QJsonDocument(b).toJson())));
    }
    // And the fields a view reads, compared directly rather than through JSON.
    for (qsizetype i = 0; i < back.events.size(); ++i) {
        const Event& a = original.events[i];
        const Event& b = back.events[i];
        QCOMPARE(b.seq, a.seq);
        QCOMPARE(b.timeNs, a.timeNs);
        QCOMPARE(b.kind, a.kind);
        QCOMPARE(b.socket, a.socket);
        QCOMPARE(b.request.kind, a.request.kind);
        QCOMPARE(b.request.args.payload, a.request.args.payload);
        QCOMPARE(b.result.outcome, a.result.outcome);
        QCOMPARE(b.result.errorName(), a.result.errorName());
        QCOMPARE(b.result.address, a.result.address);
        QCOMPARE(b.result.addrInfo.size(), a.result.addrInfo.size());
        QCOMPARE(b.payload, a.payload);
        QCOMPARE(b.payloadSize, a.payloadSize);
        QCOMPARE(b.kernel, a.kernel);
        QCOMPARE(b.localAddress, a.localAddress);
        QCOMPARE(b.peerAddress, a.peerAddress);
    }
    // The bytes with a NUL and a 0xff inside came back exactly.
    const auto recv = std::find_if(back.events.begin(), back.events.end(), [](const Event& e) {
        return e.kind == EventKind::CallFinished && e.request.kind == CallKind::Recv;
    });
    QVERIFY(recv != back.events.end());
    QCOMPARE(recv->payload, QByteArray("GET /\r\n\0\xff", 9));
    // Writing what was read gives the same file.
    QCOMPARE(sessionfile::write(back), bytes);
}

void SessionFileTest::everyAddressFamilyRoundTrips()
{
    const Endpoint addresses[] = {
        Endpoint(),
        *Endpoint::parseLiteral(QStringLiteral("127.0.0.1"), 4000, AddressFamily::Inet4),
        Endpoint::inet6(
            Endpoint::parseLiteral(QStringLiteral("::1"), 0, AddressFamily::Inet6)->ipv6(), 4000, 7,
            1),
        *Endpoint::parseLiteral(QStringLiteral("::ffff:127.0.0.1"), 80, AddressFamily::Inet6),
        Endpoint::unixPath(QByteArray("/tmp/sockbench.sock")),
        Endpoint::unixPath(QByteArray("\0abstract", 9)),
    };
    for (const Endpoint& e : addresses) {
        QString why;
        const auto back = eventjson::endpointFromJson(eventjson::endpointToJson(e), &why);
        QVERIFY2(back, qPrintable(why));
        QCOMPARE(*back, e);
        QCOMPARE(back->flowInfo(), e.flowInfo());
        QCOMPARE(back->scopeId(), e.scopeId());
    }
}

void SessionFileTest::everySocketTypeAndAStructOptionRoundTrip()
{
    for (const SocketType type :
         {SocketType::Stream, SocketType::Datagram, SocketType::SeqPacket}) {
        Event e;
        e.seq = 1;
        e.request.kind = CallKind::Socket;
        e.request.args.family = AddressFamily::Unix;
        e.request.args.type = type;
        QString why;
        const auto back = eventjson::fromJson(eventjson::toJson(e), &why);
        QVERIFY2(back, qPrintable(why));
        QCOMPARE(int(back->request.args.type), int(type));
    }
    // IP_ADD_MEMBERSHIP's value is a struct ip_mreq: its 8 bytes are kept as they were given.
    Event e;
    e.seq = 1;
    e.request.kind = CallKind::SetSockOpt;
    e.request.args.option = SocketOption::Integer;
    e.request.args.optionLevel = IPPROTO_IP;
    e.request.args.optionNumber = IP_ADD_MEMBERSHIP;
    e.request.args.payload = QByteArray("\xef\x01\x02\x03\x7f\x00\x00\x01", 8);
    QString why;
    const auto back = eventjson::fromJson(eventjson::toJson(e), &why);
    QVERIFY2(back, qPrintable(why));
    QCOMPARE(back->request.args.payload, e.request.args.payload);
    QCOMPARE(optionValueText(back->request.args),
             QStringLiteral("b'\\xef\\x01\\x02\\x03\\x7f\\x00\\x00\\x01'"));
}

void SessionFileTest::brokenFilesAreRefused_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("says");
    const QByteArray good = sessionfile::write(recorded());
    auto edited = [&](const QByteArray& from, const QByteArray& to) {
        QByteArray copy = good;
        const qsizetype at = copy.indexOf(from);
        Q_ASSERT(at >= 0);
        return copy.replace(at, from.size(), to);
    };
    QTest::newRow("empty") << QByteArray() << QStringLiteral("s.sockbench: the file is empty");
    QTest::newRow("not json") << QByteArray("import socket\n")
                              << QStringLiteral("not a readable session file: illegal value");
    QTest::newRow("a lesson script, not a session")
        << QByteArray("{\"script\": \"x\"}") << QStringLiteral("not a Socket Workbench session");
    QTest::newRow("newer version") << edited("\"version\": 2", "\"version\": 3")
                                   << QStringLiteral("saved by a newer Socket Workbench (session "
                                                     "format version 3); this one reads version 2");
    QTest::newRow("version zero") << edited("\"version\": 2", "\"version\": 0")
                                  << QStringLiteral("\"version\" must be a whole number from 1");
    QTest::newRow("no events") << edited("\"events\"", "\"evens\"")
                               << QStringLiteral("no \"events\" list");
    QTest::newRow("unknown event kind")
        << edited("\"kind\": \"finished\"", "\"kind\": \"exploded\"")
        << QStringLiteral("event 1: \"kind\" must be one of blocked, finished, observed, not "
                          "\"exploded\"");
    QTest::newRow("unknown call") << edited("\"call\": \"socket\"", "\"call\": \"teleport\"")
                                  << QStringLiteral("\"request\": \"call\" names no call");
    QTest::newRow("bad bytes") << edited("\"payload\": \"", "\"payload\": \"!!")
                               << QStringLiteral("\"payload\" is not base64");
    QTest::newRow("bad address") << edited("\"address\": \"127.0.0.1\"", "\"address\": \"1.2.3\"")
                                 << QStringLiteral("\"1.2.3\" is not an AF_INET address");
    QTest::newRow("out of order") << edited("\"seq\": 2,", "\"seq\": 1,")
                                  << QStringLiteral("event 2: \"seq\" 1 does not follow 1");
    QTest::newRow("negative seq") << edited("\"seq\": 1,", "\"seq\": -1,")
                                  << QStringLiteral("event 1: \"seq\" must be 1 or more");
    QTest::newRow("a number too large to be exact")
        << edited("\"seq\": 1,", "\"seq\": 1e300,")
        << QStringLiteral("\"seq\" must be a whole number");
    QTest::newRow("negative dropped events")
        << edited("\"events\": [", "\"dropped_events\": -5, \"events\": [")
        << QStringLiteral("\"dropped_events\" must be a whole number from 0");
    QTest::newRow("a step's moment that is no number")
        << edited("\"before_seq\": 3", "\"before_seq\": -3")
        << QStringLiteral("statement 1: its \"before_seq\" must be a whole number from 0");
    QTest::newRow("a step of a program the file does not hold")
        << edited("\"before_seq\": 3", "\"before_seq\": 3, \"program\": 4")
        << QStringLiteral("statement 1: its \"program\" is not one of the file's programs");
    QTest::newRow("programs that are not a list")
        << edited("\"sockets\": [", "\"programs\": 7, \"sockets\": [")
        << QStringLiteral("\"programs\" must be a list");
    QTest::newRow("a string for a number") << edited("\"seq\": 2,", "\"seq\": \"two\",")
                                           << QStringLiteral("\"seq\" must be a whole number");

    // The format's limits hold on read: a file costs what a window could have recorded.
    auto payloadOf = [&](qsizetype bytes) {
        // The old value stays behind under a key the reader ignores.
        return edited("\"payload\": \"",
                      "\"payload\": \"" + QByteArray(bytes, 'x').toBase64() + "\", \"was\": \"");
    };
    QTest::newRow("a payload one byte over 64 KiB")
        << payloadOf(64 * 1024 + 1)
        << QStringLiteral("\"payload\" holds 65537 bytes; the format allows at most 65536");
    QTest::newRow("a 64 MiB payload")
        << payloadOf(64 * 1024 * 1024)
        << QStringLiteral("\"payload\" is 89478488 characters long; the format allows at most "
                          "87384");
    QTest::newRow("a 100 000-character actor")
        << edited("\"actor\": \"", "\"actor\": \"" + QByteArray(100000, 'a') + "\", \"was\": \"")
        << QStringLiteral("\"actor\" is 100000 characters long; the format allows at most 200");
    QTest::newRow("a 100 000-character socket name")
        << edited("\"name\": \"", "\"name\": \"" + QByteArray(100000, 's'))
        << QStringLiteral("the format allows at most 200");
    QTest::newRow("a five-megabyte script")
        << edited("\"script\": \"", "\"script\": \"" + QByteArray(5 << 20, '#'))
        << QStringLiteral("characters long; the format allows at most 4194304");
    QByteArray manyEvents;
    for (int i = 0; i <= Trace::kMaxEvents; ++i)
        manyEvents += "{},";
    QTest::newRow("more events than a trace keeps")
        << edited("\"events\": [", "\"events\": [" + manyEvents)
        << QStringLiteral("events; a trace keeps at most 250000");
}

void SessionFileTest::brokenFilesAreRefused()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, says);
    const auto read = sessionfile::read(file, QStringLiteral("s.sockbench"));
    QVERIFY(std::holds_alternative<QString>(read));
    const QString message = std::get<QString>(read);
    QVERIFY2(message.startsWith(QStringLiteral("s.sockbench:")), qPrintable(message));
    QVERIFY2(message.contains(says), qPrintable(message));
    QVERIFY2(!message.contains(QLatin1Char('\n')), "one line");
}

void SessionFileTest::truncatedFileSaysWhere()
{
    // A file cut off anywhere - a full disk, a copy that stopped - is refused with the
    // line and column where it ends.
    const QByteArray good = sessionfile::write(recorded());
    for (const double fraction : {0.1, 0.5, 0.9, 0.999}) {
        const QByteArray cut = good.left(qsizetype(double(good.size()) * fraction));
        const auto read = sessionfile::read(cut, QStringLiteral("cut.sockbench"));
        QVERIFY(std::holds_alternative<QString>(read));
        const QString message = std::get<QString>(read);
        const int lines = int(cut.count('\n')) + 1;
        QVERIFY2(message.startsWith(QStringLiteral("cut.sockbench:%1:").arg(lines)) ||
                     message.startsWith(QStringLiteral("cut.sockbench:%1:").arg(lines - 1)),
                 qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("cut short")), qPrintable(message));
    }
}

void SessionFileTest::aRunIsRecordedWithTheProgramAsItStands()
{
    // program::Runner: the program's text with a click's statement appended, its title, one
    // recorded statement per step taken (none yet), and the file reads back the same.
    Workbench bench;
    program::Runner runner(bench);
    auto described = program::describe(QStringLiteral("# title: Recorded\nimport socket\n"),
                                       QStringLiteral("recorded.py"));
    QVERIFY(std::holds_alternative<program::Lesson>(described));
    runner.load({std::get<program::Lesson>(described)});
    QString error;
    QVERIFY2(runner.insertStatement(QStringLiteral("main"), QStringLiteral("s1 = socket.socket()"),
                                    &error) > 0,
             qPrintable(error));
    const auto s = sessionfile::recordRun(runner, QStringLiteral("recorded"), {});
    QCOMPARE(s.title, QStringLiteral("Recorded"));
    QVERIFY(s.script.startsWith(QStringLiteral("# title: Recorded\nimport socket\n")));
    QVERIFY(s.script.contains(QStringLiteral("s1 = socket.socket()")));
    QCOMPARE(s.statements.size(), int(runner.steps().size()));
    auto back = sessionfile::read(sessionfile::write(s), QStringLiteral("recorded.sockbench"));
    QVERIFY(std::holds_alternative<sessionfile::RecordedSession>(back));
    QCOMPARE(std::get<sessionfile::RecordedSession>(back).script, s.script);
}

void SessionFileTest::aVersion1FileStillOpens()
{
    // Written before a step was a line event: no thread, no moment; it opens, and replays by
    // call as it always did (beforeSeq 0).
    auto v1 = recorded();
    v1.statements[0].thread.clear();
    v1.statements[0].beforeSeq = 0;
    QByteArray bytes = sessionfile::write(v1);
    QVERIFY(bytes.contains("\"version\": 2"));
    bytes.replace("\"version\": 2", "\"version\": 1");
    const auto read = sessionfile::read(bytes, QStringLiteral("old.sockbench"));
    if (const auto* why = std::get_if<QString>(&read))
        QFAIL(qPrintable(*why));
    const auto& back = std::get<sessionfile::RecordedSession>(read);
    QCOMPARE(back.statements.size(), 1);
    QCOMPARE(back.statements[0].beforeSeq, quint64(0));
    QCOMPARE(back.statements[0].line, 2);
}

void SessionFileTest::severalProgramsAreAllRecorded()
{
    auto s = recorded();
    s.programs << sessionfile::RecordedProgram{QStringLiteral("server.py"), s.script}
               << sessionfile::RecordedProgram{QStringLiteral("client.py"),
                                               QStringLiteral("import socket\n")};
    s.statements[0].program = 1;
    const auto read = sessionfile::read(sessionfile::write(s), QStringLiteral("two.sockbench"));
    if (const auto* why = std::get_if<QString>(&read))
        QFAIL(qPrintable(*why));
    const auto& back = std::get<sessionfile::RecordedSession>(read);
    QCOMPARE(back.programs.size(), 2);
    QCOMPARE(back.programs[1].fileName, QStringLiteral("client.py"));
    QCOMPARE(back.programs[1].script, QStringLiteral("import socket\n"));
    QCOMPARE(back.statements[0].program, 1);
}

QTEST_GUILESS_MAIN(SessionFileTest)
#include "tst_sessionfile.moc"
