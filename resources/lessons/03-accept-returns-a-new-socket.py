# title: accept() returns a new socket
# The listening socket never talks to a client. Each accept() hands you a brand-new
# socket for one connection, together with the client's address; the listener goes on
# listening for the next one.
# level: beginner
# topics: listen, accept, getpeername, getsockname
import socket

# --- server ---
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(('127.0.0.1', 0))
server.listen(5)
port = server.getsockname()[1]

# --- client ---
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# The kernel finishes the handshake on its own, before the server calls accept(): the
# connection waits in the listener's accept queue. Watch the queue on the server's card.
client.connect(('127.0.0.1', port))

# --- server ---
# pause
# Will accept() block this time? Predict, then step.
conn, addr = server.accept()
# conn is a new socket. addr is the client's address: its IP and the port the kernel
# picked for it when it connected.
assert addr == client.getsockname()
assert conn.getpeername() == client.getsockname()
# Both sockets share the server's port. A connection is told apart by both ends.
assert conn.getsockname() == server.getsockname()
assert conn.fileno() != server.fileno()

# --- client ---
client.sendall(b'which socket reads this?')

# --- server ---
# Data arrives on the connection's socket, never on the listener.
data = conn.recv(1024)
assert data == b'which socket reads this?'
conn.close()

# --- client ---
client.close()

# --- server ---
server.close()
