# title: Address forms: IPv4 dotted and 32-bit, IPv6, and IPv4-mapped
# An IPv4 address is a 32-bit number: 127.0.0.1 is 0x7F000001. An IPv6 address has 128
# bits, written in hex groups: ::1 is IPv6's loopback. An IPv6 socket can reach an IPv4
# address through the mapped form ::ffff:127.0.0.1.
# level: intermediate
# topics: IPv4, IPv6, inet_aton, inet_pton, 32-bit form, mapped addresses, AF_INET6
import ipaddress
import socket

# --- you ---
# The dotted form is just four bytes.
packed = socket.inet_aton('127.0.0.1')
assert packed == b'\x7f\x00\x00\x01'
# The same four bytes as one 32-bit number, in hex: 0x7f000001.
assert hex(2130706433) == '0x7f000001'
# The 32-bit form works as a host where the C library's inet_aton() reads it: bind(),
# connect() and gethostbyname() all take it.
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(('0x7F000001', 0))
assert s.getsockname()[0] == '127.0.0.1'
s.close()
assert socket.gethostbyname('0x7F000001') == '127.0.0.1'
assert socket.inet_aton('0x7F000001') == packed
# Not everywhere: inet_pton() (and Python's ipaddress module) accept the dotted form only.
# expect: OSError
socket.inet_pton(socket.AF_INET, '0x7F000001')
try:
    ipaddress.ip_address('0x7F000001')
except ValueError as e:
    print('ipaddress:', e)
# IPv6: ::1 is short for 0000:0000:0000:0000:0000:0000:0000:0001.
assert socket.inet_pton(socket.AF_INET6, '::1') == b'\x00' * 15 + b'\x01'
# 127.0.0.1 inside IPv6, the course's example: 0000:0000:0000:0000:0000:ffff:7f00:0001.
mapped = socket.inet_pton(socket.AF_INET6, '::ffff:127.0.0.1')
assert mapped == socket.inet_pton(socket.AF_INET6, '0000:0000:0000:0000:0000:ffff:7f00:0001')
assert socket.inet_ntop(socket.AF_INET6, mapped) == '::ffff:127.0.0.1'

# --- server ---
# An IPv4 server.
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(('127.0.0.1', 0))
server.listen(1)

# --- client ---
# An IPv6 socket reaching it through the mapped address.
client = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
client.connect(('::ffff:127.0.0.1', server.getsockname()[1]))
# IPv6 addresses come as 4-tuples: host, port, flowinfo, scope id.
print(client.getsockname())

# --- server ---
conn, addr = server.accept()
# The server, being IPv4, sees an ordinary IPv4 client.
assert addr[0] == '127.0.0.1'
conn.close()
server.close()

# --- client ---
client.close()

# --- six ---
# A pure IPv6 pair on ::1.
six = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
six.bind(('::1', 0))
six.listen(1)
other = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
other.connect(('::1', six.getsockname()[1]))
peer, peer_addr = six.accept()
assert peer_addr[0] == '::1'
peer.close()
other.close()
six.close()
