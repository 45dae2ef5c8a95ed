"""`boot.py --export per-actor|threads FILE OUTDIR`: the lesson as programs that run under
plain python3, written to OUTDIR (their paths printed, one a line).

- per-actor: one script per actor (server.py, client.py, ...) made of that actor's
  statements. A value one actor reads from another's names (the port the server got from
  bind(('localhost', 0)), say) travels through a small file in a shared directory
  (resources/export/actor_prelude.py). The scripts take turns in the lesson's order
  (_turn/_mark: marker files in the same directory), and a statement that uses another
  actor's socket runs in that actor's script (or borrows the socket's descriptor when that
  script may be blocked reading it). `# expect:` becomes try/except printing what was
  expected.
- threads: one script, LESSON.py, running each actor in a thread of its own; statements
  start in the lesson's order (resources/export/threads_prelude.py); with --json it prints
  the JSON lines `sockbench run --json` prints.

The behaviour and file names are those of the C++ exporter it replaces
(core/lesson/exporter.cpp). A top-level `with NAME = EXPR as NAME:` is flattened as the
runner did: its header, its body's statements, then NAME.close() as steps of their own;
any other compound statement (a loop, a def, a try) is one step.
"""
import ast
import os
import re
import sys
import textwrap

from . import comments

_HERE = os.path.dirname(os.path.abspath(__file__))
_LOOK_METHODS = {"getsockname", "getpeername", "fileno", "gettimeout"}
_LOOK_ATTRIBUTES = {"family", "type", "proto"}
_CHANGING = {"bind", "listen", "connect", "connect_ex", "close", "shutdown", "sendto",
             "setsockopt", "settimeout", "setblocking"}


def _prelude(name):
    """resources/export/NAME: from SOCKBENCH_EXPORT_DIR, else next to the backend (an
    `export` folder beside boot.py, or the source tree's resources/export)."""
    boot_dir = os.path.dirname(_HERE)
    for base in (os.environ.get("SOCKBENCH_EXPORT_DIR"), os.path.join(boot_dir, "export"),
                 os.path.join(os.path.dirname(boot_dir), "export")):
        if base and os.path.exists(os.path.join(base, name)):
            with open(os.path.join(base, name), encoding="utf-8") as f:
                return f.read()
    raise FileNotFoundError("the export's %s is missing (set SOCKBENCH_EXPORT_DIR)" % name)


class Step:
    def __init__(self, actor, node, text, source, note, line, synthetic=False, lane=None):
        self.actor = actor
        self.node = node          # what it runs (an ast statement)
        self.text = text          # its Python text, dedented
        self.source = source      # what the transcript shows
        self.note = note
        self.line = line
        self.synthetic = synthetic
        self.lane = lane

    @property
    def thread(self):
        return self.lane or self.actor

    @property
    def is_import(self):
        return isinstance(self.node, (ast.Import, ast.ImportFrom))


_EMPTY = {"narration": [], "lines": [], "expect": [], "pause": False, "background": False}


def _segment(source, node):
    text = ast.get_source_segment(source, node, padded=True)
    if text is None:
        return ast.unparse(node)
    return textwrap.dedent(text)


def flatten(source, d):
    steps = []

    def add(actor, node, note):
        lane = "%s~%d" % (actor, len(steps)) if note.get("background") else None
        line = comments.first_line(node)
        if (isinstance(node, ast.With) and len(node.items) == 1
                and isinstance(node.items[0].optional_vars, ast.Name)):
            name = node.items[0].optional_vars.id
            header = ast.Assign(targets=[ast.Name(name, ast.Store())],
                                value=node.items[0].context_expr, lineno=node.lineno,
                                col_offset=0)
            first = source.splitlines()[node.lineno - 1].strip()
            # The lesson's words may speak of the block: say how the export writes it.
            note = dict(note, lines=list(note.get("lines", [])) + [
                "(This script writes the with block out: its statements one by one, then "
                "%s.close(), which the block's end did.)" % name])
            steps.append(Step(actor, header, "%s = %s" % (
                name, _segment(source, node.items[0].context_expr)), first, note, line,
                lane=lane))
            for inner in node.body:
                add(actor, inner, _EMPTY)
            close = ast.parse("%s.close()" % name).body[0]
            steps.append(Step(actor, close, "%s.close()" % name,
                              "%s.close()  # end of the with block" % name, _EMPTY, line,
                              synthetic=True))
            return
        text = _segment(source, node)
        shown = text if not isinstance(node, (ast.For, ast.While, ast.If, ast.Try,
                                              ast.FunctionDef, ast.ClassDef, ast.With)) \
            else text.splitlines()[0]
        steps.append(Step(actor, node, text, shown, note, line, lane=lane))

    for actor, node, note in d.steps:
        note = dict(note, lines=d.narration_lines.get(comments.first_line(node), []))
        add(actor, node, note)
    return steps


def names_bound(node):
    """Names a top-level statement binds in the module's namespace."""
    out = set()

    def visit(n, top):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(n.name)
            return
        if isinstance(n, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
                          ast.GeneratorExp)):
            return
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            out.add(n.id)
        if isinstance(n, (ast.Import, ast.ImportFrom)):
            for alias in n.names:
                if alias.name != "*":
                    out.add((alias.asname or alias.name).split(".")[0])
        if isinstance(n, ast.ExceptHandler) and n.name:
            out.add(n.name)
        for child in ast.iter_child_nodes(n):
            visit(child, False)

    visit(node, True)
    return out


def names_read(node):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and
            isinstance(n.ctx, ast.Load)}


def _changed_sockets(node, out):
    for n in ast.walk(node):
        if (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                and isinstance(n.func.value, ast.Name) and n.func.attr in _CHANGING):
            out.add(n.func.value.id)


def _is_look(e, foreign):
    if isinstance(e, ast.Name):
        return e.id in foreign
    if isinstance(e, ast.Attribute):
        return e.attr in _LOOK_ATTRIBUTES and _is_look(e.value, foreign)
    if isinstance(e, ast.Call):
        return (not e.args and not e.keywords and isinstance(e.func, ast.Attribute)
                and e.func.attr in _LOOK_METHODS and _is_look(e.func.value, foreign))
    if isinstance(e, ast.Subscript):
        return _is_look(e.value, foreign)
    return False


def foreign_roots(node, foreign):
    """([root expression text], why it cannot run apart or "")."""
    roots, why = [], [""]

    def visit(e):
        if isinstance(e, ast.expr) and _is_look(e, foreign):
            text = ast.unparse(e)
            if text not in roots:
                roots.append(text)
            return
        if isinstance(e, ast.Name) and e.id in foreign:
            return
        if (isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute)
                and isinstance(e.func.value, ast.Name) and e.func.value.id in foreign
                and not why[0]):
            why[0] = ("%s uses a socket of another actor; export with --threads to run all "
                      "actors in one program" % ast.unparse(e))
            return
        for child in ast.iter_child_nodes(e):
            visit(child)

    visit(node)
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and \
            node.target.id in foreign and not why[0]:
        why[0] = "%s changes a name another actor owns; export with --threads" % node.target.id
    return roots, why[0]


class _Replace(ast.NodeTransformer):
    def __init__(self, replacement):
        self.replacement = replacement

    def generic_visit(self, node):
        if isinstance(node, ast.expr):
            text = ast.unparse(node)
            if text in self.replacement:
                function, key = self.replacement[text]
                return ast.Call(func=ast.Name(function, ast.Load()),
                                args=[ast.Constant(key)], keywords=[])
        return super().generic_visit(node)


def _header(d, what):
    text = "#!/usr/bin/env python3\n"
    if d.title:
        text += "# %s\n" % d.title
    return text + "#\n# %s\n" % what


def _imports(steps):
    out = ["import socket"]
    for s in steps:
        if s.is_import and s.text.strip() not in out:
            out.append(s.text.strip())
    return out


def _peers(d, reads=None):
    start = "".join("%s = _start_peer(%r)\n" % (name, kind) for name, kind in d.peers
                    if reads is None or name in reads)
    if not start:
        return ""
    return _prelude("peers_prelude.py") + "\n" + start + "\n"


def _value_target(node):
    if isinstance(node, ast.Assign):
        target = node.targets[0]
    else:
        target = node.target
    text = ast.unparse(target)
    if isinstance(target, ast.Tuple) and not text.startswith("("):
        text = "(%s)" % text
    return text


def as_threads(source, d, name):
    steps = flatten(source, d)
    globals_ = set()
    for s in steps:
        globals_ |= names_bound(s.node)
    imports = _imports(steps)
    for s in steps:
        if s.is_import:
            globals_ -= names_bound(s.node)
    text = _header(d, (
        "Exported by Socket Workbench from the lesson \"%s\". Every actor runs in a\n"
        "# thread of its own, and the statements start in the lesson's order. Run it:\n"
        "#   python3 %s.py          (add --json for the workbench's JSON lines)\n") % (name, name))
    text += "\n" + "\n".join(imports) + "\n\n"
    text += _peers(d)
    text += _prelude("threads_prelude.py") + "\n"
    threads = []
    for s in steps:
        if s.thread not in threads:
            threads.append(s.thread)
    names = sorted(globals_)

    def function(thread):
        return "_actor_" + re.sub(r"[^A-Za-z0-9_]", "_", thread)

    table = []
    for thread in threads:
        text += "\ndef %s():\n" % function(thread)
        if names:
            text += "    global %s\n" % ", ".join(names)
        for k, s in enumerate(steps):
            if s.thread != thread:
                continue
            for line in s.note["lines"]:
                text += "    # %s\n" % line
            text += "    with _step(%d):\n" % k
            node = s.node
            if s.is_import:
                body = "pass  # %s (at the top of the file)" % s.text.strip()
            elif isinstance(node, ast.Expr):
                body = "_value(%d, %s)" % (k, s.text.strip())
            elif isinstance(node, (ast.Assign, ast.AugAssign)) or (
                    isinstance(node, ast.AnnAssign) and node.value is not None):
                body = "%s\n_value(%d, %s)" % (s.text.rstrip(), k, _value_target(node))
            else:
                body = s.text.rstrip()
            text += textwrap.indent(body, " " * 8) + "\n"
    for k, s in enumerate(steps):
        needs = []
        reads = names_read(s.node)
        for j in range(k - 1, -1, -1):
            if steps[j].thread != s.thread and names_bound(steps[j].node) & reads:
                needs.append(str(j))
                break
        table.append("    (%r, %d, %r, [%s], %r, [%s])," % (
            s.thread, s.line, s.source, ", ".join(repr(e) for e in s.note["expect"]),
            s.actor, ", ".join(needs)))
    text += ("\n\n# (thread, line, statement, what '# expect:' allows, actor, the steps it needs\n"
             "# finished first) for each step, in order\n"
             "_STEPS = [\n%s\n]\n\nif __name__ == '__main__':\n    _sys.exit(_run({%s}))\n"
             % ("\n".join(table), ", ".join("%r: %s" % (t, function(t)) for t in threads)))
    return [(name + ".py", text)]


def _socket_users(node, foreign):
    """The foreign names whose methods the statement calls (their sockets, used)."""
    return {n.func.value.id for n in ast.walk(node)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            and isinstance(n.func.value, ast.Name) and n.func.value.id in foreign
            and not _is_look(n, foreign)}


_READS = {"recv", "recv_into", "recvfrom", "recvfrom_into", "accept"}


def _reads_from(node, names):
    """Whether the statement reads from (and may block on) one of these sockets."""
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
               and isinstance(n.func.value, ast.Name) and n.func.value.id in names
               and n.func.attr in _READS for n in ast.walk(node))


def per_actor(source, d, name):
    steps = flatten(source, d)

    def owners(executor):
        owner = {}
        for k, s in enumerate(steps):
            if s.is_import:
                continue
            for n in names_bound(s.node):
                owner.setdefault(n, executor[k])
        return owner

    # A statement that uses another actor's socket (the server's section calling
    # client.sendall(), say) runs in the script that holds that socket, at its turn.
    executor = [s.actor for s in steps]
    # Unless that script may be blocked reading that very socket at the time (lesson 25:
    # the reader waits in recv() for what the writer sends on the same socket): then the
    # socket's descriptor is lent to this script (SCM_RIGHTS), as two processes may share
    # one socket.
    owner = owners(executor)
    borrowed = {}  # step -> the names of the sockets it borrows
    for k, s in enumerate(steps):
        foreign = {n for n in names_read(s.node) if n in owner and owner[n] != s.actor}
        used = _socket_users(s.node, foreign)
        users = {owner[n] for n in used}
        if len(users) != 1:
            continue
        holder = users.pop()
        latest = max((j for j in range(k) if executor[j] == holder), default=None)
        if latest is not None and _reads_from(steps[latest].node, used):
            borrowed[k] = used
        else:
            executor[k] = holder
    owner = owners(executor)
    lent = {}  # socket name -> (key, owner, the step after which it is lent)
    for k, names in borrowed.items():
        for n in names:
            if n not in lent:
                first = min(j for j in range(len(steps)) if executor[j] == owner[n]
                            and n in names_bound(steps[j].node))
                lent[n] = ("socket-%s-%s" % (n, owner[n]), owner[n], first)

    shares = []  # (key, expression, owner, after)
    rewritten, refused = {}, {}
    for k, s in enumerate(steps):
        foreign = {n for n in names_read(s.node) if n in owner and owner[n] != executor[k]}
        foreign -= borrowed.get(k, set())
        if not foreign and k not in borrowed:
            continue
        roots, why = foreign_roots(s.node, foreign)
        if why:
            refused[k] = why
            continue
        replacement = {n: ("_borrow", lent[n][0]) for n in borrowed.get(k, ())}
        for root in roots:
            depends = {n for n in foreign if re.search(r"\b%s\b" % re.escape(n), root)}
            root_owner = owner[sorted(depends)[0]]
            after = -1
            for j in range(k):
                if executor[j] != root_owner:
                    continue
                touched = names_bound(steps[j].node)
                _changed_sockets(steps[j].node, touched)
                if touched & depends:
                    after = j
            key = "value-%d-%s" % (len(shares) + 1, root_owner)
            shares.append((key, root, root_owner, after))
            replacement[root] = ("_fetch", key)
        node = _Replace(replacement).visit(ast.parse(s.text).body[0])
        rewritten[k] = ast.unparse(ast.fix_missing_locations(node))

    exported = [a for a in d.actors
                if any(executor[k] == a and not s.is_import for k, s in enumerate(steps))]
    imports = _imports(steps)
    file_names = ["%s.py" % a for a in exported]
    files = []
    for actor in exported:
        text = _header(d, (
            "The %s side of the lesson, exported by Socket Workbench. Start the\n"
            "# lesson's scripts in its order, each in a terminal of its own: %s.\n")
            % (actor, ", ".join(file_names)))
        text += "\n" + "\n".join(imports) + "\n"
        text += "\n_LESSON = %r\n_ACTOR = %r\n" % ("sockbench-" + name, actor)
        reads = set()
        for k, s in enumerate(steps):
            if executor[k] == actor:
                reads |= names_read(s.node)
        text += _peers(d, reads)
        text += _prelude("actor_prelude.py")

        def publish_at(after):
            return "".join(["_publish(%r, %s)\n" % (key, expr)
                            for key, expr, who, at in shares if who == actor and at == after]
                           + ["_lend(%r, %s)\n" % (key, n)
                              for n, (key, who, at) in sorted(lent.items())
                              if who == actor and at == after])

        if actor == exported[0]:
            text += "\n_clear()"
        own = [repr(key) for key, _e, who, _a in shares if who == actor]
        if own:
            text += "\n_forget([%s])" % ", ".join(own)
        text += "\n" + publish_at(-1)
        for k, s in enumerate(steps):
            if executor[k] != actor or s.is_import:
                continue
            # The latest earlier step of each other script: this one starts after them.
            after = {}
            for j in range(k):
                if executor[j] != actor and not steps[j].is_import:
                    after[executor[j]] = j
            text += "\n"
            if executor[k] != s.actor:
                text += "# (the %s's statement: it uses this script's socket)\n" % s.actor
            for line in s.note["lines"]:
                text += "# %s\n" % line
            text += "_turn(%d, {%s})\n" % (k, ", ".join("%r: %d" % (a, j) for a, j in
                                                        sorted(after.items(), key=lambda e: e[1])))
            body = rewritten.get(k, s.text.rstrip())
            if k in refused:
                body = "raise NotImplementedError(%r)" % refused[k]
            expect = s.note["expect"]
            if expect:
                ok_too = any(e.lower() == "ok" for e in expect)
                text += "# expect: %s\ntry:\n%s\n" % (" or ".join(expect),
                                                      textwrap.indent(body, "    "))
                if not ok_too:
                    text += ("    raise AssertionError('line %d: expected %s, but it "
                             "succeeded')\n" % (s.line, " or ".join(expect)))
                text += ("except Exception as error:\n"
                         "    if _error_name(error) not in [%s]:\n"
                         "        raise\n"
                         "    print('line %d: raised %%s: %%s, as expected' %% "
                         "(type(error).__name__, error))\n"
                         % (", ".join(repr(e) for e in expect), s.line))
            else:
                text += body + "\n"
            text += "_mark('done-%d')\n" % k
            text += publish_at(k)
        files.append(("%s.py" % actor, text))
    return files


def lesson_name(path):
    stem = os.path.splitext(os.path.basename(path))[0]
    return re.sub(r"^\d+-", "", stem)


def main(argv):
    if len(argv) != 3 or argv[0] not in ("per-actor", "threads"):
        sys.stderr.write("usage: boot.py --export per-actor|threads FILE OUTDIR\n")
        return 2
    kind, path, outdir = argv
    with open(path, "rb") as f:
        source = f.read().decode("utf-8")
    try:
        d = comments.describe(source, os.path.basename(path))
    except SyntaxError as e:
        sys.stderr.write("%s:%s:%s: %s\n" % (path, e.lineno, e.offset, e.msg))
        return 1
    except comments.Refusal as e:
        sys.stderr.write("%s:%d:%d: %s\n" % (path, e.line, e.col, e.message))
        return 1
    name = lesson_name(path)
    files = (as_threads if kind == "threads" else per_actor)(source, d, name)
    os.makedirs(outdir, exist_ok=True)
    for file_name, text in files:
        target = os.path.join(outdir, file_name)
        with open(target, "w", encoding="utf-8") as f:
            f.write(text)
        print(target)
    return 0
