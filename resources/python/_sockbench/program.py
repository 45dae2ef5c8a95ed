"""Runs the program the workbench sent (docs/backend-protocol.md, "Running").

A program without section markers runs on the main thread exactly as `python3 prog.py`
would. With markers, each actor is a thread named after it, running its sections'
statements in file order, all in one shared __main__ namespace; the main thread waits for
them. `# expect:` statements are wrapped (AST, same line numbers) in a try/except that
reports what happened.
"""
import ast
import builtins
import errno
import linecache
import os
import select
import sys
import threading
import time
import traceback
import types

from . import comments
from .tracer import Tracer

_BACKEND_DIR = os.path.dirname(os.path.abspath(__file__))
_BOOT = os.path.join(os.path.dirname(_BACKEND_DIR), "boot.py")


class ExpectationMissed(BaseException):
    """Ends an actor whose `# expect:` was not met (reported as `unexpected` already)."""


def _ours(filename):
    return filename.startswith(_BACKEND_DIR + os.sep) or filename == _BOOT


def program_traceback(exc):
    """Python's formatted traceback, without the backend's own frames."""
    tb = exc.__traceback__
    while tb is not None and _ours(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    # An exception raised by the tracer (an interrupt) enters its frame twice.
    drop, previous, k, walk = [], None, 0, tb
    while walk is not None:
        here = (walk.tb_frame, walk.tb_lineno)
        if here == previous:
            drop.append(k)
        previous, k, walk = here, k + 1, walk.tb_next
    te = traceback.TracebackException(type(exc), exc, tb)
    for k in reversed(drop):
        del te.stack[k]
    text = "".join(te.format())
    # Frames of the backend deeper in the stack (time.sleep's wrapper, say).
    lines = text.splitlines(True)
    out, skip = [], False
    for line in lines:
        if line.startswith('  File "'):
            skip = _ours(line[8:line.index('"', 8)])
        elif not line.startswith("    "):
            skip = False
        if not skip:
            out.append(line)
    return "".join(out)


def _last_line(exc, filename):
    line = 0
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _exception_line(exc):
    return traceback.format_exception_only(type(exc), exc)[-1].strip()


def _tuples(value):
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


class _Writer:
    """sys.stdout / sys.stderr: what the program writes goes to the workbench as `out`."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, program, stream):
        self._program = program
        self._stream = stream
        self._lock = threading.Lock()
        self._pending = {}  # tid -> [text]

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        text.encode("utf-8")  # what python3 refuses to write, refused here too
        tid = threading.get_ident()
        with self._lock:
            parts = self._pending.setdefault(tid, [])
            parts.append(text)
            if "\n" not in text:
                return len(text)
            whole = "".join(parts)
            del self._pending[tid]
        self._program.send({"t": "out", "tid": tid, "stream": self._stream, "text": whole})
        return len(text)

    def flush(self, tid=None):
        with self._lock:
            if tid is None:
                items = list(self._pending.items())
                self._pending.clear()
            else:
                items = [(tid, self._pending.pop(tid))] if tid in self._pending else []
        for t, parts in items:
            text = "".join(parts)
            if text:
                self._program.send({"t": "out", "tid": t, "stream": self._stream,
                                    "text": text})

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def isatty(self):
        return False

    def writable(self):
        return True

    def readable(self):
        return False

    def seekable(self):
        return False

    def fileno(self):
        import io
        raise io.UnsupportedOperation("fileno")

    @property
    def closed(self):
        return False

    @property
    def name(self):
        return "<%s>" % self._stream

    @property
    def buffer(self):
        return _BinaryWriter(self)


class _BinaryWriter:
    def __init__(self, text):
        self._text = text

    def write(self, data):
        self._text.write(bytes(data).decode("utf-8", "replace"))
        return len(data)

    def flush(self):
        self._text.flush()


class Program:
    def __init__(self, dispatcher, load):
        self.dispatcher = dispatcher
        self.load = load
        self.source = load["source"]
        self.filename = load.get("filename") or "<program>"
        self.path = load.get("path") or None
        self.mode = load.get("mode", "free")
        self.threads = {}  # tid -> {"actor", "name"}
        self.failed = False
        self.lock = threading.Lock()
        self.module = types.ModuleType("__main__")
        self.namespace = self.module.__dict__
        self.tracer = Tracer(self)
        self._background = []  # (code, thread name, actor) of `# background` statements
        self.stdout = _Writer(self, "stdout")
        self.stderr = _Writer(self, "stderr")

    # -- the channel -----------------------------------------------------------------------
    def send(self, message):
        self.dispatcher.send(message)

    def request(self, message):
        return self.dispatcher.request(message)

    def flush(self, tid=None):
        self.stdout.flush(tid)
        self.stderr.flush(tid)

    # -- messages from the workbench -------------------------------------------------------
    def on_mode(self, message, blob, fds):
        if message.get("mode") in ("step", "free"):
            self.mode = message["mode"]

    def on_interrupt(self, message, blob, fds):
        self.tracer.interrupt(message.get("tid"))

    def on_exec(self, message, blob, fds):
        line = int(message.get("line", 1))
        name = message.get("thread") or "exec"
        actor = message.get("actor") or "main"
        source = message.get("source", "")
        try:
            tree = ast.parse(source, self.filename)
            ast.increment_lineno(tree, line - 1)
            code = compile(tree, self.filename, "exec")
        except SyntaxError as e:
            self.send({"t": "raise", "tid": None, "line": line, "type": "SyntaxError",
                       "errno": None, "message": e.msg,
                       "traceback": "".join(traceback.format_exception_only(SyntaxError, e))})
            return
        self._remember_lines(line, source)
        # A click's statement names the socket module; the program may not have reached its
        # own `import socket` yet (clicked before the first step). Same module either way.
        if "socket" not in self.namespace:
            import socket
            self.namespace["socket"] = socket
        thread = threading.Thread(target=self._actor_body, args=([code], actor),
                                  name=name, daemon=True)
        thread._sockbench_actor = actor
        thread.start()

    def interrupted(self, frame):
        sys.setprofile(self.tracer.rearm)

    # -- running ---------------------------------------------------------------------------
    def _remember_lines(self, line, source):
        entry = linecache.cache.get(self.filename)
        lines = list(entry[2]) if entry else []
        new = source.splitlines(True) or ["\n"]
        if new and not new[-1].endswith("\n"):
            new[-1] += "\n"
        while len(lines) < line - 1:
            lines.append("\n")
        lines[line - 1:line - 1 + len(new)] = new
        linecache.cache[self.filename] = (sum(map(len, lines)), None, lines, self.filename)

    def _report_thread(self, name, actor, parent, background=False):
        tid = threading.get_ident()
        with self.lock:
            self.threads[tid] = {"actor": actor, "name": name}
        message = {"t": "thread", "tid": tid, "name": name, "actor": actor, "parent": parent,
                   "native": threading.get_native_id()}
        if background:
            message["background"] = True
        self.send(message)

    def _report_end(self):
        tid = threading.get_ident()
        self.flush(tid)
        message = {"t": "end", "tid": tid}
        changes = self.tracer.final.pop(tid, None)
        if changes:
            message["changes"] = changes  # what the thread's last line bound
        self.send(message)

    def report_raise(self, exc, text=None):
        tid = threading.get_ident()
        self.flush(tid)
        self.send({"t": "raise", "tid": tid, "line": _last_line(exc, self.filename),
                   "type": type(exc).__name__,
                   "errno": getattr(exc, "errno", None) if isinstance(exc, OSError) else None,
                   "message": str(exc),
                   "traceback": text if text is not None else program_traceback(exc)})

    def _actor_body(self, codes, actor):
        """An actor's thread (or a free-play statement's): runs its code objects in order."""
        self._report_thread(threading.current_thread().name, actor, None)
        sys.settrace(self.tracer.trace_calls)
        try:
            for code in codes:
                exec(code, self.namespace)
        except ExpectationMissed:
            self.failed = True
        except SystemExit:
            pass  # sys.exit() in a thread ends that thread, as in Python
        except BaseException as e:
            sys.settrace(None)
            self.failed = True
            text = program_traceback(e)
            self.stderr.write(text)
            self.report_raise(e, text)
        finally:
            sys.settrace(None)
            self._report_end()

    # -- expectations ----------------------------------------------------------------------
    def _matches(self, exc, alt):
        if alt == "ok":
            return exc is None
        if exc is None:
            return False
        if alt == "timeout":
            import socket
            return isinstance(exc, (TimeoutError, socket.timeout))
        if alt == "interrupted":
            return isinstance(exc, (InterruptedError, KeyboardInterrupt))
        if isinstance(exc, OSError) and exc.errno is not None:
            if alt.startswith("EAI_") or alt.startswith("HOST_"):
                import socket
                if getattr(socket, alt, None) == exc.errno and isinstance(
                        exc, (socket.gaierror, socket.herror)):
                    return True
            elif errno.errorcode.get(exc.errno) == alt:
                return True
        for cls in type(exc).__mro__:
            if alt in (cls.__name__, "%s.%s" % (cls.__module__, cls.__qualname__)):
                return True
        if "." in alt:
            head, *rest = alt.split(".")
            obj = self.namespace.get(head, getattr(builtins, head, None))
            if obj is None:
                obj = sys.modules.get(head)
            try:
                for part in rest:
                    obj = getattr(obj, part)
                if isinstance(obj, type) and isinstance(exc, obj):
                    return True
            except AttributeError:
                pass
        return False

    def check(self, line, alternatives):
        """Called in a wrapped statement's except clause."""
        self._settle(line, alternatives, sys.exc_info()[1])

    def check_ok(self, line, alternatives):
        """Called when a wrapped statement raised nothing."""
        self._settle(line, alternatives, None)

    def _settle(self, line, alternatives, exc):
        tid = threading.get_ident()
        for alt in alternatives:
            if self._matches(exc, alt):
                self.send({"t": "expected", "tid": tid, "line": line, "name": alt,
                           "text": "" if exc is None else _exception_line(exc)})
                return
        self.send({"t": "unexpected", "tid": tid, "line": line, "expected": list(alternatives),
                   "got": "ok" if exc is None else _exception_line(exc)})
        raise ExpectationMissed()

    def wrap_expect(self, node, alternatives):
        """try: STMT / except BaseException: __sockbench__.check(L, alts) / else: check_ok."""
        line = comments.first_line(node)
        self.tracer.expect_lines.add(line)
        alts = ast.List(elts=[ast.Constant(a) for a in alternatives], ctx=ast.Load())

        def call(method):
            return ast.Expr(ast.Call(
                func=ast.Attribute(ast.Name("__sockbench__", ast.Load()), method, ast.Load()),
                args=[ast.Constant(line), alts], keywords=[]))

        wrapped = ast.Try(
            body=[node],
            handlers=[ast.ExceptHandler(type=ast.Name("BaseException", ast.Load()), name=None,
                                        body=[call("check")])],
            orelse=[call("check_ok")], finalbody=[])
        ast.copy_location(wrapped, node)
        ast.fix_missing_locations(wrapped)
        return wrapped

    def wrap_background(self, node, actor):
        """`# background`: the statement runs in a thread of its own ("server~12"), started
        by the actor, which goes on at once (a later statement does not wait for it)."""
        line = comments.first_line(node)
        self._background.append((self._compile([node]), "%s~%d" % (actor, line), actor))
        call = ast.Expr(ast.Call(
            func=ast.Attribute(ast.Name("__sockbench__", ast.Load()), "background",
                               ast.Load()),
            args=[ast.Constant(len(self._background) - 1)], keywords=[]))
        ast.copy_location(call, node)
        ast.fix_missing_locations(call)
        return call

    def background(self, index):
        code, name, actor = self._background[index]
        thread = threading.Thread(target=self._run_background, args=(code,), name=name)
        thread._sockbench_actor = actor
        thread._sockbench_parent = threading.get_ident()
        thread._sockbench_background = True
        _original_start(thread)

    def _run_background(self, code):
        try:
            exec(code, self.namespace)
        except ExpectationMissed:
            self.failed = True

    def _compile(self, nodes):
        mod = ast.Module(body=nodes, type_ignores=[])
        ast.fix_missing_locations(mod)
        return compile(mod, self.filename, "exec", dont_inherit=True)

    # -- the whole program -----------------------------------------------------------------
    def run(self):
        d = comments.lenient(self.source, self.filename)
        linecache.cache[self.filename] = (len(self.source), None,
                                          self.source.splitlines(True), self.filename)
        ns = self.namespace
        ns["__file__"] = self.path or self.filename
        ns["__builtins__"] = builtins
        ns["__sockbench__"] = self
        for name, value in (self.load.get("names") or {}).items():
            ns[name] = _tuples(value)
        sys.modules["__main__"] = self.module
        sys.argv = [self.path or self.filename] + list(self.load.get("argv") or [])
        sys.path.insert(0, os.path.dirname(os.path.abspath(self.path)) if self.path else "")
        self.dispatcher.on("mode", self.on_mode)
        self.dispatcher.on("interrupt", self.on_interrupt)
        self.dispatcher.on("exec", self.on_exec)
        self._install()

        # Statements, wrapped where an `# expect:` asks, grouped by actor.
        by_actor = {}
        clicked = set(self.load.get("clicked") or ())
        for actor, node, note in d.steps:
            if comments.first_line(node) in clicked:
                continue  # re-made as the click it was, through `exec`
            if note["expect"]:
                node = self.wrap_expect(node, note["expect"])
            if note.get("background"):
                node = self.wrap_background(node, actor)
            by_actor.setdefault(actor, []).append(node)

        code = 0
        if not d.markers:
            code = self._run_main(self._compile(by_actor.get("main", [])))
        else:
            threads = []
            for actor in d.actors:
                t = threading.Thread(target=self._actor_body,
                                     args=([self._compile(by_actor.get(actor, []))], actor),
                                     name=actor)
                t._sockbench_actor = actor
                threads.append(t)
            # The workbench waits for each of these at its first line before it chooses.
            self.send({"t": "sections", "actors": [t._sockbench_actor for t in threads]})
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            code = 1 if self.failed else 0
        self._join_others()
        self.flush()
        self.send({"t": "exit", "code": code})
        if self.load.get("stay"):
            # The window's free play: statements clicked after the program's end still run
            # (each in a thread of its own, through `exec`) until the workbench ends us.
            threading.Event().wait()
        return code

    def _run_main(self, code):
        self._report_thread("main", "main", None)
        threading.current_thread()._sockbench_actor = "main"
        sys.settrace(self.tracer.trace_calls)
        try:
            exec(code, self.namespace)
            return 0
        except SystemExit as e:
            sys.settrace(None)
            status = e.code
            if status is None:
                return 0
            if isinstance(status, int):
                return status
            self.stderr.write("%s\n" % (status,))
            return 1
        except ExpectationMissed:
            return 1
        except BaseException as e:
            sys.settrace(None)
            text = program_traceback(e)
            self.stderr.write(text)
            self.report_raise(e, text)
            return 130 if isinstance(e, KeyboardInterrupt) else 1
        finally:
            sys.settrace(None)
            self._report_end()

    def _join_others(self):
        """Like Python at exit: wait for every non-daemon thread the program started."""
        me = threading.current_thread()
        while True:
            waiting = [t for t in threading.enumerate()
                       if t is not me and not t.daemon and t.is_alive()
                       and hasattr(t, "_sockbench_actor")]
            if not waiting:
                return
            for t in waiting:
                _original_join(t)

    # -- hooks: threads, sleep, join, output -----------------------------------------------
    def _install(self):
        program = self
        sys.stdout = self.stdout
        sys.stderr = self.stderr

        def start(thread):
            caller = sys._getframe(1).f_code.co_filename
            me = threading.current_thread()
            if hasattr(me, "_sockbench_actor") and not _ours(caller) and \
                    not hasattr(thread, "_sockbench_actor"):
                thread._sockbench_actor = me._sockbench_actor
                thread._sockbench_parent = threading.get_ident()
            return _original_start(thread)

        def bootstrap_inner(thread):
            parent = getattr(thread, "_sockbench_parent", False)
            if parent is False:  # the backend's own thread, or an actor's
                return _original_bootstrap_inner(thread)
            program._report_thread(thread.name, thread._sockbench_actor, parent,
                                   getattr(thread, "_sockbench_background", False))
            sys.settrace(program.tracer.trace_calls)
            try:
                return _original_bootstrap_inner(thread)
            finally:
                sys.settrace(None)
                program._report_end()

        original_hook = threading.excepthook

        def excepthook(args):
            if hasattr(args.thread, "_sockbench_actor") and args.exc_type is not SystemExit:
                text = program_traceback(args.exc_value) if args.exc_value else ""
                self.stderr.write("Exception in thread %s:\n%s" % (args.thread.name, text))
                if args.exc_value is not None:
                    program.report_raise(args.exc_value, text)
                return
            original_hook(args)

        def sleep(seconds):
            if not hasattr(threading.current_thread(), "_sockbench_actor"):
                return _original_sleep(seconds)
            tid = threading.get_ident()
            program.send({"t": "wait", "tid": tid, "what": "time.sleep(%r)" % (seconds,)})
            try:
                return _original_sleep(seconds)
            finally:
                program.send({"t": "resume", "tid": tid})

        def join(thread, timeout=None):
            if not hasattr(threading.current_thread(), "_sockbench_actor") or \
                    not thread.is_alive():
                return _original_join(thread, timeout)
            tid = threading.get_ident()
            program.send({"t": "wait", "tid": tid, "what": "%s.join()" % thread.name})
            try:
                return _original_join(thread, timeout)
            finally:
                program.send({"t": "resume", "tid": tid})

        def select_(rlist, wlist, xlist, timeout=None):
            # A thread in select() waits where the workbench sees no socket call: said so,
            # it is "waiting in select.select()" on its host, not "running" (lesson 29).
            if not hasattr(threading.current_thread(), "_sockbench_actor"):
                return _original_select(rlist, wlist, xlist, timeout)
            tid = threading.get_ident()
            program.send({"t": "wait", "tid": tid, "what": "select.select()"})
            try:
                return _original_select(rlist, wlist, xlist, timeout)
            finally:
                program.send({"t": "resume", "tid": tid})

        threading.Thread.start = start
        threading.Thread._bootstrap_inner = bootstrap_inner
        threading.Thread.join = join
        threading.excepthook = excepthook
        time.sleep = sleep
        select.select = select_


_original_start = threading.Thread.start
_original_bootstrap_inner = threading.Thread._bootstrap_inner
_original_join = threading.Thread.join
_original_sleep = time.sleep
_original_select = select.select


def run(dispatcher, load):
    return Program(dispatcher, load).run()
