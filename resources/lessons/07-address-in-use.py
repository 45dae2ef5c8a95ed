# title: Binding a port twice: EADDRINUSE
# Two sockets cannot listen on the same address and port: the second bind() fails with
# EADDRINUSE, and Python raises OSError. Each address-and-port pair has one owner.
# level: beginner
# topics: bind, EADDRINUSE, getsockname
import socket

# --- first ---
first = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
first.bind(('127.0.0.1', 0))
first.listen(1)
port = first.getsockname()[1]

# --- second ---
second = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# pause
# The same address and port as first. What does the kernel say?
# expect: EADDRINUSE
second.bind(('127.0.0.1', port))
# The socket is still usable: bind it somewhere else.
second.bind(('127.0.0.1', 0))
assert second.getsockname()[1] != port
second.close()

# --- first ---
first.close()

# --- second ---
# Once the first socket is closed (and nothing else holds the port), the port is free.
again = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
again.bind(('127.0.0.1', port))
again.close()
