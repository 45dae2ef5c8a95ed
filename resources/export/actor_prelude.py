# --- Added by the export --------------------------------------------------------------------
# Values this script shares with the lesson's other scripts travel as small files in one
# directory (SOCKBENCH_SHARE, or a folder in the temporary directory).
import ast as _ast
import errno as _errno
import os as _os
import socket as _socket
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


_EAI = {getattr(_socket, n): n for n in dir(_socket) if n.startswith('EAI_')}


def _waiting(j):
    """Step j started and has not finished for longer than _GRACE (a blocked accept() or
    recv(), say)."""
    if _os.path.exists(_os.path.join(_SHARE, 'done-%d' % j)):
        return False
    try:
        return _time.time() - _os.path.getmtime(_os.path.join(_SHARE, 'started-%d' % j)) >= _GRACE
    except OSError:
        return False


def _turn(k, after, wait=60.0):
    """Step k starts in the lesson's order: once each other script's latest step before it
    (after: {script: step}) has finished or waits, or that script waits in an earlier step
    still (a server's select() loop, with its close() after the clients' steps)."""
    deadline = _time.monotonic() + wait
    for actor, j in after.items():
        done = _os.path.join(_SHARE, 'done-%d' % j)
        while not _os.path.exists(done) and not _waiting(j):
            try:
                with open(_os.path.join(_SHARE, 'at-' + actor)) as f:
                    at = int(f.read() or -1)
            except (OSError, ValueError):
                at = -1
            if 0 <= at < j and _waiting(at):
                break
            if _time.monotonic() > deadline:
                raise TimeoutError('step %d never came: start the scripts in the lesson order' % j)
            _time.sleep(0.01)
    _mark('started-%d' % k)
    _publish_text('at-' + _ACTOR, str(k))


def _publish_text(key, text):
    path = _os.path.join(_SHARE, key)
    with open(path + '.part', 'w') as f:
        f.write(text)
    _os.replace(path + '.part', path)


def _mark(key):
    _os.makedirs(_SHARE, exist_ok=True)
    with open(_os.path.join(_SHARE, key), 'w'):
        pass


def _clear():
    """The first script clears what an earlier run left (older than this script's start)."""
    if _os.path.isdir(_SHARE):
        for name in _os.listdir(_SHARE):
            path = _os.path.join(_SHARE, name)
            try:
                if _os.path.getmtime(path) < _STARTED:
                    _os.remove(path)
            except OSError:
                pass


_STARTED = _time.time()


_GRACE = 0.25


def _lend(key, sock):
    """Lends sock to the lesson's other scripts: each one that asks gets a duplicate of its
    descriptor (SCM_RIGHTS over a Unix socket in the share directory), so both processes
    hold the same kernel socket."""
    import threading as _threading
    _os.makedirs(_SHARE, exist_ok=True)
    path = _os.path.join(_SHARE, key)
    server = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    server.bind(path + '.part')
    server.listen(8)
    _os.replace(path + '.part', path)

    def serve():
        while True:
            client, _ = server.accept()
            with client:
                _socket.send_fds(client, [b'.'], [sock.fileno()])
    _threading.Thread(target=serve, daemon=True).start()


def _borrow(key, wait=60.0):
    """A socket lent by another script (_lend): the same kernel socket."""
    path = _os.path.join(_SHARE, key)
    deadline = _time.monotonic() + wait
    while not _os.path.exists(path):
        if _time.monotonic() > deadline:
            raise TimeoutError('no socket %r in %s: start the scripts in the lesson order' % (key, _SHARE))
        _time.sleep(0.01)
    with _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM) as channel:
        channel.connect(path)
        _msg, fds, _flags, _addr = _socket.recv_fds(channel, 1, 1)
    return _socket.socket(fileno=fds[0])


def _error_name(e):
    if isinstance(e, _socket.gaierror):
        return _EAI.get(e.errno, type(e).__name__)
    if isinstance(e, OSError) and e.errno and e.errno > 0:
        return _errno.errorcode.get(e.errno, type(e).__name__)
    if isinstance(e, TimeoutError):
        return 'timeout'
    return type(e).__name__
# --- The lesson -------------------------------------------------------------------------------
