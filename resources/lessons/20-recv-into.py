# title: recv_into() and recvfrom_into(): reading into your own buffer
# recv() makes a new bytes object for every read. recv_into() fills a bytearray you made
# once, and returns how many bytes it wrote; recvfrom_into() also returns the sender.
# Useful when reading a lot, in pieces, without making garbage.
# level: intermediate
# topics: recv_into, recvfrom_into, bytearray
import socket

# --- server ---
server = socket.socket()
server.bind(('127.0.0.1', 0))
server.listen(1)

# --- client ---
client = socket.socket()
client.connect(('127.0.0.1', server.getsockname()[1]))
client.sendall(b'abcdefgh')

# --- server ---
conn, addr = server.accept()
buffer = bytearray(16)
# Up to len(buffer) bytes land in the buffer; the rest of it stays as it was.
count = conn.recv_into(buffer)
assert count == 8
assert buffer[:count] == b'abcdefgh'
print(buffer)
# nbytes limits the read: here at most 3 bytes.
client.sendall(b'xyz123')
client.close()
count = conn.recv_into(buffer, 3)
assert count == 3
assert buffer[:3] == b'xyz'
conn.close()
server.close()

# --- udp ---
receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
receiver.bind(('127.0.0.1', 0))
sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sender.sendto(b'datagram', receiver.getsockname())
space = bytearray(32)
nbytes, source = receiver.recvfrom_into(space)
assert nbytes == 8
assert space[:nbytes] == b'datagram'
assert source[1] == sender.getsockname()[1]
sender.close()
receiver.close()
