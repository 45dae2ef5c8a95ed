# title: recv_into() and recvfrom_into(): reading into your own buffer
# recv() makes a new bytes object for every read. recv_into() fills a bytearray you made
# once, and returns how many bytes it wrote; recvfrom_into() also returns the sender.
# Useful when reading a lot, in pieces, without making garbage.
# level: intermediate
# topics: recv_into, recvfrom_into, bytearray, memoryview
import socket

# --- server ---
server = socket.socket()
server.bind(('127.0.0.1', 0))
server.listen(1)
port = server.getsockname()[1]

# --- client ---
client = socket.socket()
client.connect(('127.0.0.1', port))
client.sendall(b'abcdefgh')

# --- server ---
conn, addr = server.accept()
# One buffer of 16 bytes, made once. bytearray is bytes you can change in place.
buffer = bytearray(16)
# pause
# Up to len(buffer) bytes land in the buffer; the card's recv-q says how many wait. What
# does recv_into() return, and what is left in the buffer's other bytes?
count = conn.recv_into(buffer)
assert count == 8
assert buffer[:count] == b'abcdefgh'
# The other 8 bytes of the buffer are still the zeros bytearray(16) began with.
print(buffer)

# --- client ---
client.sendall(b'xyz123')
# The client has nothing more to say.
client.close()

# --- server ---
# nbytes limits the read: at most 3 bytes this time, written over the start of the buffer.
count = conn.recv_into(buffer, 3)
assert count == 3
# The bytes after the first three are still the ones the last read left there.
assert buffer[:8] == b'xyzdefgh'
# To append instead of overwrite, read into a memoryview of the buffer from an offset:
# the bytes land after the ones already there, and nothing is copied.
more = conn.recv_into(memoryview(buffer)[3:])
assert more == 3
assert buffer[:6] == b'xyz123'
# The client has closed, so the next read writes nothing and returns 0: for recv_into(),
# 0 means the end, as b'' does for recv().
assert conn.recv_into(buffer) == 0
conn.close()
server.close()

# --- receiver ---
# Datagrams: recvfrom_into() also says who sent each one.
receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
receiver.bind(('127.0.0.1', 0))
receiver_address = receiver.getsockname()

# --- sender ---
sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sender.sendto(b'datagram', receiver_address)

# --- receiver ---
space = bytearray(32)
nbytes, source = receiver.recvfrom_into(space)
assert nbytes == 8
assert space[:nbytes] == b'datagram'
# The source is the sender's address: the port the kernel gave its socket at sendto().
print(source)
receiver.close()

# --- sender ---
# The same port, seen from the sender's side. Its address reads 0.0.0.0 (any address):
# the sender never called bind(), so the kernel bound it to a port at sendto() and chose
# the address for each datagram by its route, 127.0.0.1 here.
assert sender.getsockname() == ('0.0.0.0', source[1])
sender.close()
