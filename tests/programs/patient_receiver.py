# The course's patient receiver, in Python 3: for each connection, recv() until the
# sender's shutdown() arrives as b'' (the `while block:` loop), answer with the number of
# bytes received, close, and wait for the next connection. An empty transfer means the
# sender is done. Run with determined_sender.py ($PORT_FILE carries the port).
import hashlib
import os
import socket


def publish_port(port):
    path = os.environ['PORT_FILE']
    with open(path + '.tmp', 'w') as f:
        f.write(str(port))
    os.replace(path + '.tmp', path)


def handle_new_stuff(buffer):
    print('received', len(buffer), 'bytes, sha256', hashlib.sha256(buffer).hexdigest()[:16])


ss = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
ss.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ss.bind(('127.0.0.1', 0))
ss.listen(1)
publish_port(ss.getsockname()[1])
while True:
    new, addr = ss.accept()
    buffer = b''
    block = b'x'
    while block:
        block = new.recv(1024)
        buffer += block
    # -- end of data
    new.send(str(len(buffer)).encode())
    new.close()
    if not buffer:
        break
    handle_new_stuff(buffer)
ss.close()
print('receiver done')
