# The echo server's client: sends three messages, reads each echo back in full, and
# closes, which ends the server's loop.
import os
import socket
import time

HOST = '127.0.0.1'
MESSAGES = [b'Hello, world', b'a second message', b'x' * 3000]


def wait_for_port():
    # The server writes its port to $PORT_FILE once it listens; look every 10 ms for 10 s.
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


PORT = wait_for_port()
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.connect((HOST, PORT))
    for message in MESSAGES:
        s.sendall(message)
        # TCP is a stream: the echo may come back in more than one piece.
        data = b''
        while len(data) < len(message):
            chunk = s.recv(1024)
            if not chunk:
                break
            data += chunk
        if len(message) > 40:
            print('Received', len(data), 'bytes, same as sent:', data == message)
        else:
            print('Received', repr(data))
print('client done')
