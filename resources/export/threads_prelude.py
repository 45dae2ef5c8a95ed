# --- How the actors take turns (added by the export; the lesson starts below) -------------
# Every statement starts in the lesson's order, once each earlier statement has finished
# or is still waiting after _GRACE seconds (a blocked accept() or recv(), say). A
# statement that raises an error nobody expected stops its actor, like an uncaught
# exception ends a thread.
import errno as _errno
import json as _json
import platform as _platform
import socket as _socket  # the lesson may rebind `socket` (from socket import *)
import sys as _sys
import threading as _threading
import time as _time

_GRACE = 0.25  # still running after this long: taken as blocked, the others go on
# On x86-64 Linux a thread's current system call can be read from /proc: a statement is
# blocked when its thread waits in one of these (poll, select, accept, connect, recv...),
# not merely because it takes a while (building b'x' * 67108864, say).
_WAITING = {0, 1, 7, 23, 42, 43, 44, 45, 46, 47, 232, 270, 271, 281, 288, 299}
_PROC = _platform.machine() == 'x86_64' and _platform.system() == 'Linux'
_tids = {}
_QUIET = 1.5   # every actor blocked, nothing left to run, nothing moving: stuck
_QUIET_CHECKS = 0.5  # ... and found so by every check for this long
_JSON = '--json' in _sys.argv
_cv = _threading.Condition()
_started, _finished, _values = {}, set(), {}
_running, _stopped = {}, {}
_state = {'failures': 0, 'progress': _time.monotonic()}
_EAI = {getattr(_socket, n): n for n in dir(_socket) if n.startswith('EAI_')}
_HERR = {1: 'HOST_NOT_FOUND', 2: 'TRY_AGAIN', 3: 'NO_RECOVERY', 4: 'NO_DATA'}


def _error_name(e):
    if isinstance(e, _socket.gaierror):
        return _EAI.get(e.errno, type(e).__name__)
    if isinstance(e, _socket.herror):
        return _HERR.get(e.errno, type(e).__name__)
    if isinstance(e, OSError) and e.errno:
        return _errno.errorcode.get(e.errno, type(e).__name__)
    if isinstance(e, TimeoutError):
        return 'timeout'
    return type(e).__name__


def _say(text):
    _sys.stdout.write(text + '\n')
    _sys.stdout.flush()


if _JSON:
    # The lesson's own print() calls become JSON lines too, as in `sockbench run --json`.
    def print(*args, sep=' ', end='\n', **ignored):
        text = (sep.join(str(a) for a in args) + end)
        _say(_json.dumps({'type': 'print', 'actor': _threading.current_thread().name,
                          'text': text[:-1] if text.endswith('\n') else text}))


def _report(record):
    if _JSON:
        _say(_json.dumps(record))
        return
    text = {'ok': '-> %s' % record.get('value'),
            'expected-error': '-> raised %s (expected)' % record.get('error'),
            'failed': '!! FAILED: %s' % record.get('reason'),
            'interrupted': '!! interrupted: %s' % record.get('reason'),
            'skipped': '   %s' % record.get('reason')}[record['outcome']]
    source = record['source'].split('\n')[0]
    _say('%-6s %4d  %s  %s' % (record['actor'], record['line'], source, text))


def _settled(j):
    thread = _STEPS[j][0]
    if j in _finished or thread in _stopped:
        return True
    if j in _started:
        return _blocked(j)
    return _running.get(thread, j) < j  # queued behind its thread's running statement


_UNREADABLE = (-2, [])


def _syscall(j):
    """The system call statement j's thread is in, as (number, arguments): (-1, ...) between
    calls, None while it runs, _UNREADABLE where /proc does not say."""
    if not (_PROC and j in _tids):
        return _UNREADABLE
    try:
        with open('/proc/self/task/%d/syscall' % _tids[j]) as f:
            fields = f.read().split()
    except OSError:
        return _UNREADABLE
    try:
        return int(fields[0]), [int(a, 16) for a in fields[1:7]]
    except (IndexError, ValueError):
        return None  # "running"


def _blocked(j):
    return _blocked_in(j, _syscall(j))


def _blocked_in(j, call):
    elapsed = _time.monotonic() - _started[j]
    if call is _UNREADABLE:
        return elapsed >= _GRACE
    return elapsed >= 0.02 and call is not None and call[0] in _WAITING


# Waits that end by themselves: poll() and epoll_wait() with a timeout (a socket with
# settimeout() waits in poll()), ppoll()/pselect6()/select() given a time. An actor waiting
# in one of them is not stuck: its timeout will wake it.
_TIMEOUT_ARG = {7: (2, 'ms'), 232: (3, 'ms'), 281: (3, 'ms'),
                271: (2, 'ptr'), 270: (4, 'ptr'), 23: (4, 'ptr')}


def _timed(call):
    """Whether a wait sampled by _syscall() ends by itself."""
    if call is None or call is _UNREADABLE or call[0] not in _TIMEOUT_ARG:
        return False
    index, kind = _TIMEOUT_ARG[call[0]]
    value = call[1][index]
    if kind == 'ptr':
        return value != 0
    return value < 0x7fffffff  # -1 (for ever) reads as all ones


def _wakeups(j):
    """How often statement j's thread has gone to sleep and woken: it ran if this grew."""
    if not (_PROC and j in _tids):
        return None
    try:
        with open('/proc/self/task/%d/status' % _tids[j]) as f:
            for line in f:
                if line.startswith('voluntary_ctxt_switches:'):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def _waits_for_ever(j):
    # One sample of the thread for both questions: read twice, a poll() that timed out
    # between the reads would look blocked, then untimed.
    call = _syscall(j)
    return _blocked_in(j, call) and not _timed(call)


def _value(k, value):
    _values[k] = repr(value)


class _step:
    def __init__(self, k):
        self.k = k

    def __enter__(self):
        with _cv:
            # Every earlier statement finished or blocked, and the statements that assign
            # the names this one reads (on other threads) finished.
            while not (all(_settled(j) for j in range(self.k))
                       and all(j in _finished for j in _STEPS[self.k][5])):
                _cv.wait(0.02)
            _started[self.k] = _time.monotonic()
            _tids[self.k] = _threading.get_native_id()
            _running[_STEPS[self.k][0]] = self.k

    def __exit__(self, kind, error, traceback):
        thread, line, source, expect, actor, needs = _STEPS[self.k]
        record = {'type': 'step', 'step': self.k, 'actor': actor, 'line': line, 'source': source}
        handled = error is None
        if error is None:
            if expect and 'ok' not in expect:
                record.update(outcome='failed',
                              reason='expected %s, but it succeeded' % ' or '.join(expect))
            else:
                record.update(outcome='ok', value=_values.get(self.k, 'None'))
        else:
            name = _error_name(error)
            record.update(error='%s: %s' % (type(error).__name__, error), errno=name)
            if name in expect or type(error).__name__ in expect:
                record['outcome'] = 'expected-error'
                handled = True
            elif expect:
                record.update(outcome='failed', reason='expected %s, but got %s' % (
                    ' or '.join(expect), record['error']))
            else:
                record.update(outcome='failed', reason='unexpected ' + record['error'])
        with _cv:
            if record['outcome'] == 'failed':
                _state['failures'] += 1
            _report(record)
            _finished.add(self.k)
            if _running.get(thread) == self.k:
                del _running[thread]
            if not handled:
                _stopped[thread] = line
            _state['progress'] = _time.monotonic()
            _cv.notify_all()
        return handled


def _actor(body):
    def run():
        try:
            body()
        except BaseException:
            pass  # reported by _step; the actor stops here
    return run


def _run(actors):
    threads = [_threading.Thread(target=_actor(body), name=name, daemon=True)
               for name, body in actors.items()]
    for thread in threads:
        thread.start()
    stuck = False
    waiting_since = None  # since when every check found every actor waiting, unwoken
    wakeups = {}
    while any(thread.is_alive() for thread in threads):
        for thread in threads:
            thread.join(0.05)
        with _cv:
            now = _time.monotonic()
            startable = [k for k in range(len(_STEPS)) if k not in _started
                         and _STEPS[k][0] not in _stopped and _STEPS[k][0] not in _running]
            seen, wakeups = wakeups, {k: _wakeups(k) for k in _running.values()}
            if (_running and not startable
                    and all(_waits_for_ever(k) for k in _running.values())
                    # a thread that woke since the last check is not stuck (a loop of
                    # recv() calls inside one statement, say)
                    and all(seen.get(k, -1) == n for k, n in wakeups.items())
                    # a built-in peer with a deadline will act: course-web's 10 s
                    and not globals().get('_peer_deadlines')):
                waiting_since = now if waiting_since is None else waiting_since
            else:
                waiting_since = None
            # Stuck: nothing has moved for _QUIET, and for the last _QUIET_CHECKS of it
            # every check found every actor waiting for ever without having woken.
            if (waiting_since is not None and now - _state['progress'] >= _QUIET
                    and now - waiting_since >= _QUIET_CHECKS):
                stuck = True
                break
    with _cv:
        if stuck:
            _state['failures'] += 1
            if _JSON:
                _say(_json.dumps({'type': 'deadlock', 'message': 'the lesson is stuck'}))
            else:
                _say('!! The lesson is stuck: every actor waits and nothing is left to wake it.')
            for k in sorted(_running.values()):
                thread, line, source, expect, actor, needs = _STEPS[k]
                _report({'type': 'step', 'step': k, 'actor': actor, 'line': line,
                         'source': source, 'outcome': 'interrupted',
                         'reason': 'the lesson was stuck'})
                _finished.add(k)
        for k, (thread, line, source, expect, actor, needs) in enumerate(_STEPS):
            if k not in _started and k not in _finished:
                _report({'type': 'step', 'step': k, 'actor': actor, 'line': line,
                         'source': source, 'outcome': 'skipped',
                         'reason': 'not run: %s stopped at line %s' % (actor, _stopped.get(thread))})
        passed = _state['failures'] == 0
        if _JSON:
            _say(_json.dumps({'type': 'summary', 'passed': passed}))
        else:
            _say('\nThe lesson %s.' % ('passed' if passed else 'FAILED'))
    return 0 if passed else 1
# --- The lesson ----------------------------------------------------------------------------
