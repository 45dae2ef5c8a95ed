# title: send() returns a count; sendall() sends it all
# send() hands bytes to the kernel and returns how many it took, which can be fewer than
# you gave it. sendall() keeps calling send() until every byte is taken (or an error
# happens). Both only hand the bytes to the kernel: arriving is another matter.
# level: intermediate
# topics: send, sendall, setblocking, EAGAIN, send queue
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
# Now a non-blocking socket and 64 MiB at once. The server does not read, so the kernel
# takes only what fits in its buffers.
client.setblocking(False)
# pause
# How many of the 67108864 bytes will send() take?
big = client.send(b'x' * 67108864)
print('send() took', big, 'bytes of 67108864')
assert big < 67108864

# --- server ---
# Read what has arrived so far, to make room.
first = conn.recv(65536)
assert first[:5] == b'hello'

# --- client ---
# sendall() on a blocking socket waits for room as often as it must.
client.setblocking(True)
client.sendall(b'y' * 100000)
client.close()

# --- server ---
conn.close()
server.close()
