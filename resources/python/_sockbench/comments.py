"""What a program's comments say: the lesson header, the `# --- actor ---` sections, and
the narration and directives above each top-level statement (docs/lessons.md).

The rules are those of core/lesson/comments.cpp, read here with Python's own ast and
tokenize:
- The header is the first comment block of the file, if it comes before any statement or
  section marker (a `#!` line and a coding line are skipped). "# key: value" lines set
  title, level, topics or extra; the other lines up to the first lone `#` form the summary.
  A plain line after that lone `#` starts the first statement's narration, and so does a
  directive.
- Narration is the block of full-line comments directly above a top-level statement (a
  lone `#` keeps a block together and is an empty paragraph). A blank line or a section
  marker ends a block; a block ended that way is an ordinary comment.
- A directive (`# expect: ...`, `# pause`, `# background`) must sit in the block directly
  above its statement; one that a blank line, a section marker or the end of the file
  separates from any statement is refused, and so is one inside a block's body (a `with`,
  a loop, a function), which the header of the block owns.
"""
import ast
import io
import re
import tokenize

PEER_KINDS = ("course-web", "echo", "udp-echo", "patient-receiver", "daytime")


class Refusal(Exception):
    def __init__(self, line, col, message):
        super().__init__(message)
        self.line = line
        self.col = col
        self.message = message


_EXPECT = re.compile(r"^#\s*expect\s*:(.*)$", re.I)
_PAUSE = re.compile(r"^#\s*pause\s*$", re.I)
_BACKGROUND = re.compile(r"^#\s*background\s*$", re.I)
_MARKER = re.compile(r"^#\s*-{3,}\s*(.*?)\s*-{3,}\s*$")
_MARKER_START = re.compile(r"^#\s*-{3,}\s*[A-Za-z_]")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SEPARATOR = re.compile(r"(?:^|\s+)or(?:\s+|$)|,")
_ERRNO_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
# Python exception names: OverflowError, KeyboardInterrupt, and dotted ones (socket.timeout).
_EXCEPTION_NAME = re.compile(
    r"^([A-Z][A-Za-z0-9]*(Error|Exception|Interrupt|Exit)"
    r"|[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+)$")
_FIELD = re.compile(r"^\s*([a-z][a-z0-9_-]*):(?:\s+(.*))?$")
_CODING = re.compile(r"^#.*?coding[:=]\s*[-\w.]+")
_PEER = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([A-Za-z0-9_-]+)\s*$")


class Comment:
    __slots__ = ("kind", "line", "col", "text", "alternatives")

    def __init__(self, kind, line, col, text="", alternatives=None):
        self.kind = kind  # text, expect, pause, background, section
        self.line = line
        self.col = col
        self.text = text
        self.alternatives = alternatives or []


def _narration_text(comment):
    text = comment[1:]
    if text.startswith(" "):
        text = text[1:]
    return text.rstrip()


def _alternatives(text, line, col):
    text = text.strip()
    if not text:
        raise Refusal(line, col, "`# expect:` needs at least one outcome, as in "
                                 "`# expect: ECONNREFUSED`")
    out = []
    for part in _SEPARATOR.split(text):
        alt = part.strip()
        if not alt:
            raise Refusal(line, col, "`# expect:` has an empty alternative: separate the "
                                     "outcomes with `or`, as in `# expect: EACCES or ok`")
        word = alt in ("timeout", "ok", "interrupted")
        if not word and not _ERRNO_NAME.match(alt) and not _EXCEPTION_NAME.match(alt):
            raise Refusal(line, col, "`# expect:` takes errno names such as ECONNREFUSED, "
                                     "Python exception names such as TypeError, or timeout, "
                                     "ok, interrupted; `%s` is none of these" % alt)
        out.append(alt)
    return out


def classify(comment, line, col):
    m = _EXPECT.match(comment)
    if m:
        return Comment("expect", line, col, alternatives=_alternatives(m.group(1), line, col))
    if _PAUSE.match(comment):
        return Comment("pause", line, col)
    if _BACKGROUND.match(comment):
        return Comment("background", line, col)
    m = _MARKER.match(comment)
    if m:
        name = m.group(1)
        if name and name.replace("-", "").strip():
            if not _IDENT.match(name):
                raise Refusal(line, col, "an actor's name is one word of letters, digits and "
                                         "underscores, like server or client_2; `%s` is not"
                                         % name)
            return Comment("section", line, col, text=name)
    elif _MARKER_START.match(comment):
        raise Refusal(line, col, "a section marker is written `# --- name ---`, with three "
                                 "dashes on each side")
    return Comment("text", line, col, text=_narration_text(comment))


def _directive_name(c):
    return {"background": "`# background`", "pause": "`# pause`"}.get(c.kind, "`# expect:`")


def first_line(node):
    lines = [node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]
    return min(lines)


class Description:
    def __init__(self):
        self.title = ""
        self.summary = ""
        self.level = ""
        self.topics = []
        self.extra = []
        self.peers = []
        self.markers = []    # (line, actor)
        self.sections = []   # {"actor","first","last"}
        self.actors = []
        self.notes = {}      # first line -> dict
        self.statements = []
        self.steps = []      # (actor, node, note) for every top-level statement, in order
        self.narration_lines = {}  # first line -> the narration's comment lines, as written

    def as_json(self):
        return {
            "title": self.title, "summary": self.summary, "level": self.level,
            "topics": self.topics, "extra": [list(p) for p in self.extra],
            "peers": [list(p) for p in self.peers], "sections": self.sections,
            "actors": self.actors,
            "notes": {str(k): v for k, v in sorted(self.notes.items())},
            "statements": self.statements,
        }

    def actor_at(self, line):
        actor = "main"
        for marker_line, name in self.markers:
            if marker_line <= line:
                actor = name
        return actor


class _Tracker:
    def __init__(self, d):
        self.d = d
        self.phase = "before"
        self.summary_ended = False
        self.summary = []
        self.keys = []
        self.block = []
        self.actor = "main"

    def comment(self, c, raw):
        if self.phase == "before":
            if c.line == 1 and raw.startswith("#!"):
                return
            if c.line <= 2 and _CODING.match(raw):
                return
            self.phase = "header"
        if self.phase == "header":
            self.header_line(c)
            return
        if c.kind == "section":
            self.section(c)
            return
        self.block.append(c)

    def header_line(self, c):
        d = self.d
        if c.kind == "section":
            self.phase = "body"
            self.section(c)
            return
        if c.kind != "text":
            self.phase = "body"
            self.block.append(c)
            return
        m = _FIELD.match(c.text)
        # A summary line may begin with a word and a colon ("workbench: it serves..."):
        # within the summary only the known fields are fields.
        if m and self.summary and not self.summary_ended and \
                m.group(1).lower() not in ("title", "level", "topics", "peer"):
            m = None
        if m:
            key, value = m.group(1), (m.group(2) or "").strip()
            if key in ("title", "level", "topics") and key in self.keys:
                raise Refusal(c.line, c.col, "the header gives the %s twice" % key)
            self.keys.append(key)
            if key == "title":
                d.title = value
            elif key == "level":
                d.level = value
            elif key == "topics":
                d.topics += [t.strip() for t in value.split(",") if t.strip()]
            else:
                d.extra.append((key, value))
                if key.lower() == "peer":
                    self.peer(c, value)
            return
        if not c.text.strip():
            self.summary_ended = bool(self.summary)
            return
        if not self.summary_ended:
            self.summary.append(c.text.strip())
            d.summary = " ".join(self.summary)
            return
        self.phase = "body"
        self.block.append(c)

    def peer(self, c, value):
        m = _PEER.match(value)
        if not m:
            raise Refusal(c.line, c.col, "the header line \"# peer: %s\" should read \"# peer: "
                                         "NAME = KIND\", such as \"# peer: web = course-web\""
                                         % value)
        name, kind = m.group(1), m.group(2)
        if kind not in PEER_KINDS:
            raise Refusal(c.line, c.col, "the header asks for a peer \"%s\", but there is no "
                                         "built-in peer of that name (there are: %s)"
                                         % (kind, ", ".join(PEER_KINDS)))
        if any(n == name for n, _ in self.d.peers):
            raise Refusal(c.line, c.col, "the header names two peers %s" % name)
        self.d.peers.append((name, kind))

    def blank(self):
        if self.phase == "before":
            return
        if self.phase == "header":
            self.phase = "body"
            return
        self.drop("a blank line separates them")

    def section(self, c):
        self.drop("a section marker comes first")
        self.actor = c.text
        self.d.markers.append((c.line, c.text))
        self.phase = "body"

    def drop(self, why):
        for c in self.block:
            if c.kind != "text":
                raise Refusal(c.line, c.col, "%s must sit directly above a statement, but %s"
                                             % (_directive_name(c), why))
        self.block = []

    def statement(self, node, first, last):
        note = {"narration": [], "expect": [], "pause": False, "background": False, "end": last}
        for c in self.block:
            if c.kind == "text":
                note["narration"].append(c.text)
            elif c.kind == "expect":
                if note["expect"]:
                    raise Refusal(c.line, c.col, "a statement takes one `# expect:` line: list "
                                                 "the outcomes on it, separated by `or`")
                note["expect"] = list(c.alternatives)
            elif c.kind == "pause":
                note["pause"] = True
            elif c.kind == "background":
                note["background"] = True
        lines = list(note["narration"])
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        self.d.narration_lines[first] = lines
        # Lines joined into paragraphs; a lone `#` separates them.
        paragraphs, current = [], []
        for text in note["narration"]:
            if text.strip():
                current.append(text.strip())
            elif current:
                paragraphs.append(" ".join(current))
                current = []
        if current:
            paragraphs.append(" ".join(current))
        note["narration"] = paragraphs
        if self.actor not in self.d.actors:
            self.d.actors.append(self.actor)
        self.d.notes[first] = note
        self.d.steps.append((self.actor, node, note))
        self.block = []
        self.phase = "body"

    def body_comment(self, c, block_kind):
        if c.kind == "section":
            raise Refusal(c.line, c.col, "a section marker can not sit inside a `%s` body: end "
                                         "the body first" % block_kind)
        if c.kind != "text":
            raise Refusal(c.line, c.col, "%s inside a `%s` body has no step of its own: put it "
                                         "above the `%s`" % (_directive_name(c), block_kind,
                                                             block_kind))

    def finish(self):
        self.drop("the file ends after it")


def _block_kind(node):
    return {ast.With: "with", ast.AsyncWith: "with", ast.For: "for", ast.AsyncFor: "for",
            ast.While: "while", ast.If: "if", ast.Try: "try", ast.FunctionDef: "def",
            ast.AsyncFunctionDef: "def", ast.ClassDef: "class"}.get(type(node), "statement")


def describe(source, filename="<program>"):
    """Reads a program's comments. Raises SyntaxError (Python's own) or Refusal."""
    compile(source, filename, "exec", dont_inherit=True)
    tree = ast.parse(source, filename)
    lines = source.splitlines()
    d = Description()
    d.tree = tree

    comments = {}  # line -> (col, text): full-line comments only
    trailing = {}  # line -> col: a `# background` after code on its line
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type != tokenize.COMMENT:
                continue
            if not tok.line[:tok.start[1]].strip():
                comments[tok.start[0]] = (tok.start[1], tok.string)
            elif _BACKGROUND.match(tok.string):
                trailing[tok.start[0]] = tok.start[1]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass

    starts = {}
    span_of = {}  # line -> the top-level statement whose span holds it
    for node in tree.body:
        first, last = first_line(node), node.end_lineno
        if first in starts:
            # Statements that share a line (x = 1; y = x + 1) are one step: they run
            # together under an `if True:` the compiler leaves out (no line of its own).
            group = starts[first]
            if not getattr(group, "_sockbench_group", False):
                group = ast.If(test=ast.Constant(True), body=[group], orelse=[])
                ast.copy_location(group, starts[first])
                group._sockbench_group = True
            group.body.append(node)
            group.end_lineno, group.end_col_offset = node.end_lineno, node.end_col_offset
            node = group
            last = max(last, node.end_lineno)
        starts[first] = node
        for n in range(first, last + 1):
            span_of[n] = node

    t = _Tracker(d)
    n = 1
    total = len(lines)
    while n <= total:
        node = starts.get(n)
        if node is not None:
            first, last = n, node.end_lineno
            t.statement(node, first, last)
            if first in trailing:
                # `statement  # background`: the same as the directive above it.
                d.notes[first]["background"] = True
                del trailing[first]
            for inner in range(first + 1, last + 1):
                if inner in comments:
                    col, text = comments[inner]
                    t.body_comment(classify(text, inner, col + 1), _block_kind(node))
            n = last + 1
            continue
        if n in comments:
            col, text = comments[n]
            t.comment(classify(text, n, col + 1), text)
        elif not lines[n - 1].strip():
            t.blank()
        n += 1
    t.finish()
    for line, col in sorted(trailing.items()):
        raise Refusal(line, col + 1, "`# background` after code must end the first line of a "
                                     "top-level statement, which it sends to a thread of its own")

    # Sections: the part before the first marker (if it holds a statement), then one per
    # marker, each up to the line before the next.
    marks = list(d.markers)
    last_line = max(total, 1)
    if not marks:
        d.sections = [{"actor": "main", "first": 1, "last": last_line}]
    else:
        if any(first_line(s) < marks[0][0] for s in tree.body):
            d.sections.append({"actor": "main", "first": 1, "last": marks[0][0] - 1})
        for k, (line, actor) in enumerate(marks):
            end = marks[k + 1][0] - 1 if k + 1 < len(marks) else last_line
            d.sections.append({"actor": actor, "first": line, "last": end})
    if not d.actors:
        d.actors = ["main"]
    d.statements = sorted({first_line(s) for s in ast.walk(tree) if isinstance(s, ast.stmt)})
    return d


def lenient(source, filename="<program>"):
    """describe(), or when a comment is refused, only the sections (no directives)."""
    try:
        return describe(source, filename)
    except Refusal:
        pass
    d = Description()
    tree = ast.parse(source, filename)
    d.tree = tree
    for n, text in enumerate(source.splitlines(), 1):
        m = _MARKER.match(text)
        if m and _IDENT.match(m.group(1) or ""):
            d.markers.append((n, m.group(1)))
    for node in tree.body:
        actor = d.actor_at(first_line(node))
        if actor not in d.actors:
            d.actors.append(actor)
        note = {"narration": [], "expect": [], "pause": False, "background": False,
                "end": node.end_lineno}
        d.steps.append((actor, node, note))
    return d
