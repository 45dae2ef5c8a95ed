# title: listen(backlog) and the accept queue
# The kernel completes TCP handshakes on its own and parks the finished connections in
# the listener's accept queue until the program calls accept(). The backlog you pass to
# listen() limits that queue; when it is full, new clients are left waiting.
# level: intermediate
# topics: listen, backlog, accept queue, SYN_SENT, settimeout, timeout, somaxconn
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
# The queue is full now. The kernel drops this client's SYN (the handshake's first
# segment), and the client's kernel keeps sending it again. Half a second is all it gets here.
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

# --- server ---
# The course gives listen() a limit of 5. That was the old BSD ceiling on the backlog.
# Linux takes any number and quietly uses at most net.core.somaxconn, read here from the
# kernel's own settings.
with open('/proc/sys/net/core/somaxconn') as setting:
    somaxconn = int(setting.read())
print('somaxconn:', somaxconn)
crowded = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
crowded.bind(('127.0.0.1', 0))
crowded.listen(5)
crowded_port = crowded.getsockname()[1]

# --- crowd ---
# Clients arrive one after another and nobody accepts. Each gets half a second.
waiting = []
# pause
# With listen(5), how many get in before one is left in SYN_SENT?
for n in range(10):
    client = socket.socket()
    client.settimeout(0.5)
    try:
        client.connect(('127.0.0.1', crowded_port))
    except socket.timeout:
        client.close()
        break
    waiting.append(client)
# backlog + 1, as with listen(1) above: six connections wait in the queue, and the
# seventh client's handshake never completes.
assert len(waiting) == 5 + 1
for client in waiting:
    client.close()
# The listener is closed here too: any thread may close a socket another one made. (Left
# to the server's own thread, it could close while the seventh client still waits, and
# reset the six connections in its queue before we saw them wait.)
crowded.close()
