#!/usr/bin/env python3
"""The backend's Python side (resources/python/_sockbench): running a program under the
tracer, describing it, exporting it. The test plays the workbench (workbench.py): a socket
pair, boot.py started on it, every `line` granted with `go`. python3 itself, run in the same
test on the same program, is the oracle for output, tracebacks and exit codes.

Run: python3 -m unittest tests/backend/test_program.py   (or the file directly).
Set SOCKBENCH_CLI to the built sockbench-cli to compare the exports with the C++ exporter's.
"""
import errno
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from workbench import BOOT, ROOT, Run, send  # noqa: E402

LESSONS = sorted(glob.glob(os.path.join(ROOT, "resources", "lessons", "*.py")))


def python3(source, tmp, name="prog.py"):
    """Runs the program under plain python3, as `python3 prog.py` in tmp. Tracebacks name
    the file as python3 does (an absolute path since 3.9): run() is given the same name."""
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(source)
    run = subprocess.run([sys.executable, name], cwd=tmp, capture_output=True, text=True,
                         timeout=60)
    run.filename = os.path.abspath(path)
    return run


def describe(path, *extra, stdin=None):
    run = subprocess.run([sys.executable, BOOT, "--describe", path] + list(extra),
                         capture_output=True, text=True, input=stdin, timeout=60)
    return run.returncode, json.loads(run.stdout)


class Stepping(unittest.TestCase):
    def test_loop_passes_are_counted(self):
        r = Run("total = 0\nfor i in range(3):\n    total += i\nprint(total)\n")
        lines = [line for _actor, line, _changes in r.lines]
        # The for line is met once per pass and once more when the range is spent.
        self.assertEqual(lines, [1, 2, 3, 2, 3, 2, 3, 2, 4])
        self.assertEqual(lines.count(3), 3)
        self.assertEqual(r.out(), "3\n")
        self.assertEqual(r.exit_code(), 0)

    def test_statements_sharing_a_line_all_run_as_one_step(self):
        source = "x = 1; y = x + 1\nimport math; z = math.floor(2.5)\nprint(x, y, z)\n"
        r = Run(source)
        self.assertEqual([line for _a, line, _c in r.lines], [1, 2, 3])
        self.assertEqual(r.out(), "1 2 2\n")

    def test_a_comprehension_is_one_step(self):
        source = ("names = sorted(n for n in dir(str) if n.startswith('is'))\n"
                  "squares = [i * i for i in range(50)]\n"
                  "pick = max(range(9), key=lambda k: -k)\n"
                  "end = None\n")
        r = Run(source)
        self.assertEqual([line for _a, line, _c in r.lines], [1, 2, 3, 4])

    def test_changes_are_what_the_previous_line_bound(self):
        source = ("x = 1\ny = 'a' * 1000\ndef f(n):\n    m = n * 2\n    return m\n"
                  "z = f(4)\nx = x\nend = None\n")
        r = Run(source)
        changes = {line: dict(c) for _a, line, c in r.lines}
        self.assertEqual(changes[2], {"x": "1"})
        self.assertEqual(set(changes[3]), {"y"})
        self.assertLessEqual(len(changes[3]["y"]), 200)  # repr cut to 200 characters
        self.assertEqual(changes[5], {"m": "8"})  # a function's locals
        self.assertEqual(changes[7], {"z": "8"})
        # x = x binds the same object again: still shown, the line stores x.
        self.assertEqual(changes[8], {"x": "1"})
        end = [m for m in r.of("end")][-1]
        self.assertEqual(end.get("changes"), [["end", "None"]])  # the last line's, at end

    def test_a_spent_loop_binds_nothing(self):
        # Each pass of the for line binds i; the last meeting, when the range is spent,
        # binds nothing: i keeps the last pass's 1, which that line did not give it.
        r = Run("for i in range(2):\n    pass\nfor j in []:\n    pass\nend = None\n")
        self.assertEqual([(line, dict(c)) for _a, line, c in r.lines],
                         [(1, {}), (2, {"i": "0"}), (1, {}), (2, {"i": "1"}), (1, {}),
                          (3, {}), (5, {})])

    def test_a_repr_that_raises_does_not_stop_the_program(self):
        r = Run("class A:\n    def __repr__(self):\n        raise ValueError\na = A()\nb = 2\n")
        self.assertIn("a", dict(r.lines[-1][2]))
        self.assertEqual(r.exit_code(), 0)

    def test_sections_are_actor_threads(self):
        source = ("import os\n# --- server ---\na = 1\n# --- client ---\nb = 2\n"
                  "# --- server ---\nc = 3\n")
        r = Run(source)
        threads = {m["name"]: m for m in r.of("thread")}
        self.assertEqual(set(threads), {"main", "server", "client"})
        for name, m in threads.items():
            self.assertEqual(m["actor"], name)
            self.assertIsNone(m["parent"])
        by_actor = {}
        for actor, line, _c in r.lines:
            by_actor.setdefault(actor, []).append(line)
        self.assertEqual(by_actor, {"main": [1], "server": [3, 7], "client": [5]})
        self.assertEqual(len(r.of("end")), 3)
        self.assertEqual(r.exit_code(), 0)

    def test_a_thread_the_program_starts_reports_its_parent(self):
        source = ("import threading\ndef work(n):\n    return n + 1\n"
                  "t = threading.Thread(target=work, args=(1,), name='worker')\n"
                  "t.start()\nt.join()\n")
        r = Run(source)
        threads = {m["name"]: m for m in r.of("thread")}
        self.assertEqual(threads["worker"]["parent"], threads["main"]["tid"])
        self.assertEqual(threads["worker"]["actor"], "main")
        self.assertIn(("main", 3, []), r.lines)  # the function's line, in its thread
        self.assertTrue(any(m["tid"] == threads["worker"]["tid"] for m in r.of("end")))

    def test_sleep_and_join_report_wait_and_resume(self):
        source = ("import threading, time\nt = threading.Thread(target=time.sleep, "
                  "args=(0.05,))\nt.start()\ntime.sleep(0.01)\nt.join()\n")
        r = Run(source, mode="free")
        waits = [m["what"] for m in r.of("wait")]
        self.assertIn("time.sleep(0.01)", waits)
        self.assertEqual(len(r.of("wait")), len(r.of("resume")))

    def test_mode_switch_to_free_stops_line_messages(self):
        def on_line(run, m):
            if len(run.lines) == 2:
                send(run.sock, {"t": "mode", "mode": "free"})
            return False
        r = Run("a = 1\nb = 2\nc = 3\nd = 4\nprint(a + b + c + d)\n", on_line=on_line)
        self.assertEqual([line for _a, line, _c in r.lines], [1, 2])
        self.assertEqual(r.out(), "10\n")


class Expectations(unittest.TestCase):
    def test_expected_errors_and_ok(self):
        # Actors are concurrent threads (the workbench's scheduler orders them, not this
        # test): the import sits in the one actor's own section.
        source = ("# --- you ---\n"
                  "import errno, socket\n"
                  "# expect: ZeroDivisionError\nx = 1 / 0\n"
                  "# expect: ENOENT\nopen('/nonexistent/sockbench')\n"
                  "# expect: OSError\nopen('/nonexistent/sockbench')\n"
                  "# expect: socket.timeout\nraise socket.timeout('late')\n"
                  "# expect: timeout\nraise TimeoutError()\n"
                  "# expect: EACCES or ok\ny = 2\n"
                  "print('went on')\n")
        r = Run(source)
        names = [(m["line"], m["name"]) for m in r.of("expected")]
        self.assertEqual(names, [(4, "ZeroDivisionError"), (6, "ENOENT"), (8, "OSError"),
                                 (10, "socket.timeout"), (12, "timeout"), (14, "ok")])
        self.assertEqual(r.of("expected")[1]["text"],
                         "FileNotFoundError: [Errno 2] No such file or directory: "
                         "'/nonexistent/sockbench'")
        self.assertEqual(r.of("unexpected"), [])
        self.assertEqual(r.out(), "went on\n")
        # The wrapped statement is one step, even when its except clause runs.
        self.assertEqual([line for _a, line, _c in r.lines if line == 4], [4])
        self.assertEqual(r.exit_code(), 0)

    def test_a_mismatch_stops_the_actor(self):
        source = ("# --- you ---\n# expect: KeyError\nx = 1\nprint('not reached')\n"
                  "# --- other ---\n# expect: KeyError\n{}[1] + 0 if False else 1 / 0\n")
        r = Run(source)
        unexpected = sorted((m["line"], m["got"]) for m in r.of("unexpected"))
        self.assertEqual(unexpected, [(3, "ok"), (7, "ZeroDivisionError: division by zero")])
        self.assertEqual(r.out(), "")
        self.assertEqual(r.of("raise"), [])
        self.assertEqual(r.exit_code(), 1)

    def test_background_statement_runs_in_a_thread_of_its_own(self):
        source = ("# --- you ---\nimport threading\nev = threading.Event()\n# background\n"
                  "ev.wait()\nprint('the actor went on')\nev.set()\n")
        r = Run(source)
        threads = {m["name"]: m for m in r.of("thread")}
        self.assertEqual(threads["you~5"]["actor"], "you")
        self.assertEqual(threads["you~5"]["parent"], threads["you"]["tid"])
        self.assertEqual(r.out(), "the actor went on\n")
        self.assertEqual(r.exit_code(), 0)

    def test_expect_above_a_with_statement(self):
        source = ("# expect: ValueError\nwith open(__file__) as f:\n    int('x')\n"
                  "print(f.closed)\n")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "w.py")
            with open(path, "w") as f:
                f.write(source)
            r = Run(source, filename="w.py", path=path)
        self.assertEqual([m["name"] for m in r.of("expected")], ["ValueError"])
        self.assertEqual(r.out(), "True\n")


class LikePython3(unittest.TestCase):
    def test_print_output_is_python3s(self):
        source = ("import sys\nprint('a', 1, 2.5, None, sep='|', end='')\nprint(' b')\n"
                  "print('héllo ✓', [1, 'x'], {'k': (1,)})\nsys.stdout.write('raw')\n"
                  "sys.stderr.write('to stderr\\n')\nfor i in range(3):\n    print(i, end=' ')\n"
                  "print()\nprint(sys.argv[1:], __name__)\n")
        with tempfile.TemporaryDirectory() as tmp:
            expected = python3(source, tmp)
            r = Run(source, mode="free")
        self.assertEqual(r.out(), expected.stdout)
        self.assertEqual(r.out("stderr"), expected.stderr)
        self.assertEqual(r.exit_code(), expected.returncode)

    def test_uncaught_exception_traceback_is_python3s(self):
        source = "def boom(n):\n    return {}[n]\n\nx = 1\nboom('key')\n"
        with tempfile.TemporaryDirectory() as tmp:
            expected = python3(source, tmp)
            r = Run(source, filename=expected.filename, path=expected.filename, mode="step")
        raised = r.of("raise")
        self.assertEqual(len(raised), 1)
        self.assertEqual(raised[0]["type"], "KeyError")
        self.assertEqual(raised[0]["line"], 2)
        self.assertEqual(raised[0]["traceback"], expected.stderr)
        self.assertEqual(r.out("stderr"), expected.stderr)
        self.assertEqual(r.exit_code(), expected.returncode)

    def test_exception_in_a_started_thread_is_python3s(self):
        source = ("import threading\ndef work():\n    raise ValueError('in the thread')\n"
                  "t = threading.Thread(target=work, name='w')\nt.start()\nt.join()\n"
                  "print('main goes on')\n")
        with tempfile.TemporaryDirectory() as tmp:
            expected = python3(source, tmp)
            r = Run(source, filename=expected.filename, mode="free")
        self.assertEqual(r.out("stderr"), expected.stderr)
        self.assertEqual(r.out(), expected.stdout)
        self.assertEqual(r.of("raise")[0]["type"], "ValueError")
        self.assertEqual(r.exit_code(), 0)

    def test_exit_codes_are_python3s(self):
        for source in ("import sys\nsys.exit(3)\n", "raise SystemExit('bye')\n",
                       "import sys\nsys.exit()\n", "import threading, sys\n"
                       "t = threading.Thread(target=sys.exit, args=(4,))\nt.start()\nt.join()\n"):
            with tempfile.TemporaryDirectory() as tmp:
                expected = python3(source, tmp)
                r = Run(source, mode="free")
            self.assertEqual(r.exit_code(), expected.returncode, source)
            self.assertEqual(r.process.returncode, expected.returncode, source)
            self.assertEqual(r.out("stderr"), expected.stderr, source)

    def test_names_argv_and_path(self):
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "helper.py"), "w") as f:
                f.write("VALUE = 'from the program directory'\n")
            path = os.path.join(tmp, "prog.py")
            source = ("import sys, helper\nprint(web, type(web).__name__)\n"
                      "print(sys.argv[1:], helper.VALUE, __file__ == sys.argv[0])\n")
            r = Run(source, path=path, argv=["-v", "x"], names={"web": ["127.0.0.1", 4000]},
                    mode="free")
        self.assertEqual(r.out(), "('127.0.0.1', 4000) tuple\n"
                                  "['-v', 'x'] from the program directory True\n")

    def test_memory_error_is_an_ordinary_traceback(self):
        r = Run("try:\n    b = bytearray(1 << 62)\nexcept MemoryError:\n    print('caught')\n",
                mode="free")
        self.assertEqual(r.out(), "caught\n")


class Payloads(unittest.TestCase):
    def test_a_send_hands_its_bytes_over_without_a_copy(self):
        # sendall(b'x' * 2**30) under the workbench's 2 GiB limit: a copy of the payload
        # made it a MemoryError where python3 sends it.
        sys.path.insert(0, os.path.join(ROOT, "resources", "python"))
        from _sockbench.standin import _payload
        data = b"x" * (1 << 20)
        self.assertIs(_payload(data), data)
        buffer = bytearray(b"abc")
        view = _payload(buffer)
        buffer[0] = ord("A")  # a view of the program's buffer, not a copy of it
        self.assertEqual(bytes(view), b"Abc")
        self.assertEqual(bytes(_payload(memoryview(b"\x01\x02\x03\x04").cast("H"))),
                         b"\x01\x02\x03\x04")
        self.assertEqual(len(_payload(memoryview(b"\x01\x02\x03\x04").cast("H"))), 4)


class FreePlayAndInterrupt(unittest.TestCase):
    def test_exec_runs_a_statement_in_the_programs_namespace(self):
        source = "import time\nshared = []\nwhile not shared:\n    time.sleep(0.01)\nprint(shared)\n"

        def on_line(run, m):
            if m["line"] == 3 and not any(x.get("t") == "thread" and x["name"] == "click-1"
                                          for x in run.messages):
                send(run.sock, {"t": "exec", "thread": "click-1", "actor": "you", "line": 9,
                                "source": "shared.append(6 * 7)"})
            return False
        r = Run(source, on_line=on_line)
        self.assertEqual(r.out(), "[42]\n")
        click = [m for m in r.of("thread") if m["name"] == "click-1"]
        self.assertEqual(click[0]["actor"], "you")
        self.assertIn(("you", 9, []), r.lines)

    def test_exec_syntax_error_is_reported(self):
        def on_line(run, m):
            if m["line"] == 1:
                send(run.sock, {"t": "exec", "thread": "click-2", "actor": "you", "line": 5,
                                "source": "s1.listen(("})
            return False
        r = Run("import time\ntime.sleep(0.2)\n", on_line=on_line)
        self.assertEqual([m["type"] for m in r.of("raise")], ["SyntaxError"])

    def test_interrupt_stops_a_one_line_endless_loop(self):
        def on_message(run, m):
            if m["t"] == "thread":
                send(run.sock, {"t": "interrupt", "tid": m["tid"]})
        r = Run("while True: pass\n", mode="free", on_message=on_message)
        self.assertEqual(r.of("raise")[0]["type"], "KeyboardInterrupt")
        self.assertEqual(r.of("raise")[0]["line"], 1)
        err = r.out("stderr")
        self.assertTrue(err.startswith('Traceback (most recent call last):\n'
                                       '  File "prog.py", line 1, in <module>\n'
                                       '    while True: pass\n'), err)
        self.assertEqual(err.count('File "'), 1, err)  # the frame once, no backend frame
        self.assertTrue(err.endswith('\nKeyboardInterrupt\n'), err)

    def test_interrupt_lands_at_the_next_line_and_tracing_goes_on(self):
        source = ("n = 0\ntry:\n    while True:\n        n += 1\nexcept KeyboardInterrupt:\n"
                  "    print('stopped')\nafter = n\nprint('done')\n")

        def on_line(run, m):
            if len(run.lines) == 6:
                send(run.sock, {"t": "interrupt", "tid": m["tid"]})
            return False
        r = Run(source, on_line=on_line)
        self.assertEqual(r.out(), "stopped\ndone\n")
        lines = [line for _a, line, _c in r.lines]
        self.assertEqual(lines[:2], [1, 2])
        self.assertIn(4, lines[:6])  # (before 3.10, `while True:` has no line event)
        self.assertNotIn(4, lines[6:])
        self.assertIn(8, lines[6:])  # still stepped after the interrupt was caught


class Describe(unittest.TestCase):
    def test_every_shipped_lesson(self):
        self.assertEqual(len(LESSONS), 30)
        for path in LESSONS:
            status, d = describe(path)
            self.assertEqual(status, 0, (path, d))
            with open(path, encoding="utf-8") as f:
                source = f.read()
            lines = source.splitlines()
            self.assertTrue(d["title"], path)
            markers = [m.group(1) for m in (re.match(r"^# --- (\w+) ---$", l) for l in lines)
                       if m]
            self.assertEqual([s["actor"] for s in d["sections"] if s["actor"] != "main"],
                             markers, path)
            for k, line in enumerate(lines, 1):
                expect = re.match(r"^# expect: (.*)$", line)
                if expect:
                    below = next(n for n in range(k + 1, len(lines) + 1)
                                 if not lines[n - 1].startswith("#"))
                    self.assertEqual(d["notes"][str(below)]["expect"],
                                     expect.group(1).split(" or "), (path, k))
                if line == "# pause":
                    below = next(n for n in range(k + 1, len(lines) + 1)
                                 if not lines[n - 1].startswith("#"))
                    self.assertTrue(d["notes"][str(below)]["pause"], (path, k))

    def test_a_summary_line_may_begin_with_a_word_and_a_colon(self):
        # Lesson 22's summary was cut at "...a built-in peer of the" because its next line
        # began "workbench: it serves", which read as a header field.
        source = ("# title: T\n# The server is a built-in peer of the\n"
                  "# workbench: it serves the page.\n# level: beginner\n#\nimport socket\n")
        status, d = describe("-", "--name", "x.py", stdin=source)
        self.assertEqual(status, 0, d)
        self.assertEqual(d["summary"],
                         "The server is a built-in peer of the workbench: it serves the page.")
        self.assertEqual(d["level"], "beginner")
        self.assertEqual(d["extra"], [])

    def test_lesson_05s_rule_holds_for_a_normal_user(self):
        # Lesson 05: below ip_unprivileged_port_start bind() needs the administrator,
        # connect() needs nothing. Checked as a normal user (root drops to nobody here),
        # against this kernel's own setting.
        with open("/proc/sys/net/ipv4/ip_unprivileged_port_start") as f:
            start = int(f.read())
        probe = ("import socket\n"
                 "b = socket.socket()\n"
                 "try:\n    b.bind(('127.0.0.1', 1)); print('bind ok')\n"
                 "except OSError as e:\n    print('bind', e.errno)\n"
                 "c = socket.socket()\n"
                 "print('connect', c.connect_ex(('127.0.0.1', 1)))\n")
        def drop():
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
        # Debian's python3 where there is one: nobody may not reach a python in root's home.
        python = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else sys.executable
        run = subprocess.run([python, "-c", probe], capture_output=True, text=True,
                             preexec_fn=drop, cwd="/")
        self.assertEqual(run.returncode, 0, run.stderr)
        lines = run.stdout.split("\n")
        self.assertEqual(lines[0], "bind %d" % errno.EACCES if start > 1 else "bind ok")
        self.assertIn(lines[1], ("connect %d" % errno.ECONNREFUSED, "connect 0"))
        lesson = next(p for p in LESSONS if os.path.basename(p).startswith("05-"))
        text = open(lesson).read()
        self.assertIn("ip_unprivileged_port_start", text)
        self.assertIn("connect() needs no rights", text)

    def test_header_narration_and_sections(self):
        source = ("#!/usr/bin/env python3\n# title: T\n# The summary,\n# in two lines.\n"
                  "# level: beginner\n# topics: a, b\n# peer: web = course-web\n#\n"
                  "# Narration of the import.\nimport socket\n\n# --- server ---\n"
                  "# First paragraph\n# goes on.\n#\n# Second.\n# pause\n"
                  "s = socket.socket()\nfor i in range(2):\n    # a comment in a body\n"
                  "    pass\n")
        status, d = describe("-", "--name", "x.py", stdin=source)
        self.assertEqual(status, 0, d)
        self.assertEqual((d["title"], d["summary"], d["level"], d["topics"]),
                         ("T", "The summary, in two lines.", "beginner", ["a", "b"]))
        self.assertEqual(d["peers"], [["web", "course-web"]])
        self.assertEqual(d["extra"], [["peer", "web = course-web"]])
        self.assertEqual(d["notes"]["10"]["narration"], ["Narration of the import."])
        self.assertEqual(d["notes"]["18"]["narration"], ["First paragraph goes on.", "Second."])
        self.assertTrue(d["notes"]["18"]["pause"])
        self.assertEqual(d["notes"]["19"]["end"], 21)
        self.assertEqual(d["sections"], [{"actor": "main", "first": 1, "last": 11},
                                         {"actor": "server", "first": 12, "last": 21}])
        self.assertEqual(d["actors"], ["main", "server"])
        self.assertEqual(d["statements"], [10, 18, 19, 21])

    def test_refusals_and_syntax_errors(self):
        cases = [
            ("x = (\n", 1, None),  # Python's own message
            ("# expect: EPIPE\n\nx = 1\n", 1,
             "`# expect:` must sit directly above a statement, but a blank line separates them"),
            ("x = 1\n# pause\n", 2,
             "`# pause` must sit directly above a statement, but the file ends after it"),
            ("x = 1\n# -- server --\ny = 2\n", None, None),  # two dashes: a plain comment
            ("x = 1\n# --- two words ---\ny = 2\n", 2, "an actor's name is one word"),
            ("for i in range(2):\n    # expect: EPIPE\n    pass\n", 2,
             "`# expect:` inside a `for` body has no step of its own"),
            ("x = 1\n# expect: nonsense\ny = 2\n", 2, "`# expect:` takes errno names"),
        ]
        for source, line, message in cases:
            status, d = describe("-", "--name", "bad.py", stdin=source)
            if line is None:
                self.assertEqual(status, 0, source)
                continue
            self.assertEqual(status, 1, source)
            self.assertEqual(d["error"]["line"], line, source)
            if message:
                self.assertTrue(d["error"]["message"].startswith(message), d)
        try:
            compile("x = (\n", "bad.py", "exec")
        except SyntaxError as e:
            status, d = describe("-", "--name", "bad.py", stdin="x = (\n")
            self.assertEqual(d["error"]["message"], e.msg)


class Export(unittest.TestCase):
    # Every lesson's threads export runs under python3 and agrees with the workbench run in
    # lesson/export/* (tests/lessons/compare_export.py), one CTest test a lesson.

    def test_per_actor_exports_run_the_actors_as_processes(self):
        # All of them, started at once: they take turns (_turn), a statement on another
        # actor's socket runs in that actor's script, or (lesson 25, where that script is
        # blocked reading the socket) borrows the socket's descriptor (_lend/_borrow).
        for path in LESSONS:
            with tempfile.TemporaryDirectory() as tmp:
                made = subprocess.run([sys.executable, BOOT, "--export", "per-actor", path,
                                       tmp], capture_output=True, text=True,
                                      check=True).stdout.split()
                env = dict(os.environ, SOCKBENCH_SHARE=os.path.join(tmp, "share"))
                runs = [subprocess.Popen([sys.executable, p], env=env, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, text=True) for p in made]
                for p, script in zip(runs, made):
                    out, err = p.communicate(timeout=120)
                    self.assertEqual(p.returncode, 0, (script, err))

    def test_per_actor_scripts_go_on_while_another_waits_in_a_loop(self):
        # The server's loop waits for the client, and the server's close() comes after the
        # client's steps in the lesson: the client's turn must not wait for that close().
        source = ("# title: T\nimport select\nimport socket\n\n# --- server ---\n"
                  "server = socket.create_server(('127.0.0.1', 0))\n"
                  "port = server.getsockname()[1]\n\n# --- client ---\n"
                  "client = socket.create_connection(('127.0.0.1', port))\n\n"
                  "# --- server ---\nconn, addr = server.accept()\nwhile True:\n"
                  "    ready, _w, _x = select.select([conn], [], [])\n"
                  "    if not conn.recv(100):\n        break\n"
                  "conn.close()\nserver.close()\n\n# --- client ---\n"
                  "client.sendall(b'x')\nclient.close()\n")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "loop.py")
            with open(path, "w") as f:
                f.write(source)
            out = os.path.join(tmp, "out")
            made = subprocess.run([sys.executable, BOOT, "--export", "per-actor", path, out],
                                  capture_output=True, text=True, check=True).stdout.split()
            env = dict(os.environ, SOCKBENCH_SHARE=os.path.join(tmp, "share"))
            runs = [subprocess.Popen([sys.executable, p], env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True) for p in made]
            for p, script in zip(runs, made):
                _out, err = p.communicate(timeout=30)
                self.assertEqual(p.returncode, 0, (script, err))

    def test_an_unrolled_with_block_is_said_so(self):
        # Lesson 23's narration says the with block closes the socket by itself; the export
        # writes the block out, and says so beside it.
        lesson = next(p for p in LESSONS if os.path.basename(p).startswith("23-"))
        for mode in ("per-actor", "threads"):
            with tempfile.TemporaryDirectory() as tmp:
                made = subprocess.run([sys.executable, BOOT, "--export", mode, lesson, tmp],
                                      capture_output=True, text=True, check=True).stdout.split()
                text = "".join(open(p).read() for p in made)
                self.assertIn("writes the with block out", text, mode)
                self.assertIn("t.close()", text, mode)

    @unittest.skipUnless(os.environ.get("SOCKBENCH_CLI"), "SOCKBENCH_CLI not set")
    def test_the_command_lines_export_is_the_backends(self):
        cli = os.environ["SOCKBENCH_CLI"]
        for path in LESSONS:
            with tempfile.TemporaryDirectory() as tmp:
                ours, theirs = os.path.join(tmp, "ours"), os.path.join(tmp, "theirs")
                # `sockbench export` hands the lesson to boot.py --export (python3 -S, a
                # scratch copy): the files it writes are the backend's, name for name.
                for kind, flag in (("threads", ["--threads"]),):
                    a = subprocess.run([sys.executable, BOOT, "--export", kind, path, ours],
                                       capture_output=True, text=True, check=True)
                    b = subprocess.run([cli, "export", path, "--out", theirs] + flag,
                                       capture_output=True, text=True, check=True)
                    self.assertEqual([os.path.basename(p) for p in a.stdout.split()],
                                     [os.path.basename(p) for p in b.stdout.split()], path)
                    for name in a.stdout.split():
                        with open(name) as f1, open(os.path.join(theirs,
                                                                 os.path.basename(name))) as f2:
                            self.assertEqual(f1.read(), f2.read(), (path, name))


if __name__ == "__main__":
    unittest.main()
