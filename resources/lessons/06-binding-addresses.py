# title: Where a server listens: '', localhost, or the host name
# bind() takes a host and a port. The host says which of the machine's addresses the
# socket answers on: '' means every address, 'localhost' only the loopback one, which
# nothing outside this machine can reach, and the host name whatever address it
# resolves to.
# level: beginner
# topics: bind, INADDR_ANY, localhost, gethostname, getsockname
import socket

# --- you ---
# '' is the wildcard address 0.0.0.0: "any interface". A server bound there can be
# reached from other machines too, which is why the workbench itself stays on
# loopback unless you choose otherwise.
anywhere = socket.socket()
anywhere.bind(('', 0))
assert anywhere.getsockname()[0] == '0.0.0.0'
# 'localhost' is a name; the resolver turns it into 127.0.0.1, the loopback address.
local = socket.socket()
local.bind(('localhost', 0))
assert local.getsockname()[0] == '127.0.0.1'
# The machine's own name resolves to one of its addresses.
name = socket.gethostname()
by_name = socket.socket()
by_name.bind((name, 0))
print(name, 'is', by_name.getsockname()[0])
# The course's hostname can also be written as an address: these two are the same.
numeric = socket.socket()
numeric.bind(('127.0.0.1', 0))
anywhere.close()
local.close()
by_name.close()
numeric.close()
