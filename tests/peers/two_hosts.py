#!/usr/bin/env python3
"""Two hosts: two Linux network namespaces joined by a veth pair, one end in each. A
`sockbench serve` runs in the first, a lesson runs with `--peer` in the second, and the
lesson's client reaches the peer across the link.

Both ends of the link live inside namespaces this test creates (the pair is created in
the first namespace with its peer end placed straight into the second), the addresses
(10.231.0.1/24 and 10.231.0.2/24) exist only there, and nothing in the host's namespace
ever sends to them. The namespaces are deleted on every way out.

usage: two_hosts.py SOCKBENCH_CLI
Prints "SKIPPED: why" and exits 0 where namespaces cannot be created (no root, no ip, a
container without the rights).
"""
import os
import re
import select
import shutil
import signal
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHIPPED = os.path.join(HERE, '..', '..', 'resources', 'lessons')
TIMEOUT = 30

cli = os.path.abspath(sys.argv[1])
tag = '%x' % os.getpid()
NS = ('sockbench-a-' + tag, 'sockbench-b-' + tag)
LINK = ('sbva' + tag)[:15], ('sbvb' + tag)[:15]  # interface names: 15 characters at most
ADDRESS = ('10.231.0.1', '10.231.0.2')


def ip(*arguments, check=True):
    return subprocess.run(['ip', *arguments], capture_output=True, text=True, timeout=TIMEOUT,
                          check=check)


def skip(why):
    print('SKIPPED: %s' % why)
    sys.exit(0)


def fail(why):
    sys.exit('two hosts: FAILED: %s' % why)


def set_up():
    if not shutil.which('ip'):
        skip('the ip command (iproute2) is not installed')
    made = ip('netns', 'add', NS[0], check=False)
    if made.returncode != 0:
        skip('network namespaces cannot be created here: %s' % made.stderr.strip())
    ip('netns', 'add', NS[1])
    # Created inside the first namespace, its other end moved straight into the second:
    # the pair never exists in the host's namespace.
    ip('-n', NS[0], 'link', 'add', LINK[0], 'type', 'veth', 'peer', 'name', LINK[1],
       'netns', NS[1])
    for ns, link, address in zip(NS, LINK, ADDRESS):
        ip('-n', ns, 'addr', 'add', address + '/24', 'dev', link)
        ip('-n', ns, 'link', 'set', 'lo', 'up')
        ip('-n', ns, 'link', 'set', link, 'up')


def tear_down():
    for ns in NS:
        ip('netns', 'del', ns, check=False)


def in_namespace(ns, *command):
    return ['ip', 'netns', 'exec', ns, *command]


def serve_and_run(kind, name, lesson):
    serve = subprocess.Popen(in_namespace(NS[0], cli, 'serve', kind, '--host', ADDRESS[0]),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([serve.stdout], [], [], TIMEOUT)
        first = serve.stdout.readline().strip() if ready else ''
        match = re.fullmatch(r'listening on 10\.231\.0\.1:(\d+)', first)
        if not match:
            fail('serve %s in %s did not start: %r %s' % (kind, NS[0], first,
                                                          serve.stderr.read() if not ready else ''))
        port = match.group(1)
        run = subprocess.run(
            in_namespace(NS[1], cli, 'run', lesson, '--peer', '%s=%s:%s' % (name, ADDRESS[0], port)),
            capture_output=True, text=True, timeout=120)
        if run.returncode != 0:
            fail('the lesson %s in %s failed (%d):\n%s%s' % (lesson, NS[1], run.returncode,
                                                              run.stdout, run.stderr))
        serve.terminate()  # our own child, by its pid
        out, err = serve.communicate(timeout=TIMEOUT)
        if serve.returncode != 0 or 'every socket is closed' not in err:
            fail('serve did not stop cleanly (%s): %s' % (serve.returncode, err))
        # The peer saw the lesson's client arrive from the other host.
        if not re.search(r'^10\.231\.0\.2:\d+  ', out, re.M):
            fail('serve saw no client from %s:\n%s' % (ADDRESS[1], out))
        print('%s: %s in %s served %s from %s: ok' % (os.path.basename(lesson), kind, NS[0],
                                                     name, NS[1]))
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.communicate(timeout=TIMEOUT)


def main():
    # A stop from outside (Ctrl+C, a test runner's SIGTERM) still deletes the namespaces.
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: sys.exit('two hosts: stopped from outside'))
    if os.geteuid() != 0:
        skip('creating network namespaces needs root (this runs as uid %d)' % os.geteuid())
    try:
        set_up()
        # The link works at all: one ping from the second namespace to the first.
        ping = subprocess.run(in_namespace(NS[1], 'ping', '-c', '1', '-W', '5', ADDRESS[0]),
                              capture_output=True, text=True, timeout=TIMEOUT) \
            if shutil.which('ping') else None
        if ping is not None and ping.returncode != 0:
            fail('the veth link does not carry packets: %s' % ping.stdout)
        serve_and_run('echo', 'echo', os.path.join(HERE, 'fixtures', 'echo-across.py'))
        serve_and_run('course-web', 'web',
                      os.path.join(SHIPPED, '23-sending-data-to-a-web-page.py'))
    finally:
        tear_down()
    left = ip('netns', 'list').stdout
    if NS[0] in left or NS[1] in left:
        fail('the namespaces are still there: %s' % left)


if __name__ == '__main__':
    main()
