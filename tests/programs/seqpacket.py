"""SOCK_SEQPACKET on AF_UNIX: a connection (listen, accept, connect) that keeps each
message whole, as datagrams are kept; and statements that share a line.

Two sends arrive as two messages, never merged; a recv() smaller than a message takes its
start and drops the rest; b'' is the end, as on a stream. AF_INET has no SOCK_SEQPACKET
here: the kernel's own error number is printed.
"""
import os
import socket
import tempfile

a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
print(a.type == socket.SOCK_SEQPACKET)
a.send(b'one'); a.send(b'two')
print(b.recv(100), b.recv(100))
a.send(b'0123456789')
print(b.recv(4))
a.sendall(b'x')
print(b.recv(100))
a.close(); b.close()

folder = tempfile.mkdtemp()
path = os.path.join(folder, 'seq.sock')
server = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
server.bind(path)
server.listen(1)
client = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
client.connect(path)
conn, address = server.accept()
print(conn.type == socket.SOCK_SEQPACKET, repr(address))
client.send(b'hello'); client.send(b'world')
print(conn.recv(100), conn.recv(100))
client.close()
print(conn.recv(100))
conn.close(); server.close()
os.unlink(path); os.rmdir(folder)
try:
    socket.socket(socket.AF_INET, socket.SOCK_SEQPACKET).close()
    print('AF_INET SOCK_SEQPACKET: made')
except OSError as e:
    print('AF_INET SOCK_SEQPACKET:', e.errno)
