"""A call's way to the workbench and back (docs/backend-protocol.md): the request, the
reply raised as what python3 would raise, and addresses in the protocol's form."""
import _socket as _real
import errno as _errno
import os as _os
import threading as _threading

dispatcher = None  # set by standin.install()


def tid():
    return _threading.get_ident()


def request(message, blob=b""):
    message["t"] = "call"
    message["tid"] = tid()
    return dispatcher.request(message, blob)


def request_sockets(message, *keys):
    """A call that makes new sockets (socket, accept, socketpair): the reply and the
    descriptors, on the numbers reserved for them (see reserve)."""
    reserved = reserve(message, *keys)
    try:
        reply, blob, fds = request(message)
    except BaseException:
        for fd in reserved:
            _os.close(fd)
        raise
    take_descriptor(reply, fds, reserved)
    return reply, blob, fds


def reserve(message, *keys):
    """Reserves a descriptor number for each new socket the call will make, the lowest
    free one, as the kernel would give it to python3 now, and tells the workbench (the
    message's keys): it records the call with the numbers this program holds the sockets
    by. A number that cannot be reserved (out of descriptors) is not sent; the call then
    fails below as python3's would, or the workbench's own number is recorded."""
    reserved = []
    for key in keys:
        try:
            fd = _os.open(_os.devnull, _os.O_RDONLY | _os.O_CLOEXEC)
        except OSError:
            break
        reserved.append(fd)
        message[key] = fd
    return reserved


def take_descriptor(reply, fds, reserved=()):
    """Raises what the reply says went wrong. A new socket whose descriptor could not be
    installed here (this process is out of them) is closed in the workbench, and the call
    fails as it would in python3 out of descriptors. The descriptors that came are moved
    onto their reserved numbers (fds is changed in place); unused reservations are freed."""
    try:
        raise_for(reply)
        if not fds:
            if reply.get("sock"):
                send_unanswered({"op": "close", "sock": reply["sock"]})
            raise OSError(_errno.EMFILE, _os.strerror(_errno.EMFILE))
    except BaseException:
        for fd in fds:
            _os.close(fd)
        for fd in reserved:
            _os.close(fd)
        raise
    for i, want in enumerate(reserved):
        if i < len(fds):
            _os.dup2(fds[i], want, inheritable=False)
            _os.close(fds[i])
            fds[i] = want
        else:
            _os.close(want)


def send_unanswered(message):
    """A call whose answer nobody waits for (a socket closed by the garbage collector:
    the collector may run on the dispatcher's own thread)."""
    d = dispatcher
    with d._lock:
        ident = d._next_id
        d._next_id += 1
    message.update({"t": "call", "tid": tid(), "id": ident})
    try:
        d.send(message)
    except Exception:
        pass


def raise_for(reply):
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


def address_json(address, family):
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
    port = index(address[1])
    if family == _real.AF_INET6:
        flow = index(address[2]) if len(address) > 2 else 0
        scope = index(address[3]) if len(address) > 3 else 0
        return [host, port, flow, scope]
    return [host, port]


def index(value):
    return value.__index__() if not isinstance(value, int) else int(value)


def address_value(value):
    """The protocol's address as CPython's makesockaddr() gives it."""
    if value is None:
        return None
    if isinstance(value, dict):
        raw = bytes.fromhex(value.get("unix", ""))
        if raw.startswith(b"\0"):
            return raw  # Linux: an abstract name comes back as bytes
        return _os.fsdecode(raw)
    return tuple(value)


def module_call(op, **fields):
    fields["op"] = op
    reply, blob, _f = request(fields)
    raise_for(reply)
    return reply
