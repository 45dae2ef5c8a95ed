"""The stand-in for the socket module's C layer, `_socket` (docs/backend-protocol.md).

`install()` puts a module in sys.modules['_socket'] that has every constant, exception
class and pure function of the real `_socket` (the same objects), and its own `socket`
class whose every call is performed by the workbench. Python's own socket.py is then
imported on top of it, unchanged, and with it everything built on socket.py.

Arguments are checked by the real `_socket` itself: each call is first made on a closed
real socket of the same family ("the checker"). CPython parses and checks every argument
before the system call, and the system call on a closed socket fails with EBADF and has
no effect, so the checker raises exactly CPython's TypeError/ValueError/OverflowError
with CPython's messages, or EBADF when the arguments are good. Host names in addresses
are swapped for a numeric host of the same kind before the check, so that the checker
never asks a name server what the workbench will ask.
"""
import _socket as _real
import errno as _errno
import os as _os
import struct as _struct
import sys as _sys
import threading as _threading

_dispatcher = None
_lock = _threading.RLock()
_checkers = {}
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


def _checker(family, type):
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


def _is_numeric(host, family):
    try:
        _real.inet_pton(family, host)
        return True
    except (OSError, ValueError, TypeError):
        return False


def _checkable_address(address, family):
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
    if text in ("", "localhost", "<broadcast>") or _is_numeric(text, family):
        numeric = "127.0.0.1" if family == _real.AF_INET else "::1"
        if isinstance(host, (bytes, bytearray)):
            numeric = type(host)(numeric.encode("ascii"))
        return (numeric,) + address[1:]
    return address


def _check(family, type, method, *args, **kwargs):
    """Raises what CPython raises for these arguments; returns when they are good."""
    try:
        getattr(_checker(family, type), method)(*args, **kwargs)
    except (_real.gaierror, _real.herror):
        return "gaierror"
    except OSError as e:
        if e.errno == _errno.EBADF:
            return None
        raise e.with_traceback(None) from None
    except Exception as e:
        raise e.with_traceback(None) from None
    return None


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


def _tid():
    return _threading.get_ident()


def _request(message, blob=b""):
    message["t"] = "call"
    message["tid"] = _tid()
    return _dispatcher.request(message, blob)


def _take_descriptor(reply, fds):
    """Raises what the reply says went wrong. A new socket whose descriptor could not be
    installed here (this process is out of them) is closed in the workbench, and the call
    fails as it would in python3 out of descriptors."""
    try:
        _raise_for(reply)
        if not fds:
            if reply.get("sock"):
                _send_unanswered({"op": "close", "sock": reply["sock"]})
            raise OSError(_errno.EMFILE, _os.strerror(_errno.EMFILE))
    except BaseException:
        for fd in fds:
            _os.close(fd)
        raise


def _send_unanswered(message):
    """A call whose answer nobody waits for (a socket closed by the garbage collector:
    the collector may run on the dispatcher's own thread)."""
    d = _dispatcher
    with d._lock:
        ident = d._next_id
        d._next_id += 1
    message.update({"t": "call", "tid": _tid(), "id": ident})
    try:
        d.send(message)
    except Exception:
        pass


def _raise_for(reply):
    outcome = reply.get("outcome", "ok")
    if outcome == "ok":
        return
    number = reply.get("errno", 0)
    message = reply.get("message", "")
    if outcome == "error":
        raise OSError(number, _os.strerror(number) if number > 0 else message)
    if outcome == "timeout":
        raise _real.timeout("timed out")
    if outcome == "gaierror":
        raise _real.gaierror(number, message)
    if outcome == "herror":
        raise _real.herror(number, message)
    if outcome == "interrupted":
        raise InterruptedError(_errno.EINTR, "interrupted by the workbench")
    if outcome == "invalid":
        kind = {"TypeError": TypeError, "ValueError": ValueError,
                "OverflowError": OverflowError}.get(reply.get("exception"), OSError)
        raise kind(message)
    raise OSError(message or outcome)


def _address_json(address, family):
    """An address CPython accepted, in the protocol's form."""
    if family == _real.AF_UNIX:
        if isinstance(address, str):
            raw = _os.fsencode(address)
        else:
            raw = bytes(address)
        return {"unix": raw.hex()}
    host = address[0]
    if isinstance(host, (bytes, bytearray)):
        host = bytes(host).decode("latin-1")
    elif not host.isascii():
        host = host.encode("idna").decode("ascii")
    port = _index(address[1])
    if family == _real.AF_INET6:
        flow = _index(address[2]) if len(address) > 2 else 0
        scope = _index(address[3]) if len(address) > 3 else 0
        return [host, port, flow, scope]
    return [host, port]


def _index(value):
    return value.__index__() if not isinstance(value, int) else int(value)


def _address_value(value):
    """The protocol's address as CPython's makesockaddr() gives it."""
    if value is None:
        return None
    if isinstance(value, dict):
        raw = bytes.fromhex(value.get("unix", ""))
        if raw.startswith(b"\0"):
            return raw  # Linux: an abstract name comes back as bytes
        return _os.fsdecode(raw)
    return tuple(value)


def _timeout_value(value):
    """CPython's socket_parse_timeout(): the value gettimeout() will give back."""
    if value is None:
        return None
    with _lock:
        c = _checker(_real.AF_INET, _real.SOCK_STREAM)
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
        reply, _blob, fds = _request({"op": "socket", "family": family, "type": type,
                                      "proto": proto})
        _take_descriptor(reply, fds)
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
        reply, _b, fds = self._call("accept")
        _take_descriptor(reply, fds)
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
        reply, _b, _f = self._call("send", bytes(memoryview(data).cast("B")),
                                   flags=_index(flags))
        _raise_for(reply)
        return reply.get("count", 0)

    def sendall(self, data, flags=0):
        self._check("sendall", data, flags)
        reply, _b, _f = self._call("sendall", bytes(memoryview(data).cast("B")),
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
        reply, _b, _f = self._call("sendto", bytes(memoryview(data).cast("B")), addr=addr,
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
            elif len(raw) == 4:
                fields["value"] = _struct.unpack("i", raw)[0]
            elif not raw:
                raise OSError(_errno.EINVAL, _os.strerror(_errno.EINVAL))
            else:
                # A struct value (ip_mreq, timeval, ...), or a short one the kernel judges:
                # its bytes go to setsockopt() as they are, as CPython passes them.
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


def _with_cpythons_arity(name, method):
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


for _name in ("settimeout", "gettimeout", "setblocking", "getblocking", "bind", "connect",
              "connect_ex", "listen", "shutdown", "getsockname", "getpeername", "send",
              "sendall", "sendto", "recv", "recvfrom", "recv_into", "recvfrom_into",
              "setsockopt", "getsockopt", "fileno", "close", "detach"):
    setattr(socket, _name, _with_cpythons_arity(_name, getattr(socket, _name)))
del _name


# --- module functions -----------------------------------------------------------------
def _module_call(op, **fields):
    fields["op"] = op
    reply, blob, _f = _request(fields)
    _raise_for(reply)
    return reply


def _checked_host(host):
    if isinstance(host, str) and host.isascii() and "\0" not in host:
        return "127.0.0.1"
    return host


def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    # The real one checks the arguments (on a numeric host and no port it asks nobody).
    checked_port = port if not isinstance(port, (str, bytes)) else None
    if isinstance(port, str):
        port.encode("utf-8")
    try:
        _real.getaddrinfo(_checked_host(host) if host is not None else None, checked_port,
                          family, type, proto, flags)
    except _real.gaierror:
        pass
    if host is None:
        host_text = None
    elif isinstance(host, str):
        host_text = host if host.isascii() else host.encode("idna").decode("ascii")
    else:
        host_text = bytes(host).decode("latin-1")
    if port is None:
        service = None
    elif isinstance(port, int):
        service = str(int(port))
    elif isinstance(port, str):
        service = port
    else:
        service = bytes(port).decode("latin-1")
    reply = _module_call("getaddrinfo", host=host_text, service=service, family=_index(family),
                         type=_index(type), proto=_index(proto), flags=_index(flags))
    return [(f, t, p, c, _address_value(a)) for f, t, p, c, a in reply.get("addrinfo", [])]


def gethostbyname(hostname):
    try:
        _real.gethostbyname(_checked_host(hostname))
    except (_real.gaierror, _real.herror):
        pass
    host = hostname if isinstance(hostname, str) else bytes(hostname).decode("latin-1")
    return _module_call("gethostbyname", host=host).get("text", "")


def gethostbyaddr(ip_address):
    try:
        _real.gethostbyaddr(_checked_host(ip_address))
    except (_real.gaierror, _real.herror):
        pass
    host = ip_address if isinstance(ip_address, str) else bytes(ip_address).decode("latin-1")
    name, aliases, addresses = _module_call("gethostbyaddr", host=host).get(
        "hostent", ["", [], []])
    return name, list(aliases), list(addresses)


def gethostname():
    return _module_call("gethostname").get("text", "")


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
    reply, _blob, fds = _request({"op": "socketpair", "family": family, "type": type,
                                  "proto": proto})
    _take_descriptor(reply, fds)
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
    global _dispatcher
    _dispatcher = dispatcher
    _sys.modules["_socket"] = _make_module()
    for name in ("socket", "socketserver", "http.client", "http.server", "urllib.request",
                 "selectors", "asyncio"):
        _sys.modules.pop(name, None)
