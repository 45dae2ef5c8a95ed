# title: Your first TCP connection
# A server socket is created, bound to a port and put in listening mode; a client
# connects to it, and the two exchange a few bytes. Every call is the real one.
# level: beginner
# topics: socket, bind, listen, accept, connect, sendall, recv
import socket

# --- server ---
# A socket for IPv4 (AF_INET) and TCP (SOCK_STREAM).
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# Port 0 asks the kernel to pick a free port for you.
server.bind(('localhost', 0))
server.listen(1)
# pause
# accept() waits until a client connects. Nobody has yet: watch it block.
conn, addr = server.accept()

# --- client ---
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# The client asks the server's socket which port the kernel gave it.
client.connect(('localhost', server.getsockname()[1]))
client.sendall(b'hello')

# --- server ---
data = conn.recv(1024)
assert data == b'hello'
conn.close()
server.close()

# --- client ---
client.close()
