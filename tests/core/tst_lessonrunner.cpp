// The lesson runner on real sockets: statements issued in file order, actors that wait
// behind their own blocked call while the others go on, stepping, playing, pauses,
// expectations, failures, deadlocks, reset and step back, and the memo that makes every
// call of a statement happen exactly once.

#include "runnersupport.h"

using namespace sockbench;
using namespace sockbench::lesson;
using namespace sockbench::lesson::test;

class TestLessonRunner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void statementsIssuedInFileOrder();
    void blockedActorWaitsWhileOthersGoOn();
    void stepIssuesExactlyOneStatement();
    void playStopsBeforePause();
    void playIgnoresPausesWhenTold();
    void runToLine();
    void expectedErrno();
    void expectationNotMet();
    void expectErrnoOrOk();
    void expectExceptionType_data();
    void expectExceptionType();
    void unexpectedErrorStopsTheActor();
    void withBlocksCloseWhenTheirBodyRaises();
    void failingAssert();
    void deadlock();
    void deadlockOfTwoActors();
    void timeoutIsNotADeadlock();
    void resetInterruptsAndCloses();
    void stepBack();
    void withBlockClosesItsSocket();
    void printArrivesThroughPrinted();
    void eachCallHappensOnce();
};

void TestLessonRunner::statementsIssuedInFileOrder()
{
    Bench b;
    LOAD(b, kExchange);
    QCOMPARE(b.runner.steps().size(), size_t(9));
    QVERIFY(b.playToEnd());
    QCOMPARE(b.finished.first().at(0).toBool(), true);
    QCOMPARE(only(b.log, QStringLiteral("issued")), sequence(QStringLiteral("issued"), 0, 8));
    QCOMPARE(b.runner.outcomes().size(), 9);
    for (const StepOutcome& o : b.runner.outcomes())
        QVERIFY2(o.kind == Kind::Ok, qPrintable(o.source + QStringLiteral(": ") + o.reason));
    QCOMPARE(OUTCOME(b, 5).value, QStringLiteral("b'hello'"));
    QCOMPARE(OUTCOME(b, 5).actor, QStringLiteral("server"));
    QCOMPARE(OUTCOME(b, 5).line, 8);
    QCOMPARE(b.runner.names().value(QStringLiteral("data")).bytes, QByteArray("hello"));
    QCOMPARE(b.runner.failures(), 0);
    QCOMPARE(b.runner.mode(), Runner::Mode::Finished);
}

void TestLessonRunner::blockedActorWaitsWhileOthersGoOn()
{
    Bench b;
    LOAD(b, kExchange);
    for (int i = 0; i < 5; ++i) // import, socket, bind, listen, accept
        QVERIFY(b.stepAndSettle());
    QCOMPARE(b.runner.nextStep(), 5);
    QCOMPARE(b.log.last(), QStringLiteral("blocked 4"));
    QVERIFY(!b.outcome(4));
    QCOMPARE(b.runner.actorState(QStringLiteral("server")),
             QStringLiteral("blocked in accept() at line 7"));

    // recv() is issued but waits behind the blocked accept(), as a thread's next line would.
    QVERIFY(b.stepAndSettle());
    QCOMPARE(b.runner.nextStep(), 6);
    QCOMPARE(b.runner.runningStep(QStringLiteral("server")), 4);
    QVERIFY(!b.outcome(5));

    // The client goes on meanwhile.
    QVERIFY(b.stepAndSettle());
    QCOMPARE(OUTCOME(b, 6).kind, Kind::Ok);
    QVERIFY(!b.outcome(4));

    // connect() releases accept(); then recv() runs and blocks until the data comes.
    QVERIFY(b.stepAndSettle());
    QVERIFY(waitUntil([&] { return b.outcome(4) && b.outcome(7); }));
    QCOMPARE(OUTCOME(b, 4).kind, Kind::Ok);
    QVERIFY(OUTCOME(b, 4).value.startsWith(QStringLiteral("(<socket.socket fd=")));
    QVERIFY(waitUntil([&] { return b.log.contains(QStringLiteral("blocked 5")); }));
    QVERIFY(b.indexOf(QStringLiteral("finished 4 ok")) < b.indexOf(QStringLiteral("blocked 5")));
    QVERIFY(b.indexOf(QStringLiteral("issued 5")) < b.indexOf(QStringLiteral("finished 4 ok")));

    QVERIFY(b.stepAndSettle());
    QVERIFY(b.finished.count() || b.finished.wait(kWaitMs));
    QCOMPARE(b.finished.first().at(0).toBool(), true);
    QCOMPARE(OUTCOME(b, 5).value, QStringLiteral("b'hello'"));
    // Blocked, then released: one blocked and one finished report for the step, in order.
    QCOMPARE(b.log.count(QStringLiteral("blocked 4")), 1);
    QCOMPARE(b.log.count(QStringLiteral("finished 4 ok")), 1);
    QVERIFY(b.indexOf(QStringLiteral("blocked 4")) < b.indexOf(QStringLiteral("finished 4 ok")));
    QCOMPARE(b.log.count(QStringLiteral("finished 5 ok")), 1);
    QVERIFY(b.indexOf(QStringLiteral("blocked 5")) < b.indexOf(QStringLiteral("finished 5 ok")));
}

void TestLessonRunner::stepIssuesExactlyOneStatement()
{
    Bench b;
    LOAD(b, kExchange);
    QSignalSpy issued(&b.runner, &Runner::stepIssued);
    QSignalSpy stepFinished(&b.runner, &Runner::stepFinished);
    for (int i = 0; i < 4; ++i) {
        QVERIFY(b.stepAndSettle());
        QCOMPARE(issued.count(), i + 1);
        QCOMPARE(issued.last().at(0).toInt(), i);
        QCOMPARE(stepFinished.count(), i + 1);
        QCOMPARE(b.runner.nextStep(), i + 1);
        QCOMPARE(b.runner.mode(), Runner::Mode::Idle);
    }
    QCOMPARE(b.runner.names().value(QStringLiteral("server")).kind, Value::Kind::Socket);
    QVERIFY(!b.runner.names().contains(QStringLiteral("client")));
    QCOMPARE(b.finished.count(), 0);
}

void TestLessonRunner::playStopsBeforePause()
{
    Bench b;
    LOAD(b, "import socket\na = 1\n# pause\n# Narration of the paused step.\nb = 2\nc = 3\n");
    b.runner.play();
    QVERIFY(b.pausedAt.count() || b.pausedAt.wait(kWaitMs));
    QCOMPARE(b.pausedAt.count(), 1);
    QCOMPARE(b.pausedAt.first().at(0).toInt(), 2);
    QCOMPARE(b.runner.nextStep(), 2);
    QCOMPARE(b.runner.mode(), Runner::Mode::Idle);
    QCOMPARE(b.runner.outcomes().size(), 2);
    QVERIFY(!b.runner.names().contains(QStringLiteral("b")));

    b.runner.play(); // the pause has been honoured: play goes on from it
    QVERIFY(b.finished.wait(kWaitMs));
    QCOMPARE(b.finished.first().at(0).toBool(), true);
    QCOMPARE(b.pausedAt.count(), 1);
    QCOMPARE(b.runner.names().value(QStringLiteral("c")).integer, 3);
}

void TestLessonRunner::playIgnoresPausesWhenTold()
{
    Bench b;
    LOAD(b, "a = 1\n# pause\nb = 2\n# pause\nc = 3\n");
    QVERIFY(b.playToEnd());
    QCOMPARE(b.pausedAt.count(), 0);
    QCOMPARE(b.runner.outcomes().size(), 3);
    QCOMPARE(b.finished.first().at(0).toBool(), true);
}

void TestLessonRunner::runToLine()
{
    Bench b;
    LOAD(b, "a = 1\nb = 2\n\nc = 3\nd = 4\ne = 5\n");
    b.runner.runToLine(5); // stops before the statement at line 5
    QVERIFY(waitUntil([&] { return b.runner.mode() == Runner::Mode::Idle; }));
    QCOMPARE(b.runner.nextStep(), 3);
    QCOMPARE(b.runner.outcomes().size(), 3);
    QVERIFY(b.runner.names().contains(QStringLiteral("c")));
    QVERIFY(!b.runner.names().contains(QStringLiteral("d")));

    b.runner.runToLine(3); // a blank line: the next statement at or after it is the one at 4
    QCOMPARE(b.runner.nextStep(), 3);
    QCOMPARE(b.runner.mode(), Runner::Mode::Idle);

    b.runner.runToLine(100); // past the end: runs to the end
    QVERIFY(b.finished.wait(kWaitMs));
    QCOMPARE(b.runner.outcomes().size(), 5);
}

void TestLessonRunner::expectedErrno()
{
    Bench b;
    LOAD(b, R"(import socket
first = socket.socket()
first.bind(('127.0.0.1', 0))
first.listen(1)
second = socket.socket()
# The port is taken.
# expect: EADDRINUSE
second.bind(('127.0.0.1', first.getsockname()[1]))
after = 'went on'
)");
    QVERIFY(b.playToEnd());
    const StepOutcome& o = OUTCOME(b, 5);
    QCOMPARE(o.kind, Kind::ExpectedError);
    QCOMPARE(o.line, 8);
    QCOMPARE(o.error.type, QStringLiteral("OSError"));
    QCOMPARE(o.error.message, QStringLiteral("[Errno 98] Address already in use"));
    QCOMPARE(o.error.expectName(), QStringLiteral("EADDRINUSE"));
    QCOMPARE(o.error.pos.line, 8);
    QVERIFY(o.reason.isEmpty());
    QVERIFY(o.ok());
    QCOMPARE(OUTCOME(b, 6).kind, Kind::Ok);
    QCOMPARE(b.finished.first().at(0).toBool(), true);
    QCOMPARE(b.runner.failures(), 0);
}

void TestLessonRunner::expectationNotMet()
{
    Bench b;
    LOAD(b, R"(import socket
s = socket.socket()
# expect: EADDRINUSE
s.bind(('127.0.0.1', 0))
s.listen(1)
)");
    QVERIFY(b.playToEnd());
    const StepOutcome& o = OUTCOME(b, 2);
    QCOMPARE(o.kind, Kind::Failed);
    QCOMPARE(o.reason, QStringLiteral("expected EADDRINUSE, but it succeeded"));
    QVERIFY(o.error.type.isEmpty());
    // No exception was raised: the actor goes on.
    QCOMPARE(OUTCOME(b, 3).kind, Kind::Ok);
    QCOMPARE(b.runner.failures(), 1);
    QCOMPARE(b.finished.first().at(0).toBool(), false);
}

void TestLessonRunner::expectErrnoOrOk()
{
    Bench b;
    LOAD(b, R"(import socket
a = socket.socket()
# expect: EACCES or ok
a.bind(('127.0.0.1', 0))
a.listen(1)
c = socket.socket()
# expect: EADDRINUSE or ok
c.bind(('127.0.0.1', a.getsockname()[1]))
# expect: ECONNREFUSED or EADDRINUSE
c.bind(('127.0.0.1', a.getsockname()[1]))
)");
    QVERIFY(b.playToEnd());
    QCOMPARE(OUTCOME(b, 2).kind, Kind::Ok);
    QCOMPARE(OUTCOME(b, 2).value, QStringLiteral("None"));
    QCOMPARE(OUTCOME(b, 5).kind, Kind::ExpectedError);
    QCOMPARE(OUTCOME(b, 5).error.expectName(), QStringLiteral("EADDRINUSE"));
    QCOMPARE(OUTCOME(b, 6).kind, Kind::ExpectedError);
    QCOMPARE(b.finished.first().at(0).toBool(), true);
}

void TestLessonRunner::expectExceptionType_data()
{
    QTest::addColumn<QString>("expect");
    QTest::addColumn<QString>("statement");
    QTest::addColumn<QString>("message");
    QTest::newRow("OverflowError") << "OverflowError"
                                   << "s.bind(('127.0.0.1', 70000))"
                                   << "bind(): port must be 0-65535.";
    QTest::newRow("TypeError") << "TypeError"
                               << "s.sendall('text')"
                               << "a bytes-like object is required, not 'str'";
    QTest::newRow("NameError") << "NameError"
                               << "s.bind(address)"
                               << "name 'address' is not defined";
    QTest::newRow("AttributeError") << "AttributeError"
                                    << "s.nosuch()"
                                    << "'socket' object has no attribute 'nosuch'";
    QTest::newRow("ValueError") << "ValueError"
                                << "a, b = (1, 2, 3)"
                                << "too many values to unpack (expected 2)";
    QTest::newRow("AssertionError") << "AssertionError"
                                    << "assert 1 == 2"
                                    << "1 == 2 is false";
    QTest::newRow("errno alternative") << "EADDRINUSE or TypeError"
                                       << "s.send('x')"
                                       << "a bytes-like object is required, not 'str'";
}

void TestLessonRunner::expectExceptionType()
{
    QFETCH(QString, expect);
    QFETCH(QString, statement);
    QFETCH(QString, message);
    Bench b;
    LOAD(b, QStringLiteral("import socket\ns = socket.socket()\n# expect: %1\n%2\nafter = 1\n")
                .arg(expect, statement)
                .toUtf8());
    QVERIFY(b.playToEnd());
    const StepOutcome& o = OUTCOME(b, 2);
    QVERIFY2(o.kind == Kind::ExpectedError, qPrintable(o.reason));
    QVERIFY(expect.contains(o.error.type));
    QCOMPARE(o.error.message, message);
    QCOMPARE(o.error.pos.line, 4);
    QCOMPARE(OUTCOME(b, 3).kind, Kind::Ok);
    QCOMPARE(b.finished.first().at(0).toBool(), true);
    QVERIFY(o.calls.isEmpty()); // refused before anything reached the kernel
}

void TestLessonRunner::unexpectedErrorStopsTheActor()
{
    Bench b;
    LOAD(b, R"(import socket

# --- client ---
closed = socket.socket()
closed.bind(('127.0.0.1', 0))
client = socket.socket()
client.connect(('127.0.0.1', closed.getsockname()[1]))
client.sendall(b'never')
print('never')

# --- other ---
other = 'still runs'
print(other)
)");
    QVERIFY(b.playToEnd());
    QCOMPARE(b.finished.first().at(0).toBool(), false);
    const StepOutcome& o = OUTCOME(b, 4);
    QCOMPARE(o.kind, Kind::Failed);
    QCOMPARE(o.error.type, QStringLiteral("ConnectionRefusedError"));
    QCOMPARE(o.reason, QStringLiteral("unexpected ConnectionRefusedError: [Errno 111] Connection "
                                      "refused"));
    QCOMPARE(o.calls.size(), 2); // getsockname() and connect()
    for (int step : {5, 6}) {
        QCOMPARE(OUTCOME(b, step).kind, Kind::Skipped);
        QCOMPARE(OUTCOME(b, step).reason, QStringLiteral("not run: client stopped at line 7"));
    }
    QCOMPARE(OUTCOME(b, 7).kind, Kind::Ok);
    QCOMPARE(OUTCOME(b, 8).kind, Kind::Ok);
    QCOMPARE(b.printed, QStringList{QStringLiteral("other: still runs")});
    QCOMPARE(b.runner.actorState(QStringLiteral("client")), QStringLiteral("stopped at line 7"));
    QCOMPARE(b.runner.failures(), 1);
    QCOMPARE(b.callsFinished(CallKind::SendAll), 0);
}

void TestLessonRunner::withBlocksCloseWhenTheirBodyRaises()
{
    // As in Python: the exception leaves each with block through its __exit__, which
    // closes the socket; the rest of the thread does not run.
    Bench b;
    LOAD(b, R"(import socket

# --- client ---
closed = socket.socket()
closed.bind(('127.0.0.1', 0))
with socket.socket() as outer:
    with socket.socket() as inner:
        inner.connect(('127.0.0.1', closed.getsockname()[1]))
        print('never')
    print('never either')
print('after')
)");
    QVERIFY(b.playToEnd());
    QCOMPARE(b.finished.first().at(0).toBool(), false);
    QCOMPARE(OUTCOME(b, 5).kind, Kind::Failed);
    QCOMPARE(OUTCOME(b, 5).error.type, QStringLiteral("ConnectionRefusedError"));
    QCOMPARE(OUTCOME(b, 6).kind, Kind::Skipped);
    QCOMPARE(OUTCOME(b, 7).kind, Kind::Ok); // inner.close(), the end of the inner block
    QCOMPARE(OUTCOME(b, 7).source, QStringLiteral("inner.close()  # end of the with block"));
    QCOMPARE(OUTCOME(b, 8).kind, Kind::Skipped);
    QCOMPARE(OUTCOME(b, 9).kind, Kind::Ok); // outer.close()
    QCOMPARE(OUTCOME(b, 10).kind, Kind::Skipped);
    QVERIFY(b.printed.isEmpty());
    QCOMPARE(b.callsFinished(CallKind::Close), 2); // `closed` was in no with block
    QCOMPARE(b.runner.failures(), 1);
    QCOMPARE(b.runner.actorState(QStringLiteral("client")), QStringLiteral("stopped at line 8"));

    // A with block's own close that fails has left that block: a later sibling block's
    // close is not on the way out, the enclosing block's is.
    Bench c;
    LOAD(c, R"(import socket

# --- a ---
with socket.socket() as a:
    with socket.socket() as b:
        b = 1
    with socket.socket() as other:
        print('never')
    print('never either')
)");
    QVERIFY(c.playToEnd());
    QCOMPARE(OUTCOME(c, 4).kind, Kind::Failed); // b.close() on an int
    QCOMPARE(OUTCOME(c, 4).error.type, QStringLiteral("AttributeError"));
    for (int step : {5, 6, 7, 8})
        QCOMPARE(OUTCOME(c, step).kind, Kind::Skipped);
    QCOMPARE(OUTCOME(c, 9).kind, Kind::Ok); // a.close()
    QCOMPARE(c.runner.failures(), 1);
}

void TestLessonRunner::failingAssert()
{
    Bench b;
    LOAD(b, R"(data = b'hello'
assert data == b'bye'
after = 1
)");
    QVERIFY(b.playToEnd());
    const StepOutcome& o = OUTCOME(b, 1);
    QCOMPARE(o.kind, Kind::Failed);
    QCOMPARE(o.error.type, QStringLiteral("AssertionError"));
    QCOMPARE(o.reason, QStringLiteral("unexpected AssertionError: b'hello' == b'bye' is false"));
    QCOMPARE(OUTCOME(b, 2).kind, Kind::Skipped);
    QCOMPARE(b.finished.first().at(0).toBool(), false);

    Bench m;
    LOAD(m, "x = 'a'\nassert len(x) != 1, 'x has ' + str(len(x)) + ' character'\n");
    QVERIFY(m.playToEnd());
    QCOMPARE(OUTCOME(m, 1).reason, QStringLiteral("unexpected AssertionError: x has 1 character"));
}

void TestLessonRunner::deadlock()
{
    Bench b;
    LOAD(b, R"(import socket

# --- server ---
server = socket.socket()
server.bind(('127.0.0.1', 0))
server.listen(1)
conn, addr = server.accept()
print('never')
)");
    b.runner.setStopAtPauses(false);
    b.runner.play();
    QVERIFY(b.deadlocked.wait(kWaitMs));
    QCOMPARE(b.deadlocked.count(), 1);
    QCOMPARE(b.deadlocked.first().at(0).toString(),
             QStringLiteral("The lesson is stuck: server waits in accept() at line 7, and no "
                            "statement is left that could let it go on. A real program would "
                            "wait here forever; the workbench interrupts the waiting calls."));
    QVERIFY(b.finished.count() || b.finished.wait(kWaitMs));
    QCOMPARE(b.finished.first().at(0).toBool(), false);
    QCOMPARE(OUTCOME(b, 4).kind, Kind::Interrupted);
    QCOMPARE(OUTCOME(b, 4).error.expectName(), QStringLiteral("interrupted"));
    QCOMPARE(OUTCOME(b, 5).kind, Kind::Skipped);
    QVERIFY(b.printed.isEmpty());
    QVERIFY(b.runner.failures() >= 1);
    QVERIFY(b.workbench.pendingCalls().isEmpty());
}

void TestLessonRunner::deadlockOfTwoActors()
{
    Bench b;
    LOAD(b, R"(import socket
listener = socket.socket()
listener.bind(('127.0.0.1', 0))
listener.listen(1)

# --- client ---
client = socket.socket()
client.connect(listener.getsockname())

# --- server ---
conn, addr = listener.accept()

# --- client ---
reply = client.recv(10)

# --- server ---
request = conn.recv(10)
)");
    QVERIFY(b.playToEnd());
    QCOMPARE(b.deadlocked.count(), 1);
    QCOMPARE(b.deadlocked.first().at(0).toString(),
             QStringLiteral("The lesson is stuck: client waits in recv() at line 14; server waits "
                            "in recv() at line 17, and no statement is left that could let it go "
                            "on. A real program would wait here forever; the workbench interrupts "
                            "the waiting calls."));
    QCOMPARE(b.finished.first().at(0).toBool(), false);
    QCOMPARE(OUTCOME(b, 7).kind, Kind::Interrupted);
    QCOMPARE(OUTCOME(b, 8).kind, Kind::Interrupted);
}

void TestLessonRunner::timeoutIsNotADeadlock()
{
    Bench b;
    // Longer than the runner's quiet wait, so a deadlock would be declared if it counted.
    static_assert(Runner::kDeadlockQuietMs < 2000);
    LOAD(b, R"(import socket
server = socket.socket()
server.bind(('127.0.0.1', 0))
server.listen(1)
server.settimeout(2.0)
# expect: timeout
server.accept()
)");
    QVERIFY(b.playToEnd());
    QCOMPARE(b.deadlocked.count(), 0);
    const StepOutcome& o = OUTCOME(b, 5);
    QCOMPARE(o.kind, Kind::ExpectedError);
    QCOMPARE(o.error.type, QStringLiteral("TimeoutError"));
    QCOMPARE(o.error.message, QStringLiteral("timed out"));
    QCOMPARE(o.error.expectName(), QStringLiteral("timeout"));
    QCOMPARE(b.finished.first().at(0).toBool(), true);
}

void TestLessonRunner::resetInterruptsAndCloses()
{
    Bench b;
    // Warm the workbench up (resolver, watcher) so that the count below is the lesson's.
    EXPECT_OK(RUN(b.workbench, SocketId{}, calls::gethostname()));
    const int fdsBefore = openDescriptors(); // the janitor, made at a close, needs none
    LOAD(b, kExchange);
    for (int i = 0; i < 5; ++i)
        QVERIFY(b.stepAndSettle());
    QCOMPARE(b.log.last(), QStringLiteral("blocked 4"));
    QVERIFY(b.stepAndSettle()); // recv() queued behind accept()
    QVERIFY(b.stepAndSettle()); // the client's socket
    QCOMPARE(b.runner.sockets().size(), 2);
    QVERIFY(openDescriptors() > fdsBefore);
    QCOMPARE(socketDescriptors(), 2);
    QCOMPARE(b.workbench.pendingCalls().size(), 1);

    b.runner.reset();
    QVERIFY(b.resetDone.count() || b.resetDone.wait(kWaitMs));
    QCOMPARE(b.resetDone.count(), 1);
    QCOMPARE(b.runner.mode(), Runner::Mode::Idle);
    QCOMPARE(b.runner.nextStep(), 0);
    QVERIFY(b.runner.outcomes().isEmpty());
    QVERIFY(b.runner.names().isEmpty());
    QVERIFY(b.runner.sockets().isEmpty());
    QCOMPARE(b.runner.failures(), 0);
    QCOMPARE(b.runner.actorState(QStringLiteral("server")), QStringLiteral("idle"));
    QVERIFY(b.workbench.pendingCalls().isEmpty());
    const auto sockets = b.workbench.sockets();
    QCOMPARE(sockets.size(), 2);
    for (const Workbench::SocketInfo& info : sockets)
        QVERIFY(!info.open);
    QCOMPARE(socketDescriptors(), 0);
    QVERIFY2(b.descriptorsBackTo(fdsBefore),
             qPrintable(QStringLiteral("%1 descriptors, %2 before the lesson")
                            .arg(openDescriptors())
                            .arg(fdsBefore)));
    // The interrupted accept() reported nothing after the reset.
    QVERIFY(!b.log.contains(QStringLiteral("finished 4 interrupted")));

    // Clean: the lesson runs again, green.
    b.log.clear();
    QVERIFY(b.playToEnd());
    QCOMPARE(b.finished.first().at(0).toBool(), true);
    QCOMPARE(only(b.log, QStringLiteral("issued")), sequence(QStringLiteral("issued"), 0, 8));
    QCOMPARE(OUTCOME(b, 5).value, QStringLiteral("b'hello'"));

    b.runner.reset();
    QVERIFY(b.resetDone.count() == 2 || b.resetDone.wait(kWaitMs));
    for (const Workbench::SocketInfo& info : b.workbench.sockets())
        QVERIFY(!info.open);
    QCOMPARE(socketDescriptors(), 0);
    QVERIFY(b.descriptorsBackTo(fdsBefore));
}

void TestLessonRunner::stepBack()
{
    const char* lesson = R"(import socket
s = socket.socket()
s.bind(('127.0.0.1', 0))
x = b'ab' * 2
y = x[1:]
n = len(y)
)";
    Bench fresh; // what three steps leave behind
    LOAD(fresh, lesson);
    for (int i = 0; i < 3; ++i)
        QVERIFY(fresh.stepAndSettle());

    Bench b;
    LOAD(b, lesson);
    for (int i = 0; i < 4; ++i)
        QVERIFY(b.stepAndSettle());
    QVERIFY(b.runner.names().contains(QStringLiteral("x")));
    b.runner.stepBack();
    QVERIFY(b.resetDone.count() || b.resetDone.wait(kWaitMs));
    QVERIFY(waitUntil([&] { return b.runner.mode() == Runner::Mode::Idle; }));
    QCOMPARE(b.runner.nextStep(), 3);
    QCOMPARE(b.runner.outcomes().size(), fresh.runner.outcomes().size());
    for (qsizetype i = 0; i < b.runner.outcomes().size(); ++i) {
        const StepOutcome& mine = b.runner.outcomes()[i];
        const StepOutcome& theirs = fresh.runner.outcomes()[i];
        QCOMPARE(mine.step, theirs.step);
        QCOMPARE(mine.kind, theirs.kind);
        QCOMPARE(mine.kind, Kind::Ok);
        if (mine.step != 1) // the socket's repr carries its descriptor
            QCOMPARE(mine.value, theirs.value);
    }
    QStringList names = b.runner.names().keys();
    names.sort();
    QCOMPARE(names, (QStringList{QStringLiteral("s"), QStringLiteral("socket")}));
    QVERIFY(!b.runner.names().contains(QStringLiteral("x")));
    // Only the replayed socket is open; the first run's is closed.
    int open = 0;
    for (const Workbench::SocketInfo& info : b.workbench.sockets())
        open += info.open;
    QCOMPARE(open, 1);

    // Stepping on from there reaches what the first run had.
    QVERIFY(b.stepAndSettle());
    QCOMPARE(b.runner.names().value(QStringLiteral("x")).bytes, QByteArray("abab"));
    b.runner.stepBack();
    b.runner.stepBack(); // ignored while the first one resets
    QVERIFY(waitUntil(
        [&] { return b.runner.mode() == Runner::Mode::Idle && b.runner.nextStep() == 3; }));
    QVERIFY(b.playToEnd());
    QCOMPARE(b.runner.names().value(QStringLiteral("n")).integer, 3);
}

void TestLessonRunner::withBlockClosesItsSocket()
{
    Bench b;
    LOAD(b, R"(import socket
with socket.socket() as s:
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
fd = s.fileno()
)");
    QCOMPARE(b.runner.steps().size(), size_t(6));
    QCOMPARE(b.runner.steps()[4].synthetic, true);
    QCOMPARE(b.runner.steps()[4].source, QStringLiteral("s.close()  # end of the with block"));
    QCOMPARE(b.runner.steps()[4].pos.line, 2);
    QVERIFY(b.playToEnd());
    QCOMPARE(b.finished.first().at(0).toBool(), true);
    QCOMPARE(only(b.log, QStringLiteral("finished")),
             (QStringList{QStringLiteral("finished 0 ok"), QStringLiteral("finished 1 ok"),
                          QStringLiteral("finished 2 ok"), QStringLiteral("finished 3 ok"),
                          QStringLiteral("finished 4 ok"), QStringLiteral("finished 5 ok")}));
    QVERIFY(b.runner.names().value(QStringLiteral("port")).integer > 0);
    QCOMPARE(OUTCOME(b, 5).value, QStringLiteral("-1")); // Python: a closed socket's fileno()
    QCOMPARE(b.callsFinished(CallKind::Close), 1);
    const auto sockets = b.workbench.sockets();
    QCOMPARE(sockets.size(), 1);
    QVERIFY(!sockets.first().open);
}

void TestLessonRunner::printArrivesThroughPrinted()
{
    Bench b;
    LOAD(b, R"(print('hello', 42, b'x', None)

# --- server ---
print('a', 'b', sep='-', end='!\n')
print('two\nlines')
print()
)");
    QVERIFY(b.playToEnd());
    QCOMPARE(
        b.printed,
        (QStringList{QStringLiteral("main: hello 42 b'x' None"), QStringLiteral("server: a-b!"),
                     QStringLiteral("server: two\nlines"), QStringLiteral("server: ")}));
    QCOMPARE(OUTCOME(b, 0).value, QStringLiteral("None"));
}

void TestLessonRunner::eachCallHappensOnce()
{
    Bench b;
    LOAD(b, R"(import socket
server = socket.socket()
server.bind(('127.0.0.1', 0))
server.listen(1)
client = socket.socket()
client.connect(('127.0.0.1', server.getsockname()[1]))
print('ports', server.getsockname()[1] == client.getpeername()[1], len(client.getsockname()))
)");
    QVERIFY(b.playToEnd());
    QCOMPARE(b.finished.first().at(0).toBool(), true);
    QCOMPARE(b.callsFinished(CallKind::Socket), 2);
    QCOMPARE(b.callsFinished(CallKind::Connect), 1);
    QCOMPARE(b.callsFinished(CallKind::GetSockName), 3);
    QCOMPARE(b.callsFinished(CallKind::GetPeerName), 1);
    QCOMPARE(OUTCOME(b, 5).calls.size(), 2);
    QCOMPARE(OUTCOME(b, 6).calls.size(), 3);
    QCOMPARE(b.printed, QStringList{QStringLiteral("main: ports True 2")});
}

QTEST_GUILESS_MAIN(TestLessonRunner)
#include "tst_lessonrunner.moc"
