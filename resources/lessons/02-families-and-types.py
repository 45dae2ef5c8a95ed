# title: Address families and socket types
# A socket is made for one address family (IPv4, IPv6, or a Unix path on this machine)
# and one type (a reliable byte stream, or separate datagrams). The two numbers you give
# socket() decide which protocol the kernel uses underneath.
# level: beginner
# topics: socket, AF_INET, AF_INET6, AF_UNIX, SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET
import socket

# --- you ---
# AF_INET with SOCK_STREAM: IPv4 and TCP. This is the pair you will use most.
tcp4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
assert tcp4.family == socket.AF_INET
assert tcp4.type == socket.SOCK_STREAM
# The constants are plain numbers underneath; Python gives them names.
print(int(socket.AF_INET), int(socket.SOCK_STREAM))
# SOCK_DGRAM on IPv4 is UDP: no connection, just datagrams.
udp4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# AF_INET6 speaks IPv6: 128-bit addresses such as ::1.
tcp6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
udp6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
# AF_UNIX sockets never leave this machine: their addresses are paths, and the data goes
# from process to process without the network stack.
local_stream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
local_dgram = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
# The course names three families and two types, the ones this course uses. The kernel
# has more. Python names every family this system knows (AF_PACKET for whole network
# frames, AF_NETLINK to talk to the kernel itself, AF_BLUETOOTH, ...): count them.
families = sorted(name for name in dir(socket) if name.startswith('AF_'))
print(len(families), 'families, among them', families[:6])
assert len(families) > 3
# More types too: SOCK_SEQPACKET, a connection that keeps message boundaries (Unix
# sockets use it), and SOCK_RAW, whole IP packets you build yourself (only the
# administrator may make one). Ask the resolver how to reach a port with no type given:
# its answers include a raw socket.
kinds = {answer[1] for answer in socket.getaddrinfo('127.0.0.1', 80)}
assert socket.SOCK_RAW in kinds
print(sorted(kind.name for kind in kinds))
# A SOCK_SEQPACKET pair, connected to each other from the start: socketpair().
left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
left.send(b'one')
left.send(b'two')
# pause
# Two sends. On a stream one recv(100) could take both, b'onetwo'. What does this one take?
first = right.recv(100)
# Only b'one': each message stays whole and separate, as datagrams do, on a connection.
assert first == b'one'
assert right.recv(100) == b'two'
left.close()
right.close()
# Without arguments you get the default: AF_INET and SOCK_STREAM.
default = socket.socket()
assert default.family == socket.AF_INET
# Each socket is a real file descriptor: a small number the kernel hands out.
print(tcp4.fileno(), udp4.fileno(), tcp6.fileno(), default.fileno())
tcp4.close()
udp4.close()
tcp6.close()
udp6.close()
local_stream.close()
local_dgram.close()
default.close()
# After close() the descriptor is gone: fileno() says -1.
assert tcp4.fileno() == -1
