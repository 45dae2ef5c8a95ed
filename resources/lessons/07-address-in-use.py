# title: Binding a port twice: EADDRINUSE
# Two sockets cannot listen on the same address and port: the second bind() fails with
# EADDRINUSE, and Python raises OSError. Each address-and-port pair has one owner - with
# one exception on Linux, shown at the end: two sockets that both set SO_REUSEADDR may bind
# the same pair while neither listens, and then only one of them can listen().
# level: beginner
# topics: bind, EADDRINUSE, getsockname, SO_REUSEADDR
import errno
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
# A server that must not stop there catches the error and decides: here, it takes any
# free port instead. OSError carries the kernel's errno; errno.EADDRINUSE names it.
try:
    second.bind(('127.0.0.1', port))
except OSError as error:
    if error.errno != errno.EADDRINUSE:
        raise
    print('port', port, 'is taken:', error.strerror)
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

# --- first ---
# The exception. Both sockets set SO_REUSEADDR before bind(), and neither listens yet.
shared_a = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
shared_a.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
shared_a.bind(('127.0.0.1', 0))
shared_port = shared_a.getsockname()[1]

# --- second ---
shared_b = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
shared_b.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
# pause
# The same address and port again, with SO_REUSEADDR on both and nobody listening. Predict.
shared_b.bind(('127.0.0.1', shared_port))

# --- first ---
shared_a.listen(1)

# --- second ---
# Only one of them may listen: the refusal comes at listen() now.
# expect: EADDRINUSE
shared_b.listen(1)
shared_b.close()

# --- first ---
shared_a.close()
