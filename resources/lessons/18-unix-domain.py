# title: AF_UNIX: sockets that never leave the machine
# A Unix domain socket has a path, not an IP address and a port. The data goes straight
# from one process to another, without the network stack, so there is no TCP state -
# but the calls are the same: bind, listen, accept, connect, send, recv.
# level: intermediate
# topics: AF_UNIX, abstract names, local sockets
import socket

# --- server ---
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
# A path that starts with a NUL byte is a Linux "abstract" name: it lives in memory only,
# and disappears with the socket. A normal path would leave a file behind to remove.
server.bind('\0sockbench-lesson-unix')
server.listen(1)
print(server.getsockname())

# --- client ---
client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
client.connect('\0sockbench-lesson-unix')
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
