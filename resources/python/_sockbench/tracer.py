"""The tracer: one line event of the program at a time, reported to the workbench.

Only frames whose code comes from the program file are traced (the program's module code,
the functions it defines, in any thread it starts); the backend's own modules and the
standard library run untraced. In mode "step" every line event sends `line` (with what the
frame's previous line bound) and waits for `go`; in mode "free" nothing is asked, but an
interrupt still lands at the thread's next line.
"""
import sys
import threading

_CUT = 200
# Frames of one expression: a comprehension's or a lambda's lines are the line that holds
# them, run once more per item. They are not steps (lesson 02's sorted(name for name in
# dir(socket) ...) would be hundreds); an interrupt still lands in them.
_EXPRESSIONS = {"<genexpr>", "<listcomp>", "<setcomp>", "<dictcomp>", "<lambda>"}
_ILLEGAL = (type(sys), type(len), type(lambda: 0), type)


_STORES = {"STORE_NAME", "STORE_GLOBAL", "STORE_FAST", "STORE_DEREF", "DELETE_NAME",
           "DELETE_GLOBAL", "DELETE_FAST", "DELETE_DEREF"}
_stored_cache = {}


def _stored_names(code, line):
    """The names the instructions of `line` in `code` bind or delete."""
    by_line = _stored_cache.get(code)
    if by_line is None:
        import dis
        by_line = {}
        current = None
        for instruction in dis.get_instructions(code):
            positions = getattr(instruction, "positions", None)
            if positions is not None and positions.lineno is not None:
                current = positions.lineno
            elif instruction.starts_line is not None:
                current = instruction.starts_line
            if instruction.opname in _STORES:
                by_line.setdefault(current, set()).add(instruction.argval)
        _stored_cache[code] = by_line
    return by_line.get(line, ())


def short_repr(value):
    from .standin import quietly  # a socket's repr asks its addresses: not the program's calls
    try:
        if isinstance(value, (bytes, bytearray, str)) and len(value) > _CUT * 2:
            text = repr(value[:_CUT])
        else:
            with quietly():
                text = repr(value)
    except BaseException as e:  # a repr that raises must not stop the program
        text = "<%s object (repr raised %s)>" % (type(value).__name__, type(e).__name__)
    if len(text) > _CUT:
        text = text[:_CUT - 3] + "..."
    return text


def _statement_lines(source):
    """line -> (first, last) line of the statement it belongs to, for statements that span
    lines: a call whose arguments run on to the next line is one step, as it is one
    statement, though Python reports a line event for each line its instructions are on.
    A compound statement (if, for, while, with, def, ...) owns only its header's lines."""
    import ast
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    spans = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        first = node.lineno
        last = node.end_lineno or first
        bodies = [getattr(node, name, None) for name in ("body", "orelse", "finalbody",
                                                          "handlers", "cases")]
        inner = [n.lineno for body in bodies if isinstance(body, list) for n in body
                 if hasattr(n, "lineno")]
        if inner:
            last = min(inner) - 1  # the header only (an `if x: y()` on one line: none)
            if getattr(node, "decorator_list", None):
                first = min(d.lineno for d in node.decorator_list)
        for line in range(first, last + 1):
            spans.setdefault(line, (first, last))
    return {line: span for line, span in spans.items() if span[0] != span[1]}


def _loop_bodies(source):
    """A for statement's first line -> the first and last line of its body: the loop
    binds its target only on a pass that goes on into the body."""
    import ast
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    return {node.lineno: (node.body[0].lineno, node.body[-1].end_lineno or node.body[-1].lineno)
            for node in ast.walk(tree) if isinstance(node, (ast.For, ast.AsyncFor))}


class Tracer:
    def __init__(self, host):
        self.host = host  # the Program: filename, namespace, send(), request(), mode
        self.filename = host.filename
        self.snapshots = {}  # id(frame) -> {name: id(value)}
        self.interrupts = set()  # tids
        self.lock = threading.Lock()
        self.expect_lines = set()  # lines of statements wrapped for `# expect:`
        self.final = {}  # tid -> changes of a module frame's last line (sent with `end`)
        self.last_line = {}  # id(frame) -> the line of its last line event (its statement's)
        self.spans = None  # _statement_lines of the program, made at the first step
        self.loops = None  # _loop_bodies of the program, made with spans
        self.last_raw = {}  # id(frame) -> the line Python reported last

    # sys.settrace's global function: which frames to trace.
    def trace_calls(self, frame, event, arg):
        if frame.f_code.co_filename == self.filename:
            return self.trace_lines
        return None

    def _visible(self, frame):
        if frame.f_code.co_name == "<module>" and frame.f_globals is self.host.namespace:
            names = {}
            for k, v in list(frame.f_globals.items()):
                if k.startswith("__") or isinstance(v, _ILLEGAL):
                    continue
                names[k] = v
            return names
        return {k: v for k, v in frame.f_locals.items() if not k.startswith("__")}

    def _changes(self, frame, previous, now, line=None, arriving=None):
        out = []
        # Only what the line that ran binds itself: the names its instructions store. Other
        # threads share the module's globals, and what they bound is theirs to report.
        stored = None
        if line is not None:
            first, last = (self.spans or {}).get(line, (line, line))
            stored = set()
            body = (self.loops or {}).get(line)
            # A for loop that ran out goes on past its body, binding nothing: its target
            # keeps the last pass's value, which this line did not give it.
            if body is None or (arriving is not None and body[0] <= arriving <= body[1]):
                for each in range(first, last + 1):
                    stored.update(_stored_names(frame.f_code, each))
        for k, v in now.items():
            if previous is None:
                break
            if stored is not None and k not in stored:
                continue
            # A name the line stores is shown even when the value is the same object
            # (data = s.recv(10) returning b'' again): the student sees what the line did.
            if k not in previous or previous[k] != id(v) or stored:
                change = [k, short_repr(v)]
                # A socket of the workbench's: its id, so the stage can call it by this name.
                shared = getattr(v, "_sb_shared", None) if hasattr(type(v), "_sb_shared") else None
                if shared is not None:
                    change.append(shared.id)
                out.append(change)
        return out

    def trace_lines(self, frame, event, arg):
        if event == "opcode":
            # Asked for by interrupt(): a one-line loop (`while True: pass`) has no line
            # event after its first, so the interrupt lands at its next instruction.
            if threading.get_ident() in self.interrupts:
                with self.lock:
                    self.interrupts.discard(threading.get_ident())
                frame.f_trace_opcodes = False
                self.host.interrupted(frame)
                raise KeyboardInterrupt
            return self.trace_lines
        if event == "line":
            if not self.interrupts and self.host.mode != "step":
                return self.trace_lines  # free: nothing to ask, nothing to stop
            key = id(frame)
            line = frame.f_lineno
            if self.spans is None:
                self.spans = _statement_lines(getattr(self.host, "source", "") or "")
                self.loops = _loop_bodies(getattr(self.host, "source", "") or "")
            span = self.spans.get(line) if frame.f_code.co_filename == self.filename else None
            previous = self.last_line.get(key)
            raw = self.last_raw.get(key)
            self.last_raw[key] = line
            if span is not None:
                first, last = span
                # Another line of the statement that is running (an argument on the next
                # line, or back to its first line for the call itself): the same step. The
                # first line straight after itself is the statement run again (a loop).
                if previous == first and raw is not None and first <= raw <= last and \
                        not (line == first and raw == first):
                    return self.trace_lines
                line = first
            self.last_line[key] = line
            if line == previous and line in self.expect_lines and sys.exc_info()[1] is not None:
                # The except clause of an `# expect:` wrapper: the same statement, no step.
                return self.trace_lines
            tid = threading.get_ident()
            if tid in self.interrupts:
                with self.lock:
                    self.interrupts.discard(tid)
                self.host.interrupted(frame)
                raise KeyboardInterrupt
            if frame.f_code.co_name in _EXPRESSIONS:
                return self.trace_lines
            if self.host.mode == "step":
                now = self._visible(frame)
                changes = self._changes(frame, self.snapshots.get(key), now, previous, line)
                self.host.request({"t": "line", "tid": tid, "line": line,
                                   "func": frame.f_code.co_name, "changes": changes})
                # Taken once the line may run: what it binds shows at the next line event.
                self.snapshots[key] = {k: id(v) for k, v in self._visible(frame).items()}
                if tid in self.interrupts:
                    with self.lock:
                        self.interrupts.discard(tid)
                    self.host.interrupted(frame)
                    raise KeyboardInterrupt
        elif event == "return":
            if self.host.mode == "step" and frame.f_code.co_name == "<module>" and \
                    id(frame) in self.snapshots:
                changes = self._changes(frame, self.snapshots[id(frame)], self._visible(frame),
                                        self.last_line.get(id(frame)))
                self.final[threading.get_ident()] = changes
            self.snapshots.pop(id(frame), None)
            self.last_line.pop(id(frame), None)
            self.last_raw.pop(id(frame), None)
        return self.trace_lines

    def interrupt(self, tid):
        with self.lock:
            self.interrupts.add(tid)
        if sys.version_info < (3, 10):
            return  # before 3.10 a one-line loop has line events (and opcode tracing set
            # from another thread there stops the interrupt from landing)
        frame = sys._current_frames().get(tid)
        while frame is not None:
            if frame.f_code.co_filename == self.filename and frame.f_trace is not None:
                frame.f_trace_opcodes = True
            frame = frame.f_back

    def rearm(self, frame, event, arg):
        """A profile function, set while an interrupt propagates: a trace function that
        raises is unset by Python, so the first event after that sets it again."""
        if sys.gettrace() is None:
            sys.settrace(self.trace_calls)
            f = frame
            while f is not None:
                if f.f_code.co_filename == self.filename and f.f_trace is None:
                    f.f_trace = self.trace_lines
                f = f.f_back
        sys.setprofile(None)
