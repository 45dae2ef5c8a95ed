# 10,000 rounds of a 1-byte ping-pong between two threads of one program over a loopback
# TCP connection: each side waits for the other's byte before it sends its own. Prints
# "done" and nothing about time: bench/real_python_bench.py times the whole run.
import socket
import threading

ROUNDS = 10_000

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(('127.0.0.1', 0))
listener.listen(1)


def echo():
    conn, _ = listener.accept()
    with conn:
        for _ in range(ROUNDS):
            conn.sendall(conn.recv(1))


server = threading.Thread(target=echo)
server.start()
client = socket.create_connection(listener.getsockname())
# Without Nagle's algorithm each byte leaves at once (as it would in the course's
# request/answer exchanges, which wait for each answer).
client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
for _ in range(ROUNDS):
    client.sendall(b'x')
    if client.recv(1) != b'x':
        raise SystemExit('the echo was not the ping')
client.close()
server.join()
listener.close()
print('done')
