#!/usr/bin/env python3
"""`sockbench serve course-web` over many connections, against the same server written the
plain way (sockbench-serve-baseline: blocking calls, a thread per connection) in the same
run, with the same client. It measures; it never passes or fails (see bench/README.md).

  bench/serve_bench.py [--quick] [SOCKBENCH_CLI [BASELINE]]

The paths default to build/app/sockbench-cli and build/bench/sockbench-serve-baseline.
For each server, one after the other:

  sequential  N connections one after another (10,000; --quick 3,000), each the course's
              request, read until the server closes: resident memory after 1,000 and after
              N, and how long each answer took (connect to end of the page)
  held        M connections held open, saying nothing (2,000; --quick 500): threads and
              descriptors each costs while it lasts
  teardown    the M connections close at once while a client keeps fetching the page:
              how long its answers take while the server tears them down
  idle        threads and descriptors once everything is closed, against the idle server's
              before the held connections

Everything is on 127.0.0.1, ports picked by the kernel.
"""
import os
import re
import select
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REQUEST = b'GET /5062CEM.php\r\n'
PAGE_END = b'</body>\n'
TIMEOUT = 60  # a bound on every wait, far above anything measured here


class Server:
    def __init__(self, name, command):
        self.name = name
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, bufsize=0)
        line = b''
        deadline = time.monotonic() + TIMEOUT
        while not line.endswith(b'\n'):
            ready, _, _ = select.select([self.process.stdout], [], [],
                                        max(0, deadline - time.monotonic()))
            byte = os.read(self.process.stdout.fileno(), 1) if ready else b''
            if not byte:
                sys.exit('%s did not start: %r' % (name, line))
            line += byte
        match = re.fullmatch(rb'listening on 127\.0\.0\.1:(\d+)\n', line)
        if not match:
            sys.exit('%s said %r' % (name, line))
        self.address = ('127.0.0.1', int(match.group(1)))
        # serve prints a line per connection: read them away as they come, in big reads.
        self.drain = threading.Thread(target=self._drain, daemon=True)
        self.drain.start()

    def _drain(self):
        while os.read(self.process.stdout.fileno(), 1 << 16):
            pass

    def use(self):
        """(resident KiB, threads, descriptors) now."""
        pid = self.process.pid
        with open('/proc/%d/status' % pid) as f:
            resident = int(re.search(r'^VmRSS:\s+(\d+) kB', f.read(), re.M).group(1))
        return (resident, len(os.listdir('/proc/%d/task' % pid)),
                len(os.listdir('/proc/%d/fd' % pid)))

    def settled(self):
        """use() once threads and descriptors hold still for 0.2 s (bounded)."""
        deadline = time.monotonic() + TIMEOUT
        last, still = self.use(), time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - still < 0.2:
            time.sleep(0.02)
            now = self.use()
            if now[1:] != last[1:]:
                last, still = now, time.monotonic()
        return last

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def fetch(address):
    """Seconds from connect() to the end of the page; fails loudly on a wrong answer."""
    start = time.perf_counter()
    with socket.create_connection(address, timeout=TIMEOUT) as s:
        s.sendall(REQUEST)
        page = b''
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            page += chunk
    if not page.endswith(PAGE_END):
        sys.exit('a wrong answer: %r' % page)
    return time.perf_counter() - start


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float('nan')


def run(server, sequential, held):
    r = {}
    times = []
    for i in range(1, sequential + 1):
        times.append(fetch(server.address))
        if i == 1000:
            r['rss_1k'] = server.use()[0]
    r['rss_n'] = server.use()[0]
    r['p50'] = percentile(times, 0.50)
    r['p99'] = percentile(times, 0.99)
    r['max'] = max(times)
    r['p99_first'] = percentile(times[:1000], 0.99)
    r['p99_last'] = percentile(times[-1000:], 0.99)
    r['idle'] = server.settled()

    idle = [socket.create_connection(server.address, timeout=TIMEOUT) for _ in range(held)]
    deadline = time.monotonic() + TIMEOUT
    while server.use()[2] < r['idle'][2] + held and time.monotonic() < deadline:
        time.sleep(0.02)
    r['held'] = server.use()

    probes, stop = [], threading.Event()

    def probe():
        while not stop.is_set():
            probes.append(fetch(server.address))
    prober = threading.Thread(target=probe)
    prober.start()
    time.sleep(0.2)
    probes.clear()
    start = time.monotonic()
    for s in idle:
        s.close()
    while server.use()[2] > r['idle'][2] + 5 and time.monotonic() - start < TIMEOUT:
        time.sleep(0.01)
    r['teardown'] = time.monotonic() - start
    time.sleep(0.2)
    stop.set()
    prober.join(TIMEOUT)
    r['probes'] = len(probes)
    r['probe_p99'] = percentile(probes, 0.99)
    r['probe_max'] = max(probes) if probes else float('nan')
    r['after'] = server.settled()
    return r


def ms(seconds):
    return '%.1f ms' % (seconds * 1000)


def main():
    arguments = [a for a in sys.argv[1:] if a != '--quick']
    quick = len(arguments) != len(sys.argv) - 1
    root = os.path.dirname(HERE)
    cli = arguments[0] if arguments else os.path.join(root, 'build', 'app', 'sockbench-cli')
    baseline = (arguments[1] if len(arguments) > 1 else
                os.path.join(root, 'build', 'bench', 'sockbench-serve-baseline'))
    sequential, held = (3000, 500) if quick else (10000, 2000)
    # Held connections say nothing: both servers wait for them longer than the run lasts.
    servers = [('sockbench serve', [cli, 'serve', 'course-web', '--timeout', '600']),
               ('baseline', [baseline, '--timeout', '600'])]
    results = {}
    for name, command in servers:
        server = Server(name, command)
        try:
            results[name] = run(server, sequential, held)
        finally:
            server.stop()

    print('%d sequential connections, then %d held and closed at once\n' % (sequential, held))
    rows = [
        ('resident memory after 1,000 / after %d' % sequential,
         lambda r: '%d / %d KiB (x%.2f)' % (r['rss_1k'], r['rss_n'], r['rss_n'] / r['rss_1k'])),
        ('answer p50 / p99 / max',
         lambda r: '%s / %s / %s' % (ms(r['p50']), ms(r['p99']), ms(r['max']))),
        ('answer p99, first 1,000 / last 1,000',
         lambda r: '%s / %s' % (ms(r['p99_first']), ms(r['p99_last']))),
        ('idle: threads, descriptors', lambda r: '%d, %d' % r['idle'][1:]),
        ('each held connection: threads, descriptors',
         lambda r: '%.2f, %.2f' % ((r['held'][1] - r['idle'][1]) / held,
                                   (r['held'][2] - r['idle'][2]) / held)),
        ('teardown: time; answers p99 / max (count)',
         lambda r: '%.2f s; %s / %s (%d)' % (r['teardown'], ms(r['probe_p99']),
                                             ms(r['probe_max']), r['probes'])),
        ('after: threads, descriptors; memory',
         lambda r: '%d, %d; %d KiB' % (r['after'][1], r['after'][2], r['after'][0])),
    ]
    width = max(len(label) for label, _ in rows)
    print('%-*s  %-40s  %s' % (width, '', 'sockbench serve', 'baseline'))
    for label, show in rows:
        print('%-*s  %-40s  %s' % (width, label, show(results['sockbench serve']),
                                   show(results['baseline'])))
    s, b = results['sockbench serve'], results['baseline']
    print('\nratios (sockbench serve / baseline, same run):')
    print('  answer p99             %.2f' % (s['p99'] / b['p99']))
    print('  p99 during teardown    %.2f' % (s['probe_p99'] / b['probe_p99']))
    print('memory growth 1,000 -> %d connections: x%.2f (target about 1)' % (
        sequential, s['rss_n'] / s['rss_1k']))
    print('slowest answer: %s sequential, %s during teardown (target: 100 ms)' % (
        ms(s['max']), ms(s['probe_max'])))
    print('threads and descriptors back to idle: %s' % (
        'yes' if s['after'][1:] == s['idle'][1:] else
        'no: %r after, %r idle' % (s['after'][1:], s['idle'][1:])))


if __name__ == '__main__':
    main()
