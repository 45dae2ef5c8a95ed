// The call bridge's hold on a running program: the trace holds its calls under its own
// descriptors, an interrupted call raises in the program, and closeAll() ends its sockets.
#include "bridgerun.h"


using namespace sockbench;
using namespace sockbench::program;
using namespace sockbench::bridgetest;

class TestCallBridgeControl : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (!interpreter().ok())
            QFAIL(qPrintable(interpreter().error));
    }

    void theTraceHoldsTheProgramsCalls()
    {
        Workbench bench;
        QList<qint64> tids;
        const RunResult run = runInWorkbench(bench, QStringLiteral(R"(import socket, threading
srv = socket.socket()
srv.bind(('127.0.0.1', 0))
srv.listen()
def serve():
    conn, _ = srv.accept()
    conn.sendall(conn.recv(10))
    conn.close()
t = threading.Thread(target=serve)
t.start()
c = socket.create_connection(srv.getsockname())
c.sendall(b'abc')
print(c.recv(10))
t.join()
c.close()
srv.close()
print('END')
)"),
                                             &tids);
        QCOMPARE(run.out, QStringLiteral("b'abc'\nEND\n"));
        QSet<CallKind> kinds;
        QSet<SocketId> sockets;
        for (const Event& e : bench.trace().events())
            if (e.kind == EventKind::CallFinished) {
                kinds.insert(e.request.kind);
                if (e.socket.isValid())
                    sockets.insert(e.socket);
            }
        for (CallKind kind : {CallKind::Socket, CallKind::Bind, CallKind::Listen, CallKind::Accept,
                              CallKind::Connect, CallKind::SendAll, CallKind::Recv, CallKind::Close,
                              CallKind::GetAddrInfo})
            QVERIFY2(kinds.contains(kind), qPrintable(callName(kind)));
        QCOMPARE(sockets.size(), 3); // listener, client, accepted connection
        // Two threads made calls: the main thread and the server thread.
        QCOMPARE(QSet<qint64>(tids.begin(), tids.end()).size(), 2);
        // Every socket ended closed: the program closed them all.
        for (SocketId id : sockets)
            QVERIFY(!bench.socket(id)->open);
    }

    void theTraceNamesEachSocketByTheProgramsOwnDescriptor()
    {
        // The card ("→ fd 5"), the C pane (bind(5, …)) and the program's repr (fd=5) must
        // name a socket one way: the trace records the descriptor the program holds, not
        // the workbench's copy of it. A thread blocked in accept() meanwhile is the hard
        // case: the number is the program's however the calls interleave.
        Workbench bench;
        const RunResult run = runInWorkbench(bench, QStringLiteral(R"(import socket, threading
srv = socket.socket()
left, right = socket.socketpair()
srv.bind(('127.0.0.1', 0))
srv.listen()
got = []
t = threading.Thread(target=lambda: got.append(srv.accept()[0]))
t.start()
c = socket.create_connection(srv.getsockname())
t.join()
print(srv.fileno(), left.fileno(), right.fileno(), c.fileno(), got[0].fileno())
print('END')
)"));
        QVERIFY2(run.out.endsWith(kEnd), qPrintable(run.out + run.err));
        const QStringList printed =
            run.out.section(QLatin1Char('\n'), 0, 0).split(QLatin1Char(' '));
        QCOMPARE(printed.size(), 5);
        QHash<CallKind, QStringList> recorded;
        for (const Event& e : bench.trace().events())
            if (e.kind == EventKind::CallFinished && e.result.ok()) {
                if (e.request.kind == CallKind::Socket || e.request.kind == CallKind::Accept ||
                    e.request.kind == CallKind::SocketPair)
                    recorded[e.request.kind] << QString::number(e.result.count);
                if (e.request.kind == CallKind::SocketPair)
                    recorded[e.request.kind] << QString::number(e.result.pairedFd);
            }
        QCOMPARE(recorded[CallKind::Socket], (QStringList{printed[0], printed[3]}));
        QCOMPARE(recorded[CallKind::SocketPair], (QStringList{printed[1], printed[2]}));
        QCOMPARE(recorded[CallKind::Accept], QStringList{printed[4]});
        // Still real descriptors of the program's, non-inheritable as python3's are.
        QVERIFY(printed[0].toInt() > 2);
    }

    void anInterruptedCallRaisesInterruptedError()
    {
        Workbench bench;
        QStringList texts;
        const RunResult run =
            runInWorkbench(bench, QStringLiteral(R"(import socket, errno
s = socket.socket()
s.bind(('127.0.0.1', 0))
s.listen()
try:
    s.accept()
except InterruptedError as e:
    print(type(e).__name__, e.errno == errno.EINTR, e.strerror)
s.close()
print('END')
)"),
                           nullptr, [&](CallBridge& bridge, CallId call, const QString& text) {
                               texts << text;
                               if (text == QLatin1String("accept()")) {
                                   QVERIFY(bridge.threadOf(call).has_value() ||
                                           !bridge.pendingCalls().contains(call));
                                   bridge.interruptAll();
                               }
                           });
        QCOMPARE(run.out,
                 QStringLiteral("InterruptedError True interrupted by the workbench\nEND\n"));
        QCOMPARE(texts,
                 (QStringList{QStringLiteral("socket(AF_INET, SOCK_STREAM)"),
                              QStringLiteral("bind(('127.0.0.1', 0))"), QStringLiteral("listen()"),
                              QStringLiteral("accept()"), QStringLiteral("close()")}));
    }

    void closeAllEndsEverySocketOfTheProgram()
    {
        Workbench bench;
        BackendProcess backend;
        CallBridge bridge(bench, backend, [](qint64) { return QStringLiteral("main"); });
        QSignalSpy started(&bridge, &CallBridge::callStarted);
        QSignalSpy exited(&backend, &BackendProcess::exited);
        QString error;
        QVERIFY2(backend.start({{"source", "import socket\n"
                                           "a, b = socket.socketpair()\n"
                                           "l = socket.create_server(('127.0.0.1', 0))\n"
                                           "print(b.recv(10))\n"},
                                {"filename", "reset.py"},
                                {"mode", "free"}},
                               QString(), &error),
                 qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(!started.isEmpty() &&
                                     started.last().at(2).toString() == QLatin1String("recv(10)"),
                                 20000);
        QCOMPARE(bridge.sockets().size(), 3);
        bridge.closeAll();
        QTRY_VERIFY_WITH_TIMEOUT(bridge.sockets().isEmpty(), 5000);
        backend.kill();
        QTRY_VERIFY_WITH_TIMEOUT(!exited.isEmpty(),
                                 5000); // it may have ended already: recv() raised
        for (const auto& info : bench.sockets())
            QVERIFY(!info.open);
    }
};

QTEST_GUILESS_MAIN(TestCallBridgeControl)
#include "tst_callbridge_control.moc"
