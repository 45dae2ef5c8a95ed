# title: The determined sender and the patient receiver
# The sender sends its data in 1024-byte blocks, then shuts down its sending side. The
# receiver reads until recv() returns b'', and answers with the number of bytes it got.
# The sender compares that with what it sent. The course shows this in Python 2; here it
# is in Python 3, unrolled (a lesson has no loops), with the course's slips fixed.
# level: intermediate
# topics: send, shutdown, half-close, recv loop, byte count
import socket

# --- receiver ---
receiver = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# The course binds ('', 4000). Port 0 and loopback keep this lesson out of anyone's way.
receiver.bind(('127.0.0.1', 0))
receiver.listen(1)
new, addr = receiver.accept()

# --- sender ---
orig_data = b'determined!' * 250
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.connect(('127.0.0.1', receiver.getsockname()[1]))
# 2750 bytes: two full blocks of 1024 and what is left. send() returns what it took; the
# course adds these up.
buffer = orig_data
sent = 0
sent += sock.send(buffer[:1024])
buffer = buffer[1024:]
sent += sock.send(buffer[:1024])
buffer = buffer[1024:]
# The course's last sock.send(buffer) is not added to sent; here it is, or the count
# could never match.
sent += sock.send(buffer)
assert sent == len(orig_data)
# Done sending: the receiver will see the end of the data.
sock.shutdown(1)
received = sock.recv(30)

# --- receiver ---
# The patient receiver reads block after block until recv() returns b''. (The course
# calls this one buffer too. The actors here are threads of one program sharing their
# names, so the receiver's gets a name of its own - or the two would trample each other.)
everything = b''
block = new.recv(1024)
everything += block
block = new.recv(1024)
everything += block
block = new.recv(1024)
everything += block
block = new.recv(1024)
everything += block
# pause
# Has the receiver got everything? Only an empty block says so.
assert block == b''
# The course writes new.send(len(buffer)): in Python 3 that is a TypeError, send() wants
# bytes. The count travels as ASCII digits.
# expect: TypeError
new.send(len(everything))
new.send(str(len(everything)).encode())
new.close()
receiver.close()

# --- sender ---
# string.atoi() was Python 2; int() reads the digits.
assert int(received) == sent
sock.close()
