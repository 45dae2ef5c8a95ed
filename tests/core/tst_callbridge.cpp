// The call bridge: programs run on the real python3 with every socket call performed by
// the workbench, and print exactly what the same program prints under plain python3.
#include "program/backendprocess.h"
#include "program/callbridge.h"
#include "program/interpreter.h"

#include "engine/workbench.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace sockbench;
using namespace sockbench::program;

namespace {

struct RunResult {
    QString out;
    QString err;
    int exitCode = -1;
    bool callsEnded = false;
};

// Every program prints END last: the output is complete once it has.
const QString kEnd = QStringLiteral("END\n");

// The very interpreter the backend runs on: messages differ between CPython releases
// (3.11.2 says "timestamp too large to convert to C _PyTime_t" where 3.11.7 says
// "timestamp out of range for platform time_t"), and the claim is "as this python3 says".
QString plainPython()
{
    return interpreter().path;
}

RunResult runPlain(const QString& source)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("program.py"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(source.toUtf8());
    file.close();
    QProcess python;
    python.start(plainPython(), {path});
    if (!python.waitForFinished(20000))
        python.kill();
    return {QString::fromUtf8(python.readAllStandardOutput()),
            QString::fromUtf8(python.readAllStandardError()), python.exitCode()};
}

using OnStarted = std::function<void(CallBridge&, CallId, const QString&)>;

RunResult runInWorkbench(Workbench& bench, const QString& source, QList<qint64>* tids = nullptr,
                         const OnStarted& onStarted = {})
{
    RunResult outcome;
    BackendProcess backend;
    CallBridge bridge(bench, backend, [](qint64) { return QStringLiteral("main"); });
    QObject::connect(
        &backend, &BackendProcess::rawOutput, &backend,
        [&](const QString& text, bool isError) { (isError ? outcome.err : outcome.out) += text; });
    // What the program prints through sys.stdout/sys.stderr comes as `out` frames.
    QObject::connect(&backend, &BackendProcess::frameReceived, &backend,
                     [&](const QJsonObject& m, const QByteArray&) {
                         if (m.value(QStringLiteral("t")).toString() != QLatin1String("out"))
                             return;
                         const bool isError = m.value(QStringLiteral("stream")).toString() ==
                                              QLatin1String("stderr");
                         (isError ? outcome.err : outcome.out) +=
                             m.value(QStringLiteral("text")).toString();
                     });
    QSignalSpy started(&bridge, &CallBridge::callStarted);
    QSignalSpy ended(&bridge, &CallBridge::callEnded);
    QSignalSpy exited(&backend, &BackendProcess::exited);
    if (onStarted)
        QObject::connect(
            &bridge, &CallBridge::callStarted, &backend,
            [&](qint64, CallId call, const QString& text) { onStarted(bridge, call, text); });
    QString error;
    if (!backend.start({{"source", source}, {"filename", "program.py"}, {"mode", "free"}},
                       QString(), &error)) {
        outcome.err = error;
        return outcome;
    }
    if (!exited.wait(20000)) {
        backend.kill();
        exited.wait(5000);
        outcome.err += QStringLiteral("\n(the program did not end)");
    }
    if (!exited.isEmpty())
        outcome.exitCode = exited.at(0).at(0).toInt();
    // Output comes through the event loop: wait for its end marker (or give up).
    for (int i = 0; i < 100 && !outcome.out.endsWith(kEnd); ++i)
        QTest::qWait(20);
    // Every call that started has ended (checked by the caller through callsEnded).
    for (int i = 0; i < 250 && ended.size() < started.size(); ++i)
        QTest::qWait(20);
    outcome.callsEnded = ended.size() == started.size() && !started.isEmpty();
    if (tids)
        for (const auto& args : started)
            tids->append(args.at(0).toLongLong());
    bridge.closeAll();
    return outcome;
}

} // namespace

class TestCallBridge : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (!interpreter().ok())
            QFAIL(qPrintable(interpreter().error));
    }

    void sameAsPython_data();
    void sameAsPython()
    {
        QFETCH(QString, source);
        const RunResult plain = runPlain(source);
        QVERIFY2(plain.out.endsWith(kEnd), qPrintable(plain.out + plain.err));
        Workbench bench;
        const RunResult bridged = runInWorkbench(bench, source);
        if (bridged.out != plain.out)
            qWarning().noquote() << "in the workbench:\n"
                                 << bridged.out << "\nstderr:\n"
                                 << bridged.err;
        QCOMPARE(bridged.out, plain.out);
        QCOMPARE(bridged.exitCode, plain.exitCode);
        QVERIFY(bridged.callsEnded);
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

void TestCallBridge::sameAsPython_data()
{
    QTest::addColumn<QString>("source");
    QTest::newRow("two threads: accept, connect, send, recv, close")
        << QStringLiteral(R"(import socket, threading
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(('127.0.0.1', 0))
srv.listen(1)
port = srv.getsockname()[1]
print(srv.family, srv.type, srv.proto, srv.gettimeout(), srv.getblocking(), srv.fileno() > 2)
def serve():
    conn, addr = srv.accept()
    print('accepted from', addr[0], type(addr[1]).__name__, conn.family, conn.type)
    data = conn.recv(1024)
    conn.sendall(data.upper())
    conn.close()
t = threading.Thread(target=serve)
t.start()
c = socket.socket()
c.connect(('127.0.0.1', port))
c.sendall(b'hello')
print(c.recv(1024))
print(c.getpeername() == ('127.0.0.1', port))
print(c.recv(1024))
t.join()
c.close()
srv.close()
c.close()
print(c.fileno(), c)
print('END')
)");
    QTest::newRow("with, create_server, create_connection, makefile")
        << QStringLiteral(R"(import socket, threading
with socket.create_server(('127.0.0.1', 0)) as srv:
    port = srv.getsockname()[1]
    def serve():
        conn, _ = srv.accept()
        with conn, conn.makefile('rwb') as f:
            line = f.readline()
            f.write(b'echo: ' + line)
            f.flush()
    t = threading.Thread(target=serve)
    t.start()
    with socket.create_connection(('127.0.0.1', port)) as c:
        c.sendall(b'one line\nrest')
        r = c.makefile('r')
        print(repr(r.readline()))
        r.close()
    print(c)
    t.join()
print('END')
)");
    QTest::newRow("select and socketserver")
        << QStringLiteral(R"(import socket, socketserver, threading, select
class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        line = self.rfile.readline()
        self.wfile.write(line[::-1])
with socketserver.TCPServer(('127.0.0.1', 0), Handler) as server:
    t = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.05})
    t.start()
    c = socket.create_connection(server.server_address)
    r, w, x = select.select([c], [], [], 0)
    print('readable before', r == [])
    c.sendall(b'abc\n')
    r, w, x = select.select([c], [], [], 5)
    print('readable after', r == [c])
    print(c.recv(100))
    c.close()
    server.shutdown()
    t.join()
print('END')
)");
    QTest::newRow("timeout, recv_into, refused") << QStringLiteral(R"(import socket, time
s = socket.socket()
s.bind(('127.0.0.1', 0))
s.listen()
c = socket.socket()
c.settimeout(0.2)
c.connect(s.getsockname())
print(c.gettimeout(), c.getblocking(), c.timeout)
conn, _ = s.accept()
t0 = time.monotonic()
try:
    c.recv(10)
except TimeoutError as e:
    print('timeout', type(e).__name__, e, isinstance(e, socket.timeout), time.monotonic() - t0 >= 0.15)
conn.sendall(b'0123456789')
buf = bytearray(8)
print(c.recv_into(buf, 4), buf)
print(c.recv_into(memoryview(buf)[4:]), buf)
c.setblocking(False)
print(c.gettimeout(), c.getblocking())
c.recv(2)
try:
    c.recv(10)
except BlockingIOError as e:
    print(type(e).__name__, e.errno)
free = socket.socket()
free.bind(('127.0.0.1', 0))
port = free.getsockname()[1]
free.close()
r = socket.socket()
try:
    r.connect(('127.0.0.1', port))
except OSError as e:
    print(type(e).__name__, e.errno, e.strerror, e)
with socket.socket() as x:
    print(x.connect_ex(('127.0.0.1', port)))
for x in (c, conn, s, r):
    x.close()
print('END')
)");
    QTest::newRow("UDP sendto, recvfrom, recvfrom_into") << QStringLiteral(R"(import socket
a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
a.bind(('127.0.0.1', 0))
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
b.bind(('127.0.0.1', 0))
print(b.sendto(b'ping', a.getsockname()))
data, addr = a.recvfrom(100)
print(data, addr == b.getsockname(), a.type)
buf = bytearray(10)
a.sendto(b'pong!', addr)
n, frm = b.recvfrom_into(buf)
print(n, buf, frm == a.getsockname())
a.close()
b.close()
print('END')
)");
    QTest::newRow("http.client against http.server")
        << QStringLiteral(R"(import http.client, http.server, threading
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'hi there ' + self.path.encode()
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
srv = http.server.HTTPServer(('127.0.0.1', 0), Handler)
print(srv.server_name)
t = threading.Thread(target=srv.serve_forever, kwargs={'poll_interval': 0.05})
t.start()
conn = http.client.HTTPConnection('127.0.0.1', srv.server_port, timeout=5)
for path in ('/a', '/b'):
    conn.request('GET', path)
    r = conn.getresponse()
    print(r.status, r.reason, r.read())
conn.close()
srv.shutdown()
t.join()
srv.server_close()
print('END')
)");
    QTest::newRow("socketpair, dup, AF_UNIX, IPv6, names")
        << QStringLiteral(R"(import socket, os, tempfile
a, b = socket.socketpair()
a.sendall(b'x')
print(b.recv(1), a.family, a.type, b.family)
d = a.dup()
a.close()
d.sendall(b'y')
print(b.recv(1))
d.close()
print(b.recv(1))
b.close()
u1, u2 = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
u1.send(b'datagram')
print(u2.recv(100), u2.type)
u1.close()
u2.close()
path = os.path.join(tempfile.mkdtemp(), 'sock')
u = socket.socket(socket.AF_UNIX)
u.bind(path)
u.listen()
v = socket.socket(socket.AF_UNIX)
v.connect(path)
w, addr = u.accept()
print(repr(addr), u.getsockname() == path, v.getpeername() == path, w.getsockname() == path)
v.sendall(b'unix')
print(w.recv(10))
for x in (u, v, w):
    x.close()
os.unlink(path)
try:
    s6 = socket.socket(socket.AF_INET6)
    s6.bind(('::1', 0))
    print(s6.getsockname()[0], len(s6.getsockname()))
    s6.close()
except OSError as e:
    print('no IPv6 here', e.errno)
print(socket.getaddrinfo('127.0.0.1', 80, socket.AF_INET, socket.SOCK_STREAM))
try:
    print(socket.getaddrinfo('127.0.0.1', 'http', socket.AF_INET, socket.SOCK_DGRAM, 0, socket.AI_CANONNAME))
except socket.gaierror as e:
    print(type(e).__name__, e)
print(socket.getaddrinfo(None, 0, socket.AF_INET, socket.SOCK_STREAM, 0, socket.AI_PASSIVE))
print(socket.gethostbyname('localhost'), socket.gethostname() == os.uname().nodename)
print(socket.gethostbyaddr('127.0.0.1')[0])
try:
    socket.getaddrinfo('no-such-host.invalid', 80)
except socket.gaierror as e:
    print(type(e).__name__, e.errno)
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b'\x01\0\0\0\x05\0\0\0')
print(s.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 8))
print(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
s.close()
print('END')
)");
    QTest::newRow("kernel errors, blocking modes, big sends, any int option")
        << QStringLiteral(R"(import socket, threading, errno
def show(label, f):
    try:
        r = f()
        print(label, 'ok', r if not isinstance(r, socket.socket) else 'socket')
    except Exception as e:
        print(label, type(e).__name__, getattr(e, 'errno', None), e)
s = socket.socket()
show('accept unlistened', s.accept)
s.bind(('127.0.0.1', 0))
show('bind twice', lambda: s.bind(('127.0.0.1', 0)))
t = socket.socket()
show('addr in use', lambda: t.bind(s.getsockname()))
t.close()
s.listen()
s.setblocking(False)
show('accept nonblocking', s.accept)
c = socket.socket()
c.setblocking(False)
show('connect_ex nonblocking', lambda: c.connect_ex(s.getsockname()))
import select
select.select([s], [], [], 5)
s.setblocking(True)
conn, _ = s.accept()
select.select([], [c], [], 5)
show('connect again', lambda: c.connect_ex(s.getsockname()))
c.setblocking(True)
show('peek', lambda: (conn.sendall(b'peekaboo'), c.recv(4, socket.MSG_PEEK), c.recv(100))[1:])
got = []
def reader():
    n = 0
    while True:
        d = conn.recv(65536)
        if not d:
            break
        n += len(d)
    got.append(n)
r = threading.Thread(target=reader)
r.start()
show('sendall 1 MiB', lambda: c.sendall(b'x' * (1 << 20)))
c.shutdown(socket.SHUT_WR)
r.join()
print('reader got', got)
show('send after shutdown', lambda: c.send(b'x'))
conn.close()
show('recv after peer close', lambda: c.recv(10))
c.close()
s.close()
show('bad family', lambda: socket.socket(12345, socket.SOCK_STREAM))
print(sorted(set(socket.getaddrinfo('localhost', 80))))
k = socket.socket()
show('keepidle', lambda: (k.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 30),
                          k.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE)))
show('v6only on IPv4', lambda: k.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1))
show('ttl', lambda: (k.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 7), k.getsockopt(socket.IPPROTO_IP, socket.IP_TTL, 4)))
k.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
show('udp recvfrom timeout', lambda: (u.settimeout(0.05), u.recvfrom(10)))
show('udp getpeername', u.getpeername)
show('udp send unconnected', lambda: u.send(b'x'))
u.close()
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK)
print(sock.type, sock.gettimeout(), sock.getblocking())
sock.close()
socket.setdefaulttimeout(2.5)
d = socket.socket()
print(d.gettimeout(), socket.getdefaulttimeout())
d.close()
print('END')
)");
    QTest::newRow("argument errors and kernel errors") << QStringLiteral(R"(import socket
s = socket.socket()
def show(f):
    try:
        print('ok', f())
    except Exception as e:
        print(type(e).__name__ + ':', e)
show(lambda: s.settimeout(1e300))
show(lambda: s.settimeout(-1))
show(lambda: s.settimeout(float('nan')))
show(lambda: s.settimeout('x'))
show(lambda: s.bind(('127.0.0.1', 70000)))
show(lambda: s.bind('x'))
show(lambda: s.bind(('127.0.0.1',)))
show(lambda: s.bind(('127.0.0.1', 'x')))
show(lambda: s.recv(-1))
show(lambda: s.recv('a'))
show(lambda: s.recv_into(bytearray(2), 5))
show(lambda: s.recv_into(b'ab'))
show(lambda: s.send('text'))
show(lambda: s.sendto(b'x'))
show(lambda: s.listen('a'))
show(lambda: s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 'x'))
show(lambda: s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 5000))
show(lambda: s.shutdown(2**40))
show(lambda: s.connect(('127.0.0.1', -1)))
show(lambda: socket.socket(socket.AF_INET, 'x'))
show(lambda: socket.getaddrinfo('localhost', 1.5))
show(lambda: s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE))
show(lambda: s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1))
show(lambda: s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR))
show(lambda: s.recv(10))
show(lambda: s.getpeername())
show(lambda: s.shutdown(socket.SHUT_RDWR))
s.close()
show(lambda: s.recv(10))
show(lambda: s.close())
show(lambda: socket.inet_aton('127.0.0.1'))
show(lambda: socket.htons(80))
print(socket.timeout is TimeoutError, socket.error is OSError, socket.gaierror.__module__)
print('END')
)");
}

QTEST_GUILESS_MAIN(TestCallBridge)
#include "tst_callbridge.moc"
