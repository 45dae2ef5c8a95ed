# title: The determined sender and the patient receiver
# The sender sends its data in 1024-byte blocks, then shuts down its sending side. The
# receiver reads until recv() returns b'', and answers with the number of bytes it got. If
# the numbers differ, the sender connects and sends everything again. These are the
# course's two programs in Python 3, loops and all. The first attempt keeps the course's
# sending loop as it is written, so you can watch the retry loop do its job.
# level: intermediate
# topics: send, shutdown, half-close, recv loop, byte count, retry
import socket

# --- receiver ---
ss = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# The course binds ('', 4000). Port 0 and loopback keep this lesson out of anyone's way.
ss.bind(('127.0.0.1', 0))
ss.listen(1)
port = ss.getsockname()[1]
# A real receiver waits for senders for ever. This one stops once no sender has come for
# three seconds, so that the lesson ends.
ss.settimeout(3)
while True:
    try:
        new, addr = ss.accept()
    except socket.timeout:
        break
    # The patient receiver: block after block until recv() returns b'', the sender's
    # shutdown. How many blocks that takes is the network's business: on loopback 1024
    # bytes at a time, elsewhere any size at all. Only the empty block says "the end".
    everything = b''
    block = b'x'
    while block:
        block = new.recv(1024)
        everything += block
    # -- end of data. The course answers with new.send(len(buffer)). That is a TypeError
    # in Python 2 and 3 alike: send() takes bytes (a str in Python 2), never a number.
    try:
        new.send(len(everything))
    except TypeError as e:
        print('new.send(len(everything)) ->', e)
    # The count travels as ASCII digits instead.
    new.send(str(len(everything)).encode())
    new.close()

# --- sender ---
orig_data = b'determined!' * 250  # 2750 bytes


def send_as_the_course_does(sock, buffer):
    # The course's loop. It adds up what send() returned, but moves on by 1024 whatever
    # send() took, and its last send() is not counted at all.
    sent = 0
    while len(buffer) > 1024:
        sent += sock.send(buffer[:1024])
        buffer = buffer[1024:]
    sock.send(buffer)
    return sent


def send_honestly(sock, buffer):
    # send() may take fewer bytes than it is given: move on by what it took, and count
    # every call, the last one too. (sendall() is this loop, written for you.)
    sent = 0
    while buffer:
        n = sock.send(buffer[:1024])
        sent += n
        buffer = buffer[n:]
    return sent


# pause
honest = False  # the first attempt sends as the course does
try_send = True
while try_send:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.connect(('127.0.0.1', port))
    if honest:
        sent = send_honestly(sock, orig_data)
    else:
        sent = send_as_the_course_does(sock, orig_data)
    # Done sending: shutdown(1) (SHUT_WR) sends a FIN, the TCP segment that says "no more
    # data from me". The receiver's recv() returns b'' once it has read everything before
    # it, and this socket can still receive the answer.
    sock.shutdown(1)
    received = sock.recv(30)
    sock.close()
    # The course's string.atoi() was Python 2; int() reads the digits.
    if int(received) == sent:
        try_send = False
    else:
        print('Not all data sent:', sent, 'counted,', int(received), 'received')
        honest = True
print('Sent', sent, 'bytes; the receiver got them all')

# --- receiver ---
# No sender came for three seconds: the receiver's loop is over.
ss.close()
