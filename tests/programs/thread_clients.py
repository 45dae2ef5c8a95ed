# Three clients of thread_server.py, each in a thread of its own, all connected at once:
# each sends its name, shuts down its sending side and reads the greeting to the end.
import os
import socket
import threading
import time

NAMES = ['ada', 'grace', 'linus']
replies = {}


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


def client(name):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect(('127.0.0.1', PORT))
        s.sendall(name.encode())
        s.shutdown(socket.SHUT_WR)
        reply = b''
        while True:
            data = s.recv(1024)
            if not data:
                break
            reply += data
    replies[name] = reply.decode()


PORT = wait_for_port()
threads = []
for name in NAMES:
    t = threading.Thread(target=client, args=(name,))
    t.start()
    threads.append(t)
for t in threads:
    t.join()
for name in NAMES:
    print(name, 'got', repr(replies[name]))
