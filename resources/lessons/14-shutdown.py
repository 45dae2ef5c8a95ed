# title: shutdown(): closing one direction at a time
# shutdown(1) says "I am done sending" while the socket stays open for reading: the peer
# reads b'' (end of data) but can still answer. shutdown(0) stops reading, shutdown(2)
# both. close() is different: it gives the socket up altogether.
# level: intermediate
# topics: shutdown, SHUT_RD, SHUT_WR, SHUT_RDWR, half-close, FIN_WAIT2, CLOSE_WAIT
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
client.sendall(b'question?')
# 1 is socket.SHUT_WR: no more sending from the client. Its kernel sends a FIN.
client.shutdown(socket.SHUT_WR)

# --- server ---
assert conn.recv(100) == b'question?'
# The client will send nothing more: recv() returns b''.
assert conn.recv(100) == b''
# pause
# The client shut down its sending side. Can the server still answer?
conn.sendall(b'answer!')

# --- client ---
# Yes: the other direction is still open. The client is in FIN_WAIT2, the server in
# CLOSE_WAIT: one half of the connection is closed, the other is not.
assert client.recv(100) == b'answer!'
# But the client itself may not send any more.
# expect: EPIPE
client.send(b'one more')

# --- server ---
# shutdown(0), SHUT_RD: the server stops reading. recv() returns at once, with nothing.
conn.shutdown(socket.SHUT_RD)
assert conn.recv(100) == b''
# shutdown(2), SHUT_RDWR: both directions. The client now reads the end of the stream.
conn.shutdown(socket.SHUT_RDWR)

# --- client ---
assert client.recv(100) == b''
client.close()

# --- server ---
# shutdown() did not free the socket; close() does.
conn.close()
server.close()
