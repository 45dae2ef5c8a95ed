# title: Multicast: one datagram to every member of a group
# The course says UDP is used for multicasting. A multicast address names a group, not
# a host: every socket that joins the group receives a copy of each datagram sent to
# it, and the sender sends only once. Here the group lives on the loopback interface, so
# nothing leaves this machine.
# level: advanced
# topics: multicast, UDP, group address, IP_ADD_MEMBERSHIP, IP_MULTICAST_IF, SO_REUSEADDR
import socket

# Addresses 224.0.0.0 to 239.255.255.255 are groups. 239.x.x.x is kept for groups inside
# one organisation.
group = '239.1.2.3'
# The interface the group is joined on, and sent from: loopback.
loopback = socket.inet_aton('127.0.0.1')

# --- first ---
first = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# Several sockets will bind the same group and port: each sets SO_REUSEADDR first.
first.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
# Bound to the group's address, the socket receives only datagrams sent to the group.
first.bind((group, 0))
port = first.getsockname()[1]
# pause
# Joining: the option's value is 8 bytes, the group's address and then the interface's,
# as C's struct ip_mreq lays them out.
first.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(group) + loopback)

# --- second ---
second = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
second.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
second.bind((group, port))
second.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(group) + loopback)

# --- sender ---
sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# Which interface a group datagram leaves by: loopback, so it stays on this machine.
sender.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, loopback)
# A time to live of 1: no router would pass it on.
sender.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
# pause
# One sendto(), to the group. Predict: who receives it?
sender.sendto(b'hello, group', (group, port))

# --- first ---
data, source = first.recvfrom(100)
assert data == b'hello, group'

# --- second ---
# The same datagram, a copy for each member.
copy, source2 = second.recvfrom(100)
assert copy == b'hello, group'
assert source2 == source
# Leaving the group: the same 8 bytes, with IP_DROP_MEMBERSHIP.
second.setsockopt(socket.IPPROTO_IP, socket.IP_DROP_MEMBERSHIP, socket.inet_aton(group) + loopback)

# --- sender ---
sender.sendto(b'members only?', (group, port))

# --- first ---
assert first.recvfrom(100)[0] == b'members only?'

# --- second ---
# pause
# second has left the group. Does its recvfrom() get the datagram too?
again, source3 = second.recvfrom(100)
# It does, on Linux. Joining is done per interface: loopback is still a member, because
# first has not left, and Linux gives a group datagram to every socket bound to its
# address and port, joined or not (a socket option, IP_MULTICAST_ALL, is 1 by default).
assert again == b'members only?'
# Membership belongs to the interface; which sockets get a copy is decided by what they
# are bound to. Closing a socket leaves its groups.
second.close()

# --- first ---
first.close()

# --- sender ---
sender.close()
