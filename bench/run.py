#!/usr/bin/env python3
"""`make bench`: every benchmark of bench/, one table, each figure beside its target.

    bench/run.py BUILD_DIR [--runs N] [--quick]

Each benchmark runs N times (3 unless said); a figure is the median of its runs, with the
lowest and highest in brackets. Ratios are against baselines measured in the same run
(plain C loops, the same window idle, a minimal Qt window). A benchmark that fails or
runs out of time is printed as missed, with the reason. The window benchmarks want a
display: `make bench` runs this under xvfb-run at 1920x1080.
"""

import os
import platform
import statistics
import subprocess
import sys
import time


def run(command, timeout, env=None):
    """The RESULT lines of one benchmark run, as a dict; or the reason it gave none."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              env=env)
    except subprocess.TimeoutExpired:
        return None, f"did not finish in {timeout} s"
    results = {}
    for line in done.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "RESULT":
            results[parts[1]] = float(parts[2])
    if done.returncode != 0 and not results:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"exit {done.returncode}: {last}"
    return results, None


def first_frame(program, env):
    """Seconds from spawning `program` to the end of its first painted frame; or, as the
    second value, why there is none (which program, and what it did instead).

    Xvfb refuses now and then a client that connects just after another one ended at once
    (the measured windows _exit at their first frame): about one start in four after the
    minimal window. Such a start measured nothing, and is made again."""
    env = dict(env, SOCKBENCH_FIRST_FRAME="1")
    name = os.path.basename(program[0])
    for attempt in range(3):
        start = time.monotonic_ns()
        try:
            done = subprocess.run(program, capture_output=True, text=True, timeout=20,
                                  env=env)
        except subprocess.TimeoutExpired as timeout:
            err = timeout.stderr.decode(errors="replace") \
                if isinstance(timeout.stderr, bytes) else (timeout.stderr or "")
            last = (err.strip().splitlines() or ["nothing on stderr"])[-1]
            return None, f"{name} painted nothing in 20 s ({last})"
        for line in done.stdout.splitlines():
            if line.startswith("FIRST_FRAME_NS "):
                return (int(line.split()[1]) - start) / 1e9, None
        lines = done.stderr.strip().splitlines() or ["nothing on stderr"]
        if "could not connect to display" in done.stderr and attempt < 2:
            time.sleep(0.2)
            continue
        return None, f"{name} exited {done.returncode} before a frame ({lines[0]})"


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        print("usage: bench/run.py BUILD_DIR [--runs N] [--quick]", file=sys.stderr)
        return 2
    build = args[0]
    runs = int(args[args.index("--runs") + 1]) if "--runs" in args else 3
    quick = "--quick" in args
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "xcb" if env.get("DISPLAY") else "offscreen")
    core = os.path.join(build, "bench", "sockbench-core-bench")
    ui = os.path.join(build, "bench", "sockbench-ui-bench")
    minimal = os.path.join(build, "bench", "sockbench-minimal-window")
    app = os.path.join(build, "app", "sockbench")

    samples = {}  # figure key -> list of values
    failures = {}  # figure key -> why it has no value

    def collect(prefix, command, timeout, keys):
        results, why = run(command, timeout, env)
        for key in keys:
            if results is not None and key in results:
                samples.setdefault(prefix + key, []).append(results[key])
            elif why:
                failures[prefix + key] = why

    many = "500" if quick else "2000"
    for i in range(runs):
        print(f"run {i + 1} of {runs} ...", file=sys.stderr, flush=True)
        collect("full.", [core] + (["--quick"] if quick else []), 600,
                ["bulk_ratio", "pingpong_ratio", "interrupt_p99_ms"])
        collect("quick.", [core, "--quick"], 300, ["bulk_ratio"])
        collect("stage.", [ui, "--gib", "1" if quick else "5"], 240,
                ["idle_gap_p95_ms", "bulk_gap_p95_ms", "rss_after_1gib_mb", "rss_after_mb"])
        collect("closer.", [ui, "--gib", "1", "--look-closer"], 180,
                ["idle_gap_p95_ms", "bulk_gap_p95_ms"])
        collect("many.", [ui, "--many", many], 180,
                ["many_key_p95_ms", "many_idle_cpu_pct", "many_rss_mb", "many_threads",
                 "many_sockets"])
        ours, theirs, why = [], [], []
        for _ in range(5):  # interleaved, so that both see the same machine
            for program, times in (([app, "--lesson", "1"], ours), ([minimal], theirs)):
                seconds, failed = first_frame(program, env)
                if failed:
                    why.append(failed)
                else:
                    times.append(seconds)
        if why:  # a start that shows nothing is a failure of the figure, not a slow sample
            failures["start.ratio"] = "; ".join(sorted(set(why)))
        else:
            samples.setdefault("start.ratio", []).append(
                statistics.median(ours) / statistics.median(theirs))

    gib = "1 GiB" if quick else "5 GiB"
    # figure, key, target text, met(value), format
    figures = [
        ("bulk 1 GiB through the core ÷ plain C" if not quick else "bulk 256 MiB ÷ plain C",
         "full.bulk_ratio", "≥ 0.95", lambda v: v >= 0.95, "{:.2f}"),
        ("bulk --quick (256 MiB) ÷ plain C", "quick.bulk_ratio", "≥ 0.95",
         lambda v: v >= 0.95, "{:.2f}"),
        ("1-byte ping-pong round trip ÷ plain C", "full.pingpong_ratio", "≤ 1.5",
         lambda v: v <= 1.5, "{:.1f}×"),
        ("interrupt of a blocked recv(), p99", "full.interrupt_p99_ms", "≤ 50 ms",
         lambda v: v <= 50, "{:.2f} ms"),
        ("frame gap p95, window idle", "stage.idle_gap_p95_ms", "≤ 16.7 ms",
         lambda v: v <= 16.7, "{:.1f} ms"),
        (f"frame gap p95 while {gib} crosses a connection", "stage.bulk_gap_p95_ms", "≤ 20 ms",
         lambda v: v <= 20, "{:.1f} ms"),
        ("the same, Look closer open: idle", "closer.idle_gap_p95_ms", "≤ 16.7 ms",
         lambda v: v <= 16.7, "{:.1f} ms"),
        ("the same, Look closer open: 1 GiB", "closer.bulk_gap_p95_ms", "≤ 20 ms",
         lambda v: v <= 20, "{:.1f} ms"),
        ("window memory after 1 GiB", "stage.rss_after_1gib_mb", "≤ 150 MB",
         lambda v: v <= 150, "{:.0f} MB"),
        (f"window memory after {gib}", "stage.rss_after_mb", "flat (≤ 1 GiB's + 10%)",
         None, "{:.0f} MB"),
        (f"{many} sockets, half blocked: key to screen p95", "many.many_key_p95_ms", "≤ 50 ms",
         lambda v: v <= 50, "{:.0f} ms"),
        ("the same: GUI thread CPU while nothing happens", "many.many_idle_cpu_pct", "≤ 10%",
         lambda v: v <= 10, "{:.1f}%"),
        ("the same: resident memory", "many.many_rss_mb", "≤ 500 MB", lambda v: v <= 500,
         "{:.0f} MB"),
        ("the same: threads", "many.many_threads", f"< {many} (sockets)",
         lambda v: v < int(many), "{:.0f}"),
        ("start to first painted frame ÷ minimal Qt window", "start.ratio", "≤ 2",
         lambda v: v <= 2, "{:.1f}×"),
    ]
    one_gib = samples.get("stage.rss_after_1gib_mb")

    rows = []
    for name, key, target, met, fmt in figures:
        values = samples.get(key)
        if not values:
            rows.append((name, target, "—", "missed: " + failures.get(key, "not measured")))
            continue
        middle = statistics.median(values)
        text = fmt.format(middle)
        if len(values) > 1:
            text += " (" + fmt.format(min(values)) + "–" + fmt.format(max(values)) + ")"
        if len(values) < runs and key in failures:  # a run without it: say so, and why
            text += f"; from {len(values)} of {runs} runs, the others: {failures[key]}"
        if met is None:  # flat after many GiB: against the same run's figure after 1 GiB
            ok = one_gib is not None and middle <= statistics.median(one_gib) * 1.1
        else:
            ok = met(middle)
        rows.append((name, target, text, "met" if ok else "missed"))

    cpu = "?"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(l.split(":", 1)[1].strip() for l in info if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"Measured {time.strftime('%Y-%m-%d')} on {platform.node()}: {os.cpu_count()} cores, "
          f"{cpu}, Linux {platform.release()}; median of {runs} run(s), (lowest–highest).")
    print()
    print("| Figure | Target | Measured | |")
    print("|---|---|---|---|")
    for name, target, text, verdict in rows:
        print(f"| {name} | {target} | {text} | {verdict} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
