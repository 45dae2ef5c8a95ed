# title: send() returns a count; sendall() sends it all
# send() hands bytes to the kernel and returns how many it took, which can be fewer than
# you gave it. sendall() keeps calling send() until every byte is taken (or an error
# happens). Both only hand the bytes to the kernel: arriving is another matter.
# level: intermediate
# topics: send, sendall, setblocking, EAGAIN, send queue, MSG_WAITALL
import socket

# --- server ---
server = socket.socket()
server.bind(('127.0.0.1', 0))
server.listen(1)

# --- client ---
client = socket.socket()
client.connect(('127.0.0.1', server.getsockname()[1]))

# --- server ---
conn, addr = server.accept()

# --- client ---
# A small message fits at once: send() returns its full length.
count = client.send(b'hello')
assert count == 5
# Now a non-blocking socket and 16 MiB at once. The server does not read, so the kernel
# takes only what fits in its buffers: the sender's send queue and the receiver's receive
# queue, a few MiB on loopback. That number is the kernel's own answer.
client.setblocking(False)
# pause
# How many of the 16777216 bytes will send() take?
big = client.send(b'x' * 16777216)
print('send() took', big, 'bytes of 16777216')
assert big < 16777216
# The buffers are full now. A blocking sendall() of 1000000 more bytes has to wait until
# the server reads and makes room: a moment later the kernel may find room for a little
# more, but not for a million bytes. It runs in the background, so that you can watch the
# client block in sendall() while the server reads.
client.setblocking(True)
# background
client.sendall(b'y' * 1000000)

# --- server ---
# Reading makes room, and the blocked sendall() goes on. The server wants every byte the
# client sent: the 5 of hello, what send() took, and the 1000000.
# A loop of recv() calls would get them in pieces whose sizes depend on timing. The flag
# MSG_WAITALL asks one recv() to wait until it has all it asked for (or the end comes).
data = conn.recv(5 + big + 1000000, socket.MSG_WAITALL)
assert len(data) == 5 + big + 1000000
print('the server read', len(data), 'bytes')

# --- client ---
client.close()

# --- server ---
conn.close()
server.close()
