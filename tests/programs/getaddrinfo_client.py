# The Python documentation's echo client: try each address getaddrinfo() gives for
# 'localhost', `continue` past those that fail, and stop at the first that connects.
# First against a port where nobody listens (every address fails: "could not open
# socket"), then against the echo server, a thread of this program.
import socket
import sys
import threading

HOST = 'localhost'


def echo_server(listener):
    conn, _ = listener.accept()
    with conn:
        while True:
            data = conn.recv(1024)
            if not data:
                break
            conn.sendall(data)


def open_client(port):
    s = None
    for res in socket.getaddrinfo(HOST, port, socket.AF_UNSPEC, socket.SOCK_STREAM):
        af, socktype, proto, canonname, sa = res
        try:
            s = socket.socket(af, socktype, proto)
        except OSError as msg:
            s = None
            continue
        try:
            s.connect(sa)
        except OSError as msg:
            print('connect failed:', type(msg).__name__)
            s.close()
            s = None
            continue
        print('connected over', socket.AddressFamily(af).name)
        break
    return s


# A port that is bound (so that nobody else takes it) but never listens: refused.
deaf = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
deaf.bind(('127.0.0.1', 0))
s = open_client(deaf.getsockname()[1])
if s is None:
    print('could not open socket')
deaf.close()

# The same loop against a listener. getaddrinfo() with AI_PASSIVE chooses its address.
family, socktype, proto, _, address = socket.getaddrinfo(
    HOST, 0, socket.AF_INET, socket.SOCK_STREAM, 0, socket.AI_PASSIVE)[0]
listener = socket.socket(family, socktype, proto)
listener.bind(address)
listener.listen(1)
server = threading.Thread(target=echo_server, args=(listener,))
server.start()
s = open_client(listener.getsockname()[1])
if s is None:
    print('could not open socket')
    sys.exit(1)
with s:
    s.sendall(b'Hello, world')
    data = b''
    while len(data) < 12:
        chunk = s.recv(1024)
        if not chunk:
            break
        data += chunk
print('Received', repr(data))
server.join()
listener.close()
