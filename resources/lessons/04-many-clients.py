# title: One server, several clients
# One listening socket serves many clients: each accept() takes the next connection from
# the queue and gives it a socket of its own. As servers usually do, this one hands each
# new socket to a thread of its own and goes straight back to accept(): a thread per
# client, each on the server's host.
# level: beginner
# topics: listen, accept, backlog, several clients, a thread per client
import socket
import threading

# --- server ---
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(('127.0.0.1', 0))
# listen(5): up to five connections may wait in the queue, complete but not accepted yet.
server.listen(5)
port = server.getsockname()[1]


def handle(conn):
    # One client's whole conversation, in a thread of its own: the server's main loop is
    # back in accept() meanwhile.
    name = conn.recv(100)
    conn.sendall(b'hi ' + name)
    conn.close()


handlers = []
addresses = []
# A real server loops for ever (while True:). This one serves three clients, then stops.
# pause
for n in range(3):
    conn, addr = server.accept()
    addresses.append(addr)
    t = threading.Thread(target=handle, args=(conn,))
    t.start()
    handlers.append(t)

# --- alice ---
alice = socket.socket()
alice.connect(('127.0.0.1', port))
alice.sendall(b'alice')

# --- bob ---
bob = socket.socket()
bob.connect(('127.0.0.1', port))
bob.sendall(b'bob')

# --- carol ---
carol = socket.socket()
carol.connect(('127.0.0.1', port))
carol.sendall(b'carol')

# --- alice ---
assert alice.recv(100) == b'hi alice'
alice.close()

# --- bob ---
assert bob.recv(100) == b'hi bob'
bob.close()

# --- carol ---
assert carol.recv(100) == b'hi carol'
carol.close()

# --- server ---
# Wait for every client's thread to be done.
while handlers:
    handlers.pop().join()
# Each client got a port of its own from the kernel, so the three addresses differ.
assert len(set(addresses)) == 3
server.close()
