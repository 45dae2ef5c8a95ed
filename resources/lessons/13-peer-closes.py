# title: A zero-length read means the other side closed
# recv() blocks until data arrives - or until the other side closes the connection. Then
# it returns b'', an empty bytes object, and it does so every time after. Every program
# that reads a stream loops on recv() until that empty result: this is how it notices
# that the peer has gone, and the only way it knows it has everything.
# level: beginner
# topics: recv, close, end of stream, recv loop, FIN, CLOSE_WAIT
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
# The loop every reader of a stream writes: recv() again and again, until it returns b''.
# Nothing has arrived yet, so the first recv() blocks.
received = b''
while True:
    data = conn.recv(1024)
    if not data:
        break
    received += data

# --- client ---
client.sendall(b'last words')
# pause
# The client closes. Its kernel sends a FIN after the data: the TCP segment that says "no
# more data from me". Predict: how many times does the server's loop go round?
client.close()

# --- server ---
print('received', received)
# recv() on a stream gives b'' only at the end, so `if not data:` and `len(data) == 0` ask
# the same thing: both are true for b'' and false for any data at all.
assert (not data) == (len(data) == 0)
# The end stays the end: every recv() after it returns b'' at once.
again = conn.recv(1024)
assert again == b''
# Until this close() the kernel holds this end in CLOSE_WAIT: the client's FIN arrived,
# and the kernel waits for this program to close its end too.
conn.close()
server.close()
