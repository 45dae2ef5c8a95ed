# title: Restarting a server: SO_REUSEADDR and TIME_WAIT
# When the server side closes a connection first, the kernel keeps that connection in
# TIME_WAIT for a minute, so that stray packets of the old connection die out. While it
# is there, a new server cannot bind the same port - unless the sockets say
# SO_REUSEADDR.
# level: intermediate
# topics: setsockopt, SO_REUSEADDR, TIME_WAIT, EADDRINUSE, close
import socket

# --- server ---
# The old server. It sets SO_REUSEADDR, as servers usually do.
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(('127.0.0.1', 0))
server.listen(1)
port = server.getsockname()[1]

# --- client ---
client = socket.socket()
client.connect(('127.0.0.1', port))

# --- server ---
conn, addr = server.accept()
# The server closes first: its kernel sends a FIN ("no more data from me"), and its side
# of the connection goes through FIN_WAIT on its way to TIME_WAIT. Look at the card after
# close(): the kernel keeps the connection even though the socket is gone.
conn.close()
server.close()

# --- client ---
# The client reads the end of the stream (b''), then closes too.
assert client.recv(100) == b''
client.close()

# --- restart ---
# A new server on the same port, without SO_REUSEADDR.
plain = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# pause
# The old connection still sits in TIME_WAIT on this port. Predict.
# expect: EADDRINUSE
plain.bind(('127.0.0.1', port))
plain.close()
# Now with SO_REUSEADDR, set before bind().
restarted = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
restarted.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
# The course says SO_REUSEADDR "releases the port immediately after close". More
# exactly: the old connection still exists, but bind() is allowed next to it. On Linux
# this works only if the old socket had SO_REUSEADDR set too - which is why it is set
# on every start.
restarted.bind(('127.0.0.1', port))
restarted.listen(1)
assert restarted.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) == 1
restarted.close()
