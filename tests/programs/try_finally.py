# A tutorial client that closes its socket in `finally`, whatever happens: once after a
# normal exchange, once after connect() is refused, and once after the server hangs up in
# the middle. The server is a thread of the same program.
import errno
import socket
import threading

HOST = '127.0.0.1'

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind((HOST, 0))
listener.listen(1)
PORT = listener.getsockname()[1]

# Bound but never listening: a connect() to it is refused, always.
deaf = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
deaf.bind((HOST, 0))
DEAF_PORT = deaf.getsockname()[1]


def serve():
    # First client: answer its question. Second client: hang up without a word (it asks
    # nothing, so the hang-up is a plain end of stream, never a reset).
    conn, _ = listener.accept()
    question = conn.recv(1024)
    conn.sendall(b'answer to ' + question)
    conn.close()
    conn, _ = listener.accept()
    conn.close()


server = threading.Thread(target=serve)
server.start()


def ask(port, question):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.connect((HOST, port))
        if question:
            sock.sendall(question)
        reply = sock.recv(1024)
        if not reply:
            raise ConnectionError('the server closed the connection')
        return reply
    finally:
        sock.close()
        print('finally: closed', sock.fileno() == -1)


print('reply:', ask(PORT, b'life'))
try:
    ask(DEAF_PORT, b'anyone?')
except OSError as e:
    print('refused:', type(e).__name__, errno.errorcode[e.errno])
try:
    ask(PORT, None)  # only listen: the server hangs up
except ConnectionError as e:
    print('error:', type(e).__name__, e)

server.join()
listener.close()
deaf.close()
print('done')
