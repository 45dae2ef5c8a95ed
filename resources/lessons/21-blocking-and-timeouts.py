# title: Blocking, non-blocking and timeouts
# A new socket blocks: recv() waits as long as it takes. settimeout(t) makes it wait t
# seconds at most, then raise socket.timeout. setblocking(False) makes it never wait: a
# call that would have to wait raises BlockingIOError (EAGAIN) at once.
# level: intermediate
# topics: settimeout, setblocking, timeout, EAGAIN, gettimeout
import errno
import socket

# --- listener ---
# A UDP socket that nobody will ever send to: the perfect place to wait in vain.
lonely = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
lonely.bind(('127.0.0.1', 0))
# None means blocking: no timeout at all.
assert lonely.gettimeout() is None
lonely.settimeout(0.2)
assert lonely.gettimeout() == 0.2
# pause
# Nothing will arrive. What happens after 0.2 seconds?
# expect: timeout
lonely.recvfrom(100)
# socket.timeout, an OSError. A program waits a little at a time and does something else
# in between, catching the timeout each round.
rounds = 0
while rounds < 3:
    try:
        data, sender = lonely.recvfrom(100)
        break
    except socket.timeout:
        rounds += 1
print('nothing after', rounds, 'rounds of 0.2 s')
# Non-blocking: the answer comes at once, without waiting.
lonely.setblocking(False)
assert lonely.gettimeout() == 0.0
# expect: EAGAIN
lonely.recvfrom(100)
# EAGAIN is BlockingIOError, an OSError too: "nothing yet, try again later".
try:
    lonely.recvfrom(100)
except BlockingIOError as error:
    assert error.errno == errno.EAGAIN
lonely.close()

# --- server ---
server = socket.socket()
server.bind(('127.0.0.1', 0))
server.listen(1)
# accept() on a non-blocking listener with nobody waiting: EAGAIN again.
server.setblocking(False)
# expect: EAGAIN
server.accept()
server.setblocking(True)

# --- client ---
client = socket.socket()
client.connect(('127.0.0.1', server.getsockname()[1]))
client.sendall(b'now there is data')

# --- server ---
conn, addr = server.accept()
# A timeout does not slow a call that can go on: the data is there, recv() returns it.
conn.settimeout(2.0)
assert conn.recv(100) == b'now there is data'
# Back to blocking.
conn.settimeout(None)
assert conn.gettimeout() is None
conn.close()
server.close()

# --- client ---
client.close()
