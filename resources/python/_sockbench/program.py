"""Runs the program the workbench sent (placeholder: runs it straight, untraced)."""
import sys


def run(dispatcher, load):
    source = load["source"]
    filename = load.get("filename", "<program>")
    code = compile(source, filename, "exec")
    namespace = {"__name__": "__main__", "__file__": filename, "__builtins__": __builtins__}
    try:
        exec(code, namespace)
    except SystemExit as e:
        code = e.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    finally:
        sys.stdout.flush()
    return 0
