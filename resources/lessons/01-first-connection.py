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
# The client asks the server's socket which port the kernel gave it. connect() starts
# TCP's handshake, three segments the two kernels exchange: a SYN from the client ("may
# I connect?"), a SYN-ACK back ("yes, and may I?"), an ACK ("yes"). Then both ends are
# ESTABLISHED: watch the chips on the wire and the state on each card.
client.connect(('localhost', server.getsockname()[1]))
client.sendall(b'hello')

# --- server ---
data = conn.recv(1024)
assert data == b'hello'
# close() sends a FIN: the segment that says "no more data from me". The server closed
# first, so the client's card turns CLOSE_WAIT: its kernel got the FIN and waits for
# this program to close its end too.
conn.close()
server.close()

# --- client ---
# The client closes as well. Its FIN ends the connection; the server's side, which closed
# first, lingers a while in TIME_WAIT (lesson 08 tells why).
client.close()
