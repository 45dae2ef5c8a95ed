# title: A zero-length read means the other side closed
# recv() blocks until data arrives - or until the other side closes the connection. Then
# it returns b'', an empty bytes object, and it does so every time after. Testing for an
# empty result is how a program notices the peer has gone.
# level: beginner
# topics: recv, close, end of stream, CLOSE_WAIT
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
# Nothing has arrived yet: this recv() blocks.
first = conn.recv(1024)

# --- client ---
client.sendall(b'last words')
# The client closes. Its kernel sends a FIN after the data.
client.close()

# --- server ---
assert first == b'last words'
# pause
# The client has closed. What does the next recv() return - and does it block?
after = conn.recv(1024)
assert after == b''
assert len(after) == 0
# The connection is half-gone: the server's side is in CLOSE_WAIT until it closes too.
again = conn.recv(1024)
assert again == b''
conn.close()
server.close()
