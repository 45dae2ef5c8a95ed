"""Two threads wait in recv() on the same socket; each of two messages wakes one of them.

Python lets two threads block in the kernel on one socket: whichever the kernel wakes takes
the bytes. The main thread sends the second message only once the first has been taken, so
each reader gets one whole message, whichever it is.
"""
import socket
import threading
import time

with socket.create_server(('127.0.0.1', 0)) as listener:
    sender = socket.create_connection(listener.getsockname())
    receiver, _ = listener.accept()

got = []


def reader():
    got.append(receiver.recv(100))


readers = [threading.Thread(target=reader) for _ in range(2)]
for t in readers:
    t.start()
time.sleep(0.2)  # both readers are in recv() by now
sender.sendall(b'first')
while len(got) < 1:
    time.sleep(0.01)
sender.sendall(b'second')
for t in readers:
    t.join()
print(sorted(got))
sender.close()
receiver.close()
