#!/usr/bin/env python3
"""Runs a lesson in the workbench and its --threads export under python3, and checks that
every statement ends the same way: the same outcome, the same errno, the same value (with
what the kernel picks anew on every run - ports, descriptors - set aside).

usage: compare_export.py SOCKBENCH_CLI LESSON WORKDIR [--backend BOOT_PY]

With --backend the export is made by the Python backend (`python3 BOOT_PY --export threads`)
instead of `sockbench export`.
"""
import json
import os
import re
import subprocess
import sys

cli, lesson, workdir = sys.argv[1:4]
backend = sys.argv[sys.argv.index('--backend') + 1] if '--backend' in sys.argv else None


def records(command):
    run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    steps = {}
    for line in run.stdout.splitlines():
        record = json.loads(line)
        if record.get('type') == 'step':
            steps[record['step']] = record
    return run.returncode, steps, run.stderr


def normal(value):
    value = re.sub(r"<socket\.socket [^>]*>", '<socket>', value)
    value = re.sub(r"(\('[^']*', )\d+", r'\1PORT', value)
    return value


# Values that differ from run to run by design: ports, descriptors, the host's name, and
# how much a send() could hand the kernel at that moment.
VARYING = ('getsockname', 'getpeername', 'fileno', 'gethostname', 'gethostbyaddr', '.send(')

status, ours, err = records([cli, 'run', lesson, '--json'])
if status != 0:
    sys.exit('the workbench run failed (%d): %s' % (status, err))
os.makedirs(workdir, exist_ok=True)
if backend:
    command = [sys.executable, backend, '--export', 'threads', lesson, workdir]
else:
    command = [cli, 'export', lesson, '--threads', '--out', workdir]
exported = subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
status, theirs, err = records([sys.executable, exported[0], '--json'])
if status != 0:
    sys.exit('the exported script failed under python3 (%d):\n%s' % (status, err))

problems = []
for step, mine in sorted(ours.items()):
    other = theirs.get(step)
    where = 'line %d (%s)' % (mine['line'], mine['source'].split('\n')[0])
    if other is None:
        problems.append('%s: the export never reported it' % where)
        continue
    if mine['outcome'] != other['outcome']:
        problems.append('%s: workbench %s, python3 %s (%s)' % (
            where, mine['outcome'], other['outcome'], other.get('reason') or other.get('error')))
        continue
    if mine.get('errno') != other.get('errno'):
        problems.append('%s: workbench raised %s, python3 %s' % (where, mine.get('errno'), other.get('errno')))
    if mine['outcome'] == 'ok' and not any(v in mine['source'] for v in VARYING):
        if normal(mine['value']) != normal(other['value']):
            problems.append('%s: workbench gave %s, python3 %s' % (where, mine['value'], other['value']))
if problems:
    sys.exit('%s: the export and the workbench disagree:\n  %s' % (lesson, '\n  '.join(problems)))
print('%s: %d statements agree' % (lesson, len(ours)))
