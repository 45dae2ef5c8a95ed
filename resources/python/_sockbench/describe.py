"""`boot.py --describe FILE [--name NAME]`: one JSON object describing the program (what
core/program/lesson.h holds), or {"error": {"line", "col", "message"}} and status 1.
`boot.py --export ...` is handed on to export.py.

FILE `-` reads the source from stdin; --name gives the file name messages use.
"""
import json
import os
import sys

from . import comments


def _read(path):
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as f:
            data = f.read()
    return data.decode("utf-8")


def describe_json(source, filename):
    """(status, object)."""
    try:
        d = comments.describe(source, filename)
    except SyntaxError as e:
        return 1, {"error": {"line": e.lineno or 0, "col": e.offset or 0, "message": e.msg}}
    except comments.Refusal as e:
        return 1, {"error": {"line": e.line, "col": e.col, "message": e.message}}
    except ValueError as e:  # source with a NUL byte, say
        return 1, {"error": {"line": 0, "col": 0, "message": str(e)}}
    return 0, d.as_json()


def main(argv):
    if argv and argv[0] == "--export":
        from . import export
        return export.main(argv[1:])
    args = argv[1:]
    name = None
    if "--name" in args:
        k = args.index("--name")
        name = args[k + 1] if k + 1 < len(args) else None
        del args[k:k + 2]
    if len(args) != 1:
        sys.stderr.write("usage: boot.py --describe FILE|- [--name NAME]\n")
        return 2
    path = args[0]
    try:
        source = _read(path)
    except (OSError, UnicodeDecodeError) as e:
        sys.stderr.write("%s: %s\n" % (path, e))
        return 2
    filename = name or (os.path.basename(path) if path != "-" else "<stdin>")
    status, result = describe_json(source, filename)
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return status
