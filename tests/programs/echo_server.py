# An echo server in the style of the Python documentation: `with`, one connection, and
# `while True: data = conn.recv(1024); if not data: break`.
# Run with echo_client.py; the port goes through the file named by $PORT_FILE.
import os
import socket

HOST = '127.0.0.1'


def publish_port(port):
    # Written under another name and renamed, so that the client never reads half a file.
    path = os.environ['PORT_FILE']
    with open(path + '.tmp', 'w') as f:
        f.write(str(port))
    os.replace(path + '.tmp', path)


with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.bind((HOST, 0))
    s.listen()
    publish_port(s.getsockname()[1])
    conn, addr = s.accept()
    with conn:
        print('Connected by', addr[0])
        total = 0
        while True:
            data = conn.recv(1024)
            if not data:
                break
            conn.sendall(data)
            total += len(data)
    print('echoed', total, 'bytes')
    print('closed:', conn.fileno() == -1)
