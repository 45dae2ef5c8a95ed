"""CPython's own checks of a call's arguments, made before the workbench is asked.

Each call is first made on a closed real socket of the same family ("the checker"). CPython
parses and checks every argument before the system call, and the system call on a closed
socket fails with EBADF and has no effect, so the checker raises exactly CPython's
TypeError/ValueError/OverflowError with CPython's messages, or EBADF when the arguments are
good. Host names in addresses are swapped for a numeric host of the same kind before the
check, so that the checker never asks a name server what the workbench will ask.
"""
import _socket as _real
import errno as _errno
import threading as _threading

_lock = _threading.RLock()
_checkers = {}


def checker(family, type):
    key = (family, type)
    with _lock:
        c = _checkers.get(key)
        if c is None:
            try:
                c = _real.socket(family, type, 0)
            except OSError:
                c = _real.socket(_real.AF_INET, _real.SOCK_STREAM, 0)
            c.close()
            _checkers[key] = c
        return c


def is_numeric(host, family):
    try:
        _real.inet_pton(family, host)
        return True
    except (OSError, ValueError, TypeError):
        return False


def checkable_address(address, family):
    """The address with its host swapped for a numeric one (no name server asked)."""
    if family not in (_real.AF_INET, _real.AF_INET6) or not isinstance(address, tuple):
        return address
    if not address or not isinstance(address[0], (str, bytes, bytearray)):
        return address
    host = address[0]
    text = host
    if isinstance(host, (bytes, bytearray)):
        try:
            text = bytes(host).decode("ascii")
        except UnicodeDecodeError:
            return address
    if "\0" in text or not text.isascii():
        return address
    if text in ("", "localhost", "<broadcast>") or is_numeric(text, family):
        numeric = "127.0.0.1" if family == _real.AF_INET else "::1"
        if isinstance(host, (bytes, bytearray)):
            numeric = type(host)(numeric.encode("ascii"))
        return (numeric,) + address[1:]
    return address


def check(family, type, method, *args, **kwargs):
    """Raises what CPython raises for these arguments; returns when they are good."""
    try:
        getattr(checker(family, type), method)(*args, **kwargs)
    except (_real.gaierror, _real.herror):
        return "gaierror"
    except OSError as e:
        if e.errno == _errno.EBADF:
            return None
        raise e.with_traceback(None) from None
    except Exception as e:
        raise e.with_traceback(None) from None
    return None


def timeout_value(value):
    """CPython's socket_parse_timeout(): the value gettimeout() will give back."""
    if value is None:
        return None
    with _lock:
        c = checker(_real.AF_INET, _real.SOCK_STREAM)
        before = c.gettimeout()
        try:
            c.settimeout(value)
        except OSError as e:
            if e.errno != _errno.EBADF:
                raise e.with_traceback(None) from None
        except Exception as e:
            raise e.with_traceback(None) from None
        result = c.gettimeout()
        try:
            c.settimeout(before)
        except OSError:
            pass
    return result


def checked_host(host):
    if isinstance(host, str) and host.isascii() and "\0" not in host:
        return "127.0.0.1"
    return host


def with_cpythons_arity(name, method):
    """A call with the wrong number of arguments raises CPython's own TypeError, asked of the
    checker ("socket.bind() takes exactly one argument (2 given)"), not the one Python words
    for this method. Free on a good call: only a TypeError raised by the call itself, before
    the method's first line, is asked about."""
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except TypeError as e:
            if e.__traceback__ is not None and e.__traceback__.tb_next is None:
                self._check(name, *args, **kwargs)
            raise
    call.__name__ = call.__qualname__ = name
    call.__doc__ = method.__doc__
    return call
