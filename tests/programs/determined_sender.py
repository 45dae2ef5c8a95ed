# The course's determined sender, in Python 3: send the data in pieces, honouring what
# each send() returns (it may take less than it was given), shutdown(1) to say "that is
# all", read the receiver's count, and connect and send again until the count matches.
# 2,750 bytes go once in 250-byte pieces and once in one piece; then an empty transfer
# tells patient_receiver.py to stop.
import hashlib
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


server = '127.0.0.1'
port = wait_for_port()
orig_data = bytes(i % 251 for i in range(2750))
print('sending', len(orig_data), 'bytes, sha256', hashlib.sha256(orig_data).hexdigest()[:16])


def determined_send(orig_data, piece):
    attempts = 0
    try_send = True
    while try_send:
        attempts += 1
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.connect((server, port))
        buffer = orig_data
        sent = 0
        while len(buffer) > piece:
            n = sock.send(buffer[:piece])
            sent += n
            buffer = buffer[n:]
        while buffer:
            n = sock.send(buffer)
            sent += n
            buffer = buffer[n:]
        sock.shutdown(1)
        received = b''
        while True:
            block = sock.recv(30)
            if not block:
                break
            received += block
        sock.close()
        if int(received) == sent:
            try_send = False
        else:
            print('Not all data sent')
    return sent, int(received), attempts


for piece in (250, len(orig_data)):
    sent, counted, attempts = determined_send(orig_data, piece)
    print('pieces of %d: sent %d, the receiver counted %d, attempts %d' % (
        piece, sent, counted, attempts))
sent, counted, attempts = determined_send(b'', 250)
print('empty transfer: sent %d, the receiver counted %d' % (sent, counted))
