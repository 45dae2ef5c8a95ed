# title: select(): several clients, one thread
# A thread per client is one way to serve many (lesson 04). select() is the other: one
# thread hands the kernel a list of sockets and waits until at least one of them is
# ready. A listening socket is ready when a connection waits to be accepted; a connected
# one when recv() would return at once, with data or with b'' for the end.
# level: intermediate
# topics: select, readiness, one thread, several clients, accept, recv, b''
import select
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

# --- server ---
# The sockets to watch: the listener first; each accepted client joins the list.
watching = [server]
finished = 0
# pause
# One loop serves everyone. Each pass asks select() which sockets are ready, then handles
# only those, so no call in the loop ever waits.
while finished < 2:
    # Three lists: sockets to read, to write, and for exceptional conditions. select()
    # returns the ready ones of each, waiting until there is at least one.
    readable, writable, exceptional = select.select(watching, [], [])
    for sock in readable:
        if sock is server:
            # A connection waits in the queue, so accept() returns at once.
            conn, addr = server.accept()
            watching.append(conn)
        else:
            data = sock.recv(100)
            if data:
                sock.sendall(b'hi ' + data)
            else:
                # b'': this client has closed. Stop watching it.
                watching.remove(sock)
                sock.close()
                finished += 1

# --- alice ---
assert alice.recv(100) == b'hi alice'
# Closing makes alice's connection readable on the server's side: its recv() returns b''.
alice.close()

# --- bob ---
assert bob.recv(100) == b'hi bob'
bob.close()

# --- server ---
# Both clients came and went, served by one thread that never waited on any one of them.
server.close()
