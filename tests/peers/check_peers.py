#!/usr/bin/env python3
"""`sockbench serve` from the outside, with real programs on the other end: python3
clients and servers, curl and nc. Every peer listens on 127.0.0.1 with a port the kernel
picks (port 0); every wait is bounded; nothing sleeps, every wait is on an event (a line, a
close, a process exit).

usage: check_peers.py SOCKBENCH_CLI CASE [CASE ...]
A case that cannot run here prints "SKIPPED: why" and exits 0 (CTest shows it skipped).
"""
import errno
import os
import pwd
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, 'fixtures')
SHIPPED = os.path.join(HERE, '..', '..', 'resources', 'lessons')
TIMEOUT = 20

cli = os.path.abspath(sys.argv[1])

PAGE = (b'<html>\n<head>\n\t<title>5062CEM - Networking Demo</title>\n</head>\n<body>\n'
        b'Hello, welcome to 5062CEM!</body>\n')
GREETING = (b'<html>\n<head>\n\t<title>5062CEM - Networking Demo</title>\n</head>\n<body>\n'
            b'Hello Ian Cornelius, and welcome to 5062CEM!</body>\n')
EXAMPLE_1 = b'GET /5062CEM.php\r\n'
EXAMPLE_2 = b'GET /5062CEM.php?lecturer=Ian%20Cornelius \r\n'


class Failure(Exception):
    pass


class Skip(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def equal(actual, expected, what):
    check(actual == expected, '%s: expected %r, got %r' % (what, expected, actual))


class Serve:
    """A `sockbench serve` process; its first line gives the address."""

    def __init__(self, *arguments, user=None):
        command = as_user(user, [cli, 'serve', *arguments])
        # Unbuffered bytes, read with os.read(): a line that a buffered reader had already
        # taken in would be no news to select(), and the next wait would be in vain.
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        bufsize=0)
        self.pending = b''
        self.first = self._line()
        match = re.fullmatch(r'listening on (\[[^\]]+\]|[^:]+):(\d+)', self.first or '')
        self.address = (match.group(1).strip('[]'), int(match.group(2))) if match else None

    def _line(self):
        """The next line of stdout; '' at its end; None if none came within TIMEOUT."""
        deadline = time.monotonic() + TIMEOUT
        while b'\n' not in self.pending:
            ready, _, _ = select.select([self.process.stdout], [], [],
                                        max(0, deadline - time.monotonic()))
            if not ready:
                return None
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                line, self.pending = self.pending, b''
                return line.decode()
            self.pending += chunk
        line, _, self.pending = self.pending.partition(b'\n')
        return line.decode()

    def line(self):
        return self._line()

    def _rest(self):
        out, err = self.process.communicate(timeout=TIMEOUT)
        out, self.pending = self.pending + out, b''
        return self.process.returncode, out.decode(), err.decode()

    def stop(self, number=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(number)
        return self._rest()

    def finished(self):
        """Waits for the process to end by itself (a refusal); returns status, stdout, stderr."""
        status, out, err = self._rest()
        return status, (self.first or '') + out, err

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.kill()  # our own child, by its pid
            self.process.communicate(timeout=TIMEOUT)


def serving(kind, *arguments):
    serve = Serve(kind, *arguments)
    if serve.address is None:
        status, out, err = serve.finished()
        raise Failure('serve %s did not start (%s): %s %s' % (kind, status, out, err))
    return serve


def client(address, kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    s.settimeout(TIMEOUT)
    if kind == socket.SOCK_STREAM:
        s.connect(address)
    return s


def read_to_end(s):
    data = b''
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return data
        data += chunk


def fetch(address, request):
    with client(address) as s:
        s.sendall(request)
        return read_to_end(s)


def tool(name):
    path = shutil.which(name)
    if not path:
        raise Skip('%s is not installed (make test installs it: apt-get install %s)' % (
            name, {'nc': 'netcat-openbsd'}.get(name, name)))
    return path


def run(command, data=None):
    return subprocess.run(command, input=data, capture_output=True, timeout=TIMEOUT)


def refused(arguments, says, what):
    result = subprocess.run([cli, 'serve', *arguments], capture_output=True, text=True,
                            timeout=TIMEOUT)
    equal(result.returncode, 2, 'exit status of %s' % what)
    equal(result.stdout, '', 'stdout of %s' % what)
    lines = result.stderr.strip().splitlines()
    check(len(lines) == 1 and lines[0].startswith('sockbench serve: ') and says in lines[0],
          '%s: expected one sentence saying %r, got %r' % (what, says, result.stderr))


# --- the cases -----------------------------------------------------------------------------

def case_first_line():
    with serving('course-web') as web:
        check(re.fullmatch(r'listening on 127\.0\.0\.1:\d+', web.first), web.first)
        check(web.address[1] != 0, 'port 0 became a real port')
        fetch(web.address, EXAMPLE_1)
        line = web.line()
        check(line.startswith('127.0.0.1:') and 'GET /5062CEM.php' in line and '200' in line,
              'a line per connection: %r' % line)
        status, out, err = web.stop()
        equal(status, 0, 'exit status after SIGTERM')
    listing = subprocess.run([cli, 'serve', '--list'], capture_output=True, text=True,
                             timeout=TIMEOUT)
    equal(listing.returncode, 0, 'exit status of serve --list')
    names = [line.split()[0] for line in listing.stdout.splitlines()]
    equal(names, ['course-web', 'echo', 'udp-echo', 'patient-receiver', 'daytime'], 'peers')


def case_course_bytes_python():
    with serving('course-web') as web:
        equal(fetch(web.address, EXAMPLE_1), PAGE, 'example 1, byte for byte')
        equal(fetch(web.address, EXAMPLE_2), GREETING, 'example 2, byte for byte')
        equal(fetch(web.address, b'GET /5062CEM.php?lecturer=Terry%20Richards \r\n'),
              PAGE.replace(b'Hello, welcome', b'Hello Terry Richards, and welcome'), 'another name')
        # The course's recv(1024) then recv(10) on one connection: the page, then b''.
        with client(web.address) as s:
            s.sendall(EXAMPLE_1)
            data = b''
            while len(data) < len(PAGE):
                chunk = s.recv(1024)
                check(chunk, 'the page ended early')
                data += chunk
            equal(data, PAGE, 'recv(1024)')
            equal(s.recv(10), b'', 'recv(10) after the whole page')


def case_curl():
    curl = tool('curl')
    with serving('course-web') as web:
        url = 'http://127.0.0.1:%d' % web.address[1]
        # The simple form: the first line curl sends is the course's request; the answer
        # has no status line, which curl takes only with --http0.9.
        for target, expected in (('/5062CEM.php', PAGE),
                                 ('/5062CEM.php?lecturer=Ian%20Cornelius ', GREETING)):
            result = run([curl, '-sS', '--http0.9', '--request-target', target + '\r\n', url + '/'])
            equal(result.returncode, 0, 'curl --http0.9 exit status (%s)' % result.stderr)
            equal(result.stdout, expected, 'curl --http0.9 %s' % target)
        # The same bytes through a raw connection (curl's telnet:// sends stdin as it is).
        result = run([curl, '-sS', 'telnet://127.0.0.1:%d' % web.address[1]], EXAMPLE_2)
        equal(result.stdout, GREETING, 'curl telnet:// example 2')
        # A browser-style request: status line, headers, the same body.
        result = run([curl, '-sS', '-i', url + '/5062CEM.php'])
        equal(result.returncode, 0, 'curl exit status (%s)' % result.stderr)
        head, _, body = result.stdout.partition(b'\r\n\r\n')
        lines = head.split(b'\r\n')
        equal(lines[0], b'HTTP/1.1 200 OK', 'status line')
        check(b'Content-Length: 105' in lines, 'Content-Length: %r' % lines)
        check(b'Content-Type: text/html; charset=utf-8' in lines, 'Content-Type: %r' % lines)
        equal(body, PAGE, 'the body')
        result = run([curl, '-sS', url + '/5062CEM.php?lecturer=Ian%20Cornelius'])
        equal(result.stdout, GREETING, 'curl with the query')
        result = run([curl, '-sS', '-o', os.devnull, '-w', '%{http_code}', url + '/nope'])
        equal(result.stdout, b'404', 'unknown path')
        result = run([curl, '-sS', '-o', os.devnull, '-w', '%{http_code}', '-X', 'DELETE',
                      url + '/5062CEM.php'])
        equal(result.stdout, b'405', 'DELETE')


def case_bad_requests():
    with serving('course-web', '--timeout', '0.3') as web:
        answer = fetch(web.address, b'this is not HTTP\r\n')
        check(answer.startswith(b'HTTP/1.1 400 Bad Request\r\n'), answer)
        # A client that sends nothing: closed after the stated wait. The test waits on the
        # close itself (recv() returns b''), bounded by its own timeout.
        started = time.monotonic()
        with client(web.address) as s:
            equal(s.recv(1024), b'', 'what a silent client gets')
        check(time.monotonic() - started >= 0.29, 'closed before the 0.3 s wait was over')
        status, out, err = web.stop()
        equal(status, 0, 'exit status')
        check('sent no complete request within 0.3 s' in out, out)


def case_concurrent():
    with serving('course-web') as web:
        idle = [client(web.address) for _ in range(8)]  # holding connections, saying nothing
        results = [None] * 40

        def one(i):
            try:
                results[i] = fetch(web.address, EXAMPLE_2 if i % 2 else EXAMPLE_1)
            except OSError as error:
                results[i] = error

        threads = [threading.Thread(target=one, args=(i,)) for i in range(len(results))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT)
        for i, result in enumerate(results):
            equal(result, GREETING if i % 2 else PAGE, 'client %d' % i)
        for s in idle:
            s.close()


def case_echo():
    with serving('echo') as echo:
        with client(echo.address) as s:
            s.sendall(b'hello')
            equal(s.recv(5), b'hello', 'echo')
            big = os.urandom(200000)
            writer = threading.Thread(target=lambda: (s.sendall(big), s.shutdown(socket.SHUT_WR)))
            writer.start()
            equal(read_to_end(s), big, 'the echo of 200000 bytes')
            writer.join(TIMEOUT)
    nc = tool('nc')
    with serving('echo') as echo:
        result = run([nc, '-N', '127.0.0.1', str(echo.address[1])], b'hello from nc')
        equal(result.stdout, b'hello from nc', 'nc through echo')


def case_udp_echo():
    with serving('udp-echo') as echo:
        check(re.fullmatch(r'listening on 127\.0\.0\.1:\d+', echo.first), echo.first)
        with client(echo.address, socket.SOCK_DGRAM) as s:
            for datagram in (b'one', b'two', b'x' * 1400, b''):
                s.sendto(datagram, echo.address)
                data, sender = s.recvfrom(65535)
                equal(data, datagram, 'datagram back')
                equal(sender, echo.address, 'sender')
    nc = tool('nc')
    with serving('udp-echo') as echo:
        result = run([nc, '-u', '-W', '1', '-w', '5', '127.0.0.1', str(echo.address[1])], b'ping')
        equal(result.stdout, b'ping', 'nc -u through udp-echo')


def case_patient_receiver():
    with serving('patient-receiver') as receiver:
        orig_data = b'determined!' * 250
        with client(receiver.address) as s:
            for at in range(0, len(orig_data), 1024):
                s.send(orig_data[at:at + 1024])
            s.shutdown(socket.SHUT_WR)
            equal(read_to_end(s), b'2750', 'the count, as ASCII digits')
    nc = tool('nc')
    with serving('patient-receiver') as receiver:
        result = run([nc, '-N', '127.0.0.1', str(receiver.address[1])], b'determined!')
        equal(result.stdout, b'11', 'nc through patient-receiver')


def case_daytime():
    pattern = rb'[A-Z][a-z]{2} [A-Z][a-z]{2} [ 123]\d \d\d:\d\d:\d\d \d{4}\r\n'
    with serving('daytime') as daytime:
        with client(daytime.address) as s:
            line = read_to_end(s)
        check(re.fullmatch(pattern, line), line)
    nc = tool('nc')
    with serving('daytime') as daytime:
        result = run([nc, '-d', '127.0.0.1', str(daytime.address[1])])
        check(re.fullmatch(pattern, result.stdout), result.stdout)


def case_sigterm():
    for number in (signal.SIGTERM, signal.SIGINT):
        with serving('echo') as echo:
            waiting = client(echo.address)  # the peer is blocked in recv() for it
            waiting.sendall(b'x')
            equal(waiting.recv(1), b'x', 'echo before the signal')
            status, out, err = echo.stop(number)
            equal(status, 0, 'exit status after %s' % number.name)
            check('every socket is closed' in err, err)
            equal(waiting.recv(10), b'', 'the connection was closed')
            waiting.close()
            probe = socket.socket()
            probe.settimeout(TIMEOUT)
            check(probe.connect_ex(echo.address) != 0, 'the port still listens')
            probe.close()


def case_port_in_use():
    holder = socket.socket()
    holder.bind(('127.0.0.1', 0))
    holder.listen(1)
    port = holder.getsockname()[1]
    try:
        refused(['echo', '--port', str(port)], 'in use', 'a port in use')
    finally:
        holder.close()


def as_user(user, command):
    """command run as user (a pwd entry) through setpriv, or as this process (None)."""
    if user is None:
        return command
    return ['setpriv', '--reuid=%d' % user.pw_uid, '--regid=%d' % user.pw_gid,
            '--clear-groups', '--', *command]


BIND = '''import errno, socket, sys
s = socket.socket()
try:
    s.bind((sys.argv[1], int(sys.argv[2])))
    print('ok')
except OSError as error:
    print(errno.errorcode.get(error.errno, error.errno))
'''


def bind_outcome(host, port, user=None):
    """The machine's own answer to bind((host, port)) - 'ok' or the errno's name - asked in
    this run of python3 running as user (None: this process). It is the oracle: the sysctls
    (ip_unprivileged_port_start, ip_nonlocal_bind), the user's capabilities and whoever
    holds the port all show in it, as they do for the workbench."""
    if user is None:
        with socket.socket() as s:
            try:
                s.bind((host, port))
                return 'ok'
            except OSError as error:
                return errno.errorcode.get(error.errno, str(error.errno))
    python = '/usr/bin/python3' if os.access('/usr/bin/python3', os.X_OK) else sys.executable
    result = subprocess.run(as_user(user, [python, '-c', BIND, host, str(port)]),
                            capture_output=True, text=True, timeout=TIMEOUT)
    if result.returncode != 0 or not result.stdout.strip():
        raise Skip('python3 cannot run as %s to ask the kernel first (%s)' % (
            user.pw_name, result.stderr.strip()))
    return result.stdout.strip()


def case_privileged_port():
    with open('/proc/sys/net/ipv4/ip_unprivileged_port_start') as f:
        start = int(f.read())
    if start <= 1:
        raise Skip('every port is unprivileged here (net.ipv4.ip_unprivileged_port_start=%d)'
                   % start)
    port = start - 1  # the highest privileged port: serve's sentence names this machine's line
    user = None
    if os.geteuid() == 0:  # root may bind anything: try as a user without privileges
        if not shutil.which('setpriv'):
            raise Skip('running as root and setpriv is missing, so no unprivileged user can try')
        user = pwd.getpwnam('nobody')
        probe = subprocess.run(as_user(user, [cli, '--version']), capture_output=True,
                               timeout=TIMEOUT)
        if probe.returncode != 0:
            raise Skip('the user nobody cannot run %s (%s)' % (cli, probe.stderr.decode().strip()))
    kernel = bind_outcome('127.0.0.1', port, user)
    with Serve('echo', '--port', str(port), user=user) as serve:
        if kernel == 'ok':  # a capability, or a sysctl: this user may bind it, and serve does
            check(serve.address == ('127.0.0.1', port),
                  'python3 binds port %d as this user, serve did not: %r' % (port, serve.first))
            return
        status, out, err = serve.finished()
    equal(status, 2, 'exit status for port %d, which python3 could not bind (%s)' % (port, kernel))
    says = {'EACCES': ('below %d are privileged' % start, 'CAP_NET_BIND_SERVICE'),
            'EADDRINUSE': ('in use',)}.get(kernel, (kernel,))
    lines = err.strip().splitlines()
    check(len(lines) == 1 and all(words in lines[0] for words in says),
          'python3 got %s; serve should say %r: %r' % (kernel, says, err))


def case_bad_host():
    refused(['echo', '--host', 'not a host'], 'is not an IP address or a host name', 'a bad host')
    # A literal that belongs to no interface: bind() says so, and sends nothing anywhere -
    # unless this machine lets any address be bound (net.ipv4.ip_nonlocal_bind). The same
    # bind() made here first says which.
    kernel = bind_outcome('203.0.113.7', 0)
    if kernel == 'ok':
        with Serve('echo', '--host', '203.0.113.7') as serve:
            check(serve.address and serve.address[0] == '203.0.113.7',
                  'python3 binds 203.0.113.7 here, serve did not: %r' % serve.first)
    else:
        says = 'not an address of this machine' if kernel == 'EADDRNOTAVAIL' else kernel
        refused(['echo', '--host', '203.0.113.7'], says, 'a foreign address')
    refused(['echo', '--port', '70000'], '0 to 65535', 'a port out of range')
    refused(['gopher'], 'no built-in peer called gopher', 'an unknown peer')
    refused([], 'which peer', 'no peer')


def case_every_interface():
    with Serve('echo', '--host', '0.0.0.0') as echo:
        check(re.fullmatch(r'listening on 0\.0\.0\.0:\d+', echo.first or ''), echo.first)
        port = echo.address[1]
        with client(('127.0.0.1', port)) as s:  # reached through loopback only
            s.sendall(b'hi')
            equal(s.recv(2), b'hi', 'echo')
        status, out, err = echo.stop()
        equal(status, 0, 'exit status')
        check('warning' in err and 'every interface' in err, err)


def case_lesson_against_serve():
    """A lesson's peer bound to a `serve` process (--peer): two programs, real sockets."""
    with serving('course-web') as web:
        for lesson in ('22-a-web-page-over-a-raw-socket.py', '24-what-is-left-after-the-page.py'):
            result = subprocess.run(
                [cli, 'run', os.path.join(SHIPPED, lesson), '--peer',
                 'web=127.0.0.1:%d' % web.address[1]],
                capture_output=True, text=True, timeout=60)
            equal(result.returncode, 0, '%s with --peer:\n%s%s' % (lesson, result.stdout,
                                                                  result.stderr))
            check('web    is a peer outside, at 127.0.0.1:%d' % web.address[1] in result.stdout,
                  result.stdout)
        # serve reports a connection once it has closed its side, which may well be after the
        # lesson is over: wait for the lines of all three (22 connects once, 24 twice).
        lines = []
        while sum('GET /5062CEM.php' in line for line in lines) < 3:
            line = web.line()
            check(line, 'serve saw the lessons connect only so often: %r' % lines)
            lines.append(line)
        web.stop()
    bad = subprocess.run([cli, 'run', '22', '--peer', 'nope=127.0.0.1:80'], capture_output=True,
                         text=True, timeout=TIMEOUT)
    equal(bad.returncode, 2, 'exit status for a --peer the lesson lacks')
    bad = subprocess.run([cli, 'run', '22', '--peer', 'web=somewhere'], capture_output=True,
                         text=True, timeout=TIMEOUT)
    equal(bad.returncode, 2, 'exit status for a malformed --peer')


def case_lesson_against_python_server():
    """A workbench client talks to a real python3 server; --peer points the lesson at it."""
    server = subprocess.Popen([sys.executable, '-c', r'''
import socket, sys, threading
s = socket.socket()
s.bind(('127.0.0.1', 0))
s.listen(8)
print(s.getsockname()[1], flush=True)
def serve(conn):
    with conn:
        while True:
            data = conn.recv(65536)
            if not data:
                return
            conn.sendall(data)
while True:
    conn, _ = s.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
'''], stdout=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([server.stdout], [], [], TIMEOUT)
        check(ready, 'the python3 server did not start')
        port = int(server.stdout.readline())
        result = subprocess.run([cli, 'run', os.path.join(FIXTURES, 'echo-across.py'), '--peer',
                                 'echo=127.0.0.1:%d' % port], capture_output=True, text=True,
                                timeout=60)
        equal(result.returncode, 0, 'the lesson against python3:\n%s%s' % (result.stdout,
                                                                          result.stderr))
    finally:
        server.kill()  # our own child, by its pid
        server.wait(TIMEOUT)


def process_use(pid):
    """(resident KiB, threads, open descriptors) of a process, as /proc says now."""
    with open('/proc/%d/status' % pid) as f:
        resident = int(re.search(r'^VmRSS:\s+(\d+) kB', f.read(), re.M).group(1))
    return (resident, len(os.listdir('/proc/%d/task' % pid)),
            len(os.listdir('/proc/%d/fd' % pid)))


def settled_use(pid):
    """process_use() once threads and descriptors hold still: a connection's lanes end and
    are joined a moment after its line is out. Bounded by TIMEOUT."""
    deadline = time.monotonic() + TIMEOUT
    last = process_use(pid)
    while time.monotonic() < deadline:
        select.select([], [], [], 0.05)
        now = process_use(pid)
        if now[1:] == last[1:]:
            return now
        last = now
    return last


def case_flat_memory():
    """A long-running server keeps flat memory: 3,000 connections one after another, as a
    browser reloading the course page would make them. Memory is compared between the
    1,000th and the 3,000th, when serve's trace is about at its cap (10,000 events, some
    ten a connection); threads and descriptors must come back to what the idle server
    had, or fewer. Nothing here is timed: the time an answer takes is sockbench-serve's benchmark's
    business (bench/serve_bench.py)."""
    count, middle = 3000, 1000
    # Before the fix every connection kept some 80 KiB for good (its reads' 64 KiB buffers
    # in the trace, its registry entry): 2,000 connections took 160 MB. With the trace at
    # its cap, closed connections forgotten and one malloc arena, it moves by less than
    # 0.1 MB here (by 2 MB with an arena per thread). 16 MB leaves room for another
    # machine's allocator and is still half of what a leak of 8 KiB a connection would add.
    allowed_kib = 16 * 1024
    with serving('course-web') as web:
        pid = web.process.pid
        for i in range(1, count + 1):
            equal(fetch(web.address, EXAMPLE_1), PAGE, 'answer %d' % i)
            line = web.line()  # one per connection, read as it comes: the pipe never fills
            check(line and 'GET /5062CEM.php' in line, 'line %d: %r' % (i, line))
            if i == 10:  # every worker the idle server keeps (the janitor too) exists now
                idle = settled_use(pid)
            if i == middle:
                at_middle = process_use(pid)
        after = settled_use(pid)
        # Fewer may be left: a worker idle for a second ends (core/engine/lane.h).
        check(after[1] <= idle[1], 'threads after %d connections: %d (idle: %r)' % (
            count, after[1], idle))
        equal(after[2], idle[2], 'descriptors after %d connections (idle: %r)' % (count, idle))
        grown = after[0] - at_middle[0]
        # AddressSanitizer holds freed memory in its quarantine (256 MB) on purpose, so
        # resident memory says nothing there; the plain build's run of this test checks it.
        with open('/proc/%d/maps' % pid) as maps:
            if 'libasan' in maps.read():
                allowed_kib = 1 << 30
        check(grown < allowed_kib, 'resident memory grew by %d KiB between connection %d and '
              '%d (%d KiB then, %d KiB now); %d KiB allowed' % (
                  grown, middle, count, at_middle[0], after[0], allowed_kib))
        status, out, err = web.stop()
        equal(status, 0, 'exit status after SIGTERM')
        check('every socket is closed' in err, err)


CASES = {name[len('case_'):].replace('_', '-'): f for name, f in sorted(globals().items())
         if name.startswith('case_')}


def main():
    names = sys.argv[2:] or sorted(CASES)
    for name in names:
        try:
            CASES[name]()
        except Skip as why:
            print('SKIPPED: %s: %s' % (name, why))
            continue
        except Failure as failure:
            sys.exit('%s: FAILED: %s' % (name, failure))
        print('%s: ok' % name)


if __name__ == '__main__':
    main()
