# title: shutdown(): closing one direction at a time
# shutdown(1) says "I am done sending" while the socket stays open for reading: the peer
# reads b'' (end of data) but can still answer. shutdown(2) closes both directions.
# shutdown(0) says "I read no more" - and on Linux does less than its name promises.
# close() is different: it gives the socket up altogether.
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
# shutdown(2), SHUT_RDWR: both directions. The client now reads the end of the stream.
conn.shutdown(socket.SHUT_RDWR)

# --- client ---
assert client.recv(100) == b''
client.close()
# shutdown(0), SHUT_RD, needs a connection whose peer has shut nothing down: a second one.
other = socket.socket()
other.connect(('127.0.0.1', server.getsockname()[1]))

# --- server ---
reader, _ = server.accept()
# SHUT_RD: "this side reads no more". The client has closed nothing, yet recv() returns b''
# at once instead of waiting: on Linux, that is what SHUT_RD does to a read with nothing
# queued.
reader.shutdown(socket.SHUT_RD)
assert reader.recv(100) == b''

# --- client ---
# Nothing tells the client that the server stopped reading: it may still send.
other.sendall(b'are you there?')

# --- server ---
# pause
# These bytes came after SHUT_RD. Predict: are they thrown away? On Linux they are not:
# they queue up, and recv() still returns them. SHUT_RD stops the waiting, not the data,
# so a program cannot use it to refuse what its peer sends.
late = reader.recv(100)
assert late == b'are you there?'
reader.close()

# --- client ---
other.close()

# --- server ---
# shutdown() did not free the first socket; close() does.
conn.close()
server.close()
