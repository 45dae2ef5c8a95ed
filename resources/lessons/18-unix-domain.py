# title: AF_UNIX: sockets that never leave the machine
# A Unix domain socket has a path, not an IP address and a port. The data goes straight
# from one process to another, without the network stack, so there is no TCP state -
# but the calls are the same: bind, listen, accept, connect, send, recv.
# level: intermediate
# topics: AF_UNIX, abstract names, autobind, local sockets, socket files
import os
import socket
import stat
import tempfile

# --- server ---
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
# An empty name asks the kernel to choose one, as port 0 does for TCP. Linux gives the
# socket an "abstract" name: a NUL byte, then a few characters of its own choosing. An
# abstract name lives in memory only and disappears with the socket; a normal path would
# leave a file behind to remove. A name you picked yourself could already be taken by
# another program, or by this lesson running in another window.
server.bind('')
server.listen(1)
# Python shows an abstract name as bytes, the NUL first: b'\x00' and the kernel's choice.
print(server.getsockname())

# --- client ---
client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
# The client needs the server's name. Ask the server socket for it, as with a TCP port.
client.connect(server.getsockname())
client.sendall(b'no network involved')

# --- server ---
conn, addr = server.accept()
# The client never bound a name: its address is empty.
print(repr(addr))
assert conn.recv(100) == b'no network involved'
conn.sendall(b'indeed')

# --- client ---
assert client.recv(100) == b'indeed'
client.close()

# --- server ---
assert conn.recv(100) == b''
conn.close()
server.close()
# A path name instead: bind() makes a file there, of a kind of its own - a socket file. It
# is not a named pipe (a FIFO, made by mkfifo), as it is sometimes called: only connect()
# reaches it, and open() cannot read it.
folder = tempfile.mkdtemp()
path = os.path.join(folder, 'demo.sock')
named = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
named.bind(path)
mode = os.stat(path).st_mode
print('socket file:', stat.S_ISSOCK(mode), ' named pipe:', stat.S_ISFIFO(mode))
named.close()
# pause
# The socket is closed. Is its file gone?
assert os.path.exists(path)
# It stays, and while it is there nobody can bind that path again.
again = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
# expect: EADDRINUSE
again.bind(path)
# Removing the file is the program's job: a server unlinks its path before binding it.
os.unlink(path)
again.bind(path)
again.close()
os.unlink(path)
os.rmdir(folder)
