#!/usr/bin/env python3
"""Runs a lesson in the workbench and its --threads export under python3, and checks that
every statement ends the same way: the same outcome, the same errno, the same value bound
(with what the kernel picks anew on every run - ports, descriptors - set aside).

The workbench reports steps (line events: a loop's lines once per pass, with the names each
bound); the export reports each top-level statement once. So the statements are matched by
actor and line, and a statement's value is checked against what the workbench's steps of
that line bound.

usage: compare_export.py SOCKBENCH_CLI LESSON WORKDIR
"""
import json
import os
import re
import subprocess
import sys
import tempfile

cli, lesson, workdir = sys.argv[1:4]


def records(command):
    run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    steps = []
    for line in run.stdout.splitlines():
        record = json.loads(line)
        if record.get('type') == 'step':
            steps.append(record)
    # What went wrong is in the records as often as on stderr: keep the last ones.
    return run.returncode, steps, run.stderr + '\n'.join(run.stdout.splitlines()[-6:])


TEMPORARY = re.compile(re.escape(tempfile.gettempdir()) + r"/tmp[\w-]+")


def normal(value):
    value = re.sub(r"<socket\.socket [^>]*>", '<socket>', value)
    value = re.sub(r"(<_io\.\w+ name=)\d+", r'\1FD', value)  # makefile()'s file objects
    value = TEMPORARY.sub('TMPDIR', value)  # tempfile.mkdtemp(): a new name every run
    value = re.sub(r"(\('[^']*', )\d+", r'\1PORT', value)
    return value


# Values that differ from run to run by design: ports, descriptors, the host's name, and how
# much a send() could hand the kernel at that moment.
VARYING = ('getsockname', 'getpeername', 'fileno', 'gethostname', 'gethostbyaddr', '.send(')

status, ours, err = records([cli, 'run', lesson, '--json'])
if status != 0:
    sys.exit('the workbench run failed (%d): %s' % (status, err))
os.makedirs(workdir, exist_ok=True)
command = [cli, 'export', lesson, '--threads', '--out', workdir]
exported = subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
status, theirs, err = records([sys.executable, exported[0], '--json'])
if status != 0:
    sys.exit('the exported script failed under python3 (%d):\n%s' % (status, err))

by_line = {}
for step in ours:
    by_line.setdefault((step['actor'], step['line']), []).append(step)

# A statement whose "# expect:" allows ok may end either way: the kernel decides (a port
# another program holds, rights that differ).
lines = open(lesson, encoding='utf-8').read().split('\n')
# A built-in peer's address is a free port of each run: what is read from it varies too.
PEER_NAMES = re.compile(r'\b(%s)\b' % '|'.join(
    re.findall(r'^# peer: (\w+) =', '\n'.join(lines), re.M) or ['(?!)']))


def either_way(line):
    above = lines[line - 2].strip() if line >= 2 else ''
    return above.startswith('# expect:') and re.search(r'\bok\b', above)


def same_value(bound, change):
    # The workbench cuts long values (repr to 200 characters, then "...").
    if change.endswith('...'):
        return bound.startswith(change[:-3])
    return bound == change


problems = []
for other in theirs:
    where = 'line %d (%s)' % (other['line'], other['source'].split('\n')[0])
    mine = by_line.get((other['actor'], other['line']))
    if not mine:
        problems.append('%s: the workbench never ran it as %s' % (where, other['actor']))
        continue
    last = mine[-1]
    if {last['outcome'], other['outcome']} == {'ok', 'expected-error'} and either_way(other['line']):
        continue
    if last['outcome'] != other['outcome']:
        problems.append('%s: workbench %s, python3 %s (%s)' % (
            where, last['outcome'], other['outcome'], other.get('reason') or other.get('error')))
        continue
    if last.get('errno') != other.get('errno'):
        problems.append('%s: workbench raised %s, python3 %s' % (where, last.get('errno'), other.get('errno')))
    assigned = re.match(r'([A-Za-z_][A-Za-z0-9_]*) = ', other['source'])
    if (other['outcome'] == 'ok' and assigned and not any(v in other['source'] for v in VARYING)
            and not PEER_NAMES.search(other['source'])):
        bound = '%s = %s' % (assigned.group(1), normal(other['value']))
        changes = [normal(c) for step in mine for c in step.get('changes', [])]
        if not any(same_value(bound, change) for change in changes):
            problems.append('%s: python3 bound %s, the workbench %s' % (where, bound, changes))
if problems:
    sys.exit('%s: the export and the workbench disagree:\n  %s' % (lesson, '\n  '.join(problems)))
print('%s: %d statements agree' % (lesson, len(theirs)))
