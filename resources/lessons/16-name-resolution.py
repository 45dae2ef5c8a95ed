# title: From names to addresses: getaddrinfo, gethostbyname, gethostbyaddr
# Programs talk about hosts by name; sockets need addresses. getaddrinfo() answers with
# every way to reach a host and port: 5-tuples of (family, type, proto, canonname,
# sockaddr), ready to hand to socket() and connect(). The older gethostbyname() and
# gethostbyaddr() go one way each.
# level: intermediate
# topics: getaddrinfo, gethostbyname, gethostbyaddr, gethostname, resolver
import socket

# --- you ---
# One entry per family and type the resolver knows for the name.
answers = socket.getaddrinfo('localhost', 80, socket.AF_INET, socket.SOCK_STREAM)
print(answers)
family, socktype, proto, canonname, sockaddr = answers[0]
assert family == socket.AF_INET
assert socktype == socket.SOCK_STREAM
assert proto == socket.IPPROTO_TCP
assert sockaddr == ('127.0.0.1', 80)
# canonname is the empty string: the resolver fills it in only when asked, with the flag
# AI_CANONNAME, and then only in the first entry (the host's canonical name).
assert canonname == ''
named = socket.getaddrinfo('localhost', 80, socket.AF_INET, socket.SOCK_STREAM, 0,
    socket.AI_CANONNAME)
print('canonical name:', named[0][3])
assert named[0][3] != ''
# The port may be None: the entries then carry port 0, for a program that only wants the
# addresses (or will bind and let the kernel choose).
assert socket.getaddrinfo('localhost', None, socket.AF_INET, socket.SOCK_STREAM)[0][4] == ('127.0.0.1', 0)
# Without a type you get stream, datagram and raw entries for the same address.
every = socket.getaddrinfo('127.0.0.1', 80)
print(len(every), 'entries')
# A service name works as the port: 'http' is 80 in /etc/services.
assert socket.getaddrinfo('127.0.0.1', 'http', socket.AF_INET, socket.SOCK_STREAM)[0][4] == ('127.0.0.1', 80)
# The entries are made to be used: create the socket they describe, and connect to it.
server = socket.socket(family, socktype, proto)
server.bind(('127.0.0.1', 0))
server.listen(1)
target = socket.getaddrinfo('localhost', server.getsockname()[1], socket.AF_INET, socket.SOCK_STREAM)[0]
client = socket.socket(target[0], target[1], target[2])
client.connect(target[4])
client.close()
server.close()
# pause
# The course swaps these two. Which one takes a name, and which an address?
address = socket.gethostbyname('localhost')
# gethostbyname() took a NAME and returned one IPv4 address, as a string.
assert address == '127.0.0.1'
# gethostbyaddr() takes an ADDRESS and returns the triple (hostname, aliases, addresses).
hostname, aliases, addresses = socket.gethostbyaddr('127.0.0.1')
print(hostname, aliases, addresses)
assert '127.0.0.1' in addresses
# gethostname() is this machine's own name.
print(socket.gethostname())
# AI_NUMERICHOST says "this is an address, do not look it up". A malformed one is refused
# on the spot, with socket.gaierror: no octet of an IPv4 address goes above 255.
# expect: EAI_NONAME
socket.getaddrinfo('300.1.2.3', 80, 0, 0, 0, socket.AI_NUMERICHOST)
# In a program: socket.gaierror (an OSError) carries the resolver's own code, not an errno.
try:
    socket.getaddrinfo('300.1.2.3', 80, 0, 0, 0, socket.AI_NUMERICHOST)
except socket.gaierror as error:
    assert error.errno == socket.EAI_NONAME
    print(error)
