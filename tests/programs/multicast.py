"""A multicast group on the loopback interface, and the errors of a socket used wrongly.

Two receivers join 239.1.2.3 on 127.0.0.1 (IP_ADD_MEMBERSHIP takes an 8-byte struct
ip_mreq), one sender sends from 127.0.0.1 (IP_MULTICAST_IF), so nothing leaves the machine.
Then the calls a student gets wrong: recv() after close() (EBADF), accept() before listen()
(EINVAL), bind() with two arguments (TypeError), setsockopt() with an empty value (EINVAL),
and socket() of a kind the kernel refuses to anyone, root too: a raw socket of protocol 300
and a type number that names no type (EINVAL, the kernel's answer).
"""
import errno
import socket

GROUP = '239.1.2.3'
LOOPBACK = socket.inet_aton('127.0.0.1')
MEMBERSHIP = socket.inet_aton(GROUP) + LOOPBACK


def member(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((GROUP, port))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, MEMBERSHIP)
    s.settimeout(5)
    return s


first = member(0)
port = first.getsockname()[1]
second = member(port)
sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sender.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, LOOPBACK)
sender.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
sender.sendto(b'hello, group', (GROUP, port))
for name, s in (('first', first), ('second', second)):
    data, source = s.recvfrom(100)
    print(name, 'got', data, 'from the sender:', source[1] == sender.getsockname()[1])
for s in (first, second):
    s.setsockopt(socket.IPPROTO_IP, socket.IP_DROP_MEMBERSHIP, MEMBERSHIP)
    s.close()
sender.close()


def attempt(what, call):
    try:
        call()
        print(what, 'ok')
    except OSError as e:
        print(what, type(e).__name__, errno.errorcode.get(e.errno, e.errno))
    except Exception as e:
        print(what, type(e).__name__, e)


with socket.socket() as closed:
    pass
attempt('recv after close:', lambda: closed.recv(10))
attempt('fileno after close:', lambda: print(closed.fileno()))
server = socket.socket()
attempt('bind with two arguments:', lambda: server.bind('127.0.0.1', 0))
server.bind(('127.0.0.1', 0))
attempt('accept before listen:', lambda: server.accept())
attempt('setsockopt with no bytes:',
        lambda: server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, b''))
attempt('setsockopt with one byte:',
        lambda: server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, b'\x01'))
server.close()
attempt('a raw socket of protocol 300:', lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, 300))
attempt('a socket of type 11:', lambda: socket.socket(socket.AF_INET, 11))
