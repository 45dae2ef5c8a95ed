# A UDP server: answers each datagram with the same text in capitals, five times in a
# `for` loop, then stops. Run with udp_client.py ($PORT_FILE carries the port).
import os
import socket


def publish_port(port):
    path = os.environ['PORT_FILE']
    with open(path + '.tmp', 'w') as f:
        f.write(str(port))
    os.replace(path + '.tmp', path)


sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(('127.0.0.1', 0))
publish_port(sock.getsockname()[1])
for i in range(5):
    data, addr = sock.recvfrom(1024)
    print('datagram', i, 'of', len(data), 'bytes:', data.decode())
    sock.sendto(data.upper(), addr)
sock.close()
print('server done')
