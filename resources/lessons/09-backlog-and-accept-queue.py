# title: listen(backlog) and the accept queue
# The kernel completes TCP handshakes on its own and parks the finished connections in
# the listener's accept queue until the program calls accept(). The backlog you pass to
# listen() limits that queue; when it is full, new clients are left waiting.
# level: intermediate
# topics: listen, backlog, accept queue, SYN_SENT, settimeout, timeout
import socket

# --- server ---
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(('127.0.0.1', 0))
# A backlog of 1: a very small queue. (The course suggests 1 for exercises and a few
# more for a real server; Linux keeps up to backlog + 1 connections waiting.)
server.listen(1)
port = server.getsockname()[1]

# --- first ---
first = socket.socket()
# Nobody calls accept(), yet connect() succeeds: the handshake is the kernel's job.
first.connect(('127.0.0.1', port))

# --- second ---
second = socket.socket()
second.connect(('127.0.0.1', port))

# --- third ---
third = socket.socket()
# The queue is full now. The kernel drops this client's SYN, and the client keeps
# retrying. Half a second is all it gets here.
third.settimeout(0.5)
# pause
# Will the third client get in? Watch its TCP state: SYN_SENT.
# expect: timeout
third.connect(('127.0.0.1', port))
third.close()

# --- server ---
# Each accept() takes one connection from the queue, and the queue shrinks.
conn1, addr1 = server.accept()
conn2, addr2 = server.accept()
assert addr1 == first.getsockname()
assert addr2 == second.getsockname()
conn1.close()
conn2.close()
server.close()

# --- first ---
first.close()

# --- second ---
second.close()
