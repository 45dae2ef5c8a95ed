#!/usr/bin/env python3
"""Programs on the real python3, with and without the workbench, timed in the same run.

usage: real_python_bench.py SOCKBENCH_CLI [--runs N]

bench/python/pingpong.py (10,000 rounds of a 1-byte ping-pong) and bench/python/bulk.py
(256 MiB sendall()/recv() in 1 MiB chunks) each run under plain python3 (A) and under
`sockbench-cli run --free --output-dir DIR FILE` (B: no stop at any line), interleaved A, B, A, B, ... so that both
see the same machine; the median of N runs (3 by default) of each is compared. The time
is the whole process's wall-clock time, start-up included; the programs print no time.
A run whose output is not the expected one counts as a failure and stops the benchmark.

Reports: ping-pong time ratio workbench / python3 (target <= 3) and bulk throughput ratio
workbench / python3 (target >= 0.5). It measures; it does not pass or fail.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = {
    'pingpong': (os.path.join(HERE, 'python', 'pingpong.py'), b'done\n'),
    'bulk': (os.path.join(HERE, 'python', 'bulk.py'), b'268435456 bytes\n'),
}
BULK_BYTES = 256 << 20
TIMEOUT = 600


def python3():
    if os.access('/usr/bin/python3', os.X_OK):
        return '/usr/bin/python3'
    return shutil.which('python3') or sys.exit('real_python_bench: python3 is not installed')


def timed(command, read_output):
    start = time.monotonic()
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True,
                            timeout=TIMEOUT)
    elapsed = time.monotonic() - start
    if result.returncode != 0:
        sys.exit('real_python_bench: %s exited %d:\n%s' % (
            ' '.join(command), result.returncode, result.stderr.decode(errors='replace')[-2000:]))
    return elapsed, read_output(result)


def under_python(path):
    return timed([python3(), path], lambda result: result.stdout)


def under_workbench(cli, path):
    with tempfile.TemporaryDirectory(prefix='sockbench-bench-') as scratch:
        out = os.path.join(scratch, 'out')

        def output(_):
            name = os.path.join(out, os.path.basename(path) + '.out')
            if not os.path.exists(name):
                name = os.path.join(out, os.path.splitext(os.path.basename(path))[0] + '.out')
            with open(name, 'rb') as f:
                return f.read()

        return timed([cli, 'run', '--free', '--output-dir', out, path], output)


def measure(cli, name, runs):
    path, expected = PROGRAMS[name]
    a, b = [], []
    for _ in range(runs):
        for side, runner in ((a, lambda: under_python(path)),
                             (b, lambda: under_workbench(cli, path))):
            elapsed, output = runner()
            if output != expected:
                sys.exit('real_python_bench: %s printed %r, not %r' % (name, output, expected))
            side.append(elapsed)
    return statistics.median(a), statistics.median(b)


def main(arguments):
    if not arguments or arguments[0].startswith('-'):
        sys.exit(__doc__)
    cli = os.path.abspath(arguments[0])
    runs = 3
    if arguments[1:2] == ['--runs'] and len(arguments) > 2:
        runs = int(arguments[2])
    print('python3: %s; median of %d runs each, interleaved' % (python3(), runs))

    python_time, workbench_time = measure(cli, 'pingpong', runs)
    ratio = workbench_time / python_time
    print('ping-pong, 10,000 rounds of 1 byte: python3 %.3f s, workbench %.3f s; '
          'time ratio %.2f (target <= 3): %s' % (python_time, workbench_time, ratio,
                                                  'met' if ratio <= 3 else 'NOT met'))

    python_time, workbench_time = measure(cli, 'bulk', runs)
    python_rate = BULK_BYTES / python_time / 1e6
    workbench_rate = BULK_BYTES / workbench_time / 1e6
    ratio = workbench_rate / python_rate
    print('bulk, 256 MiB in 1 MiB sendall()/recv(): python3 %.0f MB/s, workbench %.0f MB/s; '
          'throughput ratio %.2f (target >= 0.5): %s' % (python_rate, workbench_rate, ratio,
                                                         'met' if ratio >= 0.5 else 'NOT met'))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
