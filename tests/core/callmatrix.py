#!/usr/bin/env python3
"""CPython's answer to every socket call in every state: the oracle for tst_callmatrix.

Each cell puts a fresh socket into a state (created, bound, listening, connected, shut
down one way or both, closed), for TCP and UDP, in Python's three modes (blocking, a
timeout, non-blocking), makes one call and prints one JSON line: {"cell": ..., "out": ...}.
A few extra cells ("extra/...") try odd arguments and flags. tst_callmatrix makes the same
cells through the workbench and compares every line; both normalize the same way:

  ok VALUE            None, an int, b:HEX for bytes, HOST:P (a port, 0 if none) for an
                      address, "sock ADDR" for accept()
  CLASS ERRNO TEXT    an OSError (its subclass name, errno number, strerror)
  TimeoutError timed out
  Invalid TEXT        ValueError / OverflowError / TypeError: raised before the kernel
  blocks              a blocking call still waiting after GUARD seconds (then woken with
                      shutdown(), and its answer dropped)

Cells run concurrently (each has its own sockets) so that the waits overlap.
"""

import concurrent.futures
import json
import socket
import sys
import threading

GUARD = 1.0  # seconds a blocking call may take before it counts as "blocks"
TIMEOUT = 0.2  # the timeout mode's settimeout()
HOST = '127.0.0.1'
PAYLOAD = b'hello'
BIG = 4 * 1024 * 1024

TYPES = {'tcp': socket.SOCK_STREAM, 'udp': socket.SOCK_DGRAM}
MODES = ['blocking', 'timeout', 'nonblocking']
STATES = ['created', 'bound', 'listening', 'connected', 'shut_wr', 'shut_rd', 'shut_rdwr',
          'closed']
CALLS = ['accept', 'connect', 'connect_ex', 'send', 'sendall', 'sendto', 'recv', 'recvfrom',
         'recv_into', 'recvfrom_into', 'listen', 'bind', 'shutdown', 'getsockname',
         'getpeername', 'setsockopt', 'getsockopt', 'settimeout', 'setblocking', 'close']


def addr(a):
    if a is None:
        return 'None'
    if isinstance(a, tuple):
        return '%s:%s' % (a[0], '0' if a[1] == 0 else 'P')
    return repr(a)


def error(e):
    if isinstance(e, (ValueError, OverflowError, TypeError)):
        return 'Invalid %s' % e
    if isinstance(e, OSError) and e.errno is not None:
        return '%s %d %s' % (type(e).__name__, e.errno, e.strerror)
    return '%s %s' % (type(e).__name__, e)


class Cell:
    """A socket in a state, the peer it needs, and everything to close afterwards."""

    def __init__(self, kind, state, mode):
        self.kind = kind
        self.keep = []
        stype = TYPES[kind]
        # The peer: a listener for TCP, a bound socket for UDP. Connects and sendto go to it.
        self.peer = self.new(stype)
        self.peer.bind((HOST, 0))
        if kind == 'tcp':
            self.peer.listen(8)
        self.peer_addr = self.peer.getsockname()
        self.accepted = None
        s = self.s = self.new(stype)
        if state in ('bound', 'listening'):
            s.bind((HOST, 0))
        if state == 'listening':
            s.listen(8)
        if state in ('connected', 'shut_wr', 'shut_rd', 'shut_rdwr'):
            s.connect(self.peer_addr)
            if kind == 'tcp':
                self.accepted, _ = self.peer.accept()
                self.keep.append(self.accepted)
        how = {'shut_wr': socket.SHUT_WR, 'shut_rd': socket.SHUT_RD,
               'shut_rdwr': socket.SHUT_RDWR}.get(state)
        if how is not None:
            s.shutdown(how)
        set_mode(s, mode)
        if state == 'closed':
            s.close()

    def new(self, stype):
        s = socket.socket(socket.AF_INET, stype)
        self.keep.append(s)
        return s

    def close(self):
        for s in self.keep:
            s.close()


def set_mode(s, mode):
    if mode == 'timeout':
        s.settimeout(TIMEOUT)
    elif mode == 'nonblocking':
        s.setblocking(False)


def call(cell, name):
    """Makes the call; returns the normalized ok value (exceptions propagate)."""
    s = cell.s
    if name == 'accept':
        conn, a = s.accept()
        cell.keep.append(conn)
        return 'sock %s' % addr(a)
    if name == 'connect':
        return s.connect(cell.peer_addr)
    if name == 'connect_ex':
        return s.connect_ex(cell.peer_addr)
    if name == 'send':
        return s.send(PAYLOAD)
    if name == 'sendall':
        return s.sendall(PAYLOAD)
    if name == 'sendto':
        return s.sendto(PAYLOAD, cell.peer_addr)
    if name == 'recv':
        return 'b:' + s.recv(16).hex()
    if name == 'recvfrom':
        data, a = s.recvfrom(16)
        return 'b:%s %s' % (data.hex(), addr(a))
    if name == 'recv_into':
        buf = bytearray(16)
        n = s.recv_into(buf)
        return '%d b:%s' % (n, bytes(buf[:n]).hex())
    if name == 'recvfrom_into':
        buf = bytearray(16)
        n, a = s.recvfrom_into(buf)
        return '%d b:%s %s' % (n, bytes(buf[:n]).hex(), addr(a))
    if name == 'listen':
        return s.listen(8)
    if name == 'bind':
        return s.bind((HOST, 0))
    if name == 'shutdown':
        return s.shutdown(socket.SHUT_RDWR)
    if name == 'getsockname':
        return addr(s.getsockname())
    if name == 'getpeername':
        return addr(s.getpeername())
    if name == 'setsockopt':
        return s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if name == 'getsockopt':
        return s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR)
    if name == 'settimeout':
        return s.settimeout(0.5)
    if name == 'setblocking':
        return s.setblocking(True)
    if name == 'close':
        return s.close()
    raise AssertionError(name)


def guarded(cell, fn, blocking):
    """fn's outcome, or "blocks" if a blocking call is still waiting after GUARD."""
    box = {}

    def run():
        try:
            box['out'] = 'ok %s' % (fn(),)
        except Exception as e:  # noqa: BLE001 - every exception is an answer here
            box['out'] = error(e)

    if not blocking:
        run()
        return box['out']
    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(GUARD)
    if t.is_alive():
        try:
            cell.s.shutdown(socket.SHUT_RDWR)  # Linux: wakes the blocked call
        except OSError:
            pass
        t.join(GUARD)
        return 'blocks'
    return box['out']


def matrix_cell(kind, mode, state, name):
    cell = Cell(kind, state, mode)
    try:
        return guarded(cell, lambda: call(cell, name), mode == 'blocking')
    finally:
        cell.close()


# Extra cells: (name, type, state, mode, what to do with the Cell).
def recv_waitall(cell):
    # Two pieces, the second a moment later: MSG_WAITALL waits for both.
    cell.accepted.sendall(b'ab')
    timer = threading.Timer(0.05, lambda: cell.accepted.sendall(b'cd'))
    timer.start()
    try:
        return 'b:' + cell.s.recv(4, socket.MSG_WAITALL).hex()
    finally:
        timer.join()


def recv_waitall_short(cell):
    # With a timeout the descriptor is non-blocking: MSG_WAITALL returns what is there.
    cell.accepted.sendall(b'ab')
    return 'b:' + cell.s.recv(4, socket.MSG_WAITALL).hex()


def recv_peek(cell):
    cell.accepted.sendall(b'abc')
    first = cell.s.recv(16, socket.MSG_PEEK)
    second = cell.s.recv(16)
    return 'b:%s b:%s' % (first.hex(), second.hex())


def setsockopt_two(cell):
    cell.s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 2)
    return cell.s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR)


def close_twice(cell):
    cell.s.close()
    return cell.s.close()


EXTRAS = [
    ('recv_0', 'tcp', 'connected', 'nonblocking', lambda c: 'b:' + c.s.recv(0).hex()),
    ('recv_0_closed', 'tcp', 'closed', 'blocking', lambda c: 'b:' + c.s.recv(0).hex()),
    ('recv_into_empty_closed', 'udp', 'closed', 'blocking',
     lambda c: '%d b:' % c.s.recv_into(bytearray())),
    ('recvfrom_0', 'udp', 'bound', 'nonblocking', lambda c: c.s.recvfrom(0)),
    ('recv_negative', 'tcp', 'connected', 'blocking', lambda c: c.s.recv(-1)),
    ('recv_negative_closed', 'tcp', 'closed', 'blocking', lambda c: c.s.recv(-1)),
    ('bind_port_70000_closed', 'udp', 'closed', 'blocking', lambda c: c.s.bind((HOST, 70000))),
    ('recvfrom_negative', 'udp', 'bound', 'blocking', lambda c: c.s.recvfrom(-1)),
    ('recv_into_negative', 'tcp', 'connected', 'blocking',
     lambda c: c.s.recv_into(bytearray(4), -1)),
    ('recvfrom_into_negative', 'udp', 'bound', 'blocking',
     lambda c: c.s.recvfrom_into(bytearray(4), -1)),
    ('recv_into_too_big', 'tcp', 'connected', 'blocking',
     lambda c: c.s.recv_into(bytearray(4), 8)),
    ('recvfrom_into_too_big', 'udp', 'bound', 'blocking',
     lambda c: c.s.recvfrom_into(bytearray(4), 8)),
    ('recv_dontwait', 'tcp', 'connected', 'blocking',
     lambda c: c.s.recv(16, socket.MSG_DONTWAIT)),
    ('recv_dontwait_timeout', 'tcp', 'connected', 'timeout',
     lambda c: c.s.recv(16, socket.MSG_DONTWAIT)),
    ('recv_waitall', 'tcp', 'connected', 'blocking', recv_waitall),
    ('recv_waitall_nothing', 'tcp', 'connected', 'blocking',
     lambda c: c.s.recv(4, socket.MSG_WAITALL)),
    ('recv_waitall_timeout', 'tcp', 'connected', 'timeout', recv_waitall_short),
    ('recv_peek', 'tcp', 'connected', 'blocking', recv_peek),
    ('send_dontwait', 'tcp', 'connected', 'blocking',
     lambda c: c.s.send(PAYLOAD, socket.MSG_DONTWAIT)),
    ('send_big_nonblocking', 'tcp', 'connected', 'nonblocking', lambda c: c.s.send(b'x' * BIG)),
    ('send_big_timeout', 'tcp', 'connected', 'timeout', lambda c: c.s.send(b'x' * BIG)),
    ('sendall_big_timeout', 'tcp', 'connected', 'timeout', lambda c: c.s.sendall(b'x' * BIG)),
    ('udp_recv_after_shut_rdwr', 'udp', 'shut_rdwr', 'blocking',
     lambda c: 'b:' + c.s.recv(16).hex()),
    ('listen_negative', 'tcp', 'bound', 'blocking', lambda c: c.s.listen(-1)),
    ('shutdown_3', 'tcp', 'connected', 'blocking', lambda c: c.s.shutdown(3)),
    ('bind_port_70000', 'tcp', 'created', 'blocking', lambda c: c.s.bind((HOST, 70000))),
    ('connect_port_70000', 'tcp', 'created', 'blocking', lambda c: c.s.connect((HOST, 70000))),
    ('connect_ex_port_negative', 'tcp', 'created', 'blocking',
     lambda c: c.s.connect_ex((HOST, -1))),
    ('sendto_port_70000', 'udp', 'created', 'blocking',
     lambda c: c.s.sendto(PAYLOAD, (HOST, 70000))),
    ('settimeout_negative', 'tcp', 'created', 'blocking', lambda c: c.s.settimeout(-1)),
    ('close_twice', 'tcp', 'connected', 'blocking', close_twice),
    ('setsockopt_reuseaddr_2', 'tcp', 'created', 'blocking', setsockopt_two),
    ('getsockopt_type', 'udp', 'created', 'blocking',
     lambda c: c.s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE)),
    ('getsockopt_acceptconn', 'tcp', 'listening', 'blocking',
     lambda c: c.s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)),
    ('getsockopt_error', 'tcp', 'created', 'blocking',
     lambda c: c.s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)),
    ('setsockopt_type', 'tcp', 'created', 'blocking',
     lambda c: c.s.setsockopt(socket.SOL_SOCKET, socket.SO_TYPE, 1)),
    ('getpeername_bound', 'tcp', 'bound', 'blocking', lambda c: addr(c.s.getpeername())),
]


def socketpair_cells():
    """socket.socketpair(): the pair's addresses, bytes both ways, and the families Linux
    refuses. Keys "pair/..."."""
    out = {}

    def attempt(key, fn):
        try:
            out[key] = 'ok %s' % (fn(),)
        except Exception as e:  # noqa: BLE001 - every exception is an answer here
            out[key] = error(e)

    for kind, stype in TYPES.items():
        a, b = socket.socketpair(socket.AF_UNIX, stype)
        try:
            attempt('pair/%s/family' % kind, lambda: '%d %d' % (a.family, b.type))
            attempt('pair/%s/getsockname' % kind, lambda: repr(a.getsockname()))
            attempt('pair/%s/getpeername' % kind, lambda: repr(b.getpeername()))
            attempt('pair/%s/a_to_b' % kind, lambda: (a.sendall(b'ping'), b.recv(16).hex())[1])
            attempt('pair/%s/b_to_a' % kind, lambda: (b.send(b'pong'), a.recv(16).hex())[1])
            a.setblocking(False)
            attempt('pair/%s/recv_empty' % kind, lambda: a.recv(16))
            b.close()
            attempt('pair/%s/recv_after_close' % kind, lambda: 'b:' + a.recv(16).hex())
            attempt('pair/%s/send_after_close' % kind, lambda: a.send(b'x'))
        finally:
            a.close()
            b.close()
    attempt('pair/inet', lambda: socket.socketpair(socket.AF_INET, socket.SOCK_STREAM))
    return out


def extra_cell(fn, kind, state, mode):
    cell = Cell(kind, state, mode)
    try:
        return guarded(cell, lambda: fn(cell), mode == 'blocking')
    finally:
        cell.close()


def main():
    jobs = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        for kind in TYPES:
            for mode in MODES:
                for state in STATES:
                    if kind == 'udp' and state == 'listening':
                        continue  # UDP cannot listen: there is no such state
                    for name in CALLS:
                        key = '%s/%s/%s/%s' % (kind, mode, state, name)
                        jobs[key] = pool.submit(matrix_cell, kind, mode, state, name)
        for name, kind, state, mode, fn in EXTRAS:
            jobs['extra/' + name] = pool.submit(extra_cell, fn, kind, state, mode)
        results = {key: job.result() for key, job in jobs.items()}
    results.update(socketpair_cells())
    for key in sorted(results):
        print(json.dumps({'cell': key, 'out': results[key]}))
    sys.stdout.flush()


if __name__ == '__main__':
    main()
