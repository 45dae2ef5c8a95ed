# title: connect(), connect_ex() and a refused connection
# connect() raises an exception when it fails; connect_ex() returns the error number
# instead (0 means connected). When nothing listens on the port, the kernel on the other
# side answers the SYN (the first segment of TCP's handshake: "may I connect?") with a
# reset (RST: "no such connection here"), and you get ECONNREFUSED.
# level: beginner
# topics: connect, connect_ex, ECONNREFUSED, errno
import errno
import socket

# --- you ---
# Reserve a port that nobody listens on: bind without listen().
placeholder = socket.socket()
placeholder.bind(('127.0.0.1', 0))
port = placeholder.getsockname()[1]
client = socket.socket()
# pause
# A port with no listener. What happens?
# expect: ECONNREFUSED
client.connect(('127.0.0.1', port))
client.close()
# A program handles the refusal with try/except: the exception carries the errno.
retry = socket.socket()
try:
    retry.connect(('127.0.0.1', port))
except OSError as e:
    print('refused:', e.errno == errno.ECONNREFUSED, type(e).__name__)
finally:
    retry.close()
# connect_ex() does not raise for a failed connection: it returns the errno (111 is
# ECONNREFUSED on Linux; errno.ECONNREFUSED says it on any system).
quiet = socket.socket()
result = quiet.connect_ex(('127.0.0.1', port))
assert result == errno.ECONNREFUSED
# Only the connection attempt's error comes back as a number. An argument Python cannot
# use still raises, before any connection is tried.
# expect: OverflowError
quiet.connect_ex(('127.0.0.1', 70000))
# expect: TypeError
quiet.connect_ex('127.0.0.1')
quiet.close()
# Now make the placeholder listen, and try again.
placeholder.listen(1)
lucky = socket.socket()
assert lucky.connect_ex(('127.0.0.1', port)) == 0
conn, addr = placeholder.accept()
conn.close()
lucky.close()
placeholder.close()
