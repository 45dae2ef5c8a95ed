# Two clients of select_server.py in one program, taking turns: each message waits for
# its answer before the next is sent, so the server sees both connections open at once.
import os
import socket
import time


def wait_for_port():
    path = os.environ['PORT_FILE']
    deadline = time.monotonic() + 10
    while True:
        try:
            with open(path) as f:
                return int(f.read())
        except FileNotFoundError:
            if time.monotonic() > deadline:
                raise SystemExit('the server wrote no port file within 10 s')
            time.sleep(0.01)


def ask(sock, text):
    sock.sendall(text.encode())
    answer = b''
    while len(answer) < len(text):
        data = sock.recv(1024)
        if not data:
            break
        answer += data
    return answer.decode()


address = ('127.0.0.1', wait_for_port())
first = socket.create_connection(address)
second = socket.create_connection(address)
for turn in range(3):
    print('first:', ask(first, 'one-%d' % turn))
    print('second:', ask(second, 'two-%d' % turn))
first.close()
print('second, after the first left:', ask(second, 'last'))
second.close()
