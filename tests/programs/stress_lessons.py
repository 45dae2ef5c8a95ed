#!/usr/bin/env python3
"""Every shipped lesson gives the same transcript every run, on a busy machine too.

usage: stress_lessons.py SOCKBENCH_CLI [--runs N] [--parallel K] [--busy B] [--strict]
                         [NAME ...]

Each lesson in resources/lessons (or those whose file name contains a NAME) runs N times
(20) through `sockbench-cli run --json LESSON`, K runs at once (4), while B processes (2)
keep the cores busy. What is the kernel's to choose is taken out of each transcript:
descriptors become "fd=N"; each port, and each AF_UNIX autobind name, becomes PORT1,
PORT2, ... in the order the transcript first shows it (so a run that mixes up two ports
still differs). A step's records are compared in step order, since two calls blocked
together (accept() and its connect()) may report in either order, and a "blocked" report
for a step that then finishes is left out, since whether a built-in peer had answered
before the call began is the machine's timing; --strict compares every record in the
order it was printed. A statement whose `# expect:` allows several outcomes (EACCES or
EADDRINUSE or ok) may end in any of them.

Every run's transcript, so normalized, must equal the first run's, and every run must exit
as the first did. One line per lesson that differs, with the first differing line; the
exit status is 1 if any differs.
"""
import concurrent.futures
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
LESSONS = os.path.normpath(os.path.join(HERE, '..', '..', 'resources', 'lessons'))
TIMEOUT = 120  # seconds for one run of one lesson

# Where a port shows in a transcript: after a quoted host in an address tuple
# ("('127.0.0.1', 41234)", "('::1', 41234, 0, 0)"), after HOST: ("127.0.0.1:41234",
# "[::1]:41234"), and after the word "port" in messages.
PORT_PLACES = [
    re.compile(r"""(['"][0-9A-Za-z.:%-]*['"],\s*)(\d+)"""),
    re.compile(r'((?:\d{1,3}\.){3}\d{1,3}:|\[[0-9A-Fa-f:.%a-z]+\]:|localhost:)(\d+)'),
    re.compile(r'(\bport\s+)(\d+)'),
]
DESCRIPTOR = re.compile(r'\bfd=-?\d+')
TEMPORARY = re.compile(re.escape(tempfile.gettempdir()) + r'/tmp[\w-]+')
# An AF_UNIX autobind name, the kernel's choice like a port: b'\x00c18f5'.
ABSTRACT = re.compile(r'(\\x00)([0-9a-f]{5})\b')
# A statement whose value is a bare number that is a port.
PORT_SOURCE = re.compile(r'getsockname|getpeername|\bport\b', re.IGNORECASE)


def alternatives(lesson):
    """Lines whose statement the lesson lets end more than one way (`# expect: A or B`).

    Lesson 05 binds port 1: EACCES as a user, ok as root, EADDRINUSE while another program
    (another run of the same lesson, four at once) holds it. Which one is the machine's
    doing, and the lesson says so."""
    lines, waiting = set(), False
    with open(lesson, encoding='utf-8') as f:
        for number, text in enumerate(f, 1):
            text = text.strip()
            if text.startswith('# expect:'):
                waiting = ' or ' in text
            elif text and not text.startswith('#'):
                if waiting:
                    lines.add(number)
                waiting = False
    return lines


def normalize(stdout, strict=False, either_way=()):
    """The transcript's JSON lines with ports and descriptors named, not numbered."""
    records = []
    for line in stdout.decode(errors='replace').splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            records.append(line)
            continue
        if (record.get('type') == 'step' and record.get('line') in either_way
                and record.get('outcome') in ('ok', 'expected-error')):
            for key in ('value', 'error', 'errno'):
                record.pop(key, None)
            record['outcome'] = 'one of those expected'
        if record.get('type') == 'summary' and either_way:
            record.pop('ok', None)
            record.pop('expected_errors', None)
        records.append(record)
    if not strict:
        # "blocked in recv()" for a step that then finishes says only that the answer was
        # not there yet when the call began: whether a built-in peer had answered by then is
        # the machine's timing. The step's outcome is still compared; a step that never
        # finishes keeps its "blocked".
        finished = {r.get('step') for r in records
                    if isinstance(r, dict) and r.get('type') == 'step'}
        records = [r for r in records if not (isinstance(r, dict) and r.get('type') == 'blocked'
                                              and r.get('step') in finished)]

    def strings(value):
        if isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)
        elif isinstance(value, str):
            yield value

    # First every port the transcript shows in an address, in the order it shows them...
    ports = {}
    for record in records:
        if (isinstance(record, dict) and str(record.get('value', '')).isdigit()
                and PORT_SOURCE.search(str(record.get('source', '')))):
            # port = server.getsockname()[1] -> 41234: a port, though no address shows it.
            ports.setdefault(record['value'], 'PORT%d' % (len(ports) + 1))
        if isinstance(record, dict) and PORT_SOURCE.search(str(record.get('source', ''))):
            # The same as what the line bound: "port = 41234".
            for change in record.get('changes') or []:
                value = str(change).partition(' = ')[2]
                if value.isdigit():
                    ports.setdefault(value, 'PORT%d' % (len(ports) + 1))
        for text in strings(record):
            found = []
            for place in PORT_PLACES + [ABSTRACT]:
                found += [(m.start(2), m.group(2)) for m in place.finditer(text)]
            for _, port in sorted(found):
                ports.setdefault(port, 'PORT%d' % (len(ports) + 1))

    def label(value, key=None):
        if isinstance(value, dict):
            return {k: label(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [label(v) for v in value]
        if not isinstance(value, str):
            return value
        # ...then a value that is a bare port shown elsewhere (server.getsockname()[1]).
        if key in ('value', 'text') and value.strip() in ports:
            return value.replace(value.strip(), ports[value.strip()])
        value = DESCRIPTOR.sub('fd=N', value)
        value = TEMPORARY.sub('TMPDIR', value)  # tempfile.mkdtemp(): a new name every run
        # A change that bound a port: "port = 41234".
        name, sep, bound = value.partition(' = ')
        if sep and bound in ports:
            value = name + sep + ports[bound]
        for place in PORT_PLACES + [ABSTRACT]:
            value = place.sub(lambda m: m.group(1) + ports.get(m.group(2), m.group(2)), value)
        return value

    lines = [json.dumps(label(r), sort_keys=True) if isinstance(r, dict) else label(r)
             for r in records]
    if strict:
        return lines
    # Two calls that were blocked together (accept() and the connect() it waits for) may be
    # reported in either order: the order of the steps is the program's, the order of
    # their reports is the kernel's. So each step's records are compared in step order,
    # and the rest (peers, prints, the summary) in the order they came.
    def key(item):
        position, record = item
        if isinstance(record, dict) and isinstance(record.get('step'), int):
            return (0, record['step'], position)
        return (1, 0, position)
    return [lines[i] for i, _ in sorted(enumerate(records), key=key)]


def run(cli, lesson, strict):
    either_way = alternatives(lesson)
    try:
        result = subprocess.run([cli, 'run', '--json', lesson], stdin=subprocess.DEVNULL,
                                capture_output=True, timeout=TIMEOUT)
        return result.returncode, normalize(result.stdout, strict, either_way), result.stderr
    except subprocess.TimeoutExpired as e:
        return ('timed out after %d s' % TIMEOUT, normalize(e.stdout or b'', strict, either_way),
                e.stderr or b'')


def difference(first, other):
    for number, (a, b) in enumerate(zip(first, other), 1):
        if a != b:
            return 'line %d: first run %s, this run %s' % (number, a, b)
    return 'the first run has %d lines, this run %d' % (len(first), len(other))


def main(arguments):
    if not arguments or arguments[0].startswith('-'):
        sys.exit(__doc__)
    cli = os.path.abspath(arguments.pop(0))
    settings = {'--runs': 20, '--parallel': 4, '--busy': 2}
    names = []
    strict = False
    while arguments:
        argument = arguments.pop(0)
        if argument == '--strict':
            strict = True
        elif argument in settings and arguments:
            settings[argument] = int(arguments.pop(0))
        elif argument.startswith('-'):
            sys.exit('stress_lessons: unknown option %s\n%s' % (argument, __doc__))
        else:
            names.append(argument)
    lessons = sorted(glob.glob(os.path.join(LESSONS, '*.py')))
    lessons = [l for l in lessons if not names or any(n in os.path.basename(l) for n in names)]
    if not lessons:
        sys.exit('stress_lessons: no lesson matches %s' % ' '.join(names))

    # Busy cores: processes of our own that spin until we end them (by their pids).
    busy = [subprocess.Popen([sys.executable, '-c', 'while True: pass'],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
            for _ in range(settings['--busy'])]
    failures = 0
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=settings['--parallel']) as pool:
            for lesson in lessons:
                name = os.path.basename(lesson)
                runs = list(pool.map(lambda _: run(cli, lesson, strict),
                                     range(settings['--runs'])))
                status, first, _ = runs[0]
                problems = []
                for number, (other_status, other, err) in enumerate(runs[1:], 2):
                    if other_status != status:
                        problems.append('run %d exited %s, the first %s; %s; stderr: %s' % (
                            number, other_status, status,
                            difference(first, other) if other != first else 'same transcript',
                            (err.decode(errors='replace').strip().splitlines() or [''])[-1]))
                    elif other != first:
                        problems.append('run %d: %s' % (number, difference(first, other)))
                if problems:
                    failures += 1
                    print('%s: %d of %d runs differ from the first; %s' % (
                        name, len(problems), len(runs), problems[0]), flush=True)
                else:
                    print('%s: %d identical transcripts (exit %s)' % (name, len(runs), status),
                          flush=True)
    finally:
        for process in busy:
            process.kill()
            process.wait()
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
