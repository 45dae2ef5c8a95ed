"""The workbench's side of the backend protocol, played by a test (docs/backend-protocol.md):
a socket pair, boot.py started on one end, and the frames that come back."""
import json
import os
import socket
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BOOT = os.path.join(ROOT, "resources", "python", "boot.py")
HEADER = struct.Struct("<II")


def _read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def send(sock, message, blob=b""):
    text = json.dumps(message).encode()
    sock.sendall(HEADER.pack(len(text), len(blob)) + text + blob)


def receive(sock):
    text_len, blob_len = HEADER.unpack(_read_exact(sock, HEADER.size))
    message = json.loads(_read_exact(sock, text_len)) if text_len else {}
    if blob_len:
        _read_exact(sock, blob_len)
    return message


class Run:
    """Runs one program to its end. on_line(run, message) may answer instead of `go`
    (return True when it did)."""

    def __init__(self, source, filename="prog.py", mode="step", names=None, argv=None,
                 path=None, on_line=None, on_message=None, timeout=30):
        self.messages = []
        self.lines = []  # (actor, line, changes)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        env = dict(os.environ, SOCKBENCH_CHANNEL_FD=str(theirs.fileno()))
        self.process = subprocess.Popen([sys.executable, BOOT], pass_fds=[theirs.fileno()],
                                        env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE)
        theirs.close()
        self.sock = ours
        ours.settimeout(timeout)
        actors = {}
        try:
            while True:
                try:
                    m = receive(ours)
                except (EOFError, OSError):
                    break
                self.messages.append(m)
                t = m.get("t")
                if t == "thread":
                    actors[m["tid"]] = m["actor"]
                if t == "hello":
                    send(ours, {"t": "load", "id": m["id"], "source": source,
                                "filename": filename, "path": path, "argv": argv or [],
                                "mode": mode, "names": names or {}})
                elif t == "line":
                    self.lines.append((actors.get(m["tid"]), m["line"], m["changes"]))
                    if not (on_line and on_line(self, m)):
                        send(ours, {"t": "go", "id": m["id"]})
                if on_message and t not in ("hello", "line"):
                    on_message(self, m)
        finally:
            self.stdout, self.stderr = self.process.communicate(timeout=timeout)
            ours.close()

    def of(self, kind):
        return [m for m in self.messages if m.get("t") == kind]

    def out(self, stream="stdout"):
        return "".join(m["text"] for m in self.of("out") if m["stream"] == stream)

    def exit_code(self):
        exits = self.of("exit")
        return exits[-1]["code"] if exits else None
