# title: One server, several clients
# One listening socket serves many clients: each accept() takes the next connection from
# the queue and gives it a socket of its own. Real servers usually hand each new socket
# to a thread; here you can see every socket side by side.
# level: beginner
# topics: listen, accept, backlog, several clients
import socket

# --- server ---
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(('127.0.0.1', 0))
server.listen(5)
port = server.getsockname()[1]

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

# --- server ---
# Three connections wait in the queue. accept() takes them in the order they completed.
first, first_addr = server.accept()
second, second_addr = server.accept()
third, third_addr = server.accept()
assert first.recv(100) == b'alice'
assert second.recv(100) == b'bob'
assert third.recv(100) == b'carol'
# Each client got its own port from the kernel, so the three addresses differ.
assert first_addr != second_addr
first.sendall(b'hi alice')
second.sendall(b'hi bob')
third.sendall(b'hi carol')

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
first.close()
second.close()
third.close()
server.close()
