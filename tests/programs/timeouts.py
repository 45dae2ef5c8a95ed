# Waiting with a limit: settimeout() makes recv() raise socket.timeout when nothing
# comes; setblocking(False) makes it raise BlockingIOError at once; a selector waits for
# the data instead. The other end is a socketpair(), so there is no port at all.
import errno
import selectors
import socket
import threading

a, b = socket.socketpair()
a.settimeout(0.2)
print('timeout', a.gettimeout())
try:
    a.recv(16)
except socket.timeout as e:
    print('recv with nothing to read: socket.timeout, an OSError:', isinstance(e, OSError))

a.setblocking(False)
print('non-blocking timeout', a.gettimeout())
try:
    a.recv(16)
except BlockingIOError as e:
    print('recv with nothing to read: BlockingIOError', errno.errorcode[e.errno])

ready = threading.Event()


def late_writer():
    ready.wait()
    b.sendall(b'worth the wait')


writer = threading.Thread(target=late_writer)
writer.start()
with selectors.DefaultSelector() as selector:
    selector.register(a, selectors.EVENT_READ, data='a')
    print('ready before the write:', [key.data for key, _ in selector.select(timeout=0)])
    ready.set()
    events = selector.select(timeout=10)
    print('ready after the write:', [key.data for key, _ in events])
    print('read', a.recv(64))
writer.join()
b.close()
a.setblocking(True)
print('after the peer closed:', a.recv(16))
a.close()
