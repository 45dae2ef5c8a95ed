#!/usr/bin/env python3
"""The headless command line, from the outside: exit statuses, the one-line refusals on
stderr, transcripts, JSON lines, the lesson list and the export run under python3.

usage: check_cli.py SOCKBENCH_CLI [CASE ...]     (no CASE: every case)

Every subprocess runs with a timeout; nothing sleeps except in waiting for a subprocess.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, '..', 'lessons', 'fixtures')
SHIPPED = os.path.join(HERE, '..', '..', 'resources', 'lessons')
TIMEOUT = 60

cli = os.path.abspath(sys.argv[1])


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def equal(actual, expected, what):
    check(actual == expected, '%s: expected %r, got %r' % (what, expected, actual))


def run(*arguments, **options):
    return subprocess.run([cli, *arguments], capture_output=True, text=True, timeout=TIMEOUT,
                          **options)


def fixture(name):
    return os.path.join(FIXTURES, name)


def shipped_files():
    return sorted(f for f in os.listdir(SHIPPED) if f.endswith('.py'))


def json_lines(stdout):
    records = []
    for number, line in enumerate(stdout.splitlines(), 1):
        try:
            records.append(json.loads(line))
        except ValueError as error:
            raise Failure('line %d is not JSON (%s): %r' % (number, error, line))
    return records


def one_line(text, what):
    lines = text.splitlines()
    equal(len(lines), 1, '%s: lines on stderr (%r)' % (what, text))
    return lines[0]


# --- The cases ------------------------------------------------------------------------

def case_malformed():
    path = fixture('malformed.py')
    for extra in ([], ['--json']):
        result = run('run', path, *extra)
        equal(result.returncode, 2, 'exit status of a malformed lesson')
        equal(result.stdout, '', 'stdout of a malformed lesson')
        line = one_line(result.stderr, 'malformed lesson')
        check(re.fullmatch(re.escape(path) + r':6:\d+: .+', line),
              'not FILE:LINE:COL: message: %r' % line)
    # export refuses it the same way, and writes nothing
    with tempfile.TemporaryDirectory() as out:
        result = run('export', path, '--out', out)
        equal(result.returncode, 2, 'exit status of exporting a malformed lesson')
        check(one_line(result.stderr, 'export').startswith(path + ':6:'), result.stderr)
        equal(os.listdir(out), [], 'files written for a malformed lesson')


def case_unknown():
    result = run('run', 'no-such-lesson')
    equal(result.returncode, 2, 'exit status of an unknown lesson')
    equal(one_line(result.stderr, 'unknown lesson'),
          'sockbench: no-such-lesson: no such lesson (sockbench lessons lists them)',
          'unknown lesson message')
    equal(result.stdout, '', 'stdout of an unknown lesson')
    missing = os.path.join(FIXTURES, 'not-there.py')
    result = run('run', missing)
    equal(result.returncode, 2, 'exit status of a missing file')
    equal(one_line(result.stderr, 'missing file'), 'sockbench: %s: no such file' % missing,
          'missing file message')
    result = run('export', 'no-such-lesson')
    equal(result.returncode, 2, 'exit status of exporting an unknown lesson')
    one_line(result.stderr, 'export of an unknown lesson')
    result = run('run')
    equal(result.returncode, 2, 'exit status of run without a lesson')
    one_line(result.stderr, 'run without a lesson')
    result = run('run', '1', '--bogus')
    equal(result.returncode, 2, 'exit status of an unknown option')
    equal(one_line(result.stderr, 'unknown option'), 'sockbench run: unknown option --bogus',
          'unknown option message')


def case_failing():
    result = run('run', fixture('failing-assert.py'))
    equal(result.returncode, 1, 'exit status of a failing lesson')
    # Python's own traceback, and the line that failed.
    check(re.search(r'!! FAILED: AssertionError\nTraceback \(most recent call last\):\n'
                    r'  File ".*failing-assert.py", line 18, in <module>', result.stdout),
          result.stdout)
    check(result.stdout.rstrip().endswith('The run FAILED.'), result.stdout)

    result = run('run', fixture('expectation-missed.py'))
    equal(result.returncode, 1, 'exit status of a missed expectation')
    check('!! FAILED: expected ECONNREFUSED, but got ok' in result.stdout, result.stdout)
    check(re.search(r'^\d+ steps: \d+ ok, 0 expected errors, 1 failed\. The run FAILED\.$',
                    result.stdout, re.M), result.stdout)


def case_deadlock():
    result = run('run', fixture('deadlock.py'))
    equal(result.returncode, 1, 'exit status of a deadlocked lesson')
    check('!! Every thread waits and nothing can wake any of them: client waits in '
          'recv(1024) at line 19; server waits in recv(1024) at line 16.' in result.stdout,
          result.stdout)
    check(result.stdout.rstrip().endswith('The run FAILED.'), result.stdout)
    # The --threads export under python3 says the same of the deadlock, and nothing of a
    # loop that waits in recv() nearly all the time but is fed a byte every 50 ms.
    with tempfile.TemporaryDirectory() as out:
        for name, stuck in (('deadlock', True), ('busy-loops', False)):
            script = os.path.join(out, name + '.py')
            result = run('export', fixture(name + '.py'), '--threads', '--out', out)
            equal(result.stdout.splitlines(), [script], 'file written')
            ran = subprocess.run([sys.executable, script, '--json'], capture_output=True,
                                 text=True, timeout=TIMEOUT, cwd=out)
            records = json_lines(ran.stdout)
            equal([r['type'] for r in records].count('deadlock'), int(stuck),
                  'deadlock records of %s: %s' % (name, ran.stdout))
            equal(records[-1], {'type': 'summary', 'passed': not stuck}, 'summary of ' + name)
            if not stuck:
                check({'type': 'print', 'actor': 'main', 'text': 'got 60'} in records,
                      ran.stdout)


def case_shipped():
    first = os.path.join(SHIPPED, shipped_files()[0])
    for target in ('1', 'first-connection', first):
        result = run('run', target)
        equal(result.returncode, 0, 'exit status of run %s (%s)' % (target, result.stdout))
        equal(result.stderr, '', 'stderr of run %s' % target)
        lines = result.stdout.splitlines()
        equal(lines[0], 'Your first TCP connection', 'transcript title')
        equal(lines[-1], '13 steps: 13 ok, 0 expected errors. The run passed.',
              'transcript summary')


def case_json():
    for lesson, passed in (('1', True), (fixture('failing-assert.py'), False),
                           (fixture('deadlock.py'), False)):
        result = run('run', lesson, '--json')
        equal(result.returncode, 0 if passed else 1, 'exit status of run %s --json' % lesson)
        records = json_lines(result.stdout)
        check(records, 'no JSON lines')
        summary = records[-1]
        equal(summary['type'], 'summary', 'the last record')
        equal(summary['passed'], passed, 'passed')
        equal([r['type'] for r in records].count('summary'), 1, 'summary records')
        steps = [r for r in records if r['type'] == 'step']
        # Every step is reported: as it ended, or (a stuck run) as blocked and never ended.
        reported = {r['step'] for r in records if r['type'] in ('step', 'blocked')}
        equal(sorted(reported), list(range(summary['steps'])), 'steps in the summary')
        for key, outcome in (('ok', 'ok'), ('failed', 'failed'),
                             ('interrupted', 'interrupted'), ('expected_errors', 'expected-error')):
            equal(summary[key], sum(r['outcome'] == outcome for r in steps), key)
        for r in steps:
            check({'actor', 'line', 'source', 'outcome'} <= r.keys(), r)
        stuck = [r for r in records if r['type'] == 'stuck']
        equal(len(stuck), 1 if 'deadlock' in lesson else 0, 'stuck records')
    first = [r for r in json_lines(run('run', '1', '--json').stdout) if r['type'] == 'step']
    equal(first[0], {'type': 'step', 'step': 0, 'actor': 'main', 'thread': 'main', 'line': 6,
                     'source': 'import socket', 'outcome': 'ok'}, 'first step')
    recv = [r for r in first if r['source'] == 'data = conn.recv(1024)']
    equal(recv[0]['changes'], ["data = b'hello'"], 'the received bytes')


def case_lessons():
    result = run('lessons')
    equal(result.returncode, 0, 'exit status of lessons')
    listed = result.stdout.splitlines()
    files = shipped_files()
    equal(len(listed), len(files), 'lessons listed')
    for line, name in zip(listed, files):
        with open(os.path.join(SHIPPED, name), encoding='utf-8') as f:
            title = re.search(r'^# title: (.+)$', f.read(), re.M).group(1).strip()
        number, rest = name[:-3].split('-', 1)
        check(re.fullmatch(r'%s  %s *  %s' % (number, re.escape(rest), re.escape(title)), line),
              'listed as %r, expected %s %s %s' % (line, number, rest, title))
    equal(run('lessons', 'extra').returncode, 2, 'exit status of lessons with an argument')


def case_export():
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, 'out')
        result = run('export', '1', '--out', out)
        equal(result.returncode, 0, 'exit status of export')
        server, client = os.path.join(out, 'server.py'), os.path.join(out, 'client.py')
        equal(result.stdout.splitlines(), [server, client], 'files written')
        equal(sorted(os.listdir(out)), ['client.py', 'server.py'], 'files in the directory')
        env = dict(os.environ, SOCKBENCH_SHARE=os.path.join(work, 'share'))
        # The server first, in the background; then the client, which fetches the port.
        server_run = subprocess.Popen([sys.executable, server], env=env, cwd=work,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            client_run = subprocess.run([sys.executable, client], env=env, cwd=work,
                                        capture_output=True, text=True, timeout=TIMEOUT)
            server_out, server_err = server_run.communicate(timeout=TIMEOUT)
        finally:
            if server_run.poll() is None:
                server_run.kill()
                server_run.wait(timeout=TIMEOUT)
        equal(client_run.returncode, 0, 'client.py exit status (%s)' % client_run.stderr)
        equal(server_run.returncode, 0, 'server.py exit status (%s)' % server_err)


def case_record():
    """run --record writes a session file the window replays: the script, and every event."""
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, 'first.sockbench')
        result = run('run', '1', '--record', path)
        equal(result.returncode, 0, 'exit status of run --record (%s)' % result.stderr)
        check('Recorded in %s' % path in result.stdout, 'run says where it recorded')
        with open(path, encoding='utf-8') as f:
            session = json.load(f)
        equal(session['format'], 'sockbench-session', 'format')
        equal(session['version'], 2, 'version')
        check('server.accept()' in session['script'], 'the script is in the file')
        kinds = [e['request']['call'] for e in session['events'] if e['kind'] == 'finished']
        for call in ('socket', 'bind', 'listen', 'accept', 'connect', 'sendall', 'recv', 'close'):
            check(call in kinds, '%s() is among the recorded events' % call)
        seqs = [e['seq'] for e in session['events']]
        equal(seqs, sorted(set(seqs)), 'events in order, each once')
        names = {s['name'] for s in session['sockets']}
        check({'server', 'client', 'conn'} <= names, 'socket names recorded: %r' % names)
        lines = {st['line'] for st in session['statements']}
        check(len(lines) >= 8, 'statements recorded with their lines')
        # Each step is a line event of a thread, with the moment it began.
        moments = [st['before_seq'] for st in session['statements']]
        equal(moments, sorted(moments), 'steps in the order they began')
        check(all(st.get('thread') for st in session['statements']), 'each step names its thread')
        # A file that cannot be written: one sentence and exit 2, after the run.
        bad = run('run', '1', '--record', os.path.join(work, 'missing', 'x.sockbench'))
        equal(bad.returncode, 2, 'exit status when the recording cannot be written')
        check(one_line(bad.stderr, 'unwritable').startswith('sockbench run: cannot write '),
              'says it cannot write: %r' % bad.stderr)
        bad = run('run', '1', '--record')
        equal(bad.returncode, 2, 'exit status for --record without a file')


def case_threads():
    with tempfile.TemporaryDirectory() as out:
        result = run('export', '1', '--threads', '--out', out)
        equal(result.returncode, 0, 'exit status of export --threads')
        script = os.path.join(out, 'first-connection.py')
        equal(result.stdout.splitlines(), [script], 'file written')
        ran = subprocess.run([sys.executable, script], capture_output=True, text=True,
                             timeout=TIMEOUT, cwd=out)
        equal(ran.returncode, 0, 'exit status of the threaded export (%s)' % ran.stderr)
        check(ran.stdout.rstrip().endswith('The lesson passed.'), ran.stdout)
        ran = subprocess.run([sys.executable, script, '--json'], capture_output=True, text=True,
                             timeout=TIMEOUT, cwd=out)
        equal(ran.returncode, 0, 'exit status of the threaded export --json')
        equal(json_lines(ran.stdout)[-1], {'type': 'summary', 'passed': True}, 'summary')


def case_help():
    for flag in ('--help', '-h', 'help'):
        result = run(flag)
        equal(result.returncode, 0, 'exit status of %s' % flag)
        check(result.stdout.startswith('Socket Workbench '), result.stdout)
        for command in ('sockbench lessons', 'sockbench run', 'sockbench export'):
            check(command in result.stdout, '%s does not mention %s' % (flag, command))
    result = run('--version')
    equal(result.returncode, 0, 'exit status of --version')
    check(re.fullmatch(r'sockbench \d+\.\d+\.\d+\n', result.stdout), result.stdout)
    result = run('frobnicate')
    equal(result.returncode, 2, 'exit status of an unknown command')
    equal(one_line(result.stderr, 'unknown command'),
          "sockbench: unknown command 'frobnicate' (sockbench --help lists them)",
          'unknown command message')
    result = run()
    equal(result.returncode, 2, 'exit status without a command')
    check(result.stderr.startswith('Socket Workbench '), result.stderr)


CASES = {name[len('case_'):]: f for name, f in sorted(globals().items())
         if name.startswith('case_')}


def main():
    names = sys.argv[2:] or sorted(CASES)
    failed = []
    for name in names:
        try:
            CASES[name]()
            print('PASS %s' % name)
        except (Failure, subprocess.TimeoutExpired, KeyError, IndexError) as error:
            print('FAIL %s: %s' % (name, error))
            failed.append(name)
    if failed:
        sys.exit('failed: %s' % ', '.join(failed))


if __name__ == '__main__':
    main()
