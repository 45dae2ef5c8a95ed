# The UDP client: one datagram per word in a `for` loop, each answered before the next
# is sent (no connect(): every sendto() names the server).
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


server = ('127.0.0.1', wait_for_port())
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for word in ['alpha', 'bravo', 'charlie', 'delta', 'a datagram with spaces']:
    sent = sock.sendto(word.encode(), server)
    reply, addr = sock.recvfrom(1024)
    print('sent', sent, 'got', reply.decode(), 'from the server:', addr == server)
sock.close()
