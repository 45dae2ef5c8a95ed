"""The stand-in for the socket module's C layer, `_socket` (docs/backend-protocol.md).

`install()` puts a module in sys.modules['_socket'] that has every constant, exception
class and pure function of the real `_socket` (the same objects), and its own `socket`
class whose every call is performed by the workbench. Python's own socket.py is then
imported on top of it, unchanged, and with it everything built on socket.py.

Arguments are checked by the real `_socket` itself before the workbench is asked (see
checks.py), so a bad argument raises exactly what CPython raises, with its message.
"""
import _socket as _real
import errno as _errno
import os as _os
import struct as _struct
import sys as _sys
import threading as _threading

from . import calls as _calls
from .calls import address_json as _address_json
from .calls import address_value as _address_value
from .calls import index as _index
from .calls import raise_for as _raise_for
from .calls import request as _request
from .calls import request_sockets as _request_sockets
from .calls import send_unanswered as _send_unanswered
from .checks import check as _check
from .checks import checkable_address as _checkable_address
from .checks import timeout_value as _timeout_value
from .checks import with_cpythons_arity as _with_cpythons_arity
from .names import gethostbyaddr, gethostbyname, gethostname, getaddrinfo

_lock = _threading.RLock()
# Descriptors that a socket object will adopt: accept()'s new socket (socket.py makes the
# object from the descriptor _accept() returns), a detach()ed socket (socketpair() does).
_adoptable = {}  # fd -> _Shared
# Every socket the workbench made for this program that still has a descriptor here, by
# the kernel's inode: socket.dup() makes a second object on a dup of the descriptor.
_by_inode = {}  # st_ino -> _Shared

# The module functions that go to the workbench (or are reimplemented here).
_OWN = ("socket", "SocketType", "getaddrinfo", "gethostbyname", "gethostbyaddr",
        "gethostname", "socketpair", "setdefaulttimeout", "getdefaulttimeout")


class _Shared:
    """One workbench socket; several objects share it after dup() (as fds share a file)."""
    __slots__ = ("id", "family", "type", "proto", "holders", "inode")

    def __init__(self, ident, family, type, proto):
        self.id = ident
        self.family = family
        self.type = type
        self.proto = proto
        self.holders = 0
        self.inode = None


# Set while the tracer writes a value's repr for the workbench: a socket's repr asks for its
# addresses, and those questions are the tracer's, not the program's. They are answered on
# this process's duplicate of the descriptor, and never reach the workbench's trace.
_quiet = _threading.local()


class quietly:
    def __enter__(self):
        _quiet.depth = getattr(_quiet, "depth", 0) + 1

    def __exit__(self, *exc):
        _quiet.depth -= 1


def _asked_quietly(sock, method):
    """The address the kernel gives for the socket, asked directly (see _quiet)."""
    if sock._sb_fd < 0:
        raise OSError(_errno.EBADF, _os.strerror(_errno.EBADF))
    probe = _real.socket(fileno=_os.dup(sock._sb_fd))
    try:
        return getattr(probe, method)()
    finally:
        probe.close()


def _payload(data):
    """The bytes of a send, as they are: a bytes object is not copied. A program may send
    most of the memory it is allowed (sendall(b'x' * 2**30)), and a copy would double it."""
    return data if type(data) is bytes else memoryview(data).cast("B")


class socket:
    """socket(family=AF_INET, type=SOCK_STREAM, proto=0, fileno=None) -> socket object

    A socket of the Socket Workbench: every call is made by the workbench."""

    __slots__ = ("_sb_shared", "_sb_fd", "_sb_family", "_sb_type", "_sb_proto",
                 "_sb_timeout")

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        # The real constructor parses the three numbers; a negative descriptor stops it
        # right after, before any system call.
        try:
            _real.socket(family, type, proto, -1)
        except ValueError as e:
            if str(e) != "negative file descriptor":
                raise e.with_traceback(None) from None
        except Exception as e:
            raise e.with_traceback(None) from None
        family, type, proto = _index(family), _index(type), _index(proto)
        self._sb_fd = -1
        self._sb_shared = None
        self._sb_timeout = _real.getdefaulttimeout()
        if fileno is not None:
            self._adopt(fileno, family, type, proto)
            return
        if family == -1:
            family = _real.AF_INET
        if type == -1:
            type = _real.SOCK_STREAM
        if proto == -1:
            proto = 0
        flags = type & (_real.SOCK_NONBLOCK | _real.SOCK_CLOEXEC)
        type &= ~(_real.SOCK_NONBLOCK | _real.SOCK_CLOEXEC)
        reply, _blob, fds = _request_sockets(
            {"op": "socket", "family": family, "type": type, "proto": proto}, "fd")
        self._sb_family, self._sb_type, self._sb_proto = family, type, proto
        shared = _Shared(reply["sock"], family, type, proto)
        self._hold(shared, fds[0] if fds else -1)
        if flags & _real.SOCK_NONBLOCK:
            self.setblocking(False)
        elif self._sb_timeout is not None:
            self._tell_timeout(self._sb_timeout)

    def _hold(self, shared, fd):
        self._sb_shared = shared
        self._sb_fd = fd
        self._sb_family, self._sb_type, self._sb_proto = shared.family, shared.type, shared.proto
        with _lock:
            shared.holders += 1
            if fd >= 0 and shared.inode is None:
                try:
                    shared.inode = _os.fstat(fd).st_ino
                    _by_inode[shared.inode] = shared
                except OSError:
                    pass

    def _adopt(self, fileno, family, type, proto):
        if isinstance(fileno, float):
            raise TypeError("'float' object cannot be interpreted as an integer")
        fd = _index(fileno)
        if fd < 0:
            raise ValueError("negative file descriptor")
        with _lock:
            shared = _adoptable.pop(fd, None)
        if shared is None:
            try:
                inode = _os.fstat(fd).st_ino
            except OSError as e:
                raise OSError(e.errno, e.strerror) from None
            with _lock:
                shared = _by_inode.get(inode)
        if shared is None:
            raise OSError(_errno.EOPNOTSUPP,
                          "the workbench can only use sockets it made itself")
        self._hold(shared, fd)
        if self._sb_timeout is not None:
            self._tell_timeout(self._sb_timeout)

    def _tell_timeout(self, timeout):
        reply, _b, _f = self._call("settimeout", timeout=timeout)
        _raise_for(reply)

    def _call(self, op, blob=b"", **fields):
        fields["op"] = op
        fields["sock"] = self._sb_shared.id if self._sb_shared else 0
        return _request(fields, blob)

    def _check(self, method, *args, **kwargs):
        return _check(self._sb_family, self._sb_type, method, *args, **kwargs)

    # --- what socket.py reads -------------------------------------------------------
    @property
    def family(self):
        return self._sb_family

    @property
    def type(self):
        return self._sb_type

    @property
    def proto(self):
        return self._sb_proto

    @property
    def timeout(self):
        return self._sb_timeout

    def fileno(self):
        return self._sb_fd

    def __repr__(self):
        return "<socket object, fd=%d, family=%d, type=%d, proto=%d>" % (
            self._sb_fd, self._sb_family, self._sb_type, self._sb_proto)

    def __del__(self):
        try:
            self._collected()
        except Exception:
            pass  # at interpreter shutdown the module's globals may be gone already

    def _collected(self):
        try:
            fd = self._sb_fd
        except AttributeError:
            return
        if fd != -1:
            import warnings
            try:
                warnings.warn("unclosed %r" % (self,), ResourceWarning, source=self)
            except Exception:
                pass
            self._sb_fd = -1
            try:
                _os.close(fd)
            except OSError:
                pass
            if self._release():
                _send_unanswered({"op": "close", "sock": self._sb_shared.id})

    def _release(self):
        """One holder less; true when it was the last (the workbench closes then)."""
        shared = self._sb_shared
        with _lock:
            shared.holders -= 1
            last = shared.holders <= 0
            if last and shared.inode is not None:
                _by_inode.pop(shared.inode, None)
        return last

    def close(self):
        fd = self._sb_fd
        if fd == -1:
            return None
        self._sb_fd = -1
        # Our duplicate first: the connection ends when the workbench closes its own.
        try:
            _os.close(fd)
        except OSError:
            pass
        if not self._release():
            return None
        reply, _b, _f = self._call("close")
        if reply.get("outcome") == "error" and reply.get("errno") == _errno.ECONNRESET:
            return None  # CPython's close() ignores ECONNRESET (bpo-30319)
        _raise_for(reply)
        return None

    def detach(self):
        fd = self._sb_fd
        self._sb_fd = -1
        if fd != -1:
            with _lock:
                self._sb_shared.holders -= 1
                _adoptable[fd] = self._sb_shared
        return fd

    # --- blocking and timeouts --------------------------------------------------------
    def settimeout(self, value):
        timeout = _timeout_value(value)
        self._check("settimeout", value)
        reply, _b, _f = self._call("settimeout", timeout=timeout)
        _raise_for(reply)
        self._sb_timeout = timeout

    def gettimeout(self):
        return self._sb_timeout

    def setblocking(self, flag):
        self._check("setblocking", flag)
        blocking = bool(_index(flag)) if not isinstance(flag, bool) else flag
        reply, _b, _f = self._call("setblocking", blocking=blocking)
        _raise_for(reply)
        self._sb_timeout = None if blocking else 0.0

    def getblocking(self):
        return self._sb_timeout != 0.0

    # --- connections ----------------------------------------------------------------
    def _address_call(self, op, address):
        # A name the checker cannot swap (not numeric, not localhost) is resolved by the
        # checker as CPython would; its gaierror is ignored: the workbench answers.
        self._check(op, _checkable_address(address, self._sb_family))
        return _address_json(address, self._sb_family)

    def bind(self, address):
        addr = self._address_call("bind", address)
        reply, _b, _f = self._call("bind", addr=addr)
        _raise_for(reply)

    def connect(self, address):
        addr = self._address_call("connect", address)
        reply, _b, _f = self._call("connect", addr=addr)
        _raise_for(reply)

    def connect_ex(self, address):
        addr = self._address_call("connect_ex", address)
        reply, _b, _f = self._call("connect_ex", addr=addr)
        _raise_for(reply)
        return reply.get("count", 0)

    def listen(self, *args):
        self._check("listen", *args)
        fields = {}
        if args:
            fields["backlog"] = _index(args[0])
        reply, _b, _f = self._call("listen", **fields)
        _raise_for(reply)

    def _accept(self):
        self._check("_accept")
        reply, _b, fds = _request_sockets(
            {"op": "accept", "sock": self._sb_shared.id if self._sb_shared else 0}, "fd")
        shared = _Shared(reply["sock"], self._sb_family, self._sb_type, self._sb_proto)
        fd = fds[0]
        with _lock:
            _adoptable[fd] = shared
        return fd, _address_value(reply.get("addr"))

    def shutdown(self, how):
        self._check("shutdown", how)
        reply, _b, _f = self._call("shutdown", how=_index(how))
        _raise_for(reply)

    def getsockname(self):
        self._check("getsockname")
        if getattr(_quiet, "depth", 0):
            return _asked_quietly(self, "getsockname")
        reply, _b, _f = self._call("getsockname")
        _raise_for(reply)
        return _address_value(reply.get("addr"))

    def getpeername(self):
        self._check("getpeername")
        if getattr(_quiet, "depth", 0):
            return _asked_quietly(self, "getpeername")
        reply, _b, _f = self._call("getpeername")
        _raise_for(reply)
        return _address_value(reply.get("addr"))

    # --- data -----------------------------------------------------------------------
    def send(self, data, flags=0):
        self._check("send", data, flags)
        reply, _b, _f = self._call("send", _payload(data),
                                   flags=_index(flags))
        _raise_for(reply)
        return reply.get("count", 0)

    def sendall(self, data, flags=0):
        self._check("sendall", data, flags)
        reply, _b, _f = self._call("sendall", _payload(data),
                                   flags=_index(flags))
        _raise_for(reply)
        return None

    def sendto(self, *args):
        if len(args) in (2, 3):
            self._check("sendto", *args[:-1], _checkable_address(args[-1], self._sb_family))
        else:
            self._check("sendto", *args)
        data, address = args[0], args[-1]
        flags = _index(args[1]) if len(args) == 3 else 0
        addr = _address_json(address, self._sb_family)
        reply, _b, _f = self._call("sendto", _payload(data), addr=addr,
                                   flags=flags)
        _raise_for(reply)
        return reply.get("count", 0)

    def recv(self, bufsize, flags=0):
        self._check("recv", bufsize, flags)
        reply, blob, _f = self._call("recv", size=_index(bufsize), flags=_index(flags))
        _raise_for(reply)
        return blob

    def recvfrom(self, bufsize, flags=0):
        self._check("recvfrom", bufsize, flags)
        reply, blob, _f = self._call("recvfrom", size=_index(bufsize), flags=_index(flags))
        _raise_for(reply)
        return blob, _address_value(reply.get("addr"))

    def _into(self, op, buffer, nbytes, flags):
        self._check(op, buffer, nbytes, flags)
        view = memoryview(buffer).cast("B")
        reply, blob, _f = self._call(op, size=_index(nbytes), buffer_size=len(view),
                                     flags=_index(flags))
        _raise_for(reply)
        view[:len(blob)] = blob
        return reply.get("count", len(blob)), reply

    def recv_into(self, buffer, nbytes=0, flags=0):
        count, _reply = self._into("recv_into", buffer, nbytes, flags)
        return count

    def recvfrom_into(self, buffer, nbytes=0, flags=0):
        count, reply = self._into("recvfrom_into", buffer, nbytes, flags)
        return count, _address_value(reply.get("addr"))

    # --- options --------------------------------------------------------------------
    def setsockopt(self, level, optname, value, *optlen):
        self._check("setsockopt", level, optname, value, *optlen)
        level, optname = _index(level), _index(optname)
        fields = {"level": level, "option": optname}
        blob = b""
        if value is None:
            raw = b"\0" * _index(optlen[0])
        else:
            try:
                raw = bytes(memoryview(value).cast("B"))
            except TypeError:
                raw = None
                fields["value"] = _index(value)
        if raw is not None:
            if level == _real.SOL_SOCKET and optname == _real.SO_LINGER and len(raw) >= 8:
                fields["value"], fields["linger"] = _struct.unpack("ii", raw[:8])
            elif not raw:
                raise OSError(_errno.EINVAL, _os.strerror(_errno.EINVAL))
            else:
                # Bytes go to setsockopt() as they are, as CPython passes them: a struct
                # (ip_mreq, timeval, ...), an in_addr (IP_MULTICAST_IF's four bytes are an
                # address, not the number 16777343), or a short one the kernel judges.
                blob = raw
        reply, _b, _f = self._call("setsockopt", blob, **fields)
        _raise_for(reply)

    def getsockopt(self, level, optname, *buflen):
        self._check("getsockopt", level, optname, *buflen)
        level, optname = _index(level), _index(optname)
        reply, _b, _f = self._call("getsockopt", level=level, option=optname)
        _raise_for(reply)
        value = reply.get("count", 0)
        if not buflen or _index(buflen[0]) == 0:
            return value
        if level == _real.SOL_SOCKET and optname == _real.SO_LINGER:
            raw = _struct.pack("ii", value, reply.get("linger", 0))
        else:
            raw = _struct.pack("i", value)
        return raw[:_index(buflen[0])]

    def __getstate__(self):
        raise TypeError(f"cannot pickle {self.__class__.__name__!r} object")


for _name in ("settimeout", "gettimeout", "setblocking", "getblocking", "bind", "connect",
              "connect_ex", "listen", "shutdown", "getsockname", "getpeername", "send",
              "sendall", "sendto", "recv", "recvfrom", "recv_into", "recvfrom_into",
              "setsockopt", "getsockopt", "fileno", "close", "detach"):
    setattr(socket, _name, _with_cpythons_arity(_name, getattr(socket, _name)))
del _name


# --- module functions -----------------------------------------------------------------
def socketpair(family=_real.AF_UNIX, type=_real.SOCK_STREAM, proto=0):
    """socketpair(2), made by the workbench: two connected sockets, unnamed, as python3's."""
    try:
        _real.socket(family, type, proto, -1)
    except ValueError as e:
        if str(e) != "negative file descriptor":
            raise e.with_traceback(None) from None
    except Exception as e:
        raise e.with_traceback(None) from None
    family, type, proto = _index(family), _index(type), _index(proto)
    flags = type & (_real.SOCK_NONBLOCK | _real.SOCK_CLOEXEC)
    type &= ~flags
    reply, _blob, fds = _request_sockets(
        {"op": "socketpair", "family": family, "type": type, "proto": proto}, "fd", "fd2")
    if len(fds) < 2:  # out of descriptors here: neither end is any use
        for fd in fds:
            _os.close(fd)
        for sock in (reply.get("sock"), reply.get("sock2")):
            if sock:
                _send_unanswered({"op": "close", "sock": sock})
        raise OSError(_errno.EMFILE, _os.strerror(_errno.EMFILE))
    pair = []
    for sock, fd in ((reply["sock"], fds[0]), (reply["sock2"], fds[1])):
        with _lock:
            _adoptable[fd] = _Shared(sock, family, type, proto)
        end = socket(family, type, proto, fd)
        if flags & _real.SOCK_NONBLOCK:
            end.setblocking(False)
        pair.append(end)
    return pair[0], pair[1]


def _make_module():
    import types
    module = types.ModuleType("_socket", _real.__doc__)
    for name, value in vars(_real).items():
        if name in ("__name__", "__loader__", "__spec__", "__file__"):
            continue
        setattr(module, name, value)
    mine = globals()
    for name in _OWN:
        if name == "SocketType":
            setattr(module, name, socket)
        elif name in ("setdefaulttimeout", "getdefaulttimeout"):
            setattr(module, name, getattr(_real, name))
        else:
            setattr(module, name, mine[name])
    socket.__module__ = "_socket"
    return module


def install(dispatcher):
    """Makes the program's `import socket` use the workbench."""
    _calls.dispatcher = dispatcher
    _sys.modules["_socket"] = _make_module()
    for name in ("socket", "socketserver", "http.client", "http.server", "urllib.request",
                 "selectors", "asyncio"):
        _sys.modules.pop(name, None)
