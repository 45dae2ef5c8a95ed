"""The channel to the workbench: framed messages over a Unix stream socket.

A frame is an 8-byte header (two little-endian u32: the JSON length, the blob length),
then the JSON text (UTF-8, one object), then the blob (raw bytes: payloads). The workbench
attaches descriptors (SCM_RIGHTS) to a frame's header; they arrive with it.

Writes come from many threads and are serialised by a lock; reads happen on one thread
only (the dispatcher).
"""
import _socket as _real  # the real C module, taken before the stand-in replaces it
import array
import json
import struct
import threading

_HEADER = struct.Struct("<II")
_MAX_FDS = 4


class Closed(Exception):
    """The workbench went away."""


class Channel:
    def __init__(self, fd):
        self._sock = _real.socket(_real.AF_UNIX, _real.SOCK_STREAM, 0, fd)
        self._sock.setblocking(True)
        self._write_lock = threading.Lock()

    def send(self, message, blob=b""):
        text = json.dumps(message, separators=(",", ":")).encode("utf-8")
        data = _HEADER.pack(len(text), len(blob)) + text
        with self._write_lock:
            try:
                if blob and len(blob) > 65536:
                    self._sock.sendall(data)
                    self._sock.sendall(blob)
                else:
                    self._sock.sendall(data + bytes(blob))
            except OSError as e:
                raise Closed(str(e)) from None

    def _read_exact(self, n):
        buf = bytearray(n)
        view = memoryview(buf)
        got = 0
        while got < n:
            k = self._sock.recv_into(view[got:], n - got)
            if k == 0:
                raise Closed("the workbench closed the channel")
            got += k
        return bytes(buf)

    def receive(self):
        """One frame: (message dict, blob bytes, list of descriptors)."""
        fds = array.array("i")
        try:
            # Close-on-exec, as python3's sockets are (they are not inheritable).
            data, ancdata, flags, _addr = self._sock.recvmsg(
                _HEADER.size, _real.CMSG_SPACE(_MAX_FDS * fds.itemsize),
                _real.MSG_CMSG_CLOEXEC)
        except OSError as e:
            raise Closed(str(e)) from None
        if not data:
            raise Closed("the workbench closed the channel")
        for level, kind, payload in ancdata:
            if level == _real.SOL_SOCKET and kind == _real.SCM_RIGHTS:
                usable = len(payload) - len(payload) % fds.itemsize
                fds.frombytes(payload[:usable])
        if len(data) < _HEADER.size:
            data += self._read_exact(_HEADER.size - len(data))
        text_len, blob_len = _HEADER.unpack(data)
        message = json.loads(self._read_exact(text_len).decode("utf-8")) if text_len else {}
        blob = self._read_exact(blob_len) if blob_len else b""
        if flags & _real.MSG_CTRUNC:
            # This process is out of descriptors: the kernel dropped the ones it could not
            # install. Whoever expected one answers as python3 would here: EMFILE.
            message["fds_lost"] = True
        return message, blob, list(fds)
