# title: UDP: datagrams, no connection
# A UDP socket needs no listen(), no accept(), no connect(): sendto() sends one datagram
# to an address, and recvfrom() receives one, with the sender's address. Each datagram
# arrives whole or not at all, and two datagrams never merge - unlike TCP's stream.
# level: beginner
# topics: SOCK_DGRAM, sendto, recvfrom, message boundaries, UDP
import socket

# --- server ---
server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.bind(('127.0.0.1', 0))
port = server.getsockname()[1]

# --- client ---
client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# No handshake: the very first call that does anything is the send.
client.sendto(b'hello', ('127.0.0.1', port))
client.sendto(b'world', ('127.0.0.1', port))

# --- server ---
# pause
# Two datagrams of 5 bytes wait, and there is room for 1024. Does recvfrom(1024) return
# one or both? It returns a pair: what is its second part?
data, sender = server.recvfrom(1024)
assert data == b'hello'
# The kernel gave the client a port when it first sent; the datagram carries it. (The
# client's own getsockname() says 0.0.0.0: it was never bound to one address.)
assert sender[1] == client.getsockname()[1]
data, sender = server.recvfrom(1024)
assert data == b'world'
# The server answers to the address the datagram came from.
server.sendto(b'got it', sender)

# --- client ---
reply, where = client.recvfrom(1024)
assert reply == b'got it'
# A datagram larger than the read: the rest of it is lost, not kept for later.
client.sendto(b'0123456789', ('127.0.0.1', port))
client.sendto(b'next', ('127.0.0.1', port))

# --- server ---
assert server.recv(4) == b'0123'
assert server.recv(1024) == b'next'
server.close()

# --- client ---
# Nobody listens on the port any more. An unconnected socket's sendto() still "succeeds":
# the kernel sends the datagram, and the ICMP "port unreachable" that comes back has no
# connected socket to tell.
client.sendto(b'anyone there?', ('127.0.0.1', port))
client.close()
# A connected UDP socket does hear it: connect() gives it one peer, and the kernel reports
# that peer's ICMP error at the next call on the socket.
asker = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
asker.connect(('127.0.0.1', port))
asker.send(b'anyone there?')
asker.settimeout(1)
# pause
# The datagram went nowhere. What does the next recv() say?
# expect: ECONNREFUSED
asker.recv(100)
asker.close()
