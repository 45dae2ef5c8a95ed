#!/usr/bin/env python3
"""Ordinary socket programs, run by python3 and by the workbench, must print the same.

usage: run_programs.py SOCKBENCH_CLI [NAME ...]
       run_programs.py SOCKBENCH_CLI --python-only [--repeat N] [--parallel K] [NAME ...]

For each program (one file, or a server and its client run side by side) in PROGRAMS:
  1. python3 runs the files, each as `python3 FILE` in a process of its own, all started
     together; its stdout and exit status are the oracle.
  2. `sockbench-cli run --output-dir DIR FILE [FILE ...]` runs the same files in the
     workbench, one program (one host) per file. The contract with the engine: it writes
     each program's stdout to DIR/<file's basename>.out (echo_server.py ->
     DIR/echo_server.py.out) and exits non-zero if any program failed. Each file's output
     must equal python3's, byte for byte.
  3. `sockbench-cli run --record SESSION FILE [FILE ...]` records the same run; the calls
     the program is known to make (and the errors it is known to meet) must be in the
     session's trace (docs/session-format.md).
Both sides get the same environment: PORT_FILE, a fresh file name through which a server
tells its client the port the kernel gave it, and COURSE_WEB_PORT, the port of a
`sockbench-cli serve course-web` that this script starts for the programs that need it.

NAME picks programs (a name, or a part of names; all by default). One line per mismatch;
the exit status is 1 if there was any, 0 otherwise.

--python-only runs only step 1, N times each (--repeat, default 1) with K programs at once
(--parallel, default 1), and compares each run with the first: the corpus's own check that
every program is deterministic under python3.
"""
import concurrent.futures
import errno
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_TIMEOUT = 30  # seconds for one run of a program under python3
WORKBENCH_TIMEOUT = 40  # seconds for one `sockbench-cli run`

# Call names as the trace spells them (Python's names, core/net/call.cpp). Where Python's
# socket.py layer may reach the C layer by one of several calls, any of the group counts.
SEND = ('send', 'sendall', 'sendto')
RECV = ('recv', 'recv_into', 'recvfrom', 'recvfrom_into')


class Program:
    def __init__(self, name, files, calls, errors=(), course_web=False):
        self.name = name
        self.files = files
        # Each entry: a call name, or a tuple of names of which one must appear.
        self.calls = calls
        # (call name or tuple, errno name): a call that must have failed with that errno.
        self.errors = errors
        self.course_web = course_web


TCP_BASICS = ['socket', 'bind', 'listen', 'accept', 'connect', SEND, RECV, 'close']

PROGRAMS = [
    Program('echo', ['echo_server.py', 'echo_client.py'], TCP_BASICS),
    Program('try-finally', ['try_finally.py'], TCP_BASICS,
            errors=[('connect', 'ECONNREFUSED')]),
    Program('udp', ['udp_server.py', 'udp_client.py'],
            ['socket', 'bind', 'sendto', ('recvfrom', 'recvfrom_into'), 'close']),
    Program('thread-per-client', ['thread_server.py', 'thread_clients.py'],
            TCP_BASICS + ['shutdown']),
    Program('getaddrinfo', ['getaddrinfo_client.py'], TCP_BASICS + ['getaddrinfo'],
            errors=[('connect', 'ECONNREFUSED')]),
    Program('connect-ex', ['connect_ex.py'],
            ['socket', 'bind', 'listen', 'connect_ex', 'accept', SEND, RECV, 'close']),
    Program('select', ['select_server.py', 'select_clients.py'], TCP_BASICS),
    Program('socketserver', ['socketserver_echo.py'], TCP_BASICS + ['shutdown']),
    Program('http-course-web', ['http_course_web.py'],
            ['getaddrinfo', 'socket', 'connect', SEND, RECV, 'close'], course_web=True),
    Program('makefile', ['makefile_readline.py'], TCP_BASICS),
    Program('create-connection', ['create_connection.py'],
            TCP_BASICS + ['getaddrinfo', 'settimeout'], errors=[('connect', 'ECONNREFUSED')]),
    Program('determined-sender', ['patient_receiver.py', 'determined_sender.py'],
            TCP_BASICS + ['setsockopt', 'shutdown']),
    Program('timeouts', ['timeouts.py'], ['settimeout', 'setblocking', SEND, RECV, 'close'],
            errors=[(RECV, 'EAGAIN')]),
    Program('two-readers', ['two_readers.py'], TCP_BASICS),
    Program('multicast', ['multicast.py'], ['socket', 'bind', 'setsockopt', 'sendto',
                                            'recvfrom', 'accept', 'close'],
            errors=[('accept', 'EINVAL')]),
    Program('seqpacket', ['seqpacket.py'], ['socketpair', 'socket', 'bind', 'listen', 'accept',
                                            'connect', SEND, RECV, 'close']),
]


def python3():
    """Debian's python3 where there is one (the PATH's may be a slow pyenv shim)."""
    if os.access('/usr/bin/python3', os.X_OK):
        return '/usr/bin/python3'
    found = shutil.which('python3')
    if not found:
        sys.exit('run_programs: python3 is not installed')
    return found


def describe(files):
    return ' + '.join(files)


def first_difference(expected, actual):
    """Where two outputs part, in words: the first line that differs."""
    want, got = expected.split(b'\n'), actual.split(b'\n')
    for number, (a, b) in enumerate(zip(want, got), 1):
        if a != b:
            return 'line %d: python3 %r, workbench %r' % (number, a, b)
    if len(want) != len(got):
        shorter = 'workbench' if len(got) < len(want) else 'python3'
        return '%s stops after line %d (python3 %d bytes, workbench %d bytes)' % (
            shorter, min(len(want), len(got)), len(expected), len(actual))
    return 'the bytes differ'


def last_line(text):
    lines = [line for line in text.decode(errors='replace').splitlines() if line.strip()]
    return lines[-1] if lines else '(nothing on stderr)'


class CourseWeb:
    """`sockbench-cli serve course-web` on a port the kernel picks; its first line says which."""

    def __init__(self, cli):
        self.process = subprocess.Popen([cli, 'serve', 'course-web'], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, bufsize=0)
        line = b''
        deadline = time.monotonic() + 20
        while not line.endswith(b'\n'):
            ready, _, _ = select.select([self.process.stdout], [], [],
                                        max(0, deadline - time.monotonic()))
            chunk = os.read(self.process.stdout.fileno(), 1) if ready else b''
            if not chunk:
                break
            line += chunk
        match = re.fullmatch(rb'listening on 127\.0\.0\.1:(\d+)\n', line)
        if not match:
            self.stop()
            raise RuntimeError('sockbench serve course-web did not start: %r' % line)
        self.port = match.group(1).decode()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # our own child, by its pid
        try:
            self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()


def environment(scratch, course_web):
    env = dict(os.environ)
    env['PORT_FILE'] = os.path.join(scratch, 'port')
    if course_web is not None:
        env['COURSE_WEB_PORT'] = course_web.port
    return env


def run_python(program, course_web):
    """Runs the program's files under python3, side by side; returns {file: (status, out, err)}."""
    with tempfile.TemporaryDirectory(prefix='sockbench-programs-') as scratch:
        env = environment(scratch, course_web)
        processes = {}
        for name in program.files:
            processes[name] = subprocess.Popen(
                [python3(), os.path.join(HERE, name)], cwd=scratch, env=env,
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + PYTHON_TIMEOUT
        results = {}
        for name, process in processes.items():
            try:
                out, err = process.communicate(timeout=max(0.1, deadline - time.monotonic()))
                results[name] = (process.returncode, out, err)
            except subprocess.TimeoutExpired:
                for other in processes.values():
                    if other.poll() is None:
                        other.kill()  # our own children, by their pids
                out, err = process.communicate()
                results[name] = ('timed out after %d s' % PYTHON_TIMEOUT, out, err)
        for process in processes.values():
            process.wait()
        return results


def run_workbench(cli, program, course_web, extra):
    """`sockbench-cli run EXTRA FILES`; returns (status, stdout, stderr, scratch dir)."""
    scratch = tempfile.mkdtemp(prefix='sockbench-programs-')
    env = environment(scratch, course_web)
    command = [cli, 'run', *[a.replace('{dir}', scratch) for a in extra],
               *[os.path.join(HERE, name) for name in program.files]]
    try:
        result = subprocess.run(command, cwd=scratch, env=env, stdin=subprocess.DEVNULL,
                                capture_output=True, timeout=WORKBENCH_TIMEOUT)
        return result.returncode, result.stdout, result.stderr, scratch
    except subprocess.TimeoutExpired as e:
        return 'timed out after %d s' % WORKBENCH_TIMEOUT, e.stdout or b'', e.stderr or b'', scratch


def output_file(directory, name):
    """DIR/echo_server.py.out, as the contract says (DIR/echo_server.out is accepted too)."""
    for candidate in (name + '.out', os.path.splitext(name)[0] + '.out'):
        path = os.path.join(directory, candidate)
        if os.path.exists(path):
            return path
    return None


def trace_calls(session):
    """The trace's calls: a set of names, and the (name, errno name) of each failed one."""
    names, failures = set(), set()
    for event in session.get('events', []):
        request = event.get('request') or {}
        call = request.get('call')
        if not call:
            continue
        names.add(call)
        result = event.get('result') or {}
        if result.get('outcome') == 'error':
            number = result.get('error_number')
            name = result.get('error_name') or errno.errorcode.get(number, str(number))
            failures.add((call, name))
    return names, failures


def one_of(entry):
    return entry if isinstance(entry, tuple) else (entry,)


def check_python(program, results, mismatches):
    for name in program.files:
        status, out, err = results[name]
        if status != 0:
            mismatches.append('%s: python3 %s exited %s: %s (the corpus is wrong, not the '
                              'workbench)' % (program.name, name, status, last_line(err)))


def check_program(cli, program, course_web):
    mismatches = []
    oracle = run_python(program, course_web)
    check_python(program, oracle, mismatches)
    if mismatches:
        return mismatches

    status, out, err, scratch = run_workbench(cli, program, course_web,
                                              ['--output-dir', '{dir}/out'])
    try:
        if status != 0:
            mismatches.append('%s: sockbench-cli run %s exited %s (python3: every program 0): '
                              '%s' % (program.name, describe(program.files), status,
                                      last_line(err)))
        for name in program.files:
            path = output_file(os.path.join(scratch, 'out'), name)
            if path is None:
                mismatches.append('%s: %s: no %s.out in --output-dir' % (program.name, name,
                                                                         name))
                continue
            with open(path, 'rb') as f:
                actual = f.read()
            expected = oracle[name][1]
            if actual != expected:
                mismatches.append('%s: %s: stdout differs from python3\'s, %s' % (
                    program.name, name, first_difference(expected, actual)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    status, out, err, scratch = run_workbench(cli, program, course_web,
                                              ['--record', '{dir}/session.sockbench'])
    try:
        path = os.path.join(scratch, 'session.sockbench')
        if status != 0:
            mismatches.append('%s: sockbench-cli run --record exited %s: %s' % (
                program.name, status, last_line(err)))
        if not os.path.exists(path):
            mismatches.append('%s: sockbench-cli run --record wrote no session' % program.name)
            return mismatches
        with open(path, encoding='utf-8') as f:
            try:
                session = json.load(f)
            except ValueError as e:
                mismatches.append('%s: the recorded session is not JSON: %s' % (program.name, e))
                return mismatches
        names, failures = trace_calls(session)
        for entry in program.calls:
            if not names.intersection(one_of(entry)):
                mismatches.append('%s: the trace has no %s call (it has: %s)' % (
                    program.name, ' or '.join(one_of(entry)), ', '.join(sorted(names))))
        for entry, error in program.errors:
            if not any((call, error) in failures for call in one_of(entry)):
                mismatches.append('%s: the trace has no %s that failed with %s' % (
                    program.name, ' or '.join(one_of(entry)), error))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return mismatches


def python_only(program, course_web, repeat, parallel):
    """Runs the program `repeat` times under python3, `parallel` at once; all must agree."""
    mismatches = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=parallel) as pool:
        runs = list(pool.map(lambda _: run_python(program, course_web), range(repeat)))
    for number, results in enumerate(runs, 1):
        check_python(program, results, mismatches)
        for name in program.files:
            if results[name][1] != runs[0][name][1]:
                mismatches.append('%s: %s: run %d printed something else than run 1, %s' % (
                    program.name, name, number,
                    first_difference(runs[0][name][1], results[name][1])))
    return mismatches


def main(arguments):
    if not arguments or arguments[0].startswith('-'):
        sys.exit(__doc__)
    cli = os.path.abspath(arguments.pop(0))
    only_python, repeat, parallel, names = False, 1, 1, []
    while arguments:
        argument = arguments.pop(0)
        if argument == '--python-only':
            only_python = True
        elif argument in ('--repeat', '--parallel') and arguments:
            value = int(arguments.pop(0))
            repeat, parallel = (value, parallel) if argument == '--repeat' else (repeat, value)
        elif argument.startswith('-'):
            sys.exit('run_programs: unknown option %s\n%s' % (argument, __doc__))
        else:
            names.append(argument)
    # A name picks that program; a name that is no program's picks every program it is
    # part of ("conn" picks connect-ex and create-connection).
    exact = {p.name for p in PROGRAMS}
    chosen = [p for p in PROGRAMS
              if not names or any(n == p.name or (n not in exact and n in p.name) for n in names)]
    if not chosen:
        sys.exit('run_programs: no program matches %s (there are: %s)' % (
            ' '.join(names), ', '.join(p.name for p in PROGRAMS)))

    course_web = CourseWeb(cli) if any(p.course_web for p in chosen) else None
    mismatches = []
    try:
        for program in chosen:
            if only_python:
                found = python_only(program, course_web, repeat, parallel)
            else:
                found = check_program(cli, program, course_web)
            for line in found:
                print(line, flush=True)
            if not found:
                print('%s: same output%s' % (program.name,
                                             ' in %d run%s' % (repeat, '' if repeat == 1 else 's') if only_python else
                                             ' as python3, calls in the trace'), flush=True)
            mismatches += found
    finally:
        if course_web is not None:
            course_web.stop()
    return 1 if mismatches else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
