// The call bridge: programs run on the real python3 with every socket call performed by
// the workbench, and print exactly what the same program prints under plain python3.
#include "bridgerun.h"

using namespace sockbench;
using namespace sockbench::program;
using namespace sockbench::bridgetest;

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
