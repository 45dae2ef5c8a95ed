# socket.create_connection(): address lookup, socket() and connect() in one call, with a
# timeout; and what it raises when nobody listens at the port.
import errno
import socket
import threading

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(('127.0.0.1', 0))
listener.listen(1)
port = listener.getsockname()[1]


def server():
    conn, _ = listener.accept()
    with conn:
        request = b''
        while not request.endswith(b'\n'):
            data = conn.recv(1024)
            if not data:
                break
            request += data
        conn.sendall(b'you said: ' + request)


t = threading.Thread(target=server)
t.start()
with socket.create_connection(('127.0.0.1', port), timeout=10) as sock:
    print('family', sock.family.name, 'type', sock.type.name)
    print('timeout', sock.gettimeout())
    print('connected to the listener:', sock.getpeername() == listener.getsockname())
    sock.sendall(b'hi there\n')
    answer = b''
    while True:
        data = sock.recv(1024)
        if not data:
            break
        answer += data
    print('answer', repr(answer))
t.join()

# A port that is bound but not listening: the connection is refused.
deaf = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
deaf.bind(('127.0.0.1', 0))
try:
    socket.create_connection(deaf.getsockname(), timeout=10)
    print('connected?')
except OSError as e:
    print('refused:', type(e).__name__, errno.errorcode[e.errno])
deaf.close()
listener.close()
