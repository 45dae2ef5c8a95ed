# A thread-per-client server: the main thread accepts, and each accepted connection gets
# a threading.Thread of its own that reads the client's name to the end of its stream and
# greets it. Three clients (thread_clients.py) are served at the same time.
import os
import socket
import threading

CLIENTS = 3
results = []
results_lock = threading.Lock()


def publish_port(port):
    path = os.environ['PORT_FILE']
    with open(path + '.tmp', 'w') as f:
        f.write(str(port))
    os.replace(path + '.tmp', path)


def handle(conn):
    with conn:
        name = b''
        while True:
            data = conn.recv(1024)
            if not data:
                break
            name += data
        conn.sendall(b'hello, ' + name)
    with results_lock:
        results.append(name.decode())


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(('127.0.0.1', 0))
server.listen(5)
publish_port(server.getsockname()[1])
threads = []
for _ in range(CLIENTS):
    conn, addr = server.accept()
    t = threading.Thread(target=handle, args=(conn,))
    t.start()
    threads.append(t)
for t in threads:
    t.join()
server.close()
# The clients run at the same time, so the order they were served in is not fixed.
print('served', len(results), 'clients:', ', '.join(sorted(results)))
