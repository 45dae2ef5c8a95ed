# title: One tuple, and listen() before accept()
# Two mistakes the course warns about, made on purpose. bind() takes one argument, a
# tuple: forget the double parentheses and Python refuses before the kernel is asked.
# accept() works only on a socket that listens: call it too early and the kernel refuses.
# A program catches such errors with try/except, and reads the errno the kernel gave.
# level: beginner
# topics: bind, tuple, TypeError, listen, accept, EINVAL, errno, try/except
import errno
import socket

# --- server ---
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# pause
# The course writes bind((hostname, port)) with double parentheses: the inner pair makes
# the two values one tuple. What if you write only one pair?
# expect: TypeError
server.bind('127.0.0.1', 0)
# Python refused the call itself, before any system call: bind() takes exactly one
# argument, and got two. The socket is still unbound, at port 0 of no address.
assert server.getsockname() == ('0.0.0.0', 0)
# With the inner parentheses, the address is one tuple and the kernel binds it.
server.bind(('127.0.0.1', 0))
# pause
# The socket is bound, but nobody called listen(). The course says bind() and listen()
# come before accept(). What does accept() say without listen()?
# expect: EINVAL
conn, addr = server.accept()
# The kernel's own answer: EINVAL, "Invalid argument". Only a listening socket has a
# queue of connections to accept from, so accept() has nothing to wait for.
# A program does not stop at such an error: it catches the OSError and reads its errno.
try:
    conn, addr = server.accept()
except OSError as error:
    problem = error
# errno holds the kernel's number; the errno module names it.
assert problem.errno == errno.EINVAL
print(errno.errorcode[problem.errno], problem.strerror)
# Now in the course's order: listen(), and then accept() waits for a client.
server.listen(1)
port = server.getsockname()[1]
conn, addr = server.accept()

# --- client ---
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(('127.0.0.1', port))
client.sendall(b'in the right order')

# --- server ---
assert conn.recv(100) == b'in the right order'
conn.close()
server.close()

# --- client ---
client.close()
