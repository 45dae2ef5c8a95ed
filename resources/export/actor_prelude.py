# --- Added by the export --------------------------------------------------------------------
# Values this script shares with the lesson's other scripts travel as small files in one
# directory (SOCKBENCH_SHARE, or a folder in the temporary directory).
import ast as _ast
import errno as _errno
import os as _os
import tempfile as _tempfile
import time as _time

_SHARE = _os.environ.get('SOCKBENCH_SHARE') or _os.path.join(_tempfile.gettempdir(), _LESSON)


def _publish(key, value):
    _os.makedirs(_SHARE, exist_ok=True)
    path = _os.path.join(_SHARE, key)
    with open(path + '.part', 'w') as f:
        f.write(repr(value))
    _os.replace(path + '.part', path)


def _forget(keys):
    for key in keys:
        try:
            _os.remove(_os.path.join(_SHARE, key))
        except FileNotFoundError:
            pass


def _fetch(key, wait=60.0):
    path = _os.path.join(_SHARE, key)
    deadline = _time.monotonic() + wait
    while not _os.path.exists(path):
        if _time.monotonic() > deadline:
            raise TimeoutError('no value %r in %s: start the scripts in the lesson order' % (key, _SHARE))
        _time.sleep(0.05)
    with open(path) as f:
        return _ast.literal_eval(f.read())


def _error_name(e):
    if isinstance(e, OSError) and e.errno and e.errno > 0:
        return _errno.errorcode.get(e.errno, type(e).__name__)
    if isinstance(e, TimeoutError):
        return 'timeout'
    return type(e).__name__
# --- The lesson -------------------------------------------------------------------------------
