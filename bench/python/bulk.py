# 256 MiB through a loopback TCP connection between two threads of one program: sendall()
# of 1 MiB chunks on one side, recv(1 MiB) until the end of the stream on the other.
# Prints the total received; bench/real_python_bench.py times the whole run.
import socket
import threading

CHUNK = 1 << 20
TOTAL = 256 * CHUNK

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(('127.0.0.1', 0))
listener.listen(1)
received = 0


def sink():
    global received
    conn, _ = listener.accept()
    with conn:
        while True:
            data = conn.recv(CHUNK)
            if not data:
                break
            received += len(data)


reader = threading.Thread(target=sink)
reader.start()
chunk = b'\xa5' * CHUNK
with socket.create_connection(listener.getsockname()) as client:
    for _ in range(TOTAL // CHUNK):
        client.sendall(chunk)
reader.join()
listener.close()
print(received, 'bytes')
